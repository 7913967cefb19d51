"""Changes a person makes to their own account, and the administrators' changes to it: the
notification choice, the second factor (authenticator app and recovery codes) and the sessions."""

from importlib import import_module

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.client_address import client_address

from . import mfa
from .models import User, UserSession

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
