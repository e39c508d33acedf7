from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        # Registers the render task in every process: the services queue it by name.
        from documents import tasks  # noqa: F401
