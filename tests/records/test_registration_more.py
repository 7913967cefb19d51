"""More events that make documents official: forum minutes when approved, the agency's brief when
marked final, and the files attached to a submission, a report or a brief, with their parent."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.attachments import attachment_add
from core.concurrency import StaleEditError
from dialogues import services as dialogue_services
from dialogues.choices import RoundStatus
from forum import services as forum_services
from records.choices import Direction, DocumentType
from records.documents import document_kind
from records.models import Record
from regions.choices import OrganisationKind
from reports import services as report_services
from reports.choices import ReportStatus, ReviewState
from tests.factories.dialogues import (
    BriefFactory,
    DialogueFactory,
    DialogueRoundFactory,
    FeedbackReportFactory,
    SubmissionFactory,
)
from tests.factories.forum import AgendaItemFactory, MeetingFactory
from tests.factories.regions import OrganisationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    return buffer.getvalue()


def _file(name="Bilaga.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agency():
    return OrganisationFactory(name="Tillväxtverket", kind=OrganisationKind.AGENCY)


@pytest.fixture
def kalmar(region_a):
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2020, status=RoundStatus.OPEN), region=region_a)
    SubmissionFactory(dialogue=dialogue)
    return dialogue


# --- Forum minutes ----------------------------------------------------------------------------


def test_approving_minutes_registers_them_drawn_up_in_the_forums_case(ministry_user, ministry):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, minutes="Forumet beslutade att ...")

    forum_services.meeting_minutes_approve(meeting=meeting, user=ministry_user)

    record = Record.objects.get()
    assert record.document == meeting
    assert (record.document_type, record.direction) == (DocumentType.MINUTES, Direction.DRAWN_UP)
    assert record.sender_organisation == ministry and record.recipient_organisation is None
    assert record.case.subject == meeting.forum and record.registered_by == ministry_user
    assert record.title == f"Protokoll: {meeting.title}"  # in the portal's language
    pdf = document_kind(meeting).pdf(meeting)
    assert pdf.startswith(b"%PDF")


def test_minutes_refused_approval_registers_nothing(ministry_user):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, minutes="")

    with pytest.raises(ValidationError):
        forum_services.meeting_minutes_approve(meeting=meeting, user=ministry_user)

    assert not Record.objects.exists()


# --- The agency's brief -----------------------------------------------------------------------


def test_marking_the_brief_final_registers_it_received_from_the_agency_with_its_files(
    kalmar, agency_user, agency, ministry
):
    brief = BriefFactory(dialogue=kalmar)
    attachment = attachment_add(parent=brief, upload=_file("Analys.pdf"), user=agency_user)

    dialogue_services.brief_mark_final(brief=brief, user=agency_user, expected_version=brief.version)

    brief.refresh_from_db()
    assert brief.is_final and brief.final_by == agency_user
    record = Record.objects.get(document_type=DocumentType.BRIEF)
    assert record.document == brief and record.direction == Direction.RECEIVED
    assert (record.sender_organisation, record.recipient_organisation) == (agency, ministry)
    assert record.case.subject == kalmar and record.case.parent.subject == kalmar.round
    file_record = Record.objects.get(document_type=DocumentType.ATTACHMENT)
    assert file_record.document == attachment and file_record.attached_to == record
    assert file_record.case == record.case and file_record.sender_organisation == agency
    assert f"Bilaga till {record.number}: Analys.pdf" == file_record.title


def test_a_final_brief_has_a_pdf_of_its_text_and_a_draft_none(kalmar, agency_user):
    import io

    import pdfplumber

    from records.documents import document_kind

    brief = BriefFactory(dialogue=kalmar, text="Regionen har stark analyskapacitet.")
    assert document_kind(brief).pdf(brief) is None  # a draft is no official document

    dialogue_services.brief_mark_final(brief=brief, user=agency_user, expected_version=brief.version)

    with pdfplumber.open(io.BytesIO(document_kind(brief).pdf(brief))) as pdf:
        text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Regionen har stark analyskapacitet." in text and "Tillväxtverket" in text


def test_a_final_brief_can_no_longer_be_changed_or_marked_again(kalmar, agency_user, agency):
    brief = BriefFactory(dialogue=kalmar)
    dialogue_services.brief_mark_final(brief=brief, user=agency_user)
    brief.refresh_from_db()

    with pytest.raises(ValidationError, match="final"):
        dialogue_services.brief_save(
            dialogue=kalmar, text="Ny text", author=agency_user, expected_version=brief.version
        )
    with pytest.raises(ValidationError, match="final"):
        dialogue_services.brief_mark_final(brief=brief, user=agency_user)

    brief.refresh_from_db()
    assert brief.text == "Underlag från Tillväxtverket." and Record.objects.count() == 1


def test_marking_a_brief_final_that_changed_since_it_was_read_is_refused(kalmar, agency_user):
    brief = BriefFactory(dialogue=kalmar)
    dialogue_services.brief_save(dialogue=kalmar, text="Rättad", author=agency_user, expected_version=brief.version)

    with pytest.raises(StaleEditError):
        dialogue_services.brief_mark_final(brief=brief, user=agency_user, expected_version=brief.version)

    assert not Record.objects.exists()


def test_a_file_added_to_a_final_brief_is_registered_at_upload_and_stays(client, kalmar, agency_user, agency):
    brief = BriefFactory(dialogue=kalmar)
    dialogue_services.brief_mark_final(brief=brief, user=agency_user)
    client.force_login(agency_user)

    client.post(
        reverse("dialogues:brief_attachment_add", args=[kalmar.pk]),
        {"file": _file("Komplettering.pdf"), "description": ""},
    )

    file_record = Record.objects.get(document_type=DocumentType.ATTACHMENT)
    assert file_record.attached_to == Record.objects.get(document_type=DocumentType.BRIEF)
    assert file_record.document.original_name == "Komplettering.pdf"
    removed = client.post(reverse("dialogues:brief_attachment_remove", args=[file_record.object_id]), follow=True)
    assert "cannot be removed" in removed.content.decode() or "kan inte tas bort" in removed.content.decode()
    assert file_record.document is not None and Record.objects.count() == 2


def test_brief_final_button_marks_it_final_for_the_agency_only(client, kalmar, agency_user, ministry_user, region_user):
    brief = BriefFactory(dialogue=kalmar)
    url = reverse("dialogues:brief_final", args=[kalmar.pk])

    client.force_login(region_user)
    assert client.post(url).status_code == 404
    client.force_login(ministry_user)
    assert client.post(url).status_code == 403
    client.force_login(agency_user)
    page = client.get(kalmar.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page
    response = client.post(url, {"version": brief.version}, follow=True)

    brief.refresh_from_db()
    assert brief.is_final and Record.objects.filter(document_type=DocumentType.BRIEF).exists()
    page = response.content.decode()
    assert f'action="{url}"' not in page and f'href="{reverse("dialogues:brief_edit", args=[kalmar.pk])}"' not in page


# --- Attachments with their parent ------------------------------------------------------------


def test_a_submissions_files_are_registered_with_the_version_they_went_in_with(kalmar, region_user):
    submission = kalmar.submission
    attachment_add(parent=submission, upload=_file("Handlingsplan.pdf"), user=region_user)
    dialogue_services.submission_save_draft(
        submission=submission, expected_version=submission.version, resource_use="RUS", priorities=[], results=[]
    )
    version = dialogue_services.submission_submit(submission=submission, user=region_user)
    dialogue_services.submission_return(submission=submission, comment="Komplettera.")
    submission.refresh_from_db()
    attachment_add(parent=submission, upload=_file("Komplettering.docx", _docx()), user=region_user)
    second = dialogue_services.submission_submit(submission=submission, user=region_user)

    first_record, second_record = (
        Record.objects.get(object_id=v.pk, document_type=DocumentType.SUBMISSION) for v in (version, second)
    )
    files = {r.document.original_name: r for r in Record.objects.filter(document_type=DocumentType.ATTACHMENT)}
    assert set(files) == {"Handlingsplan.pdf", "Komplettering.docx"}
    assert files["Handlingsplan.pdf"].attached_to == first_record
    assert files["Komplettering.docx"].attached_to == second_record
    assert files["Handlingsplan.pdf"].direction == Direction.RECEIVED
    # a PDF gives its bytes to the register, another file type none
    assert document_kind(files["Handlingsplan.pdf"].document).pdf(files["Handlingsplan.pdf"].document) == PDF
    assert document_kind(files["Komplettering.docx"].document).pdf(files["Komplettering.docx"].document) is None


def test_a_reports_files_are_registered_when_it_is_published(region_a, ministry_user):
    dialogue_round = DialogueRoundFactory(year=2020, status=RoundStatus.CLOSED)
    DialogueFactory(round=dialogue_round, region=region_a)
    report = FeedbackReportFactory(
        round=dialogue_round,
        region=region_a,
        status=ReportStatus.DONE,
        is_current=True,
        review_state=ReviewState.APPROVED,
        file=ContentFile(b"%PDF-1.7 utkast", name="utkast.pdf"),
    )
    attachment_add(parent=report, upload=_file("Statistik.pdf"), user=ministry_user)

    report_services.report_publish(report=report)

    report_record = Record.objects.get(document_type=DocumentType.FEEDBACK_REPORT)
    file_record = Record.objects.get(document_type=DocumentType.ATTACHMENT)
    assert file_record.attached_to == report_record and file_record.direction == Direction.DRAWN_UP
    assert file_record.document_date == timezone.localdate()


def test_record_page_links_an_attachment_and_its_parent(client, kalmar, agency_user, agency):
    from tests.factories.accounts import UserFactory

    brief = BriefFactory(dialogue=kalmar)
    attachment_add(parent=brief, upload=_file("Analys.pdf"), user=agency_user)
    dialogue_services.brief_mark_final(brief=brief, user=agency_user)
    parent, child = (Record.objects.get(document_type=t) for t in (DocumentType.BRIEF, DocumentType.ATTACHMENT))
    client.force_login(UserFactory(role="ministry", is_registrar=True))

    parent_page = client.get(parent.get_absolute_url()).content.decode()
    child_page = client.get(child.get_absolute_url()).content.decode()

    assert child.get_absolute_url() in parent_page and parent.get_absolute_url() in child_page
    assert reverse("records:record_pdf", args=[child.pk]) in child_page
    assert client.get(reverse("records:record_pdf", args=[child.pk])).content == PDF
