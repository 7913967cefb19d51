from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.module_loading import module_has_submodule

from accounts.choices import CountyRole, Role
from accounts.models import User
from regions.models import Region

# Apps add their share of the large dataset in <app>/benchdata.py: build(scale: Scale).
BENCH_APPS = ["regions", "forum", "dialogues", "followup", "portal"]


@dataclass(frozen=True)
class Scale:
    """How much data one benchmark size holds (issue 20: today's, 10× and 100×)."""

    factor: int
    years: int
    users: int
    audit_entries: int
    attachments: int
    lines_per_allocation: int  # 1:1 expenditure lines per county and year


SCALES = {
    1: Scale(factor=1, years=15, users=200, audit_entries=10_000, attachments=200, lines_per_allocation=6),
    10: Scale(factor=10, years=30, users=1_000, audit_entries=100_000, attachments=2_000, lines_per_allocation=32),
    100: Scale(
        factor=100, years=50, users=5_000, audit_entries=1_000_000, attachments=20_000, lines_per_allocation=190
    ),
}


class Command(BaseCommand):
    help = "Build a benchmark dataset on top of the demo data (--scale 1, 10 or 100; see bench/run.py)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, choices=sorted(SCALES), default=1)

    def handle(self, *args, scale, **options):
        size = SCALES[scale]
        call_command("load_demo", allow_demo_users=True, stdout=self.stdout)
        with transaction.atomic():
            self._users(size.users)
            for label in BENCH_APPS:
                app = apps.get_app_config(label)
                if module_has_submodule(app.module, "benchdata"):
                    import_module(f"{app.name}.benchdata").build(scale=size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh statistics: the planner would otherwise plan for the tables' sizes before the
                # bulk inserts (autovacuum gets to them only later) and pick sequential scans.
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Benchmark data ready ({scale}×: {size})."))

    def _users(self, count: int) -> None:
        regions = list(Region.objects.all())
        roles = [Role.MINISTRY, Role.AGENCY, Role.REGION]
        existing = set(User.objects.filter(email__startswith="bench").values_list("email", flat=True))
        new = []
        for n in range(count):
            email = f"bench{n}@bench.test"
            if email in existing:
                continue
            role = roles[n % 3]
            new.append(
                User(
                    email=email,
                    full_name=f"Användare {n}",
                    role=role,
                    region=regions[n % len(regions)] if role == Role.REGION else None,
                    county_role=(CountyRole.DIRECTOR if n % 2 else CountyRole.EDITOR) if role == Role.REGION else "",
                    password="!",  # unusable: these accounts only make the tables realistic
                )
            )
        User.objects.bulk_create(new, batch_size=2_000)
