"""Request middleware of the house: input PostgreSQL cannot store is refused before any view, a
form sent twice (a double click, two tabs) changes things once, a database outage answers 503
instead of a server error, and the audit log records the client's real address."""

import logging
import sys
from datetime import timedelta

import auditlog.middleware
from django.conf import settings
from django.contrib import messages
from django.core.signals import got_request_exception
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .client_address import client_address

logger = logging.getLogger(__name__)

FORM_TOKEN_FIELD = "form_token"
FORM_TOKEN_MAX_LENGTH = 64
# A page left open longer than this may be sent again as new; older tokens are swept.
FORM_TOKEN_LIFETIME = timedelta(days=2)
SWEEP_BATCH = 500


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


class BadInputMiddleware:
    """A NUL character in the address, its parameters or a form answers a 400 page that says what
    is wrong: PostgreSQL cannot store or compare it, and no person types one (a tool or an attack
    does). It runs before the views, so none of them has to think of it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._refused(request):
            logger.info("Refused a request with a NUL character: %s %r", request.method, request.path)
            return render(request, "core/bad_input.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _refused(request) -> bool:
        if "\x00" in request.path_info or _has_nul(request.GET.keys()) or _has_nul(request.GET.values()):
            return True
        if request.method != "POST" or request.content_type not in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return False
        post = request.POST
        return _has_nul(post.keys()) or any(_has_nul(post.getlist(key)) for key in post)


def _succeeded(request, response) -> str | None:
    """Where a successful POST sent the user (None: it was refused or failed, nothing to keep).

    The house's views redirect after a successful POST and show the form again (200) or redirect
    with an error message when they refuse it."""
    location = response.get("HX-Redirect") or (response.get("Location") if 300 <= response.status_code < 400 else None)
    if not location:
        return None
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", ())
    if any(message.level >= messages.ERROR for message in queued):
        return None
    return location


class FormTokenMiddleware:
    """A POST that carries a one-time form token (`{% form_token %}`) runs in one transaction that
    first claims the token (a row in core.FormToken) and then runs the view.

    A second POST with the same token waits on the token's unique index while the first is still
    running, then finds it taken: nothing of the view runs, and the user is sent where the first one
    led, with a message. A refused or failed first POST releases the token (the row is removed, or
    the transaction rolled back), so the corrected form can be sent with it.

    The services' own `transaction.atomic` blocks become savepoints inside this one; their
    `on_commit` work (mail, tasks) waits for its commit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = self._token(request)
        if token is None:
            return self.get_response(request)
        from .models import FormToken

        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = FormToken.objects.create(token=token, user=request.user)
            except IntegrityError:
                return self._already_sent(request, token)
            response = self.get_response(request)
            outcome = _succeeded(request, response)
            if response.status_code >= 500:
                transaction.set_rollback(True)
            elif outcome is None:
                claim.delete()
            else:
                FormToken.objects.filter(pk=claim.pk).update(outcome_url=outcome[:2000])
        if outcome is not None:
            self._sweep()
        return response

    @staticmethod
    def _token(request) -> str | None:
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        token = request.POST.get(FORM_TOKEN_FIELD, "").strip()
        return token[:FORM_TOKEN_MAX_LENGTH] or None

    @staticmethod
    def _already_sent(request, token: str):
        from .models import FormToken

        sent = FormToken.objects.filter(token=token, user=request.user).first()
        messages.info(request, _("This form had already been sent, so it was saved only once. Here is the result."))
        return redirect(sent.outcome_url if sent and sent.outcome_url else request.get_full_path())

    @staticmethod
    def _sweep() -> None:
        """Remove tokens older than a page is kept open, a batch at a time (rows another request
        is removing are skipped, so two sweeps never wait on each other)."""
        from .models import FormToken

        with transaction.atomic():
            old = FormToken.objects.filter(created_at__lt=timezone.now() - FORM_TOKEN_LIFETIME)
            ids = list(old.select_for_update(skip_locked=True).values_list("pk", flat=True)[:SWEEP_BATCH])
            if ids:
                FormToken.objects.filter(pk__in=ids).delete()


# --- A database outage, and the audit log's client address --------------------------------

DATABASE_ERRORS = (OperationalError, InterfaceError)


def _mark_database_error(sender, request=None, **kwargs):
    """Django signals every exception it turns into a 500 response, while handling it."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        request.database_unavailable = True


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached (a restart, a fail-over), answer 503 with a page that
    says so, instead of a server error: nothing was saved, and trying again shortly will work.

    It sits above the session and authentication middleware in MIDDLEWARE: during an outage the
    database is first touched below it (the logged-in user, the audit log's actor), where Django
    turns the exception into a 500 response before any middleware sees it. So the request is marked
    when Django signals the exception, and its 500 is replaced here. A view's exceptions come to
    process_exception.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_mark_database_error, dispatch_uid="core.middleware.database_error")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_unavailable", False):
            return self.unavailable(request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable: %s", exception)
        return self.unavailable(request)

    @staticmethod
    def unavailable(request):
        # Rendered without the request's context processors: they may need the database too.
        return HttpResponse(render_to_string("503.html"), status=503, headers={"Retry-After": "30"})


class AuditlogMiddleware(auditlog.middleware.AuditlogMiddleware):
    """django-auditlog's middleware, with the client's address from `core.client_address` (the
    entry the trusted proxies vouch for, validated as an IP address) rather than the leftmost
    X-Forwarded-For entry, which any client can write and which broke every audited write when it
    was not an address."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        # The client's own port is not forwarded; X-Forwarded-Port is the proxy's (or the client's say-so).
        return None
