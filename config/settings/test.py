"""Test profile: the suite runs against DATABASE_URL / REDIS_URL when set (CI sets both)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# One process runs the tests, so the cached session engine is safe even on the local-memory cache;
# page query counts are then the same with and without Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Redis outlives each test's rolled-back data: tests that check the dashboard cache turn it on.
DASHBOARD_CACHE_SECONDS = 0
