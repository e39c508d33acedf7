"""Production profile: fails closed. Every required setting must come from the environment.

Nothing falls back to a development default here: without a secret key, the allowed hosts, the
database or Redis (broker and cache) the process refuses to start, with one message naming every
missing setting (a server that half-starts and "works" on a local-memory cache is worse).
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

# Before base is imported: base itself raises at the first missing setting, naming only that one.
REPO_DIR = Path(__file__).resolve().parent.parent.parent

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
S3_REQUIRED = ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")


def missing_settings() -> list[str]:
    """The required settings absent (or blank) from the environment and the .env file."""
    environ.Env.read_env(str(REPO_DIR / ".env"), overwrite=False)
    missing = [name for name in REQUIRED if not os.environ.get(name, "").strip()]
    if os.environ.get("S3_BUCKET", "").strip():
        # Half an object store is none: the files would land on one host's disk.
        missing += [name for name in S3_REQUIRED if not os.environ.get(name, "").strip()]
    return missing


if missing := missing_settings():
    raise ImproperlyConfigured(
        "Production settings refuse to start: set "
        + ", ".join(missing)
        + " in the environment or .env (every setting, its default and meaning: .env.example)."
    )

from .base import *  # noqa: E402, F403
from .base import LOGGING, env  # noqa: E402

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# SECURITY: https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer's liveness probe and the operators' report speak plain HTTP to each host.
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# STATIC: hashed, compressed files served by WhiteNoise (or by nginx from STATIC_ROOT).
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405

LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")
