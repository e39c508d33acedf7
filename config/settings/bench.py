"""Benchmark profile, for `make bench` only (bench/README.md): the production settings, plus the
bench app (its data-set marker and `seed_bench`), its ceiling views under /bench/ and an
X-Query-Count header on every response. No other profile installs any of it.

DATABASE_URL (a dedicated benchmark database) and REDIS_URL are required, as in production.
"""

import os

# The production profile requires SECRET_KEY and ALLOWED_HOSTS from the environment. The
# benchmark's server listens on loopback and keeps no secret: defaults for the import (through the
# environment, like DATABASE_URL, so every process of one run has the same key), hosts fixed below.
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from .production import *  # noqa: F403
from .production import DATABASES, INSTALLED_APPS, MIDDLEWARE, VAR_DIR

# APPS, URLS AND MIDDLEWARE
# ------------------------------------------------------------------------------
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "config.urls_bench"  # the product's URLs, and the ceilings under /bench/
# First, so that it counts every query of the request, the session's and the user's included.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

# SERVING
# ------------------------------------------------------------------------------
# gunicorn on a loopback port, plain HTTP: no redirect to HTTPS, cookies the harness can send back.
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Persistent connections for the whole run, as a production server keeps them.
DATABASES["default"]["CONN_MAX_AGE"] = 600
STATIC_ROOT = str(VAR_DIR / "bench-static")
# The harness logs the bench users in again on every run; throttling would lock them out.
AXES_FAILURE_LIMIT = 1000
