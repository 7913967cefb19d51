from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Counties")

    def ready(self):
        from core.personal_data import personal_data_register

        from .models import RegionFollow

        personal_data_register(
            "counties_followed",
            export=lambda user: [
                {"county": follow.region.name, "since": follow.created_at.isoformat()}
                for follow in RegionFollow.objects.filter(user=user).select_related("region").order_by("pk")
            ],
            erase=lambda user: RegionFollow.objects.filter(user=user).delete(),
        )
