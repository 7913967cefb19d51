"""A submitted version as a PDF: the document the county sent in, as the register keeps it
(records, issue 17). Made by the shared pipeline in core/pdf.py, from the version's frozen data
alone, so it reads the same however the submission changed afterwards."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pdf import page_words, render_pdf

from .models import Brief, SubmissionVersion


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


def brief_title(brief: Brief) -> str:
    return _("Brief from the agency: {dialogue}").format(dialogue=brief.dialogue)


def brief_pdf(brief: Brief) -> bytes | None:
    """The agency's brief as it was marked final, as a tagged PDF (None while it is a draft, which
    is no official document)."""
    brief = Brief.objects.select_related("dialogue__region", "dialogue__round").get(pk=brief.pk)
    if brief.final_at is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "pdf/brief.html",
            {
                "title": brief_title(brief),
                "sender": _("Swedish Agency for Economic and Regional Growth"),
                "sender_unit": "",
                "draft": False,
                "brief": brief,
                "final_on": timezone.localtime(brief.final_at),
            }
            | page_words(),
        )
        return render_pdf(html)
