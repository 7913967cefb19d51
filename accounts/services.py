"""Changes to accounts: a person's own settings (notifications, the second factor: authenticator
app and recovery codes, the sessions), the administrators' changes to them, and the user
administration of the ministry and the county directors (invitations are in invitations.py)."""

from importlib import import_module

import rules
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.client_address import client_address
from core.concurrency import save_versioned

from . import mfa
from .choices import CountyRole, Role
from .models import User, UserSession
from .rules import is_county_director

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Autentiseringsapp"
RECOVERY_DEVICE_NAME = "Reservkoder"


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


# --- The second factor ------------------------------------------------------------------------


def _audit_second_factor(user: User, *, before: str, after: str, actor: User | None = None) -> None:
    """One line in the user's change history (the keys themselves are never logged)."""
    extra = {"actor": actor} if actor is not None else {}
    LogEntry.objects.log_create(
        user, action=LogEntry.Action.UPDATE, changes={"tvåstegsverifiering": [before, after]}, **extra
    )


@transaction.atomic
def totp_enrol_start(*, user: User) -> TOTPDevice:
    """The authenticator `user` is setting up: a new secret key, not yet in use (`confirmed` is
    False) until the user has typed a code from it. An unfinished set-up is taken up again."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def totp_enrol_confirm(*, user: User, code: str) -> list[str]:
    """Put the authenticator `user` is setting up into use if `code` is its current code: it replaces
    any earlier one, and a new set of recovery codes is made. Returns the recovery codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise ValidationError(_("The set-up has expired. Start again with a new QR code."))
    if not device.verify_token(code):
        raise ValidationError(
            {"code": _("The code does not match. Type the six digits the app shows now, then try again.")}
        )
    had_one = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit_second_factor(user, before="på" if had_one else "av", after="på (ny app)" if had_one else "på")
    return _recovery_codes_replace(user)


def _recovery_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace `user`'s recovery codes with ten new ones (the old ones stop working at once)."""
    if not mfa.has_authenticator(user):
        raise ValidationError(_("Set up an authenticator app first: recovery codes belong to it."))
    codes = _recovery_codes_replace(user)
    _audit_second_factor(user, before="reservkoder", after="nya reservkoder")
    return codes


def second_factor_check(*, user: User, code: str, recovery: bool = False):
    """The device that accepts `code` (from the authenticator app, or a recovery code, which is then
    used up), or None. django-otp refuses a code already used and throttles each device after a
    wrong one; counting wrong codes towards the log-in lockout is the caller's part."""
    code = "".join((code or "").split()).lower() if recovery else "".join((code or "").split())
    model = StaticDevice if recovery else TOTPDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def second_factor_disable(*, user: User) -> None:
    """`user` stops using an authenticator app (only where the role does not require one)."""
    if mfa.second_factor_mandatory(user):
        raise ValidationError(_("Your role requires two-factor authentication, so it cannot be turned off."))
    deleted, _counts = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if deleted:
        _audit_second_factor(user, before="på", after="av")


@transaction.atomic
def second_factor_reset(*, user: User, by: User) -> None:
    """An administrator takes `user`'s authenticator and recovery codes away (a lost phone): the
    user's sessions end, and at the next log-in the user sets up a new app if the role requires one."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit_second_factor(user, before="på", after="återställd av administratör", actor=by)
    user_sessions_end(user=user)


# --- Sessions -----------------------------------------------------------------------------------


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def user_session_record(*, request, user: User) -> UserSession:
    """Note the session `request` has just logged `user` into, for the user's list of sessions."""
    session = request.session
    if session.session_key is None:
        session.save()  # a flushed session gets its new key only when saved
    now = timezone.now()
    record, _created = UserSession.objects.update_or_create(
        session_id=session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip_address": client_address(request),
            "started": now,
            "last_seen": now,
        },
    )
    return record


def user_session_seen(*, request) -> None:
    """The session of `request` was used now (a session from before the list existed joins it)."""
    updated = UserSession.objects.filter(session_id=request.session.session_key).update(
        last_seen=timezone.now(), ip_address=client_address(request)
    )
    if not updated and request.session.session_key is not None:
        from django.contrib.sessions.models import Session

        if Session.objects.filter(session_key=request.session.session_key).exists():
            user_session_record(request=request, user=request.user)


def user_session_end(*, user_session: UserSession) -> None:
    """End one session: whoever uses it is sent to the log-in page at their next request."""
    _session_store()().delete(user_session.session_id)  # the session row, its cached copy and this row
    UserSession.objects.filter(pk=user_session.pk).delete()


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """End every session of `user` except `keep_session_key` (the one asking, for "end all others").
    Returns how many ended."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user).exclude(session_id=keep_session_key):
        user_session_end(user_session=user_session)
        ended += 1
    return ended
