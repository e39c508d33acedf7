"""The operators' health report (/healthz/detail): each part the site runs on, checked for real.

django-health-check runs the checks (concurrently, each with a time budget) and renders the report
(JSON with ?format=json, text, HTML); the two checks it has no class for are here: the Celery broker
and the beat's last run. /healthz, the load balancer's liveness probe, checks none of this
(config/views.py): a Redis outage must not take every host out of the pool.
"""

import dataclasses
import datetime
import hmac

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redbeat.schedulers import RedBeatSchedulerEntry

from config.celery_app import app as celery_app

# The beat's every-minute entry (CELERY_BEAT_SCHEDULE): its last run shows the beat is alive.
BEAT_PROBE_ENTRY = "deliver-pending-announcements"


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (the cache check covers the cache's own Redis)."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self):
        try:
            with celery_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:
            raise ServiceUnavailable(f"Broker unreachable: {type(error).__name__}") from error


@dataclasses.dataclass
class BeatLastRun(HealthCheck):
    """The beat sent its every-minute task lately (celery-redbeat keeps each entry's last run in Redis)."""

    entry: str = BEAT_PROBE_ENTRY
    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self):
        interval = settings.CELERY_BEAT_SCHEDULE[self.entry]["schedule"]
        if not isinstance(interval, datetime.timedelta):  # Celery also takes seconds as a number
            interval = datetime.timedelta(seconds=interval)
        key = settings.CELERY_REDBEAT_KEY_PREFIX + self.entry
        try:
            last_run = RedBeatSchedulerEntry.load_meta(key, app=celery_app)["last_run_at"]
        except Exception as error:
            raise ServiceUnavailable(f"Beat schedule unreadable: {type(error).__name__}") from error
        if last_run is None:
            raise ServiceUnavailable("The beat has never run")
        late = timezone.now() - last_run
        # Three periods plus the lock's timeout: a standby beat may have to wait for the lock first.
        allowed = 3 * interval + datetime.timedelta(seconds=settings.CELERY_REDBEAT_LOCK_TIMEOUT)
        if late > allowed:
            raise ServiceUnavailable(f"The beat last ran {int(late.total_seconds())} s ago")


CHECKS = (
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "health_check.checks.Storage",
    "config.health.Broker",
    ("health_check.contrib.celery.Ping", {"app": celery_app, "timeout": datetime.timedelta(seconds=2)}),
    "config.health.BeatLastRun",
)


def _token_matches(request) -> bool:
    token = settings.HEALTHZ_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


class DetailedHealthView(HealthCheckView):
    """For operators: HEALTHZ_TOKEN as a bearer token (monitoring), or a logged-in administrator."""

    checks = CHECKS

    async def dispatch(self, request, *args, **kwargs):
        if not _token_matches(request):
            user = await request.auser()
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_active and user.is_superuser):
                return HttpResponseForbidden("HEALTHZ_TOKEN or an administrator's login is required.\n")
        return await super().dispatch(request, *args, **kwargs)
