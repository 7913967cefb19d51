from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Infrastructure shared by every app; it imports no project package."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import attachments, sessions  # noqa: F401  (connect their receivers)
        from .personal_data import register_core_sections

        register_core_sections()
