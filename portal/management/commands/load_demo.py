from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule

from portal.demo import DEMO_PASSWORD, DEMO_USERS

# Each app owns its demo data in <app>/demo.py with a load() function; they run in this order.
DEMO_APPS = ["regions", "forum", "dialogues", "followup"]


class Command(BaseCommand):
    help = "Load the demo data (counties, fora, dialogues, figures, demo users). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-users",
            action="store_true",
            help="Create the demo users even with DJANGO_DEBUG off (they share a published password).",
        )

    def handle(self, *args, allow_demo_users=False, **options):
        for label in DEMO_APPS:
            app = apps.get_app_config(label)
            if module_has_submodule(app.module, "demo"):
                import_module(f"{app.name}.demo").load()
        if not (settings.DEBUG or allow_demo_users):
            raise CommandError(
                "Demo data loaded, but no demo users: their password is public. "
                "Use --allow-demo-users on a machine nobody else can reach."
            )
        import_module("portal.demo").load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in with any of these:"))
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec['email']:<28} {spec['role'].label:<22} password: {DEMO_PASSWORD}")
