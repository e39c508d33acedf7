"""Site-wide promises: login everywhere, health check, Chinese UI, no outside hosts, deploy checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import NotSupportedError, connection
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC_URL_NAMES = {"login", "healthz", "set_language", "favicon"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def _concrete(route: str) -> str:
    """Turn a route or regex into a URL by filling every parameter with 1."""
    url = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url)
    url = url.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + url.lstrip("/")


def test_every_url_requires_login_except_public_ones(client):
    checked = 0
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or pattern.name in PUBLIC_URL_NAMES:
            continue
        url = _concrete(route)
        response = client.get(url)
        assert response.status_code in (302, 405), f"{url} answered {response.status_code} to an anonymous user"
        if response.status_code == 302:
            assert "/accounts/login/" in response.url, url
        checked += 1
    assert checked >= 5


def test_login_page_is_public_and_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "登录" in content and "组工信息" in content


def test_english_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert "Log in" in response.content.decode()


def test_an_english_browser_gets_chinese_until_the_switch_says_otherwise(client):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    response = client.get("/accounts/login/", **english_browser)
    assert "登录" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"

    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, **english_browser)
    assert "Log in" in client.get("/accounts/login/", **english_browser).content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"}, **english_browser)
    assert "登录" in client.get("/accounts/login/", **english_browser).content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "登录" in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_favicon_is_served_without_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url == static("favicon.ico")
    assert Path(finders.find("favicon.ico")).read_bytes().startswith(b"\x00\x00\x01\x00")  # an ICO header
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()


def test_no_template_carries_an_inline_handler_or_script():
    inline = re.compile(r"\son[a-z]+\s*=|<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR).glob("*/templates/**/*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    offenders += [
        str(path.relative_to(settings.BASE_DIR))
        for path in (Path(settings.BASE_DIR) / "templates").glob("**/*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_healthz_is_liveness_only_and_answers_while_the_broker_is_unreachable(client):
    from config.celery_app import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_chinese_404_page(client, county_staff):
    client.force_login(county_staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


OUTSIDE_HOST = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)


def test_rendered_pages_reference_no_outside_host(client, tree):
    pages = ["/accounts/login/"]
    for attr in ("county_a1", "city_a", "province", "central"):
        for role in ("staff", "reviewer", "head"):
            client.force_login(tree.user(attr, role))
            for url in ("/", "/inbox/", "/accounts/password/"):
                response = client.get(url)
                assert response.status_code == 200, url
                assert not OUTSIDE_HOST.search(response.content.decode()), url
    client.logout()
    for url in pages:
        assert not OUTSIDE_HOST.search(client.get(url).content.decode())


def test_navigation_follows_roles(client, tree):
    client.force_login(tree.user("county_a1", "staff"))
    content = client.get("/").content.decode()
    assert 'data-testid="nav-bulletins"' in content and 'data-testid="nav-queue"' not in content
    client.force_login(tree.user("city_a", "reviewer"))
    assert 'data-testid="nav-queue"' in client.get("/").content.decode()


def test_production_settings_pass_deploy_checks():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-0123456789",
        "ALLOWED_HOSTS": "desk.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_postgresql_older_than_14_is_refused_with_a_clear_message(monkeypatch):
    """The README promises 14 (trim_array); Django checks it at every new connection."""
    monkeypatch.setattr(connection, "get_database_version", lambda: (13, 9))
    with pytest.raises(NotSupportedError, match="PostgreSQL 14 or later is required"):
        connection.check_database_version_supported()
