from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Public records")

    def ready(self):
        from .bundles import cover_pdf, request_pdf
        from .documents import document_kind_register
        from .models import AccessDecision, AccessRequest

        document_kind_register(
            AccessRequest, title=str, url=lambda request: request.get_absolute_url(), pdf=request_pdf
        )
        document_kind_register(
            AccessDecision,
            title=str,
            url=lambda decision: decision.get_absolute_url(),
            pdf=lambda decision: cover_pdf(decision.request),
        )
