"""A signed-off issue is frozen by PostgreSQL: its row, its items and their sources refuse any
change, whatever writes them; the history and the printing facts are append-only."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from journals.models import Issue, IssueEvent, IssueItem, IssueState, ItemKind, ItemSource, Printing

pytestmark = pytest.mark.django_db


def _refused(sql, params=()):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_published_issue_its_items_and_sources_refuse_changes(compile_issue, publish):
    issue = publish(compile_issue(2))
    item = issue.items.first()
    source = ItemSource.objects.filter(item__issue=issue).first()
    _refused("UPDATE journals_issue SET title = 'changed' WHERE id = %s", [issue.pk])
    _refused("UPDATE journals_issue SET number = 99 WHERE id = %s", [issue.pk])
    _refused("UPDATE journals_issue SET state = 'draft', published_at = NULL WHERE id = %s", [issue.pk])
    _refused("DELETE FROM journals_issue WHERE id = %s", [issue.pk])
    _refused("UPDATE journals_issueitem SET body = 'changed' WHERE id = %s", [item.pk])
    _refused("DELETE FROM journals_itemsource WHERE id = %s", [source.pk])
    _refused(
        "INSERT INTO journals_issueitem (issue_id, position, kind, section, title, body, editors_note)"
        " VALUES (%s, 9, 'full', '', 'added', 'added', '')",
        [issue.pk],
    )
    _refused("UPDATE journals_issueevent SET comment = 'x' WHERE issue_id = %s", [issue.pk])
    _refused("DELETE FROM journals_printing WHERE issue_id = %s", [issue.pk])
    issue.refresh_from_db()
    item.refresh_from_db()
    assert issue.title == "" and item.body != "changed" and issue.items.count() == 2


def test_a_signed_off_issue_may_only_be_published_and_nothing_else(compile_issue, tree, monkeypatch):
    from journals import services

    # The render never runs (its task is not queued): the issue waits "signed off".
    monkeypatch.setattr("documents.services._queue_render", lambda pk: None)
    issue = services.issue_sign_off(actor=tree.user("city_a", "head"), issue=compile_issue(1))
    assert issue.state == IssueState.SIGNED_OFF
    _refused("UPDATE journals_issue SET title = 'changed' WHERE id = %s", [issue.pk])
    _refused(
        "UPDATE journals_issue SET state = 'published', published_at = now(), title = 'x' WHERE id = %s", [issue.pk]
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        IssueItem.objects.filter(issue=issue).update(kind=ItemKind.ABRIDGED)
    # The one change it allows: its publication.
    updated = Issue.objects.filter(pk=issue.pk).update(state=IssueState.PUBLISHED, published_at=timezone.now())
    assert updated == 1


def test_a_draft_stays_editable(compile_issue):
    issue = compile_issue(1)
    assert Issue.objects.filter(pk=issue.pk).update(title="专题") == 1
    assert IssueItem.objects.filter(issue=issue).update(title="新") == 1
    assert IssueEvent.objects.filter(issue=issue).exists()
    assert not Printing.objects.filter(issue=issue).exists()
