"""Domain errors of the review workflow, in the bulletins family (bulletins.exceptions).

Review refuses with bulletins' NotPermitted and with its own InvalidTransition, a
bulletins InvalidTransition that can name the decision that got there first; a view catches
the whole family with `except BulletinError`.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bulletins.exceptions import InvalidTransition as BulletinInvalidTransition


class InvalidTransition(BulletinInvalidTransition):
    """The bulletin is not in a state that allows the action.

    When someone else's decision got there first, `decision` is that ReviewEvent (who, what,
    when), and the message says so.
    """

    default_message = gettext_lazy("This action is not possible in the bulletin's current state.")

    def __init__(self, message: str = "", *, decision=None):
        self.decision = decision
        if decision is not None and not message:
            message = already_decided_message(decision)
        super().__init__(message)


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


class MissingFacts(InvalidTransition):
    """The bulletin lacks a fact the route requires (真实性): `missing` names the fields."""

    def __init__(self, message: str, *, missing: list[str]):
        self.missing = list(missing)
        super().__init__(message)
