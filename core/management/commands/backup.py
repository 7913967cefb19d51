from pathlib import Path

from django.core.management.base import BaseCommand

from core.backup import backup_write


class Command(BaseCommand):
    help = "Write all data and uploaded files to one .tar.gz archive (restore it with `restore`)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="where to write, e.g. backup-2026-11-23.tar.gz")

    def handle(self, *args, archive, **options):
        backup_write(archive=archive)
        self.stdout.write(self.style.SUCCESS(f"Wrote {archive} ({archive.stat().st_size} bytes)."))
