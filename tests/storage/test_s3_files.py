"""Uploaded files in an S3-compatible object store (moto's server on loopback): they land in the
bucket and nowhere on the web machine's disk, come back through the portal byte for byte after the
same permission checks as from disk, and are never readable without the portal's credentials."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Attachment
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

# A PDF with every byte value in it, so that no text-mode or encoding step can go unnoticed.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + bytes(range(256)) * 40 + b"\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def kalmar_dialogue(region_a):
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2016), region=region_a)
    SubmissionFactory(dialogue=dialogue, resource_use="Vi använder medlen till kompetensförsörjning.")
    return dialogue


def _upload(client, dialogue):
    url = reverse("dialogues:submission_attachment_add", kwargs={"pk": dialogue.pk})
    upload = SimpleUploadedFile("Handlingsplan 2016.pdf", PDF, content_type="application/octet-stream")
    return client.post(url, {"file": upload, "description": "Handlingsplan för 2016"})


def test_county_upload_lands_in_the_bucket_and_downloads_byte_for_byte(
    client, region_user, kalmar_dialogue, s3_bucket, settings
):
    client.force_login(region_user)
    response = _upload(client, kalmar_dialogue)
    assert response.status_code == 302
    assert "Handlingsplan 2016.pdf" in client.get(response["Location"]).content.decode()

    attachment = Attachment.objects.get()
    assert s3_bucket.keys() == [attachment.file.name]
    assert s3_bucket.read(attachment.file.name) == PDF
    assert not settings.MEDIA_ROOT.exists()  # nothing on the web machine's disk

    download = client.get(reverse("dialogues:submission_attachment", kwargs={"pk": attachment.pk}))
    assert download["Content-Disposition"] == 'attachment; filename="Handlingsplan 2016.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF


def test_other_county_cannot_download_a_countys_file_from_the_bucket(
    client, region_user, other_region_user, kalmar_dialogue, s3_bucket
):
    client.force_login(region_user)
    _upload(client, kalmar_dialogue)
    download = reverse("dialogues:submission_attachment", kwargs={"pk": Attachment.objects.get().pk})

    client.force_login(other_region_user)
    refused = client.get(download)

    assert refused.status_code == 404
    assert PDF not in refused.content


def test_stored_object_is_private_to_the_bucket_owner(client, region_user, kalmar_dialogue, s3_bucket):
    client.force_login(region_user)
    _upload(client, kalmar_dialogue)
    acl = s3_bucket.client.get_object_acl(Bucket=s3_bucket.name, Key=Attachment.objects.get().file.name)
    grantees = [grant["Grantee"] for grant in acl["Grants"]]
    assert [grantee["Type"] for grantee in grantees] == ["CanonicalUser"]  # the owner, and nobody else
    assert all("AllUsers" not in grantee.get("URI", "") for grantee in grantees)


def test_file_gone_from_the_bucket_is_a_not_found_page_not_an_error(client, region_user, kalmar_dialogue, s3_bucket):
    client.force_login(region_user)
    _upload(client, kalmar_dialogue)
    attachment = Attachment.objects.get()
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=attachment.file.name)

    response = client.get(reverse("dialogues:submission_attachment", kwargs={"pk": attachment.pk}))

    assert response.status_code == 404


def test_two_files_of_one_name_never_replace_each_other_in_the_bucket(s3_bucket):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("forum/protokoll.pdf", ContentFile(b"first"))
    second = default_storage.save("forum/protokoll.pdf", ContentFile(b"second"))

    assert first != second
    assert (s3_bucket.read(first), s3_bucket.read(second)) == (b"first", b"second")
