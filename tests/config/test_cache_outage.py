"""With Redis down, the site works without its cache: logins, pages and decisions, then the cache again.

Each test runs a private redis-server of its own (config.embedded.start_redis), stopped and started
here: the machine's shared Redis is never touched.
"""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from bulletins.models import BulletinStatus, Category
from bulletins.services import bulletin_create
from config import cache as resilient
from config.cache import ResilientRedisCache
from config.celery_app import app as celery_app
from config.embedded import start_redis, stop_redis
from config.redis_urls import celery_broker_url
from notifications.models import Notification
from notifications.services import notification_pending_email_ids
from review.services import bulletin_submit
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_redis():
    # A short path: a Unix socket's path is limited to about 100 bytes.
    directory = Path(tempfile.mkdtemp(prefix="rds", dir="/tmp"))
    start_redis(directory)
    yield directory
    stop_redis(directory)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def site_cache(settings, private_redis, monkeypatch):
    """The site's cache on the private Redis, with the dashboards' figures cached."""
    monkeypatch.setattr(resilient, "RETRY_AFTER_SECONDS", 0.0)
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"unix://{private_redis / 'redis.sock'}?db=0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.DASHBOARD_CACHE_SECONDS = 600
    return private_redis


def _backend(directory: Path) -> ResilientRedisCache:
    return ResilientRedisCache(f"unix://{directory / 'redis.sock'}?db=0", {"OPTIONS": {"socket_timeout": 0.5}})


def test_every_operation_degrades_to_a_miss_while_redis_is_down(private_redis, monkeypatch):
    backend = _backend(private_redis)
    backend.set("k", 1)
    assert backend.get("k") == 1
    stop_redis(private_redis)
    assert backend.get("k", "missing") == "missing"
    assert not backend.reachable
    # Within the pause nothing is tried: a page pays one connect timeout, not one per call.
    assert backend.get_many(["k", "j"]) == {}
    assert backend.add("k", 2) is False
    assert backend.set("k", 2) is None
    assert backend.delete("k") is False
    assert backend.has_key("k") is False
    assert backend.set_many({"a": 1, "b": 2}) == ["a", "b"]
    with pytest.raises(ValueError):
        backend.incr("k")
    monkeypatch.setattr(resilient, "RETRY_AFTER_SECONDS", 0.0)
    backend._unreachable_until = 0.0
    start_redis(private_redis)
    backend.set("k", 3)
    assert backend.get("k") == 3 and backend.reachable


def _county_bulletin(tree):
    staff = tree.user("county_a1", "staff")
    bulletin = bulletin_create(
        actor=staff,
        title="东湖区开展党员冬训",
        body="东湖区组织全区党员开展冬训，参训率百分之九十六。",
        category=Category.objects.get(code="practice"),
        source="区委组织部组织科提供，已电话核实",
        contact_name="张明",
        contact_phone="0571-88000000",
    )
    bulletin_submit(actor=staff, bulletin=bulletin)
    return bulletin


def test_login_pages_and_a_decision_work_while_redis_is_down(client, tree, site_cache):
    bulletin = _county_bulletin(tree)
    reviewer = tree.user("county_a1", "reviewer")
    stop_redis(site_cache)

    response = client.post(reverse("login"), {"username": reviewer.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, "the login was refused"
    for name in ("home", "review:queue", "bulletins:list"):
        assert client.get(reverse(name)).status_code == 200, name
    page = client.get(reverse("review:decide", args=[bulletin.pk]))
    entry = page.context["form"].initial["entry"]
    response = client.post(reverse("review:decide", args=[bulletin.pk]), {"entry": entry, "action": "sign_off"})
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.IN_REVIEW and bulletin.current_unit_id == tree.city_a.pk
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302, "still logged in after logging out"


def test_the_dashboard_renders_without_redis_and_caches_again_once_it_is_back(
    client, tree, site_cache, django_capture_on_commit_callbacks
):
    head = tree.user("province", "head")
    client.force_login(head)
    url = reverse("dashboards:index")
    assert client.get(url).status_code == 200
    stop_redis(site_cache)
    with django_capture_on_commit_callbacks(execute=True):
        _county_bulletin(tree)  # a figure changes while the cache is unreachable
    down = client.get(url)
    assert down.status_code == 200
    start_redis(site_cache)
    cache.close()
    up = client.get(url)
    assert up.status_code == 200
    filed = 'data-testid="total-filed">'
    assert up.content.decode().split(filed, 1)[1].split("<", 1)[0] == "1"
    assert any(key.startswith(b":1:dashboards:part:") for key in _keys(site_cache)), "cached again"


def _keys(directory: Path):
    return redis.Redis(unix_socket_path=str(directory / "redis.sock")).keys("*")


def _reconnect_broker():
    """Look the pools up again for the current broker URL (as Celery does after a fork). Not
    closed: kombu keeps one pool per URL for the whole process, and a closed one stays closed."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_stopped(directory: Path):
    """Celery's broker on the private Redis, stopped; the site's broker again afterwards."""
    original, eager = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url = celery_broker_url(f"unix://{directory / 'redis.sock'}?db=0")
    celery_app.conf.task_always_eager = False  # tasks go through the broker, as in production
    _reconnect_broker()
    stop_redis(directory)
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = original, eager
        _reconnect_broker()


def test_a_submission_commits_while_the_broker_is_down_and_its_emails_wait(
    tree, private_redis, django_capture_on_commit_callbacks
):
    with broker_stopped(private_redis), django_capture_on_commit_callbacks(execute=True):
        bulletin = _county_bulletin(tree)
    waiting = Notification.objects.filter(bulletin=bulletin, emailed_at__isnull=True)
    assert waiting.filter(recipient=tree.user("county_a1", "reviewer")).exists()
    # The catch-up task sends what the broker never took (notifications.tasks, every 5 minutes).
    assert set(waiting.values_list("pk", flat=True)) <= set(notification_pending_email_ids(older_than_minutes=0))
    # And the next task reaches the broker again (it expires at once: no worker runs it).
    celery_app.send_task("notifications.tasks.send_pending_notification_emails", expires=1)
