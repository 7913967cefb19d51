"""Back up and restore the portal's data and uploaded files as one archive.

The archive holds `data.json` (Django's dumpdata of every model worth keeping, primary keys
included) and `media/` (uploaded and generated files). Restoring replaces everything in one
transaction: on PostgreSQL a failed restore leaves the database as it was.
"""

import io
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

# Rebuilt by migrate, or transient: never part of a backup.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]


def backup_write(*, archive: Path) -> int:
    """Write the archive; returns the number of data bytes written."""
    data = io.StringIO()
    call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, indent=1, stdout=data)
    payload = data.getvalue().encode("utf-8")
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("data.json")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            tar.add(media, arcname="media")
    return len(payload)


@transaction.atomic
def backup_restore(*, archive: Path) -> None:
    """Replace all data (and uploaded files) with the archive's."""
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(scratch, filter="data")
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(Path(scratch) / "data.json"), verbosity=0)
        restored_media = Path(scratch) / "media"
        if restored_media.is_dir():
            import shutil

            shutil.copytree(restored_media, settings.MEDIA_ROOT, dirs_exist_ok=True)
