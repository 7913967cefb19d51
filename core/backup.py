"""Back up and restore the portal's data and uploaded files as one archive.

The database is dumped with its own tools, so a restore is exact to the last byte and
microsecond: `pg_dump`/`pg_restore` on PostgreSQL (restored in a single transaction, so a failed
restore changes nothing), SQLite's online backup on SQLite. Uploaded and generated files travel
alongside in `media/`: every file of the file storage, read and written through Django's storage
API, so the same archive holds the MEDIA_ROOT folder or the S3 bucket, whichever is configured
(and a backup taken from one can be restored into the other).
"""

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from cachalot.api import invalidate
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

DUMP_NAME = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# Where the last finished backup is noted for the administrators' status page (on the host that ran it).
LAST_BACKUP_FILE = "last-backup.json"


def _pg_args() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--host", db["HOST"] or "localhost", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    return args, {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}


def _dump_database(target: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _pg_args()
        subprocess.run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                connection.settings_dict["NAME"],
            ],
            env=env,
            check=True,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)


def _restore_database(source: Path) -> None:
    connection.close()
    if connection.vendor == "postgresql":
        args, env = _pg_args()
        subprocess.run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--dbname", connection.settings_dict["NAME"], str(source)],
            env=env,
            check=True,
        )  # fmt: skip
    else:
        with sqlite3.connect(source) as backup, sqlite3.connect(connection.settings_dict["NAME"]) as live:
            backup.backup(live)


def stored_file_names(storage: Storage, folder: str = "") -> list[str]:
    """The names of every file in the storage (below `folder`), sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no MEDIA_ROOT yet
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += stored_file_names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _add_stored_files(tar: tarfile.TarFile, storage: Storage) -> None:
    for name in stored_file_names(storage):
        with storage.open(name, "rb") as stored:
            stored.seek(0, os.SEEK_END)
            member = tarfile.TarInfo(f"media/{name}")
            member.size, member.mode = stored.tell(), 0o644
            member.mtime = int(timezone.now().timestamp())
            stored.seek(0)
            tar.addfile(member, stored)


def _restore_stored_files(folder: Path, storage: Storage) -> None:
    """Put every file under `folder` back into the storage under its own name (replacing the one there)."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        storage.delete(name)
        with path.open("rb") as source:
            stored = storage.save(name, File(source, name=name))
        if stored != name:
            raise ValueError(f"{name} was restored as {stored}")


def backup_write(*, archive: Path) -> None:
    """Write the database and every stored file (the media folder or the S3 bucket) to a .tar.gz archive."""
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMP_NAME[connection.vendor]
        _dump_database(dump)
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            _add_stored_files(tar, default_storage)
    _backup_note(archive=archive)


def _backup_note(*, archive: Path) -> None:
    marker = Path(settings.VAR_DIR) / LAST_BACKUP_FILE
    marker.parent.mkdir(parents=True, exist_ok=True)
    scratch = marker.with_suffix(".tmp")
    at = timezone.now().isoformat()
    scratch.write_text(json.dumps({"at": at, "archive": str(archive), "size": archive.stat().st_size}))
    scratch.replace(marker)


def last_backup() -> dict | None:
    """When the last backup on this host finished, its archive and size; None if none is noted."""
    try:
        noted = json.loads((Path(settings.VAR_DIR) / LAST_BACKUP_FILE).read_text())
        return {**noted, "at": parse_datetime(noted["at"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def backup_restore(*, archive: Path) -> None:
    """Replace the database with the archive's, and put the archive's files back into the storage
    (files stored since the backup, which no restored row refers to, stay)."""
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(scratch, filter="data")
        dump = Path(scratch) / DUMP_NAME[connection.vendor]
        if not dump.is_file():
            raise ValueError(f"The archive holds no {dump.name}: was it made from another kind of database?")
        _restore_database(dump)
        invalidate()  # cached page parts were made from the data the restore replaced
        restored_media = Path(scratch) / "media"
        if restored_media.is_dir():
            _restore_stored_files(restored_media, default_storage)
