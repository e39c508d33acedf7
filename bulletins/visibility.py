"""Who may see which bulletin: one rule, asked both ways (as Wagtail's permission policies do).

- `visible_bulletins(user, queryset)`: which bulletins (a filter, for lists, pages and exports);
- `can_see_bulletin(user, bulletin)`: this bulletin? (the same rule in Python on the loaded row);
- `visible_through_bulletin(user, queryset)`: the versions, attachments, queue entries, events,
  adoptions… of the bulletins the user may see;
- `sees_working_copy(user, bulletin)`: which text of it: the working copy (its own unit) or only
  the latest frozen version and that version's attachments (everyone else).

The rule (DOMAIN.md): a user sees their own unit's bulletins and those that reached their unit's
queue, now or earlier; an office head also sees every bulletin signed off in the subtree below
the unit; nobody sees another unit's drafts; a superuser without a unit sees everything.
Everything outside is a 404, exactly like a bulletin that does not exist.

It reads the bulletin's row only: "reached my unit" is `reached_unit_ids`, which review keeps
(review.services._open_entry), not a look into review's queue, so bulletins needs nothing above it.
"""

from django.db.models import Q, QuerySet

from bulletins.models import Bulletin


def visible_bulletins(user, queryset: QuerySet[Bulletin]) -> QuerySet[Bulletin]:
    """The part of `queryset` (bulletins) that `user` may see."""
    if queryset.model is not Bulletin:
        raise TypeError(f"visible_bulletins() takes bulletins, not {queryset.model.__name__}")
    return _narrow(user, queryset, prefix="")


def visible_through_bulletin(user, queryset: QuerySet) -> QuerySet:
    """The part of `queryset` (anything with a `bulletin` foreign key) whose bulletin `user` may see.

    A join on the bulletin rather than `bulletin IN (visible bulletins)`: the rule reads only
    the bulletin's row (and its filing unit for office heads), so no subquery is needed.
    """
    field = next((f for f in queryset.model._meta.get_fields() if f.name == "bulletin"), None)
    if field is None or field.related_model is not Bulletin:
        raise TypeError(f"{queryset.model.__name__} has no bulletin to follow")
    return _narrow(user, queryset, prefix="bulletin__")


def can_see_bulletin(user, bulletin: Bulletin) -> bool:
    """May `user` see `bulletin`? The same rule on the loaded row: no query, except the filing
    unit's path for an office head when `filing_unit` was not loaded with the bulletin."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.unit_id is None:
        return user.is_superuser
    if bulletin.filing_unit_id == user.unit_id or user.unit_id in bulletin.reached_unit_ids:
        return True
    return bool(
        user.is_office_head
        and bulletin.signed_off_at is not None
        and bulletin.filing_unit.path.startswith(user.unit.path)
    )


def sees_working_copy(user, bulletin: Bulletin) -> bool:
    """Does `user` read the bulletin's working copy (work in progress), or only its latest frozen
    version? The working copy stays with the filing unit; a bulletin never submitted has nothing
    frozen (and only its own unit, or a superuser, sees it at all). No query."""
    return user.unit_id == bulletin.filing_unit_id or not bulletin.version_count


def _narrow(user, queryset: QuerySet, *, prefix: str) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.unit_id is None:
        return queryset if user.is_superuser else queryset.none()
    unit = user.unit
    # `reached_unit_ids @> '{unit}'`, which the GIN index bulletin_reached_units serves (`= ANY`
    # would not use it).
    visible = Q(**{f"{prefix}filing_unit_id": unit.pk}) | Q(**{f"{prefix}reached_unit_ids__contains": [unit.pk]})
    if user.is_office_head:
        visible |= Q(**{f"{prefix}filing_unit__path__startswith": unit.path, f"{prefix}signed_off_at__isnull": False})
    return queryset.filter(visible)
