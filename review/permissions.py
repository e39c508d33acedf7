"""Who may do what to a bulletin on its route: one function answers for buttons, forms, views
and services alike."""

from bulletins.models import BulletinStatus
from review.models import ReviewAction

# Actions taken by the filing unit on its own bulletin (buttons on the bulletin's pages).
FILING_ACTIONS = (ReviewAction.SUBMIT, ReviewAction.RESUBMIT, ReviewAction.WITHDRAW)
# Decisions taken by a reviewer of the unit holding the bulletin (the decision form).
DECISION_ACTIONS = (
    ReviewAction.SIGN_OFF,
    ReviewAction.ADOPT,
    ReviewAction.ADOPT_FORWARD,
    ReviewAction.FORWARD,
    ReviewAction.RETURN,
    ReviewAction.DECLINE,
)


def available_actions(user, bulletin) -> list[ReviewAction]:
    """The route actions `user` may take on `bulletin` now (no queries beyond user.unit).

    Assumes the caller already checked that the bulletin is in the user's scope.
    """
    if not getattr(user, "is_authenticated", False) or user.unit_id is None or not user.is_active:
        return []
    actions: list[ReviewAction] = []
    status = bulletin.status
    in_filing_unit = user.unit_id == bulletin.filing_unit_id
    if in_filing_unit and (user.is_officer or user.pk == bulletin.author_id):
        if status == BulletinStatus.DRAFT:
            actions.append(ReviewAction.SUBMIT)
        elif status == BulletinStatus.RETURNED:
            actions.append(ReviewAction.RESUBMIT)
        elif status == BulletinStatus.SUBMITTED:
            actions.append(ReviewAction.WITHDRAW)
    if user.can_review and bulletin.current_unit_id == user.unit_id:
        has_parent = user.unit.parent_id is not None
        if status == BulletinStatus.SUBMITTED and in_filing_unit:
            # Sign-off (签发) at the filing unit: never by the bulletin's own author.
            if has_parent and user.pk != bulletin.author_id:
                actions.append(ReviewAction.SIGN_OFF)
            actions.append(ReviewAction.RETURN)
        elif status == BulletinStatus.IN_REVIEW:
            actions.append(ReviewAction.ADOPT)
            if has_parent:
                actions += [ReviewAction.ADOPT_FORWARD, ReviewAction.FORWARD]
            actions += [ReviewAction.RETURN, ReviewAction.DECLINE]
    return actions


def decision_actions(user, bulletin) -> list[ReviewAction]:
    """The subset of available_actions() offered on the decision form."""
    return [a for a in available_actions(user, bulletin) if a in DECISION_ACTIONS]


def filing_actions(user, bulletin) -> list[ReviewAction]:
    """The subset of available_actions() shown as buttons to the filing unit."""
    return [a for a in available_actions(user, bulletin) if a in FILING_ACTIONS]


def can_decide(user, bulletin) -> bool:
    return bool(decision_actions(user, bulletin))


def can_add_instruction(user, adoption) -> bool:
    """A reviewer (or office head) of the adopting unit records a leader's instruction."""
    return bool(getattr(user, "is_authenticated", False) and user.can_review and user.unit_id == adoption.unit_id)
