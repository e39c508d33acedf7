"""The health checks: /healthz (liveness) stays up whatever is down; /healthz/detail reports each part.

Each outage is real: the report runs in a fresh process whose environment points one part at a
port where nothing listens (the database, Redis for the cache, the broker and the beat's schedule,
the object store); the worker ping and the beat's last run are checked before and after a real
worker and beat are started.
"""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.celery_probe import celery, stop, wait

TOKEN = "health-token-for-the-tests-0123456789"
NOWHERE = "127.0.0.1:1"
CHECKS = {"Database", "Cache", "Storage", "Broker", "Ping", "BeatLastRun"}

REPORT = """
import json
import django
from django.test.utils import setup_test_environment

django.setup()
setup_test_environment()
from django.test import Client

client = Client()
live = client.get("/healthz")
detail = client.get("/healthz/detail?format=json", HTTP_AUTHORIZATION="Bearer %s")
print(json.dumps({"live": live.status_code, "detail": detail.status_code, "report": detail.json()}))
"""


def _report(env: dict, **changes) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", REPORT % TOKEN],
        cwd=settings.BASE_DIR,
        env={**env, "HEALTHZ_TOKEN": TOKEN, **changes},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    # "Database(alias='default')": "OK" → {"Database": "OK"}
    outcome["checks"] = {name.split("(")[0]: state for name, state in outcome.pop("report").items()}
    assert set(outcome["checks"]) == CHECKS, outcome
    return outcome


def _failing(outcome) -> set[str]:
    return {name for name, state in outcome["checks"].items() if state != "OK"}


@pytest.fixture
def health_probe(tmp_path):
    from tests.celery_probe import clean_probe, make_probe

    made = make_probe(tmp_path, entry="deliver-pending-announcements")
    yield made
    clean_probe(made)


def test_each_part_down_fails_the_report_and_never_the_liveness_probe(health_probe, tmp_path):
    env = health_probe["env"]
    # No worker and no beat yet.
    outcome = _report(env)
    assert outcome["live"] == 200 and outcome["detail"] == 500
    assert _failing(outcome) == {"Ping", "BeatLastRun"}

    worker = celery(
        "worker",
        "--pool=solo",
        "--hostname=health@%h",
        "--without-mingle",
        "--loglevel=INFO",
        env=env,
        log=tmp_path / "w.log",
    )
    beat = celery("beat", "--loglevel=INFO", env=env, log=tmp_path / "b.log")
    try:
        wait(
            lambda: "Sending due task" in (tmp_path / "b.log").read_text(),
            60,
            lambda: f"the beat never ran: {(tmp_path / 'b.log').read_text()[-2000:]}",
        )
        wait(lambda: "ready." in (tmp_path / "w.log").read_text(), 60, "the worker never started")
        outcome = _report(env)
        assert (outcome["live"], outcome["detail"], _failing(outcome)) == (200, 200, set()), str(outcome["checks"])

        database = _report(env, DATABASE_URL=f"postgres://postgres@{NOWHERE}/bulletin_desk")
        assert (database["live"], database["detail"], _failing(database)) == (200, 500, {"Database"}), database

        # Redis carries the cache, the broker and the beat's schedule: all three say so.
        redis_down = _report(env, REDIS_URL=f"redis://{NOWHERE}/0")
        assert redis_down["live"] == 200 and redis_down["detail"] == 500
        assert {"Cache", "Broker", "Ping", "BeatLastRun"} <= _failing(redis_down) and "Database" not in _failing(
            redis_down
        )

        storage = _report(
            env,
            S3_BUCKET="bulletin-desk",
            S3_ENDPOINT_URL=f"http://{NOWHERE}",
            S3_ACCESS_KEY_ID="nobody",
            S3_SECRET_ACCESS_KEY="nothing",
        )
        assert (storage["live"], storage["detail"], _failing(storage)) == (200, 500, {"Storage"}), storage
    finally:
        stop(worker)
        stop(beat)


@pytest.mark.django_db
def test_the_detail_report_needs_the_token_or_an_administrator(client, settings, tree):
    settings.HEALTHZ_TOKEN = TOKEN
    url = reverse("healthz-detail")
    assert client.get(url).status_code == 302  # to the login page
    assert client.get(url, HTTP_AUTHORIZATION="Bearer wrong").status_code == 302
    client.force_login(tree.user("province", "head"))
    assert client.get(url).status_code == 403
    admin = tree.user("central", "reviewer")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client.force_login(admin)
    response = client.get(url + "?format=json")
    assert response.status_code in (200, 500)
    assert {name.split("(")[0] for name in response.json()} == CHECKS
    client.logout()
    settings.HEALTHZ_TOKEN = ""
    # Without a token configured, no bearer header opens it.
    assert client.get(url, HTTP_AUTHORIZATION="Bearer ").status_code == 302
