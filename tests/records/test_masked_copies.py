"""A document released with parts withheld (Release.PARTLY): the release bundle holds a masked copy,
rendered anew with each secret observation replaced by "[... OSL <provision>]", never the secret
text and never the document's own file. A kind of document the portal cannot mask cannot be
released in part: the registrar withholds it or releases it in full."""

import io
import zipfile

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from dialogues.choices import DialogueKind
from records.choices import Direction, DocumentType, Release
from records.models import RequestedRecord
from records.services import (
    access_request_add,
    access_request_create,
    access_request_decide,
    access_request_decisions_set,
    record_register,
    secrecy_mark,
)
from reports.choices import ReportStatus, ReviewState
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, FeedbackReportFactory, ObservationFactory
from tests.factories.followup import AllocationFactory, AppropriationFactory

pytestmark = pytest.mark.django_db

PUBLISHED_PDF = b"%PDF-1.7 the whole published report"
SECRET_TITLE = "Leverantoren Hemlig AB brister"
SECRET_TEXT = "Hemlig AB saknar tillstand"
OPEN_TITLE = "Stark samverkan kring kompetens"


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in document.pages)


@pytest.fixture
def report_record(region_a, registrar, ministry):
    dialogue_round = DialogueRoundFactory(year=2024)
    dialogue = DialogueFactory(round=dialogue_round, region=region_a, kind=DialogueKind.ANNUAL)
    secret = ObservationFactory(dialogue=dialogue, title=SECRET_TITLE, text=SECRET_TEXT, shared_with_region=True)
    ObservationFactory(dialogue=dialogue, title=OPEN_TITLE, text="Bra arbete.", shared_with_region=True)
    secrecy_mark(target=secret, osl_reference="31 kap. 16 §", reason="Affärsförhållanden", user=registrar)
    report = FeedbackReportFactory(
        round=dialogue_round,
        region=region_a,
        status=ReportStatus.DONE,
        review_state=ReviewState.PUBLISHED,
        published_at=timezone.now(),
        file=ContentFile(PUBLISHED_PDF, name="rapport.pdf"),
    )
    return record_register(
        document=report, document_type=DocumentType.FEEDBACK_REPORT, direction=Direction.DRAWN_UP,
        cases=(dialogue_round, dialogue), region=region_a, year=2024,
    )  # fmt: skip


@pytest.fixture
def access_request(registrar, ministry):
    return access_request_create(
        received_on=timezone.localdate(), asked_for="Återrapporten 2024", user=registrar, requester_name="Anna"
    )


def _decide_partly(access_request, record, registrar):
    item = access_request_add(request=access_request, number=record.number)
    access_request.refresh_from_db()
    access_request_decisions_set(
        request=access_request,
        decisions={item.pk: {"decision": Release.PARTLY, "osl_reference": "31 kap. 16 §"}},
        expected_version=access_request.version,
    )
    return access_request_decide(request=access_request, user=registrar)


def test_a_partly_released_report_is_in_the_bundle_as_a_masked_copy_without_the_secret_text(
    english, registrar, report_record, access_request
):
    _decide_partly(access_request, report_record, registrar)
    english.force_login(registrar)

    response = english.get(reverse("records:request_bundle", args=[access_request.pk]))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    masked_name = report_record.number.replace("/", "-") + "-masked.pdf"
    assert masked_name in archive.namelist()
    assert report_record.number.replace("/", "-") + ".pdf" not in archive.namelist()
    assert all(PUBLISHED_PDF not in archive.read(name) for name in archive.namelist())
    masked = archive.read(masked_name)
    text = _text(masked)
    assert SECRET_TITLE not in text and SECRET_TEXT not in text
    assert "Hemlig AB" not in text
    assert "OSL 31 kap. 16 §" in text and OPEN_TITLE in text
    assert SECRET_TITLE.encode() not in masked and SECRET_TEXT.encode() not in masked
    cover = _text(archive.read("00-cover-sheet.pdf"))
    assert "masked copy is" in cover and "enclosed" in cover and "sent separately" not in cover  # a table cell wraps
    manifest = archive.read("SHA256SUMS.txt").decode()
    assert masked_name in manifest


def test_a_document_the_portal_cannot_mask_cannot_be_released_in_part(english, registrar, access_request, region_a):
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=2021), region=region_a)
    record = record_register(
        document=allocation, document_type=DocumentType.CONDITIONS_DECISION, direction=Direction.DRAWN_UP,
        cases=(allocation.appropriation,), region=region_a, year=2021,
    )  # fmt: skip
    item = access_request_add(request=access_request, number=record.number)
    english.force_login(registrar)
    access_request.refresh_from_db()

    response = english.post(
        reverse("records:request_decisions", args=[access_request.pk]),
        {
            "version": access_request.version,
            f"decision_{item.pk}": Release.PARTLY,
            f"osl_{item.pk}": "21 kap. 7 §",
            f"reason_{item.pk}": "",
        },
    )

    assert "cannot be released in part" in response.content.decode()
    assert "Withhold it or release it in full" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == Release.RELEASED
    access_request.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be released in part"):
        access_request_decisions_set(
            request=access_request,
            decisions={item.pk: {"decision": Release.PARTLY, "osl_reference": "21 kap. 7 §"}},
            expected_version=access_request.version,
        )
    assert RequestedRecord.objects.get().decision == Release.RELEASED
