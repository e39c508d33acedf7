from django import forms
from django.core.management.base import BaseCommand, CommandError

from dashboards.forms import MonthField
from dashboards.services import stats_rebuild, stats_reconcile


def _month(value):
    try:
        return MonthField().clean(value)
    except forms.ValidationError as exc:
        raise CommandError(f"Not a month (YYYY-MM): {value}") from exc


class Command(BaseCommand):
    help = (
        "Recompute the dashboard statistics of a period from the raw rows and report every difference "
        "with the summary table; exits with status 1 when there is any. --rebuild rewrites the summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="First month, YYYY-MM (default: all).")
        parser.add_argument("--to", dest="last", help="Last month, YYYY-MM (default: all).")
        parser.add_argument("--rebuild", action="store_true", help="Recompute the summary rows of the period.")

    def handle(self, *args, first=None, last=None, rebuild=False, **options):
        first = _month(first) if first else None
        last = _month(last) if last else None
        if rebuild:
            rows = stats_rebuild(first=first, last=last)
            self.stdout.write(f"Rebuilt {rows} summary rows.")
        differences = stats_reconcile(first=first, last=last)
        for diff in differences[:200]:
            self.stdout.write(
                f"unit {diff.unit_id} {diff.month:%Y-%m} {diff.field}: expected {diff.expected}, found {diff.actual}"
            )
        if differences:
            self.stderr.write(self.style.ERROR(f"{len(differences)} differences."))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("No differences."))
