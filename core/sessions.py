"""When a log-in session ends, and how a user keeps it going.

Sessions last SESSION_COOKIE_AGE from log-in (they are not extended by every request). The time
is stamped in the session at log-in, shown to the page (`data-session-expires` on <body>), and
static/js/keep-work.js warns the user five minutes before, with a button that POSTs here to start
a new period. What the user typed meanwhile is kept in the browser tab by the same script.
"""

import datetime
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect, JsonResponse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

EXPIRES_KEY = "keep_expires_at"


def session_stamp(session) -> int:
    """Start a new session period now; return when it ends (seconds since the epoch)."""
    expires_at = int(time.time()) + settings.SESSION_COOKIE_AGE
    session[EXPIRES_KEY] = expires_at  # a change, so the session (and its expiry) is saved again
    return expires_at


@receiver(user_logged_in, dispatch_uid="core.sessions.stamp_on_log_in")
def _stamp_on_log_in(sender, request, user, **kwargs):
    session_stamp(request.session)


class SessionExtendView(View):
    """POST: the user stays logged in for another session period (JSON for the script, else a redirect)."""

    http_method_names = ["post"]

    def post(self, request):
        expires_at = session_stamp(request.session)
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"expires_at": expires_at})
        until = timezone.localtime(datetime.datetime.fromtimestamp(expires_at, tz=datetime.UTC))
        messages.success(request, _("You stay logged in until {time}.").format(time=formats.time_format(until, "H:i")))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
            target = "/"
        return HttpResponseRedirect(target)
