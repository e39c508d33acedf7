"""The benchmark is out of the product: only the bench profile installs its app, URLs and middleware."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

# Run in a fresh interpreter per profile: settings are read once per process. Importing them
# connects to nothing, so the servers may be dummies.
PROBE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve

def resolves(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True

print(json.dumps({
    "apps": settings.INSTALLED_APPS,
    "middleware": settings.MIDDLEWARE,
    "urlconf": settings.ROOT_URLCONF,
    "resolves": {path: resolves(path) for path in ("/bench/open/", "/bench/login-only/", "/bulletins/", "/review/")},
    "bench_modules": sorted(name for name in sys.modules if name == "bench" or name.startswith("bench.")),
}))
"""


def _profile(module: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "SECRET_KEY": "x" * 20 + "-settings-probe-secret-key-0123456789",
        "ALLOWED_HOSTS": "desk.example.org",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        "REDIS_URL": "redis://127.0.0.1:9/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("module", ["config.settings.production", "config.settings.local"])
def test_production_and_local_have_no_bench(module):
    profile = _profile(module)
    assert not [app for app in profile["apps"] if app == "bench" or app.startswith("bench.")]
    assert not [name for name in profile["middleware"] if name.startswith("bench.")]
    assert profile["urlconf"] == "config.urls"
    assert profile["resolves"] == {
        "/bench/open/": False,
        "/bench/login-only/": False,
        "/bulletins/": True,
        "/review/": True,
    }
    # Not even imported: no product module reaches into the benchmark.
    assert profile["bench_modules"] == []


def test_the_bench_profile_adds_the_app_the_ceilings_and_the_query_count():
    profile = _profile("config.settings.bench")
    assert profile["apps"][-1] == "bench"
    assert profile["middleware"][0] == "bench.middleware.QueryCountMiddleware"
    assert profile["urlconf"] == "config.urls_bench"
    assert all(profile["resolves"].values()), profile["resolves"]


def test_the_test_profile_installs_the_app_only():
    """For seed_bench in tests/bench; the server the smoke test drives runs the bench profile."""
    assert "bench" in settings.INSTALLED_APPS
    assert settings.ROOT_URLCONF == "config.urls"
    assert "bench.middleware.QueryCountMiddleware" not in settings.MIDDLEWARE
