from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bulletins.panels import DEADLINE, panel_register


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incident deadlines")

    def ready(self):
        from bulletins.events import deadline_changes
        from deadlines.registry import register
        from incidents.handlers import incident_on_deadline_changed, incident_on_sign_off
        from incidents.services import OBLIGATION_KIND, incident_stages_fired
        from review.events import route_events
        from review.models import ReviewAction

        deadline_changes.subscribe("incidents.clock", incident_on_deadline_changed)
        route_events.subscribe("incidents.sent_up", incident_on_sign_off, kinds={ReviewAction.SIGN_OFF})
        # The deadline scan hands this app the stages of its obligations (deadlines/registry.py).
        register(OBLIGATION_KIND, incident_stages_fired, label=_("Incident report deadline"))

        # The deadline badge beside a bulletin's title on its pages and list rows (bulletins/panels.py).
        panel_register(slot=DEADLINE, template_name="incidents/_deadline_badge.html")
