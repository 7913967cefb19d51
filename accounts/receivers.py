"""What a log-in starts: the session's second-factor state (accounts.mfa) and its row in the
user's list of sessions."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import mfa
from .services import user_session_record

SEEN_SESSION_KEY = "session_seen_at"


@receiver(user_logged_in, dispatch_uid="accounts.receivers.session_start")
def _session_start(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[mfa.STATE_SESSION_KEY] = mfa.second_factor_state(user)
    user_session_record(request=request, user=user)
    request.session[SEEN_SESSION_KEY] = int(time.time())
