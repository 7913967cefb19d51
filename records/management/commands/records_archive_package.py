"""Write the archive package of a closed round to a file, for an operator delivering it to an
archive outside the web interface: `manage.py records_archive_package 2026 --output arkiv.zip`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.archive import package_write
from records.selectors import archivable_cases
from records.services import archive_package_audit


class Command(BaseCommand):
    help = "Write the archive package (PDF/A, METS, SHA-256) of the closed dialogue round of <year>."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="The round's year.")
        parser.add_argument("--output", help="The ZIP file to write (default: <package id>.zip here).")

    def handle(self, *args, year: int, output: str | None = None, **options):
        case = next((case for case in archivable_cases() if case.year == year), None)
        if case is None:
            raise CommandError(f"No round of {year} has registered documents.")
        if not case.is_closed:
            raise CommandError(f"The round of {year} is not closed: only a closed round can be packaged.")
        target = Path(output) if output else None
        partial = (target or Path(f"round-{year}.zip")).with_suffix(".part")
        with partial.open("wb") as out:
            result = package_write(case, out)
        target = target or Path(f"{result.package_id}.zip")
        partial.replace(target)
        archive_package_audit(package_case=case, user=None, filename=target.name)
        self.stdout.write(f"{target}: {result.document_count} documents, package {result.package_id}")
