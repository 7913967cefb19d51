import io

import pytest
from django.core.management import call_command

from accounts.models import User
from regions.models import Region


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
