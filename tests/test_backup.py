import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from accounts.models import User
from regions.models import Region
from tests.factories.regions import RegionFactory


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", format="xml", exclude=["sessions", "axes"], stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_round_trips_the_demo_data_exactly(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "forum").mkdir(parents=True)
    (tmp_path / "media" / "forum" / "protokoll.pdf").write_bytes(b"%PDF-1.7 demo")
    call_command("load_demo")
    before = _dump()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", archive)

    Region.objects.filter(code="01").update(name="Ändrat namn")
    User.objects.filter(email="kalmar@demo.test").delete()
    (tmp_path / "media" / "forum" / "protokoll.pdf").unlink()

    call_command("restore", archive, yes=True)
    assert _dump() == before
    assert Region.objects.get(code="01").name == "Stockholms län"
    assert (tmp_path / "media" / "forum" / "protokoll.pdf").read_bytes() == b"%PDF-1.7 demo"
    assert User.objects.get(email="kalmar@demo.test").check_password("Dialog-demo-2015")


@pytest.mark.django_db(transaction=True)
def test_backup_with_an_object_store_holds_the_bucket_and_restore_puts_it_back(s3_bucket, tmp_path):
    RegionFactory(code="08", name="Kalmar län")
    minutes = default_storage.save("forum/2026/protokoll.pdf", ContentFile(b"%PDF-1.7 protokoll"))
    report = default_storage.save("reports/2026/08/v1/rapport.pdf", ContentFile(bytes(range(256)) * 100))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", archive)

    default_storage.delete(minutes)
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=report, Body=b"overwritten")
    Region.objects.filter(code="08").update(name="Ändrat namn")

    call_command("restore", archive, yes=True)

    assert s3_bucket.keys() == sorted([minutes, report])
    assert s3_bucket.read(minutes) == b"%PDF-1.7 protokoll"
    assert s3_bucket.read(report) == bytes(range(256)) * 100
    assert Region.objects.get(code="08").name == "Kalmar län"
    assert not (tmp_path / "web-media").exists()  # the bucket, not the local folder
