from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bulletins.panels import ACTIONS, panel_register


class JournalsConfig(AppConfig):
    name = "journals"
    verbose_name = _("Journals")

    def ready(self):
        from documents import access
        from documents.events import documents_ready
        from journals.description import DOCUMENT_KIND
        from journals.services import issue_on_document_ready
        from journals.visibility import can_read_document

        # Who reads an issue's two files: the same policy as its page (journals/visibility.py).
        access.register(DOCUMENT_KIND, can_read_document)
        # Published once both files exist (documents announce it after the render commits).
        documents_ready.subscribe("journals.publish", issue_on_document_ready, kinds={DOCUMENT_KIND})
        # "刊于《…》2026年第15期" under the bulletin's title (bulletins/panels.py).
        panel_register(slot=ACTIONS, template_name="journals/_printed_in.html")
