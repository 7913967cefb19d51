from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """What composes several apps: start pages, the personal calendar, GDPR, demo and benchmark data."""

    name = "portal"
    verbose_name = _("Portal")
