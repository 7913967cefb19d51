from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only JSON API (/api/v1/) and the open data: the pages' selectors, served as JSON."""

    name = "api"
    verbose_name = _("API")

    def ready(self):
        from . import schema  # noqa: F401  (registers the bearer token with drf-spectacular)
