from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Public records")

    def ready(self):
        from core.personal_data import personal_data_register

        from .bundles import cover_pdf, request_pdf
        from .documents import document_kind_register
        from .models import AccessDecision, AccessRequest
        from .retention import register_defaults

        register_defaults()

        document_kind_register(
            AccessRequest, title=str, url=lambda request: request.get_absolute_url(), pdf=request_pdf
        )
        document_kind_register(
            AccessDecision,
            title=str,
            url=lambda decision: decision.get_absolute_url(),
            pdf=lambda decision: cover_pdf(decision.request),
        )
        personal_data_register(
            "access_requests",
            export=lambda user: [
                {
                    "received": request.received_on.isoformat(),
                    "name": request.requester_name,
                    "organisation": request.requester_organisation,
                    "email": request.requester_email,
                    "asked_for": request.asked_for,
                }
                for request in AccessRequest.objects.filter(requester_email__iexact=user.email).order_by(
                    "received_on", "pk"
                )
            ],
            kept_because=_(
                "A request for access to official documents is itself a registered official document, which the "
                "public records law keeps (GDPR art. 17.3 b)."
            ),
        )
