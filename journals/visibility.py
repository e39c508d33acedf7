"""Who reads which journal and which issue: one policy, asked both ways (a filter and a predicate).

The readers of a journal are units (Journal: its own unit always; by default every unit below
it and the units above it reports to; any other unit named). Built on the same unit tree as the
bulletin scope (accounts' materialized paths): "below the journal's unit" is the journal's unit
on the reader's path, "above" the reader's path a prefix of the journal unit's.

- a published issue: every user of a reader unit;
- a draft, or an issue signed off and still rendering: the compiling unit's reviewers and heads;
- a deleted draft (kept for its history): nobody in the app, like one that never existed;
- a superuser without a unit: everything else.

Everything else is a 404, like an issue that does not exist (the issue page and both files).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from journals.models import Issue, IssueState, Journal


def _reader_q(user, *, prefix: str = "") -> Q:
    unit = user.unit
    extra = Journal.extra_readers.through.objects.filter(journal_id=OuterRef("pk"), orgunit_id=unit.pk)
    return (
        Q(**{f"{prefix}unit_id": unit.pk})
        | Q(**{f"{prefix}read_below": True, f"{prefix}unit_id__in": unit.ancestor_ids})
        | Q(**{f"{prefix}read_above": True, f"{prefix}unit__path__startswith": unit.path})
        | Q(Exists(extra))
    )


def readable_journals(user, queryset: QuerySet[Journal] | None = None) -> QuerySet[Journal]:
    """The journals whose published issues `user` reads."""
    queryset = Journal.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.unit_id is None:
        return queryset if user.is_superuser else queryset.none()
    return queryset.filter(_reader_q(user))


def compiles_for(user, journal: Journal) -> bool:
    """Reviewers and office heads of the journal's unit compile its issues (no query)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.can_review
        and user.unit_id == journal.unit_id
        and user.is_active
    )


def visible_issues(user, queryset: QuerySet[Issue] | None = None) -> QuerySet[Issue]:
    """The issues `user` may open: published ones of journals they read, and the compiling unit's
    own drafts and issues being rendered for its reviewers."""
    queryset = Issue.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    queryset = queryset.exclude(state=IssueState.DISCARDED)
    if user.unit_id is None:
        return queryset if user.is_superuser else queryset.none()
    unit = user.unit
    extra = Journal.extra_readers.through.objects.filter(journal_id=OuterRef("journal_id"), orgunit_id=unit.pk)
    reads = (
        Q(journal__unit_id=unit.pk)
        | Q(journal__read_below=True, journal__unit_id__in=unit.ancestor_ids)
        | Q(journal__read_above=True, journal__unit__path__startswith=unit.path)
        | Q(Exists(extra))
    )
    visible = Q(state=IssueState.PUBLISHED) & reads
    if user.can_review:
        visible |= Q(journal__unit_id=unit.pk)
    return queryset.filter(visible)


def can_read_issue(user, issue: Issue) -> bool:
    """The same rule on one issue (one query at most: the named extra readers)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or issue.is_discarded:
        return False
    if user.unit_id is None:
        return user.is_superuser
    journal = issue.journal
    if issue.state != IssueState.PUBLISHED:
        return compiles_for(user, journal)
    unit = user.unit
    if journal.unit_id == unit.pk:
        return True
    if journal.read_below and journal.unit_id in unit.ancestor_ids:
        return True
    if journal.read_above and journal.unit.path.startswith(unit.path):
        return True
    return journal.extra_readers.filter(pk=unit.pk).exists()


def can_read_document(user, document) -> bool:
    """The documents app's predicate for kind "journal_issue" (documents.access.register)."""
    issue = Issue.objects.select_related("journal__unit").filter(document_id=document.pk).first()
    return issue is not None and issue.is_published and can_read_issue(user, issue)
