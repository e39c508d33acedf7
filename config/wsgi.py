import os

from django.core.wsgi import get_wsgi_application

# A server started without DJANGO_SETTINGS_MODULE must not serve with DEBUG and the development key.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
