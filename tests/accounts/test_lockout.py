"""Fair lockouts: addresses only from trusted proxies, a growing delay, unlocking from the UI (recorded)."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.lockout import client_address, delay_after
from accounts.models import AccountUnlock
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OFFICE_NAT = "10.8.0.1"


def _login(client, username, password, address=OFFICE_NAT, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _fail(client, user, times, **kwargs):
    for _ in range(times):
        assert _login(client, user.username, "wrong", **kwargs).status_code in (200, 429)


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.9.0.0/16"]
    factory = RequestFactory()
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.9.1.2"}
    assert client_address(factory.get("/", REMOTE_ADDR="127.0.0.1", **forwarded)) == "203.0.113.7"
    # From anywhere else the header is the client's own claim: ignored.
    assert client_address(factory.get("/", REMOTE_ADDR="198.51.100.4", **forwarded)) == "198.51.100.4"
    # A forged left part does not matter: the nearest hop that is not a proxy is the client.
    spoofed = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}
    assert client_address(factory.get("/", REMOTE_ADDR="127.0.0.1", **spoofed)) == "203.0.113.7"
    assert client_address(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")) == "127.0.0.1"


def test_behind_the_proxy_one_client_is_locked_and_the_next_is_not(client, settings, tree):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    victim = tree.user("county_a1", "staff")
    _fail(client, victim, settings.AXES_FAILURE_LIMIT, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert (
        _login(client, victim.username, TEST_PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
        == 429
    )
    other = _login(client, victim.username, TEST_PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 302, "another client behind the same proxy was locked too"


def test_the_delay_grows_from_one_minute_and_is_capped(settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert [delay_after(limit + extra) for extra in range(6)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, settings.AXES_COOLOFF_MINUTES, settings.AXES_COOLOFF_MINUTES)
    ]


def test_a_colleague_locked_by_someone_elses_guesses_waits_a_minute_not_a_quarter_hour(client, settings, tree):
    victim = tree.user("county_a1", "staff")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, victim, settings.AXES_FAILURE_LIMIT)
        assert _login(client, victim.username, TEST_PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert _login(client, victim.username, TEST_PASSWORD).status_code == 302


def test_guessing_again_after_a_wait_brings_the_long_wait(client, settings, tree):
    victim = tree.user("county_a1", "staff")
    limit, longest = settings.AXES_FAILURE_LIMIT, timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, victim, limit)
    again = start + timedelta(seconds=61)
    with time_machine.travel(again, tick=False):
        _fail(client, victim, limit)  # 10 in the failure log: 1 minute doubled 5 times, capped
    with time_machine.travel(again + longest - timedelta(seconds=30), tick=False):
        assert _login(client, victim.username, TEST_PASSWORD).status_code == 429
    with time_machine.travel(again + longest + timedelta(seconds=1), tick=False):
        assert _login(client, victim.username, TEST_PASSWORD).status_code == 302
    client.logout()
    # Logged in: the failures before it no longer count.
    with time_machine.travel(again + longest + timedelta(minutes=1), tick=False):
        _fail(client, victim, limit)
    with time_machine.travel(again + longest + timedelta(minutes=2, seconds=1), tick=False):
        assert _login(client, victim.username, TEST_PASSWORD).status_code == 302


def test_an_office_head_unlocks_a_colleague_and_it_is_recorded(client, settings, tree):
    victim = tree.user("county_a1", "staff")
    _fail(client, victim, settings.AXES_FAILURE_LIMIT)
    head = tree.user("county_a1", "head")
    client.force_login(head)
    page = client.get(reverse("locked_list"))
    assert page.status_code == 200 and victim.username in page.content.decode()
    response = client.post(reverse("unlock", args=[victim.pk]), follow=True)
    assert "可以重新登录" in response.content.decode()
    record = AccountUnlock.objects.get()
    assert (record.user, record.unlocked_by, record.failures, record.addresses) == (
        victim,
        head,
        settings.AXES_FAILURE_LIMIT,
        OFFICE_NAT,
    )
    assert not AccessAttempt.objects.filter(username=victim.username).exists()
    client.logout()
    assert _login(client, victim.username, TEST_PASSWORD).status_code == 302


def test_a_head_cannot_unlock_outside_their_unit_an_administrator_can(client, settings, tree):
    victim = tree.user("county_a2", "staff")
    _fail(client, victim, settings.AXES_FAILURE_LIMIT)
    client.force_login(tree.user("county_a1", "head"))
    assert victim.username not in client.get(reverse("locked_list")).content.decode()
    assert client.post(reverse("unlock", args=[victim.pk])).status_code == 404
    client.force_login(tree.user("county_a1", "staff"))
    assert client.get(reverse("locked_list")).status_code == 404
    assert AccessAttempt.objects.filter(username=victim.username).exists(), "nothing changed"
    client.force_login(UserFactory(unit=tree.central, username="root", is_staff=True, is_superuser=True))
    assert client.post(reverse("unlock", args=[victim.pk])).status_code == 302
    assert AccountUnlock.objects.get().user == victim
