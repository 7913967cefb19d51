from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Development dialogues")

    def ready(self):
        from . import report_services
        from .signals import round_closed

        round_closed.connect(report_services.round_closed_receiver, dispatch_uid="dialogues-reports-request")
