"""Test profile: DATABASE_URL / REDIS_URL when set (CI sets both), else the private servers."""

from config.embedded import use_private_servers_when_unset

# Database 1 of the private Redis: a test run never purges `make run`'s queue or cache.
use_private_servers_when_unset(redis_database=1)

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, DEFAULT_STORAGE, INSTALLED_APPS, env  # noqa: E402

# The benchmark smoke test (tests/bench) loads a data set with seed_bench, whose marker table is
# the bench app's; the gunicorn it drives runs the bench profile itself (bench/driver.py).
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The file system unless S3_BUCKET is set (the S3 tests set their own, on a SeaweedFS they start).
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Redis outlives each test's rolled-back data: tests that check the dashboard cache turn it on.
DASHBOARD_CACHE_SECONDS = 0
