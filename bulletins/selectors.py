"""Reads on bulletins, always through accounts.permissions.scope (out of scope = does not exist)."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.permissions import scope
from bulletins.diff import SideBySide, char_diff
from bulletins.models import Attachment, Bulletin, BulletinVersion
from bulletins.search_sql import BIGRAM_MATCH_SQL

LIST_RELATED = ("category", "filing_unit", "author", "incident_clock")


def bulletin_keyword_filter(queryset: QuerySet, keyword: str, *, use_index: bool = True) -> QuerySet:
    """Bulletins whose title or body contains every whitespace-separated term of `keyword`.

    On PostgreSQL a term of two or more characters is first narrowed by the bigram GIN index
    (bulletins/search_sql.py), then confirmed by a case-insensitive LIKE; elsewhere, and for
    one-character terms, only the LIKE runs. `use_index=False` when the queryset is already
    narrowed to one unit's bulletins (a few thousand rows at most): the planner ANDs the GIN
    bitmap with the unit's index, and for a common word (党建: 170,000 of 1M bulletins) that
    bitmap and its recheck cost 0.4-1 s, while a LIKE over the unit's rows costs 2-30 ms.
    """
    for term in (keyword or "").split():
        if term.lower() == term.upper():
            # No letter with a case (Chinese, digits): a plain LIKE finds the same rows without
            # UPPER() over every candidate body (3.5 times faster per row at 560 characters).
            contains = Q(title__contains=term) | Q(body__contains=term)
        else:
            contains = Q(title__icontains=term) | Q(body__icontains=term)
        if use_index and connection.vendor == "postgresql" and len(term) >= 2:
            queryset = queryset.filter(RawSQL(BIGRAM_MATCH_SQL, (term,), output_field=BooleanField()))
        queryset = queryset.filter(contains)
    return queryset


def overdue_q(now=None) -> Q:
    """Incidents past their deadline that have not been signed off (the partial index serves this)."""
    return Q(deadline_at__lt=now or timezone.now(), signed_off_at__isnull=True)


def bulletin_list(*, user) -> QuerySet:
    """My unit's bulletins (the filing unit is the user's unit), newest first, ready for the list page."""
    queryset = Bulletin.objects.all()
    if user.unit_id is not None:
        queryset = queryset.filter(filing_unit_id=user.unit_id)
    # The list shows no body: leave the long texts in the table (the keyword filter reads them in SQL).
    queryset = scope(user, queryset).select_related(*LIST_RELATED).defer("body", "source", "author__password")
    return queryset.order_by("-created_at", "-pk")


def bulletin_get(*, user, pk: int) -> Bulletin:
    """One bulletin the user may see, with what its detail page shows; 404 otherwise."""
    queryset = scope(user, Bulletin.objects.all()).select_related(*LIST_RELATED, "current_unit")
    queryset = queryset.prefetch_related(
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(removed_at__isnull=True).select_related("uploaded_by"),
            to_attr="active_attachments",
        ),
        Prefetch(
            "versions",
            queryset=BulletinVersion.objects.select_related("created_by").order_by("-number"),
            to_attr="version_list",
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def attachment_get(*, user, pk: int) -> Attachment:
    """An attachment of a bulletin the user may see (removed ones too: frozen versions list them)."""
    return get_object_or_404(scope(user, Attachment.objects.all()).select_related("bulletin"), pk=pk)


# ---------------------------------------------------------------------------------------------
# Comparing versions


@dataclass(frozen=True)
class FactRow:
    label: str
    diff: SideBySide


def _fact_text(snapshot, name: str) -> str:
    value = getattr(snapshot, name)
    if name == "occurred_at":
        return date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""
    if name == "category":
        return str(value)
    if name == "attachments":
        return "\n".join(item["name"] for item in value)
    return value or ""


FACT_FIELDS = (
    ("category", _("category")),
    ("occurred_at", _("occurred at")),
    ("place", _("place")),
    ("source", _("source and verification")),
    ("contact_name", _("contact person")),
    ("contact_phone", _("contact phone")),
    ("attachments", _("attachments")),
)


@dataclass(frozen=True)
class VersionComparison:
    old: BulletinVersion
    new: BulletinVersion
    title: SideBySide
    body: SideBySide
    facts: list[FactRow]

    @property
    def changed_facts(self) -> list[FactRow]:
        return [row for row in self.facts if row.diff.changed]


def version_compare(*, bulletin: Bulletin, old_number: int, new_number: int) -> VersionComparison:
    """Two frozen versions of a bulletin (already fetched through scope), diffed character by character."""
    versions = {
        v.number: v
        for v in BulletinVersion.objects.filter(bulletin=bulletin, number__in=[old_number, new_number]).select_related(
            "category", "created_by"
        )
    }
    if old_number not in versions or new_number not in versions:
        raise Http404
    old, new = versions[old_number], versions[new_number]
    facts = [
        FactRow(str(label), char_diff(_fact_text(old, name), _fact_text(new, name))) for name, label in FACT_FIELDS
    ]
    return VersionComparison(
        old=old, new=new, title=char_diff(old.title, new.title), body=char_diff(old.body, new.body), facts=facts
    )
