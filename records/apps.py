from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PDF_TYPE = "application/pdf"


def _attachment_title(attachment) -> str:
    return _("Attachment: {name}").format(name=attachment.original_name)


def _attachment_pdf(attachment) -> bytes | None:
    """The attached file itself when it is a PDF (its type by content, core.uploads); else none."""
    if attachment.file_type != PDF_TYPE or not attachment.file:
        return None
    try:
        with attachment.file.open("rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Public records")

    def ready(self):
        from core.models import Attachment
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
        # A file attached to an official document is one too (core sits below records and cannot
        # say so itself); its app decides when, records.services.attachments_register registers it.
        document_kind_register(
            Attachment,
            title=_attachment_title,
            url=lambda attachment: attachment.get_absolute_url(),
            pdf=_attachment_pdf,
        )
