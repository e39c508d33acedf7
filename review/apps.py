from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bulletins.panels import ACTIONS, MAIN, panel_register


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review and routing")

    def ready(self):
        # The filing unit's buttons and the route on the bulletin's detail page (bulletins/panels.py).
        panel_register(slot=ACTIONS, template_name="review/_actions.html")
        panel_register(slot=MAIN, template_name="review/_route_panel.html")
