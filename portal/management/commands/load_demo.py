from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS
from regions.models import Region

# Each app owns its demo data in <app>/demo.py with a load() function; they run in this order.
DEMO_APPS = ["regions", "forum", "dialogues", "followup"]


class Command(BaseCommand):
    help = (
        "Load the demo data (counties, fora, dialogues, figures, demo users) into an empty database. "
        "A database that already holds counties is left as it is, so a restart keeps what users changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-users",
            action="store_true",
            help="Create the demo users even with DJANGO_DEBUG off (they share a published password).",
        )

    def handle(self, *args, allow_demo_users=False, **options):
        if Region.objects.exists():
            self.stdout.write(
                "The database already holds data, so the demo was not loaded again: what you changed is kept. "
                "To start afresh, stop the portal and delete the database (var/db.sqlite3)."
            )
            self._list_users()
            return
        with_users = settings.DEBUG or allow_demo_users
        self._load(with_users=with_users)
        if not with_users:
            raise CommandError(
                "Demo data loaded, but no demo users: their password is public. "
                "Use --allow-demo-users on a machine nobody else can reach."
            )
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._list_users()

    @transaction.atomic
    def _load(self, *, with_users: bool) -> None:
        # One transaction: an interrupted load leaves an empty database, which the next run fills.
        for label in DEMO_APPS:
            app = apps.get_app_config(label)
            if module_has_submodule(app.module, "demo"):
                import_module(f"{app.name}.demo").load()
        if with_users:
            import_module("portal.demo").load()

    def _list_users(self) -> None:
        counties = dict(Region.objects.values_list("code", "name"))
        self.stdout.write("Demo log-ins (they exist unless you removed them):")
        for spec in DEMO_USERS:
            role = str(spec["role"].label)
            if spec.get("region_code"):
                role = f"{role}, {counties.get(spec['region_code'], spec['region_code'])}"
            self.stdout.write(f"  {spec['email']:<28} {role:<40} password: {DEMO_PASSWORD}")
        key = " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, len(DEMO_TOTP_SECRET), 4))
        self.stdout.write(
            f"Ministry, agency and administrator log-ins also ask for a code: add the key {key} to an "
            "authenticator app, or run `python manage.py demo_code` for the current one."
        )
