import logging

from django.db import InterfaceError, OperationalError
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached (a restart, a fail-over), answer 503 with a page that
    says so, instead of a server error: nothing was saved, and trying again shortly will work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception)
        response = TemplateResponse(request, "503.html", status=503, headers={"Retry-After": "30"})
        return response.render()
