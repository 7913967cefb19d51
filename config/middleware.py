import logging
import sys

import auditlog.middleware
from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from core.client_address import client_address

logger = logging.getLogger(__name__)

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
        got_request_exception.connect(_mark_database_error, dispatch_uid="config.middleware.database_error")

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
