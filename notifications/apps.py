from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Registers the e-mail tasks in every process (web, shell, tests), not only in a worker
        # that autodiscovers them: the services queue them by name (notifications.services).
        from notifications import tasks  # noqa: F401
