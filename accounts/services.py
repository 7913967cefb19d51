"""Changes to accounts: a person's own settings, and the user administration of the ministry and
the county directors (invitations are in invitations.py)."""

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.concurrency import save_versioned

from .choices import CountyRole, Role
from .models import User
from .rules import is_county_director


@transaction.atomic
def user_mail_delivery_set(*, user: User, mail_delivery: str) -> User:
    """Set how `user` receives the portal's work notifications (`core.models.MailDelivery`): at once,
    or gathered into one daily digest. Notifications already kept for the digest stay there and go
    out with the next one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.mail_delivery = mail_delivery
    user.full_clean(exclude=["password"])
    user.save(update_fields=["mail_delivery"])
    return user


# --- User administration (the portal's page, accounts/views.py) ----------------------------


def _check_last_director(user: User, *, still_director: bool) -> None:
    """A county keeps at least one active person who may submit for it."""
    if user.is_county_director and user.is_active and not still_director:
        others = User.objects.filter(
            role=Role.REGION, region_id=user.region_id, county_role=CountyRole.DIRECTOR, is_active=True
        ).exclude(pk=user.pk)
        if not others.exists():
            raise ValidationError(
                _("{name} is the only one who may submit for the county. Let someone else submit first.").format(
                    name=user.full_name
                )
            )


@transaction.atomic
def user_active_set(*, actor: User, user: User, active: bool, expected_version: int) -> User:
    """Deactivate (or activate again) an account. A deactivated person is logged out at their next
    request and cannot log in or use an API token; what they wrote stays attributed to them (an
    account is never deleted here). A county director may not deactivate the county's last director,
    and nobody deactivates their own account.

    Raises StaleEditError when someone else changed the account after `expected_version`."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not rules.has_perm("accounts.manage_user", actor, user):
        raise ValidationError(_("You cannot change this account."))
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not active and is_county_director(actor):
        _check_last_director(user, still_director=False)
    user.is_active = active
    save_versioned(user, expected_version=expected_version, fields=["is_active"])
    return user


@transaction.atomic
def user_move(*, actor: User, user: User, expected_version: int, role: str, region=None, county_role: str = "") -> User:
    """Move an account to another role, county or role in the county.

    The ministry moves anyone but administrators (administrators anyone); a county director only
    switches people of their own county between director and editor, and never leaves the county
    without a director. Raises StaleEditError when someone else changed the account after
    `expected_version`, ValidationError (nothing changed) when the move is not allowed."""
    user = User.objects.select_for_update(of=("self",)).select_related("region").get(pk=user.pk)
    if not rules.has_perm("accounts.manage_user", actor, user):
        raise ValidationError(_("You cannot change this account."))
    if role != Role.REGION:
        region, county_role = None, ""
    moved = role != user.role or (region.pk if region else None) != user.region_id
    if moved and not rules.has_perm("accounts.move_user", actor, user):
        raise ValidationError(_("Only the ministry can move a person to another role or county."))
    if role == Role.ADMIN and actor.role != Role.ADMIN:
        raise ValidationError({"role": _("Only an administrator can make someone an administrator.")})
    if is_county_director(actor):
        _check_last_director(user, still_director=county_role == CountyRole.DIRECTOR and user.region_id == region.pk)
    user.role, user.region, user.county_role = role, region, county_role
    if role != Role.MINISTRY:
        user.is_registrar = False
    user.full_clean(exclude=["password"])
    save_versioned(user, expected_version=expected_version, fields=["role", "region", "county_role", "is_registrar"])
    return user
