from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bulletins.panels import DEADLINE, panel_register


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incident deadlines")

    def ready(self):
        # The deadline badge beside a bulletin's title on its pages and list rows (bulletins/panels.py).
        panel_register(slot=DEADLINE, template_name="incidents/_deadline_badge.html")
