"""Which units a user may see; bulletins have their own policy (bulletins.visibility).

An object outside the scope is a 404, exactly like one that does not exist.
"""

from django.db.models import QuerySet

from accounts.models import OrgUnit


def visible_units(user, queryset: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    """A user sees their own unit and every unit below it (for routing, filters and statistics)."""
    if queryset.model is not OrgUnit:
        raise TypeError(f"visible_units() takes units, not {queryset.model.__name__}")
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.is_superuser and user.unit_id is None:
        return queryset
    if user.unit_id is None:
        return queryset.none()
    return queryset.filter(path__startswith=user.unit.path)
