from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum

from . import mfa


def axes_username(request, credentials) -> str | None:
    """The username django-axes counts failures for: the e-mail address as it is stored (lower case),
    so that "Karin@Region.se" and "karin@region.se" share one failure count."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None


class AxesHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second, wider limit per address.

    Axes counts failures per (e-mail, address) (AXES_LOCKOUT_PARAMETERS), so failures from a
    stranger's address never lock the real user out of their own. An address that fails
    AXES_ADDRESS_FAILURE_LIMIT times within the cool-off time, across any e-mail addresses (someone
    trying passwords on many accounts), is refused as a whole until the cool-off time has passed.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def address_failures(request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def user_logged_in(self, sender, request, user, **kwargs):
        # A password is half of the log-in of an account with an authenticator: its failures stay
        # counted until the code is right too (second_factor_succeeded), so that wrong codes after a
        # right password add up to a lockout like wrong passwords do.
        request.axes_keep_failures = mfa.has_authenticator(user) and not request.session.get(mfa.SSO_SESSION_KEY)
        super().user_logged_in(sender, request, user, **kwargs)

    def reset_user_attempts(self, request, credentials=None) -> int:
        if getattr(request, "axes_keep_failures", False):
            return 0
        return super().reset_user_attempts(request, credentials)


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def second_factor_locked(request, user) -> bool:
    """The account is locked out from this address (wrong passwords and codes together)."""
    return AxesProxyHandler.is_locked(request, _credentials(user))


def second_factor_failed(request, user) -> bool:
    """Count a wrong code as a failed log-in of `user` from this address; True once that locks the
    account out here (django-axes then answers the request with its lockout page)."""
    AxesProxyHandler.update_request(request)
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def second_factor_succeeded(request, user) -> None:
    """The code was right: the log-in is complete, and its failures are forgiven as axes does for a
    password log-in (AXES_RESET_ON_SUCCESS)."""
    if settings.AXES_RESET_ON_SUCCESS:
        AxesProxyHandler.update_request(request)
        request.axes_keep_failures = False
        AxesProxyHandler.get_implementation().reset_user_attempts(request, _credentials(user))
