"""Invitations: a person is asked by e-mail to create their own account, with the role (and county)
the inviter chose, through a one-time link that expires.

The link carries a random secret; only its SHA-256 hash is stored and it is compared in constant
time. Inviting the same address again replaces the open invitation's secret, so the older link
stops working. Every step is in the audit log (django-auditlog records the invitation's creation,
its replacement and its use, and the account made from it).
"""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.mail import mail_send

from .choices import CountyRole, Role
from .models import Invitation, User
from .rules import is_county_director, is_ministry_or_admin


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invitation_check_allowed(*, inviter: User, role: str, region, county_role: str) -> None:
    """Refuse what `inviter` may not hand out: the ministry invites to every role but administrator
    (only an administrator does that); a county director invites editors and directors of their own
    county only."""
    if inviter.role == Role.ADMIN:
        return
    if is_ministry_or_admin(inviter):
        if role == Role.ADMIN:
            raise ValidationError({"role": _("Only an administrator can invite an administrator.")})
        return
    if is_county_director(inviter):
        if role != Role.REGION or region is None or region.pk != inviter.region_id:
            raise ValidationError(_("You can invite people to your own county only."))
        if county_role not in CountyRole.values:
            raise ValidationError({"county_role": _("Choose what the person may do for the county.")})
        return
    raise ValidationError(_("You cannot invite anyone."))


@transaction.atomic
def invitation_send(
    *, inviter: User, email: str, role: str, region=None, county_role: str = "", base_url: str = ""
) -> Invitation:
    """Invite `email` to create an account with `role` (and `region`, `county_role` for regional
    users), and e-mail the one-time link (through the outbox, after commit). An open invitation to
    the same address is replaced: its old link no longer works.

    Refused (ValidationError, nothing sent) when the address already has an account or the inviter
    may not hand out that role (`invitation_check_allowed`)."""
    email = (email or "").strip().lower()
    if role != Role.REGION:
        region, county_role = None, ""
    invitation_check_allowed(inviter=inviter, role=role, region=region, county_role=county_role)
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("This e-mail address already has an account.")})
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.select_for_update().filter(email=email, used_at__isnull=True).first()
    if invitation is None:
        invitation = Invitation(email=email)
    invitation.role, invitation.region, invitation.county_role = role, region, county_role
    invitation.invited_by = inviter
    invitation.token_hash = _hash(secret)
    invitation.created_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.full_clean()
    invitation.save()  # django-auditlog: created, or changed (replaced) with the inviter as actor
    link = (base_url or settings.PORTAL_URL) + reverse(
        "invitation_accept", kwargs={"pk": invitation.pk, "token": secret}
    )
    what = invitation.get_role_display()
    if region is not None:
        what = f"{what}, {region.name} ({invitation.get_county_role_display().lower()})"
    mail_send(
        recipients=[email],
        subject=_("Invitation to Regionala utvecklingsdialoger"),
        body=_(
            "{inviter} has invited you to the portal Regionala utvecklingsdialoger as: {what}.\n\n"
            "Open this link to choose your name and password and create your account. The link can be "
            "used once and works until {expires}:\n{link}\n\n"
            "If you did not expect this invitation, you can ignore this e-mail."
        ).format(
            inviter=inviter.full_name,
            what=what,
            expires=date_format(timezone.localtime(invitation.expires_at), "SHORT_DATETIME_FORMAT"),
            link=link,
        ),
    )
    return invitation


@dataclass(frozen=True)
class InvitationLookup:
    invitation: Invitation | None
    problem: str = ""  # why the link cannot be used, in the user's language; empty if it can


def invitation_for_link(*, pk: int, token: str) -> InvitationLookup:
    """The invitation the link opens, or why it cannot be used (unknown or replaced, used, expired).
    A wrong secret says nothing about the invitation it names."""
    invitation = Invitation.objects.select_related("region").filter(pk=pk).first()
    # Compared in constant time, also when there is no such invitation.
    stored = invitation.token_hash if invitation is not None else _hash("")
    if not hmac.compare_digest(stored, _hash(token or "")) or invitation is None:
        return InvitationLookup(
            None,
            _(
                "This invitation link is not valid. It may have been replaced by a newer invitation: "
                "use the link in the latest e-mail, or ask the person who invited you to send a new one."
            ),
        )
    if invitation.is_used:
        return InvitationLookup(
            None,
            _("This invitation has already been used. Log in with your e-mail address and the password you chose."),
        )
    if invitation.is_expired:
        return InvitationLookup(
            None, _("This invitation has expired. Ask the person who invited you to send a new one.")
        )
    return InvitationLookup(invitation)


@transaction.atomic
def invitation_accept(*, pk: int, token: str, full_name: str, password: str) -> User:
    """Create the account the invitation promised, with the name and password the person chose (the
    password already checked by Django's validators in the form), and mark the link used.

    Refused (ValidationError, nothing created) if the link is not valid, has been used or has
    expired, also when two requests race for it (the invitation is locked)."""
    locked = Invitation.objects.select_for_update().filter(pk=pk).first()
    lookup = invitation_for_link(pk=pk, token=token)
    if locked is None or lookup.invitation is None:
        raise ValidationError(lookup.problem)
    invitation = locked
    if User.objects.filter(email=invitation.email).exists():
        raise ValidationError(_("This e-mail address already has an account. Log in instead."))
    user = User.objects.create_user(
        invitation.email,
        password,
        full_name=full_name.strip(),
        role=invitation.role,
        region=invitation.region,
        county_role=invitation.county_role,
    )
    invitation.used_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    return user
