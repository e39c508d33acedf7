"""Domain errors of the review workflow; views turn them into Chinese messages."""

from django.utils import timezone
from django.utils.translation import gettext as _


class ReviewError(Exception):
    """Base class: carries a message that can be shown to the user as it is."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class NotPermitted(ReviewError):
    """The actor may not take this action on this bulletin (wrong unit or role)."""


class InvalidTransition(ReviewError):
    """The bulletin is not in a state that allows the action.

    When someone else's decision got there first, `decision` is that ReviewEvent (who, what,
    when), and the message says so.
    """

    def __init__(self, message: str = "", *, decision=None):
        self.decision = decision
        if decision is not None and not message:
            message = already_decided_message(decision)
        super().__init__(message or _("This action is not possible in the bulletin's current state."))


def already_decided_message(event) -> str:
    return _(
        "%(actor)s (%(unit)s) already took a decision on this bulletin at %(at)s: %(action)s. "
        "Your decision was not recorded."
    ) % {
        "actor": event.actor.get_full_name(),
        "unit": event.from_unit.short_name,
        "at": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        "action": event.get_action_display(),
    }
