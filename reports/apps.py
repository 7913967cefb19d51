from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _report_title(report) -> str:
    from .rendering import report_title

    return report_title(report)


def _report_pdf(report) -> bytes | None:
    """The published report's file (the one its checksum describes)."""
    if not report.file:
        return None
    with report.file.open("rb") as file:
        return file.read()


def _report_masked_pdf(report) -> bytes:
    from .rendering import report_masked_pdf

    return report_masked_pdf(report)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Feedback reports")

    def ready(self):
        from dialogues.signals import round_closed
        from records.documents import document_kind_register

        from . import receivers

        round_closed.connect(receivers.round_closed_receiver, dispatch_uid="reports-request-on-round-close")
        # A published feedback report is an official document drawn up by the ministry (records, issue 17).
        document_kind_register(
            self.get_model("FeedbackReport"),
            title=_report_title,
            url=lambda report: report.get_absolute_url(),
            pdf=_report_pdf,
            masked_pdf=_report_masked_pdf,
        )
