"""A password log-in that still owes its second factor reaches only the page that asks for it, and
each session's "last used" time in the user's list of sessions is kept up to date."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse

from . import mfa
from .receivers import SEEN_SESSION_KEY
from .services import user_session_seen

# What a session in each pending state may open besides the public pages (log-in, accessibility ...).
OPEN_WHILE = {
    mfa.VERIFY: frozenset({"second_factor_verify", "logout", "set_language", "session_extend"}),
    mfa.ENROL: frozenset({"totp_enrol", "logout", "set_language", "session_extend"}),
}
TARGET = {mfa.VERIFY: "second_factor_verify", mfa.ENROL: "totp_enrol"}


class SecondFactorMiddleware:
    """After the password, the code (or the enrolment of an authenticator the role requires) comes
    before any other page. Runs after LoginRequiredMiddleware, so anonymous visitors never get here
    with a page that needs a log-in. A session with the SSO flag (accounts.mfa) passes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        pending = mfa.second_factor_pending(request)
        if pending is None or not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_WHILE[pending]:
            return None
        target = reverse(TARGET[pending])
        if request.method == "GET" and not request.headers.get("HX-Request"):
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


class SessionSeenMiddleware:
    """Notes when a logged-in session was last used, at most every SESSION_SEEN_INTERVAL_SECONDS
    (a time kept in the session itself, so most requests cost no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        now = int(time.time())
        if now - request.session.get(SEEN_SESSION_KEY, 0) >= settings.SESSION_SEEN_INTERVAL_SECONDS:
            user_session_seen(request=request)
            request.session[SEEN_SESSION_KEY] = now
        return None
