from django.core.management.base import BaseCommand

from records.choices import DisposalTrigger
from records.retention import disposal_run
from records.selectors import disposal_due


class Command(BaseCommand):
    help = (
        "Dispose of what the retention rules say is due (arkivlagen 10 §), logging each item; "
        "with --dry-run, only list what would be disposed of."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what is due; change nothing")
        parser.add_argument("--oldest", type=int, default=5, help="how many of the oldest items to list per kind")

    def handle(self, *args, dry_run=False, oldest=5, **options):
        due = disposal_due(oldest=oldest)
        if not due:
            self.stdout.write("No retention rule disposes of anything.")
        for kind in due:
            self.stdout.write(
                f"{kind.rule.get_kind_display()}: {kind.count} due ({kind.rule.describe()}, "
                f"counted from {', '.join(kind.basis)})"
            )
            for item in kind.oldest:
                self.stdout.write(f"  {item.basis_date.isoformat()}  {item.identifier}  {item.title}")
        if dry_run:
            self.stdout.write("Dry run: nothing was disposed of.")
            return
        run = disposal_run(trigger=DisposalTrigger.COMMAND)
        self.stdout.write(self.style.SUCCESS(f"Disposal run {run.pk}: {run.disposed_count} items disposed of."))
