from django.apps import AppConfig
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from bulletins.panels import BADGES, MAIN, panel_register


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls for submissions")

    def ready(self):
        from calls.handlers import calls_on_route_event
        from calls.models import CallAnswer
        from calls.services import OBLIGATION_KIND, call_sign_off_target, call_stages_fired
        from deadlines.registry import register
        from review.events import route_events
        from review.models import ReviewAction
        from review.routing import sign_off_target_register
        from review.selectors import queue_row_prefetch_register

        # An answer's sign-off goes straight to the caller (review/routing.py).
        sign_off_target_register(call_sign_off_target)
        # Arrival at the caller and adoption there: the target has answered.
        route_events.subscribe(
            "calls.answers",
            calls_on_route_event,
            kinds={ReviewAction.SIGN_OFF, ReviewAction.FORWARD, ReviewAction.ADOPT, ReviewAction.ADOPT_FORWARD},
        )
        # Reminders, escalations and the issuer's summary (deadlines/registry.py).
        register(OBLIGATION_KIND, call_stages_fired, label=_("Call for submissions"))
        # "答复约稿" on the caller's queue rows, and the call and reporting points on the detail page.
        queue_row_prefetch_register(
            Prefetch(
                "bulletin__call_answer",
                queryset=CallAnswer.objects.select_related("call").only("bulletin_id", "call__title", "call_id"),
            )
        )
        panel_register(slot=BADGES, template_name="calls/_answer_badge.html")
        panel_register(slot=MAIN, template_name="calls/_bulletin_panel.html")
