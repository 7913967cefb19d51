from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


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
