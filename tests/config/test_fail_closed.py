"""Defaults that fail closed: the server entry point, private pages, the request size bound, the CSP."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENTRY_POINT = "import config.wsgi; from django.conf import settings; print(settings.DEBUG, settings.SETTINGS_MODULE)"


def _without_settings_module(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return {**env, **extra}


def test_the_server_entry_point_defaults_to_production_and_refuses_to_start_without_a_key():
    result = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT],
        cwd=settings.BASE_DIR,
        env=_without_settings_module(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_server_entry_point_serves_production_settings_when_configured():
    result = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT],
        cwd=settings.BASE_DIR,
        env=_without_settings_module(SECRET_KEY="k" * 60, ALLOWED_HOSTS="desk.example.org"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "config.settings.production"]


def test_pages_for_a_logged_in_person_are_neither_stored_nor_shared(client, tree):
    client.force_login(tree.user("county_a1", "staff"))
    for url in (reverse("home"), reverse("bulletins:list")):
        cache_control = client.get(url).headers["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_every_page_carries_a_content_security_policy_without_inline_script(client, tree):
    client.force_login(tree.user("city_a", "reviewer"))
    policy = client.get(reverse("home")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["style-src"]
    client.logout()
    assert client.get(reverse("login")).headers["Content-Security-Policy"] == policy


def test_a_body_over_the_bound_is_refused_from_its_length_before_it_is_read(client, tree):
    # The request announces 300 MB and carries a few bytes: reading the body would fail (the test
    # client's payload refuses reads past what it holds), so a 413 means nothing was read.
    client.force_login(tree.user("county_a1", "staff"))
    response = client.generic(
        "POST",
        reverse("bulletins:create"),
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "MB" in response.content.decode()


def test_a_body_within_the_bound_goes_on_to_the_page(client, tree):
    client.force_login(tree.user("county_a1", "staff"))
    response = client.post(reverse("bulletins:create"), {"title": ""})
    assert response.status_code == 200  # the form, with its errors
