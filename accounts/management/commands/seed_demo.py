import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from accounts.models import OrgUnit


class Command(BaseCommand):
    help = "Create the fictional demo province, its units, users and bulletins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when units already exist.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and OrgUnit.objects.exists():
            self.stdout.write("Database already holds data; demo seed skipped.")
            return
        # Each local app may contribute a `demo.seed()`; apps run in INSTALLED_APPS order.
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            result = module.seed(stdout=self.stdout)
            self.stdout.write(f"{config.label}: {result}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
