from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from accounts.choices import Role
from accounts.models import User
from regions.models import Region

# Apps add their share of the large dataset in <app>/benchdata.py: build(years: int).
BENCH_APPS = ["regions", "forum", "dialogues", "followup"]


class Command(BaseCommand):
    help = "Build the benchmark dataset on top of the demo data: 200 users and each app's bulk data."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=15)

    def handle(self, *args, years, **options):
        call_command("load_demo", allow_demo_users=True, stdout=self.stdout)
        with transaction.atomic():
            self._users(200)
            for label in BENCH_APPS:
                app = apps.get_app_config(label)
                if module_has_submodule(app.module, "benchdata"):
                    import_module(f"{app.name}.benchdata").build(years=years)
        self.stdout.write(self.style.SUCCESS(f"Benchmark data ready ({years} years)."))

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
                    password="!",  # unusable: these accounts only make the tables realistic
                )
            )
        User.objects.bulk_create(new)
