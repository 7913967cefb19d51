from django.apps import AppConfig
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only JSON API (/api/v1/) and the open data: the pages' selectors, served as JSON."""

    name = "api"
    verbose_name = _("API")

    def ready(self):
        from core.personal_data import personal_data_register

        from . import schema  # noqa: F401  (registers the bearer token with drf-spectacular)
        from .models import ApiToken

        personal_data_register(
            "api_tokens",
            export=lambda user: [
                {
                    "name": token.name,
                    "created": token.created_at.isoformat(),
                    "last_used": token.last_used_at.isoformat() if token.last_used_at else None,
                    "revoked": token.revoked_at.isoformat() if token.revoked_at else None,
                }
                for token in ApiToken.objects.filter(user=user).order_by("created_at", "pk")
            ],
            erase=lambda user: ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now()),
        )
