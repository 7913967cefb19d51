"""Attachments on submissions, briefs and feedback reports: the same safety as forum documents (type by
content, size limit, not empty, zip bombs refused, random names on disk, permission-checked download as
an attachment, county separation, audit), and each parent's rule for who adds, removes and reads."""

import io
import os
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bench import hostile_files
from core.attachments import attachment_add, attachment_remove, attachments_visible_to
from core.models import Attachment
from core.uploads import MAX_DOCUMENT_SIZE, safe_filename
from dialogues import services as dialogue_services
from reports.choices import ReviewState
from reports.models import FeedbackReport
from tests.factories.dialogues import BriefFactory, FeedbackReportFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _file(name="Handlingsplan 2016.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def submission(kalmar_dialogue):
    return kalmar_dialogue.submission


@pytest.fixture
def kalmar_dialogue(region_a):
    from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory

    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2016), region=region_a)
    SubmissionFactory(dialogue=dialogue, resource_use="Vi använder medlen till kompetensförsörjning.")
    return dialogue


def _stored(settings) -> list:
    folder = settings.MEDIA_ROOT / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- The service ------------------------------------------------------------------------------


def test_attachment_add_stores_a_checked_file_under_a_random_name(submission, region_user, settings):
    attachment = attachment_add(parent=submission, upload=_file('..\\..\\Handlingsplan "2016".pdf'), user=region_user)
    assert attachment.parent == submission
    assert (attachment.original_name, attachment.file_type, attachment.size) == (
        "Handlingsplan 2016.pdf",
        "application/pdf",
        len(PDF),
    )
    assert len(attachment.sha256) == 64
    assert attachment.uploaded_by == region_user
    stored = settings.MEDIA_ROOT / attachment.file.name
    assert stored.read_bytes() == PDF
    assert "Handlingsplan" not in attachment.file.name


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("handlingsplan.pdf", b"<html><script>alert(1)</script></html>", "bad_type"),  # not a PDF, whatever the name
        ("handlingsplan.pdf", DOCX, "bad_type"),  # a Word file named .pdf
        ("handlingsplan.pdf", b"", "empty"),
        ("stor.pdf", PDF + b"0" * MAX_DOCUMENT_SIZE, "too_big"),
        ("bomb.xlsx", hostile_files.zip_bomb(), "suspicious"),  # 256 MB of spaces packed small
        ("manga.xlsx", hostile_files.many_zip_entries(), "suspicious"),  # 15 000 parts
    ],
    ids=["html-named-pdf", "docx-named-pdf", "empty", "oversized", "zip-bomb", "many-parts"],
)
def test_attachment_add_refuses_a_bad_file_and_stores_nothing(submission, region_user, settings, name, content, code):
    with pytest.raises(ValidationError) as refused:
        attachment_add(parent=submission, upload=_file(name, content), user=region_user)
    assert refused.value.code == code
    assert not Attachment.objects.exists()
    assert _stored(settings) == []


def test_attachment_add_takes_a_real_spreadsheet(submission, region_user):
    upload = _file("Uppföljning.xlsx", hostile_files.largest_accepted_xlsx())
    attachment = attachment_add(parent=submission, upload=upload, user=region_user)
    assert attachment.file_type_label == "Excel"


def test_attachment_add_refused_by_the_parents_check_stores_nothing(submission, region_user, settings):
    def closed(parent):
        raise ValidationError("Stängd")

    with pytest.raises(ValidationError):
        attachment_add(parent=submission, upload=_file(), user=region_user, check=closed)
    assert not Attachment.objects.exists()
    assert _stored(settings) == []


def test_attachment_remove_deletes_the_row_and_its_file_once_committed(
    submission, region_user, settings, django_capture_on_commit_callbacks
):
    attachment = attachment_add(parent=submission, upload=_file(), user=region_user)
    stored = settings.MEDIA_ROOT / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment)
    assert not Attachment.objects.exists()
    assert not stored.exists()


