"""Who may issue, see, answer and follow a call; one scope for calls, outside it a 404."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import OrgLevel
from calls.models import Call, CallTarget


def can_issue(user) -> bool:
    """A city, province or central unit's reviewers or office head issue calls."""
    unit = getattr(user, "unit", None)
    return bool(
        getattr(user, "is_authenticated", False)
        and unit is not None
        and unit.level <= OrgLevel.CITY
        and (user.is_reviewer or user.is_office_head)
    )


def visible_calls(user, queryset: QuerySet[Call] | None = None) -> QuerySet[Call]:
    """Calls of the user's unit (issued by it, for its reviewers and head) and calls addressed to it."""
    queryset = Call.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return queryset.none()
    addressed = Exists(CallTarget.objects.filter(call=OuterRef("pk"), unit_id=user.unit_id))
    own = Q(issuer_unit_id=user.unit_id) if (user.is_reviewer or user.is_office_head) else Q(pk__in=[])
    return queryset.filter(own | Q(addressed))


def is_issuer(user, call: Call) -> bool:
    return call.issuer_unit_id == user.unit_id and (user.is_reviewer or user.is_office_head)


def can_answer(user, call: Call, target: CallTarget | None) -> bool:
    return bool(call.is_open and target is not None and user.is_officer and target.unit_id == user.unit_id)
