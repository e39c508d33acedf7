import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_and_logout(client, county_staff):
    response = login(client, county_staff.username, TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert county_staff.unit.short_name in home.content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_chinese_error(client, county_staff):
    response = login(client, county_staff.username, "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_lockout_after_repeated_failures_spares_colleague_at_same_address(client, settings, tree):
    victim = tree.user("county_a1", "staff")
    colleague = tree.user("county_a1", "reviewer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, victim.username, "wrong")
    locked = login(client, victim.username, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Same address, another person: still fine.
    response = login(client, colleague.username, TEST_PASSWORD)
    assert response.status_code == 302


def test_password_change(client, county_staff):
    client.force_login(county_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Xin-mima-2026!", "new_password2": "Xin-mima-2026!"},
    )
    assert response.status_code == 302
    county_staff.refresh_from_db()
    assert county_staff.check_password("Xin-mima-2026!")


def test_session_expires_after_two_idle_hours_and_activity_extends_it(client, county_staff, settings):
    import datetime as dt

    import time_machine

    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 120 * 60
    # Redis expires cached sessions by its own clock, which time travel cannot move; the
    # database backend checks expire_date against Django's (travelled) clock.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        response = login(client, county_staff.username, TEST_PASSWORD)
        assert response.status_code == 302
        traveller.shift(dt.timedelta(minutes=100))
        assert client.get(reverse("home")).status_code == 200  # activity pushes the expiry forward
        traveller.shift(dt.timedelta(minutes=100))
        assert client.get(reverse("home")).status_code == 200  # 200 minutes in, but only 100 idle
        traveller.shift(dt.timedelta(minutes=121))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and "/accounts/login/" in response.url
