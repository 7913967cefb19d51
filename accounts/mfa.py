"""Who owes a second factor after the password, and how a session records that it has been given.

The policy, in one place: ministry, agency and administrator accounts must use a code from an
authenticator app (TOTP, django-otp) after their password; county users may choose to, and must
when `settings.OTP_REQUIRED_FOR_COUNTIES` is on. Whoever has a confirmed authenticator gives its
code at every password log-in, required or not.

A session carries its state under `STATE_SESSION_KEY`, decided once at log-in (and for a session
that has none, at its next request), so an ordinary page costs no query for it:

- `VERIFY`: the password was right, the code is still owed: only the code page opens;
- `ENROL`: the account must have an authenticator and has none: only the enrolment pages open;
- `DONE`: a code (or a recovery code) was given;
- `NOT_REQUIRED`: a county user without an authenticator, while counties may choose.

A log-in by single sign-on has had its second factor at the identity provider: the code that
signs such a user in sets `request.session[SSO_SESSION_KEY] = True` (or calls `sso_mark`) after
`django.contrib.auth.login`, and `accounts.middleware.SecondFactorMiddleware` then lets the session
through whatever its state. Sessions are stored on the server, so no client can set either key.
"""

from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from .choices import Role

SSO_SESSION_KEY = "auth_sso"
STATE_SESSION_KEY = "second_factor"

VERIFY = "verify"
ENROL = "enrol"
DONE = "done"
NOT_REQUIRED = "not_required"
PENDING = frozenset({VERIFY, ENROL})


def second_factor_mandatory(user) -> bool:
    """The account's role obliges it to have an authenticator (it cannot turn it off)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.REGION:
        return settings.OTP_REQUIRED_FOR_COUNTIES
    return user.role in (Role.MINISTRY, Role.AGENCY, Role.ADMIN)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_required(user, request=None) -> bool:
    """Whether this log-in must give a code after the password: never for a single sign-on session
    (`SSO_SESSION_KEY`), otherwise when the role demands it or the user has an authenticator."""
    if request is not None and request.session.get(SSO_SESSION_KEY):
        return False
    return second_factor_mandatory(user) or has_authenticator(user)


def second_factor_state(user) -> str:
    """The state a fresh password log-in of `user` starts in."""
    if has_authenticator(user):
        return VERIFY
    if second_factor_mandatory(user):
        return ENROL
    return NOT_REQUIRED


def session_state(request) -> str:
    """The state of the request's session; decided now (and kept) for a session that has none."""
    state = request.session.get(STATE_SESSION_KEY)
    if state is None:
        state = second_factor_state(request.user)
        request.session[STATE_SESSION_KEY] = state
    return state


def second_factor_pending(request) -> str | None:
    """VERIFY or ENROL while the session owes its second factor, else None."""
    if not request.user.is_authenticated or request.session.get(SSO_SESSION_KEY):
        return None
    state = session_state(request)
    return state if state in PENDING else None


def second_factor_passed(request, device=None) -> None:
    """The session has given its second factor (with `device`, django-otp's record of which)."""
    if device is not None:
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.session[STATE_SESSION_KEY] = DONE


def sso_mark(request) -> None:
    """For the single sign-on log-in: this session's second factor was given at the identity provider."""
    request.session[SSO_SESSION_KEY] = True
