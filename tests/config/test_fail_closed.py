"""Defaults that fail closed: the server entry point, production's required settings, server errors
(mailed, logged with the request id), private pages, the request size bound, the CSP."""

import importlib
import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from config.logging import RequestIdFilter

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


# Production settings: every required setting, each refused on its own, all named at once.
# ------------------------------------------------------------------------------

REQUIRED = {
    "SECRET_KEY": "k" * 60,
    "ALLOWED_HOSTS": "desk.example.org",
    "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
    "REDIS_URL": "redis://127.0.0.1:9/0",
}
PRODUCTION_PROBE = (
    "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['default'])"
)


def _production(env_changes: dict, *, cwd) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {*REQUIRED, "S3_BUCKET", "DJANGO_SETTINGS_MODULE"}}
    env = {**base, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env_changes}
    return subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_refuses_to_start_without_each_required_setting(missing):
    env = {name: value for name, value in REQUIRED.items() if name != missing}
    result = _production(env, cwd=settings.BASE_DIR)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "django.core.exceptions.ImproperlyConfigured: Production settings refuse to start: set "
        f"{missing} in the environment or .env (every setting, its default and meaning: .env.example)."
    )


def test_production_names_every_missing_setting_in_one_message():
    result = _production({}, cwd=settings.BASE_DIR)
    assert result.returncode != 0
    assert "set SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL in the environment" in result.stderr


def test_a_blank_setting_is_a_missing_one():
    result = _production({**REQUIRED, "REDIS_URL": "  "}, cwd=settings.BASE_DIR)
    assert result.returncode != 0 and "set REDIS_URL in" in result.stderr


def test_an_object_store_without_its_keys_is_refused_not_replaced_by_the_disk():
    result = _production({**REQUIRED, "S3_BUCKET": "bulletin-desk"}, cwd=settings.BASE_DIR)
    assert result.returncode != 0
    assert "set S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY in" in result.stderr
    complete = _production(
        {**REQUIRED, "S3_BUCKET": "bulletin-desk", "S3_ACCESS_KEY_ID": "a", "S3_SECRET_ACCESS_KEY": "b"},
        cwd=settings.BASE_DIR,
    )
    assert complete.returncode == 0, complete.stderr
    assert "storages.backends.s3.S3Storage" in complete.stdout


def test_production_starts_with_the_four_and_keeps_files_on_disk_without_a_bucket():
    result = _production(REQUIRED, cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    assert "FileSystemStorage" in result.stdout


def test_env_example_lists_every_setting_the_settings_read():
    sources = "\n".join(
        path.read_text(encoding="utf-8") for path in (settings.BASE_DIR / "config" / "settings").glob("*.py")
    )
    read = set(re.findall(r'env(?:\.[a-z_]+)?\("([A-Z0-9_]+)"', sources))
    example = (settings.BASE_DIR / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert len(read) > 40
    assert read - listed == set()


# Server errors: mailed to ADMINS, logged as one JSON line carrying the request id.
# ------------------------------------------------------------------------------


def test_a_server_error_is_mailed_to_the_admins_and_logged_as_json_with_the_request_id(settings, mailoutbox):
    settings.ROOT_URLCONF = "tests.config.urls_failing"
    settings.ADMINS = [("值班员", "ops@example.org")]
    # The production formatter as configured (logging.config passes "format" as fmt).
    config = dict(settings.LOGGING["formatters"]["json"])
    module, _, name = config.pop("()").rpartition(".")
    formatter_class = getattr(importlib.import_module(module), name)
    formatter = formatter_class(fmt=config.pop("format"), **config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client = Client(raise_request_exception=False)
        response = client.get("/failing/", HTTP_X_REQUEST_ID="3f2a9c0e5b7d4e1f8a6c2b9d0e4f7a13")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 500
    assert response["X-Request-ID"] == "3f2a9c0e5b7d4e1f8a6c2b9d0e4f7a13"
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["level"] == "ERROR" and line["logger"] == "django.request"
    assert line["request_id"] == "3f2a9c0e5b7d4e1f8a6c2b9d0e4f7a13"
    assert "exc_info" in line and "RuntimeError: a bug in a view" in line["exc_info"]
    assert [mail.to for mail in mailoutbox] == [["ops@example.org"]]
    assert "/failing/" in mailoutbox[0].subject


def test_a_request_id_a_client_makes_up_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
