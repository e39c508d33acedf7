"""Rules of the route that read only what is already loaded: where a sign-off sends a bulletin,
and what a bulletin must carry before it is submitted or signed off (真实性).

The services (review/services.py) refuse with them; the decision page shows the same list of
what is missing before the reviewer presses the button.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from review.exceptions import MissingFacts
from review.models import ReviewAction

SOURCE_LABEL = gettext_lazy("source and verification")
PLACE_LABEL = gettext_lazy("place")
# What a first incident report may say of facts still being verified (the guide's words).
VERIFYING = "正在核实"


def is_incident(bulletin) -> bool:
    """An incident report (突发事件): its category carries a deadline (data, not code)."""
    return bulletin.category.deadline_minutes is not None


def _blank(value) -> bool:
    return not (value or "").strip()


def missing_for_submit(bulletin) -> list[str]:
    """What an incident report lacks to be submitted: its place and its source (a first report
    goes with the facts known so far, so the verification may read “正在核实”)."""
    if not is_incident(bulletin):
        return []
    missing = []
    if _blank(bulletin.place):
        missing.append(str(PLACE_LABEL))
    if _blank(bulletin.source):
        missing.append(str(SOURCE_LABEL))
    return missing


def missing_for_sign_off(bulletin) -> list[str]:
    """What the bulletin lacks to be signed off: its source and verification, for every bulletin
    (and an incident's place, which its submission already required)."""
    missing = []
    if is_incident(bulletin) and _blank(bulletin.place):
        missing.append(str(PLACE_LABEL))
    if _blank(bulletin.source):
        missing.append(str(SOURCE_LABEL))
    return missing


def check_ready_to_submit(bulletin) -> None:
    missing = missing_for_submit(bulletin)
    if missing:
        raise MissingFacts(
            _(
                "An incident report cannot be submitted without %(missing)s. A first report goes with "
                "the facts known so far: if they are still being verified, write “%(verifying)s”."
            )
            % {"missing": "、".join(missing), "verifying": VERIFYING},
            missing=missing,
        )


def check_ready_to_sign_off(bulletin) -> None:
    missing = missing_for_sign_off(bulletin)
    if missing:
        raise MissingFacts(
            _(
                "This bulletin cannot be signed off without %(missing)s (truthfulness). "
                "Return it to the filing unit to add them."
            )
            % {"missing": "、".join(missing)},
            missing=missing,
        )


def sign_off_target_id(events: Iterable, *, filing_unit_id: int) -> int | None:
    """The upper unit a sign-off must send the bulletin straight back to, or None (the parent).

    `events`: the bulletin's returns and sign-offs, oldest first. A return by a unit above the
    filing unit that no sign-off has answered yet is owed: the revised version goes to that unit,
    not back through the levels below it. A return at the bulletin's own sign-off step changes
    nothing (the unit it is owed to, if any, stays the same).
    """
    owed = None
    for event in events:
        if event.action == ReviewAction.SIGN_OFF:
            owed = None
        elif event.action == ReviewAction.RETURN and event.from_unit_id != filing_unit_id:
            owed = event.from_unit_id
    return owed
