"""The Celery application; configuration comes from Django settings under the CELERY_ namespace."""

import os

from celery import Celery

# A server started without DJANGO_SETTINGS_MODULE must not serve with DEBUG and the development key.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("bulletin_desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
