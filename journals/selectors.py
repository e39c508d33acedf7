"""Reading journals: every queryset scoped by journals/visibility.py and loaded for its page
(a constant number of queries whatever the number of issues or items)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from journals.models import Issue, IssueEvent, IssueItem, IssueState, ItemSource, Journal, Printing
from journals.visibility import compiles_for, readable_journals, visible_issues
from review.models import Adoption

SOURCES = Prefetch(
    "sources",
    queryset=ItemSource.objects.select_related("adoption__bulletin__filing_unit").order_by("position", "pk"),
)


def journals_for(*, user) -> QuerySet[Journal]:
    """The journals the user reads or compiles, with their published issues this year."""
    year = timezone.localdate().year
    return (
        readable_journals(user, Journal.objects.filter(active=True))
        .select_related("unit", "type")
        .annotate(
            issues_this_year=Count("issues", filter=Q(issues__state=IssueState.PUBLISHED, issues__year=year)),
            drafts=Count("issues", filter=Q(issues__state__in=(IssueState.DRAFT, IssueState.SIGNED_OFF))),
        )
        .order_by("unit__path", "type__sort_order", "pk")
    )


def journal_get(*, user, pk: int) -> Journal:
    journal = readable_journals(user, Journal.objects.select_related("unit", "type")).filter(pk=pk).first()
    if journal is None:
        raise Http404
    return journal


def published_years(*, journal: Journal) -> list[int]:
    return list(
        Issue.objects.filter(journal=journal, state=IssueState.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def reading_room(*, journal: Journal, year: int) -> QuerySet[Issue]:
    """A journal's published issues of a year, newest first, with their items' titles."""
    return (
        Issue.objects.filter(journal=journal, state=IssueState.PUBLISHED, year=year)
        .select_related("document")
        .prefetch_related(
            Prefetch("items", queryset=IssueItem.objects.only("pk", "issue_id", "title", "position", "kind"))
        )
        .order_by("-number")
    )


def journal_search(*, journal: Journal, query: str) -> QuerySet[IssueItem]:
    """Items of the journal's published issues whose title or text holds `query`, newest first."""
    return (
        IssueItem.objects.filter(issue__journal=journal, issue__state=IssueState.PUBLISHED)
        .filter(Q(title__icontains=query) | Q(body__icontains=query))
        .select_related("issue__journal")
        .order_by("-issue__year", "-issue__number", "position")
    )


def drafts_of(*, user, journal: Journal) -> QuerySet[Issue]:
    """The journal's drafts and issues being rendered, for its compilers (none for others);
    deleted drafts are gone from the list."""
    if not compiles_for(user, journal):
        return Issue.objects.none()
    return (
        Issue.objects.filter(journal=journal, state__in=(IssueState.DRAFT, IssueState.SIGNED_OFF))
        .select_related("document")
        .annotate(item_count=Count("items"))
        .order_by("-created_at")
    )


def issue_get(*, user, pk: int) -> Issue:
    """An issue the user may open, or 404 (hidden and missing look the same)."""
    issue = (
        visible_issues(user, Issue.objects.select_related("journal__unit", "journal__type", "signer", "document"))
        .filter(pk=pk)
        .first()
    )
    if issue is None:
        raise Http404
    return issue


def issue_items(*, issue: Issue) -> list[IssueItem]:
    """Its items in order, each with its credited sources (two queries)."""
    return list(issue.items.select_related("corrects").prefetch_related(SOURCES).order_by("position", "pk"))


def issue_corrections(*, issue: Issue) -> list[IssueItem]:
    """Corrections of this issue printed in later published issues (the note on its page)."""
    return list(
        IssueItem.objects.filter(corrects=issue, issue__state=IssueState.PUBLISHED)
        .select_related("issue__journal")
        .order_by("issue__year", "issue__number")
    )


def issue_history(*, issue: Issue) -> QuerySet[IssueEvent]:
    return issue.events.select_related("actor").order_by("at", "pk")


def picker(*, journal: Journal, query: str = "") -> QuerySet[Adoption]:
    """What the compiler may print: bulletins the journal's unit adopted and not yet printed in
    this journal (in any issue, draft or published), newest adoption first."""
    printed = ItemSource.objects.filter(journal_id=journal.pk, adoption_id=OuterRef("pk"))
    adoptions = (
        Adoption.objects.filter(unit_id=journal.unit_id)
        .exclude(Exists(printed))
        .select_related("bulletin__filing_unit", "bulletin__category")
        .defer("bulletin__body", "bulletin__source", "bulletin__revision_body")
        .order_by("-adopted_at", "-pk")
    )
    if query:
        adoptions = adoptions.filter(
            Q(bulletin__title__icontains=query) | Q(bulletin__filing_unit__name__icontains=query)
        )
    return adoptions


def correctable_issues(*, journal: Journal) -> QuerySet[Issue]:
    return Issue.objects.filter(journal=journal, state=IssueState.PUBLISHED).order_by("-year", "-number")[:50]


@dataclass(frozen=True)
class PrintedIn:
    issue: Issue
    treatment_label: str
    readable: bool


def printed_in(*, user, bulletin) -> list[PrintedIn]:
    """Where the bulletin was printed ("刊于《…》2026年第15期"), each marked readable or not (two queries)."""
    printings = list(
        Printing.objects.filter(bulletin=bulletin).select_related("issue__journal").order_by("printed_at", "pk")
    )
    if not printings:
        return []
    readable = set(
        visible_issues(user, Issue.objects.filter(pk__in={p.issue_id for p in printings})).values_list("pk", flat=True)
    )
    return [PrintedIn(p.issue, p.get_treatment_display(), p.issue_id in readable) for p in printings]