def test_attachment_remove_refused_keeps_row_and_file(submission, region_user, settings):
    attachment = attachment_add(parent=submission, upload=_file(), user=region_user)

    def frozen(parent, attachment):
        raise ValidationError("Fryst")

    with pytest.raises(ValidationError):
        attachment_remove(attachment=attachment, check=frozen)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert (settings.MEDIA_ROOT / attachment.file.name).exists()


def test_parent_deleted_takes_its_attachments_and_files(
    submission, region_user, settings, django_capture_on_commit_callbacks
):
    attachment = attachment_add(parent=submission, upload=_file(), user=region_user)
    with django_capture_on_commit_callbacks(execute=True):
        submission.delete()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert _stored(settings) == []


def test_upload_larger_than_accepted_keeps_only_its_first_bytes_on_disk_and_its_real_size(
    client, region_user, kalmar_dialogue, settings
):
    from core.uploads import BoundedUploadHandler

    handler = BoundedUploadHandler()
    handler.new_file("file", "stor.pdf", "application/pdf", None)
    sent = 0
    for _ in range(30):  # 30 MB sent in chunks of 1 MB
        handler.receive_data_chunk(b"%PDF-" + b"0" * (1024 * 1024 - 5), sent)
        sent += 1024 * 1024
    upload = handler.file_complete(sent)
    assert upload.size == sent  # the real size, by which it is refused
    assert os.path.getsize(upload.temporary_file_path()) == MAX_DOCUMENT_SIZE + 1
    upload.close()

    client.force_login(region_user)  # through a real multipart request, as a browser sends it
    response = _add_to_submission(client, kalmar_dialogue, "stor.pdf", PDF + b"0" * (MAX_DOCUMENT_SIZE + 10))
    assert "största tillåtna storlek är 20,0\xa0MB" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Plan.pdf", "Plan.pdf"),
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("...", "fil"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_safe_filename_keeps_only_a_plain_name(given, kept):
    assert safe_filename(given) == kept


# --- Submission: the county's, frozen once submitted ------------------------------------------


def _add_to_submission(client, dialogue, name="Handlingsplan 2016.pdf", content=PDF, **data):
    url = reverse("dialogues:submission_attachment_add", kwargs={"pk": dialogue.pk})
    return client.post(url, {"file": _file(name, content), **data})


def test_county_attaches_to_its_draft_and_sees_it_listed(client, region_user, kalmar_dialogue):
    client.force_login(region_user)
    response = _add_to_submission(client, kalmar_dialogue, description="Handlingsplan för 2016")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Filen bifogades." in html
    assert "Handlingsplan 2016.pdf" in html
    assert "Handlingsplan för 2016" in html
    assert "PDF" in html
    attachment = Attachment.objects.get()
    entry = LogEntry.objects.get_for_object(attachment).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == region_user


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("handlingsplan.pdf", b"<html></html>", "Bara PDF-, Word- (.docx), Excel- (.xlsx), PowerPoint- (.pptx)"),
        ("handlingsplan.pdf", b"", "Filen är tom"),
        ("stor.pdf", PDF + b"0" * MAX_DOCUMENT_SIZE, "största tillåtna storlek är 20,0\xa0MB"),
        ("bomb.xlsx", hostile_files.zip_bomb(), "packad på ett sätt som portalen inte godtar"),
    ],
    ids=["wrong-type", "empty", "too-big", "zip-bomb"],
)
def test_county_attaching_a_bad_file_is_told_why_in_swedish(
    client, region_user, kalmar_dialogue, settings, name, content, message
):
    client.force_login(region_user)
    response = _add_to_submission(client, kalmar_dialogue, name, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Filen bifogades inte" in html  # the error summary
    assert message in html
    assert not Attachment.objects.exists()
    assert _stored(settings) == []


def test_county_sending_no_file_is_asked_to_choose_one(client, region_user, kalmar_dialogue):
    client.force_login(region_user)
    url = reverse("dialogues:submission_attachment_add", kwargs={"pk": kalmar_dialogue.pk})
    html = client.post(url, {}).content.decode()
    assert "Välj en fil att bifoga." in html


def test_draft_attachment_is_the_countys_alone(client, user_by_role, other_region_user, kalmar_dialogue):
    client.force_login(user_by_role["region"])
    _add_to_submission(client, kalmar_dialogue)
    attachment = Attachment.objects.get()
    download = reverse("dialogues:submission_attachment", kwargs={"pk": attachment.pk})
    response = client.get(download)
    assert b"".join(response.streaming_content) == PDF
    for role in ("ministry", "agency"):
        client.force_login(user_by_role[role])
        assert client.get(download).status_code == 404  # a draft's file does not exist for them
    client.force_login(other_region_user)
    assert client.get(download).status_code == 404


def test_submitted_attachment_is_frozen_and_read_by_ministry_and_agency(
    client, user_by_role, other_region_user, kalmar_dialogue
):
    county = user_by_role["region"]
    client.force_login(county)
    _add_to_submission(client, kalmar_dialogue, 'Åtgärdsplan "Kalmar".pdf')
    attachment = Attachment.objects.get()
    dialogue_services.submission_submit(submission=kalmar_dialogue.submission, user=county)

    for role in ("ministry", "agency", "admin"):
        client.force_login(user_by_role[role])
        html = client.get(kalmar_dialogue.submission.get_absolute_url()).content.decode()
        assert "Åtgärdsplan Kalmar.pdf" in html  # the name sanitised
        response = client.get(attachment.get_absolute_url())
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%C3%85tg%C3%A4rdsplan%20Kalmar.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"

    client.force_login(other_region_user)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client.get(attachment.remove_url).status_code == 404

    # Submitted: the county can neither add nor remove until the ministry returns it.
    client.force_login(county)
    assert client.post(attachment.remove_url).status_code == 403
    assert _add_to_submission(client, kalmar_dialogue, "Ny.pdf").status_code == 403
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["Åtgärdsplan Kalmar.pdf"]


def test_returned_submission_keeps_submitted_files_and_hides_new_ones_until_sent_again(
    client, user_by_role, kalmar_dialogue
):
    county, ministry = user_by_role["region"], user_by_role["ministry"]
    submission = kalmar_dialogue.submission
    client.force_login(county)
    _add_to_submission(client, kalmar_dialogue, "Första.pdf")
    dialogue_services.submission_submit(submission=submission, user=county)
    dialogue_services.submission_return(submission=submission, comment="Komplettera")
    first = Attachment.objects.get()

    response = client.post(first.remove_url, follow=True)
    assert "skickades in med en inlämnad version" in response.content.decode()
    assert Attachment.objects.filter(pk=first.pk).exists()

    _add_to_submission(client, kalmar_dialogue, "Komplettering.pdf")
    second = Attachment.objects.get(original_name="Komplettering.pdf")
    client.force_login(ministry)
    html = client.get(submission.get_absolute_url()).content.decode()
    assert "Första.pdf" in html and "Komplettering.pdf" not in html
    assert client.get(second.get_absolute_url()).status_code == 404

    client.force_login(county)
    client.post(second.remove_url)  # a file not yet sent in may go
    assert not Attachment.objects.filter(pk=second.pk).exists()


@pytest.mark.parametrize("n", (1, 3))
def test_submission_page_query_count_does_not_grow_with_attachments(
    client, region_user, kalmar_dialogue, n, django_assert_num_queries
):
    for i in range(n):
        attachment_add(parent=kalmar_dialogue.submission, upload=_file(f"Bilaga {i}.pdf"), user=region_user)
    client.force_login(region_user)
    url = kalmar_dialogue.submission.get_absolute_url()
    client.get(url)  # content types and the session warmed
    with django_assert_num_queries(6):
        html = client.get(url).content.decode()
    assert html.count(">Bilaga ") == n


# --- Brief: the agency's; the ministry reads; counties never -----------------------------------


def test_agency_attaches_to_brief_ministry_reads_county_never(client, user_by_role, other_region_user, kalmar_dialogue):
    brief = BriefFactory(dialogue=kalmar_dialogue)
    client.force_login(user_by_role["agency"])
    url = reverse("dialogues:brief_attachment_add", kwargs={"pk": kalmar_dialogue.pk})
    response = client.post(url, {"file": _file("Analys Kalmar.docx", DOCX)})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.parent == brief

    client.force_login(user_by_role["ministry"])
    html = client.get(kalmar_dialogue.get_absolute_url()).content.decode()
    assert "Analys Kalmar.docx" in html
    assert b"".join(client.get(attachment.get_absolute_url()).streaming_content) == DOCX
    assert client.post(url, {"file": _file()}).status_code == 403
    assert client.post(attachment.remove_url).status_code == 403

    for county in (user_by_role["region"], other_region_user):
        client.force_login(county)
        assert "Analys Kalmar.docx" not in client.get(kalmar_dialogue.get_absolute_url()).content.decode()
        assert client.get(attachment.get_absolute_url()).status_code == 404
        assert client.post(url, {"file": _file()}).status_code == 404
        assert client.post(attachment.remove_url).status_code == 404
    assert Attachment.objects.count() == 1

    client.force_login(user_by_role["agency"])
    response = client.post(attachment.remove_url, follow=True)
    assert "Analys Kalmar.docx togs bort." in response.content.decode()
    assert not Attachment.objects.exists()


# --- Feedback report: agency and ministry until published; the county once published -----------


def test_report_attachments_reach_the_county_only_once_published(
    client, user_by_role, other_region_user, kalmar_dialogue
):
    report = FeedbackReportFactory(round=kalmar_dialogue.round, region=kalmar_dialogue.region, status="done")
    url = reverse("reports:attachment_add", kwargs={"pk": report.pk})
    for role, name in (("agency", "Analys.pdf"), ("ministry", "Departementets.pdf")):
        client.force_login(user_by_role[role])
        assert client.post(url, {"file": _file(name)}).status_code == 302
    analysis = Attachment.objects.get(original_name="Analys.pdf")
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Analys.pdf" in html and "Departementets.pdf" in html

    county = user_by_role["region"]
    client.force_login(county)
    assert client.get(analysis.get_absolute_url()).status_code == 404
    assert not attachments_visible_to(county).exists()

    FeedbackReport.objects.filter(pk=report.pk).update(review_state=ReviewState.PUBLISHED)
    assert "Analys.pdf" in client.get(report.get_absolute_url()).content.decode()
    assert b"".join(client.get(analysis.get_absolute_url()).streaming_content) == PDF
    assert client.post(analysis.remove_url).status_code == 403

    client.force_login(other_region_user)
    assert client.get(analysis.get_absolute_url()).status_code == 404

    client.force_login(user_by_role["agency"])  # published: nothing more is added or removed
    assert client.post(url, {"file": _file("Sent.pdf")}).status_code == 403
    assert client.post(analysis.remove_url).status_code == 403
    assert Attachment.objects.count() == 2


def test_report_attachment_on_an_earlier_version_stays_with_the_report(client, agency_user, kalmar_dialogue):
    first = FeedbackReportFactory(round=kalmar_dialogue.round, region=kalmar_dialogue.region, status="done")
    client.force_login(agency_user)
    client.post(reverse("reports:attachment_add", kwargs={"pk": first.pk}), {"file": _file("Analys.pdf")})
    second = FeedbackReportFactory(round=kalmar_dialogue.round, region=kalmar_dialogue.region, status="done", version=2)
    assert "Analys.pdf" in client.get(second.get_absolute_url()).content.decode()
