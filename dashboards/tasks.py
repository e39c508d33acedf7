import logging

from celery import shared_task
from django.utils import timezone

from dashboards.periods import add_months, month_of
from dashboards.services import stats_reconcile

logger = logging.getLogger(__name__)


@shared_task
def reconcile_stats() -> int:
    """Daily: compare last and this month's summary with the raw rows; log every difference."""
    this_month = month_of(timezone.now())
    differences = stats_reconcile(first=add_months(this_month, -1), last=this_month)
    for diff in differences:
        logger.error(
            "Dashboard statistics differ: unit %s %s %s expected %s found %s",
            diff.unit_id,
            diff.month,
            diff.field,
            diff.expected,
            diff.actual,
        )
    return len(differences)
