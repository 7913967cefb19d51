"""A submitted version as a PDF: the document the county sent in, as the register keeps it
(records, issue 17). Made by the shared pipeline in core/pdf.py, from the version's frozen data
alone, so it reads the same however the submission changed afterwards."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pdf import page_words, render_pdf

from .models import SubmissionVersion


def submission_version_title(version: SubmissionVersion) -> str:
    dialogue = version.submission.dialogue
    return _("Submission from {region}, {round}, version {number}").format(
        region=dialogue.region.name, round=dialogue.round.title, number=version.number
    )


def submission_version_html(version: SubmissionVersion) -> str:
    data = version.data or {}
    return render_to_string(
        "pdf/submission_version.html",
        {
            "title": submission_version_title(version),
            "sender": version.submission.dialogue.region.name,
            "sender_unit": "",
            "draft": False,
            "version": version,
            "submitted_on": timezone.localtime(version.submitted_at),
            "priorities": data.get("priorities") or [],
            "results": data.get("results") or [],
            "resource_use": data.get("resource_use") or "",
        }
        | page_words(),
    )


def submission_version_pdf(version: SubmissionVersion) -> bytes:
    """The version as a tagged PDF, in the portal's language (PDF/A inside `core.pdf.pdf_archival`)."""
    version = SubmissionVersion.objects.select_related(
        "submission__dialogue__region", "submission__dialogue__round"
    ).get(pk=version.pk)
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(submission_version_html(version))
