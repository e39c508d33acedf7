from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _figures_changed(sender, **kwargs):
    from dashboards.cache import dashboards_changed

    dashboards_changed()


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from accounts.models import OrgUnit
        from dashboards.handlers import dashboards_on_incidents_flagged, dashboards_on_route_event
        from dashboards.models import ScoringRuleSet
        from dashboards.services import COUNTED_ACTIONS
        from incidents.events import incidents_flagged
        from review.events import route_events

        route_events.subscribe("dashboards.statistics", dashboards_on_route_event, kinds=COUNTED_ACTIONS)
        incidents_flagged.subscribe("dashboards.overdue", dashboards_on_incidents_flagged)
        # Scores follow the rule sets; rows and labels follow the unit tree (both edited in the admin).
        for model in (ScoringRuleSet, OrgUnit):
            post_save.connect(_figures_changed, sender=model, dispatch_uid=f"dashboards-{model.__name__}-saved")
            post_delete.connect(_figures_changed, sender=model, dispatch_uid=f"dashboards-{model.__name__}-deleted")
