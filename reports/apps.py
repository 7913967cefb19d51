from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Feedback reports")

    def ready(self):
        from dialogues.signals import round_closed

        from . import receivers

        round_closed.connect(receivers.round_closed_receiver, dispatch_uid="reports-request-on-round-close")
