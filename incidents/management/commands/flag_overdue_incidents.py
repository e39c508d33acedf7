from django.core.management.base import BaseCommand

from incidents.services import incident_clocks_backfill, incidents_flag_overdue


class Command(BaseCommand):
    help = "Run the 24-hour incident check once (the same check Celery beat runs), e.g. from cron."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backfill", action="store_true", help="First start the clock of incidents that have none."
        )

    def handle(self, *args, backfill=False, **options):
        if backfill:
            self.stdout.write(f"clocks started: {incident_clocks_backfill()}")
        result = incidents_flag_overdue()
        self.stdout.write(f"warned: {len(result.warned)}, flagged: {len(result.flagged)}")
