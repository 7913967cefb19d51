"""Meeting documents: type judged by content, size limit, stored under MEDIA_ROOT, served only to logged-in users."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.choices import Role
from forum.models import MeetingDocument
from forum.validators import MAX_DOCUMENT_SIZE
from tests.factories.forum import MeetingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def _upload(client, meeting, name, content):
    return client.post(
        reverse("forum:document_upload", kwargs={"meeting_pk": meeting.pk}),
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Dagordning 12 maj.pdf", PDF, "application/pdf"),
        ("Minnesanteckningar.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("Underlag.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_document_upload_real_document_is_stored_outside_public_urls(
    client, ministry_user, civil_servants, settings, name, content, content_type
):
    meeting = MeetingFactory(forum=civil_servants)
    client.force_login(ministry_user)
    response = _upload(client, meeting, name, content)
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    assert (document.original_name, document.content_type, document.size) == (name, content_type, len(content))
    stored = settings.MEDIA_ROOT / document.file.name
    assert stored.read_bytes() == content
    assert name not in document.file.name  # a random name on disk
    assert name in client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("protokoll.pdf", b"<html><script>alert(1)</script></html>"),  # not a PDF whatever the name says
        ("protokoll.docx", PDF),  # a PDF named .docx
        ("protokoll.docx", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"})),  # xlsx inside
        ("protokoll.zip", _zip({"a.txt": b"hej"})),
        ("program.exe", b"MZ\x90\x00"),
    ],
)
def test_document_upload_wrong_content_is_refused_and_nothing_stored(
    client, ministry_user, civil_servants, settings, name, content
):
    meeting = MeetingFactory(forum=civil_servants)
    client.force_login(ministry_user)
    response = _upload(client, meeting, name, content)
    assert "Bara PDF-, Word- (.docx), Excel- (.xlsx), PowerPoint- (.pptx) och OpenDocument-textfiler" in (
        response.content.decode()
    )
    assert not MeetingDocument.objects.exists()
    assert not (settings.MEDIA_ROOT / "forum").exists()


def test_document_upload_too_big_is_refused(client, ministry_user, civil_servants):
    meeting = MeetingFactory(forum=civil_servants)
    client.force_login(ministry_user)
    response = _upload(client, meeting, "stor.pdf", PDF + b"0" * MAX_DOCUMENT_SIZE)
    assert "största tillåtna storlek är 20,0\xa0MB" in response.content.decode()
    assert not MeetingDocument.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENCY, Role.REGION])
def test_document_upload_agency_or_region_is_forbidden(client, user_by_role, civil_servants, role):
    meeting = MeetingFactory(forum=civil_servants)
    client.force_login(user_by_role[role])
    assert _upload(client, meeting, "a.pdf", PDF).status_code == 403
    assert not MeetingDocument.objects.exists()


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN])
def test_document_download_logged_in_user_gets_an_attachment_with_a_safe_name(
    client, ministry_user, user_by_role, civil_servants, role
):
    meeting = MeetingFactory(forum=civil_servants)
    client.force_login(ministry_user)
    _upload(client, meeting, 'Återkoppling "2015".pdf', PDF)
    document = MeetingDocument.objects.get()
    client.force_login(user_by_role[role])
    response = client.get(document.get_absolute_url())
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%C3%85terkoppling%20%222015%22.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_document_download_anonymous_is_sent_to_login(client, ministry_user, civil_servants):
    meeting = MeetingFactory(forum=civil_servants)
    client.force_login(ministry_user)
    _upload(client, meeting, "a.pdf", PDF)
    client.logout()
    response = client.get(MeetingDocument.objects.get().get_absolute_url())
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
