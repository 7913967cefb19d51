"""The release bundle of a decided access request: a ZIP with a cover sheet PDF (the request, the
decision and each document's number, date, title and decision), the released documents' PDFs and
a SHA-256 manifest of every file. Built into a spooled temporary file, so memory stays bounded
however many documents were released.

A withheld document's file is never read, let alone put in the ZIP. A document released with
parts withheld is never read either: the ZIP holds its masked copy instead (`masked_pdf` of its
kind, records.documents: rendered anew with every secret part replaced by a mask text), named
"<number>-masked.pdf". A partial release is refused for kinds without one (services).
"""

import hashlib
import tempfile
import zipfile
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import SENDER, SENDER_UNIT, page_words, render_pdf

from .choices import Release
from .documents import document_kind
from .models import AccessDecision, AccessRequest, Record, RequestedRecord
from .selectors import record_of, requested_records

SPOOL_MAX_BYTES = 8 * 1024 * 1024  # above this, the ZIP is written to disk
COVER_NAME = "00-cover-sheet.pdf"
MANIFEST_NAME = "SHA256SUMS.txt"


@dataclass
class CoverLine:
    item: RequestedRecord
    text: str


def _filename(record: Record) -> str:
    return (record.number or f"record-{record.pk}").replace("/", "-") + ".pdf"


def _document_pdf(record: Record) -> bytes | None:
    document = record.document
    kind = document_kind(record.content_type.model_class())
    if document is None or kind is None or kind.pdf is None:
        return None
    return kind.pdf(document) or None


def _masked_filename(record: Record) -> str:
    return (record.number or f"record-{record.pk}").replace("/", "-") + "-masked.pdf"


def _masked_pdf(record: Record) -> bytes | None:
    """The masked copy of `record`'s document; never the document's own file."""
    document = record.document
    kind = document_kind(record.content_type.model_class())
    if document is None or kind is None or kind.masked_pdf is None:
        return None
    return kind.masked_pdf(document) or None


def _text(item: RequestedRecord, *, has_pdf: bool) -> str:
    if item.decision == Release.WITHHELD:
        return _("Withheld under %(reference)s OSL") % {"reference": item.osl_reference}
    if item.decision == Release.PARTLY:
        if has_pdf:
            return _("Released with parts withheld under %(reference)s OSL: the masked copy is enclosed") % {
                "reference": item.osl_reference
            }
        return _("Released with parts withheld under %(reference)s OSL; the masked copy is sent separately") % {
            "reference": item.osl_reference
        }
    if not has_pdf:
        return _("Released on paper or in the portal, no PDF")
    return _("Released")


def _items(access_request: AccessRequest) -> list[RequestedRecord]:
    """The request's documents. One released without a reason that has since been marked secret
    is treated as withheld under the marking: only an explicit release lets a marked file out."""
    items = list(requested_records(access_request).select_related("record__content_type"))
    for item in items:
        if item.marking_reference and item.decision != Release.WITHHELD and not item.release_reason:
            item.decision, item.osl_reference = Release.WITHHELD, item.marking_reference
    return items


def cover_html(access_request: AccessRequest, lines: list[CoverLine]) -> str:
    decision = AccessDecision.objects.filter(request=access_request).first()
    parts = [access_request.requester_name, access_request.requester_organisation]
    return render_to_string(
        "records/pdf/release_cover.html",
        {
            "title": _("Release of official documents"),
            "sender": SENDER,
            "sender_unit": SENDER_UNIT,
            "draft": False,
            "access_request": access_request,
            "requester": ", ".join(p for p in parts if p) or _("Anonymous requester"),
            "request_record": record_of(access_request),
            "decision_record": record_of(decision) if decision else None,
            "decided_on": timezone.localdate(access_request.decided_at) if access_request.decided_at else None,
            "lines": lines,
        }
        | page_words(),
    )


def cover_pdf(access_request: AccessRequest) -> bytes:
    """The cover sheet alone (the PDF of the registered decision)."""
    lines = []
    for item in _items(access_request):
        kind = document_kind(item.record.content_type.model_class())
        available = kind and (kind.masked_pdf if item.decision == Release.PARTLY else kind.pdf)
        lines.append(CoverLine(item, _text(item, has_pdf=bool(available))))
    return render_pdf(cover_html(access_request, lines))


def request_pdf(access_request: AccessRequest) -> bytes:
    """The request as it came in (the PDF of the registered request): who asked, when, for what."""
    parts = [access_request.requester_name, access_request.requester_organisation]
    html = render_to_string(
        "records/pdf/access_request.html",
        {
            "title": _("Request for access to official documents"),
            "sender": SENDER,
            "sender_unit": SENDER_UNIT,
            "draft": False,
            "access_request": access_request,
            "requester": ", ".join(p for p in parts if p) or _("Anonymous requester"),
            "request_record": record_of(access_request),
        }
        | page_words(),
    )
    return render_pdf(html)


def bundle_name(access_request: AccessRequest) -> str:
    record = record_of(access_request)
    number = record.number.replace("/", "-") if record and record.number else str(access_request.pk)
    return f"{_('release')}-{number}.zip"


def bundle_build(access_request: AccessRequest):
    """The release bundle as a spooled temporary file, positioned at its start. Each released
    document's PDF is written as soon as it is made (one document in memory at a time); the
    cover, which says which had none, is written after them (its name sorts first)."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 (the response closes it)
    manifest: list[str] = []
    lines: list[CoverLine] = []

    def add(archive, name, content):
        archive.writestr(name, content)
        manifest.append(f"{hashlib.sha256(content).hexdigest()}  {name}")

    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in _items(access_request):
            if item.decision == Release.RELEASED:
                pdf, name = _document_pdf(item.record), _filename(item.record)
            elif item.decision == Release.PARTLY:
                pdf, name = _masked_pdf(item.record), _masked_filename(item.record)
            else:
                pdf, name = None, ""
            if pdf is not None:
                add(archive, name, pdf)
            lines.append(CoverLine(item, _text(item, has_pdf=pdf is not None)))
            del pdf
        add(archive, COVER_NAME, render_pdf(cover_html(access_request, lines)))
        archive.writestr(MANIFEST_NAME, "\n".join(sorted(manifest, key=lambda line: line.split("  ", 1)[1])) + "\n")
    spool.seek(0)
    return spool
