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

        from .bundles import cover_pdf
        from .documents import document_kind_register
        from .models import AccessDecision, AccessRequest

        document_kind_register(AccessRequest, title=str, url=lambda request: request.get_absolute_url(), pdf=None)
        document_kind_register(
            AccessDecision,
            title=str,
            url=lambda decision: decision.get_absolute_url(),
            pdf=lambda decision: cover_pdf(decision.request),
        )
        # A file attached to an official document is one too (core sits below records and cannot
        # say so itself); its app decides when, records.services.attachments_register registers it.
        document_kind_register(
            Attachment,
            title=_attachment_title,
            url=lambda attachment: attachment.get_absolute_url(),
            pdf=_attachment_pdf,
        )
