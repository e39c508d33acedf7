from django.core.management.base import BaseCommand

from accounts.models import OrgUnit
from demo import calls, drafts, incidents, journals, route, stats, units

# Each step builds on the ones before it; the label names the app whose data it makes.
SEEDS = (
    ("accounts", units.seed),
    ("bulletins", drafts.seed),
    ("review", route.seed),
    ("incidents", incidents.seed),
    ("journals", journals.seed),
    ("calls", calls.seed),
    ("dashboards", stats.seed),
)


class Command(BaseCommand):
    help = "Create the fictional demo province, its units, users and bulletins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when units already exist.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and OrgUnit.objects.exists():
            self.stdout.write("Database already holds data; demo seed skipped.")
            return
        for label, seed in SEEDS:
            self.stdout.write(f"{label}: {seed()}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
