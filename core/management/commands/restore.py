from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import backup_restore


class Command(BaseCommand):
    help = "Replace ALL data with a backup archive written by `backup` (in one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing the data")

    def handle(self, *args, archive, yes=False, **options):
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        if not yes and input("This replaces all data in the database. Type 'yes' to go on: ") != "yes":
            raise CommandError("Nothing was changed.")
        try:
            backup_restore(archive=archive)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {archive}."))
