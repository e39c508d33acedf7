"""Numbers are given at sign-off: gapless per journal and year, with a running total, unique in
PostgreSQL even when two office heads sign off at the same moment (two real connections)."""

import threading

import pytest
from django.db import IntegrityError, connections, transaction

from accounts.models import User
from documents.description import Description
from documents.services import document_create
from journals.models import Issue, IssueState
from journals.services import issue_sign_off
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sign_offs_at_once_take_consecutive_numbers(tree, journal, compile_issue, monkeypatch):
    # The renders are not the point here (and would run in these threads): not queued.
    monkeypatch.setattr("documents.services._queue_render", lambda pk: None)
    second_head = UserFactory(username="lj.head2", unit=tree.city_a, is_office_head=True)
    heads = [tree.user("city_a", "head"), second_head]
    drafts = [compile_issue(1), compile_issue(1)]
    barrier = threading.Barrier(2)
    outcomes, errors = {}, []

    def sign(index):
        try:
            actor = User.objects.select_related("unit").get(pk=heads[index].pk)
            draft = Issue.objects.get(pk=drafts[index].pk)
            barrier.wait(timeout=10)
            outcomes[index] = issue_sign_off(actor=actor, issue=draft)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == [] and len(outcomes) == 2
    issues = Issue.objects.filter(journal=journal).order_by("number")
    assert [(i.number, i.total_number, i.state) for i in issues] == [
        (1, 301, IssueState.SIGNED_OFF),
        (2, 302, IssueState.SIGNED_OFF),
    ]
    assert len({i.document_id for i in issues}) == 2


def test_the_database_refuses_a_duplicate_number_or_total(tree, journal, compile_issue, monkeypatch):
    monkeypatch.setattr("documents.services._queue_render", lambda pk: None)
    first = issue_sign_off(actor=tree.user("city_a", "head"), issue=compile_issue(1))
    draft = compile_issue(1)
    second = issue_sign_off(actor=tree.user("city_a", "head"), issue=draft)
    assert (first.number, second.number) == (1, 2)
    # Whatever writes the rows: a second issue 1 of the year, or a second 总第301期, is refused.
    third = compile_issue(1)
    document = document_create(
        actor=first.signer, kind="journal_issue", title="x", file_stem="x", description=Description()
    )
    for changes, constraint in (
        ({"number": 1, "total_number": 999}, "issue_number_once_per_year"),
        ({"number": 50, "total_number": 301}, "issue_total_once_per_journal"),
    ):
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            Issue.objects.filter(pk=third.pk).update(
                state=IssueState.SIGNED_OFF,
                year=first.year,
                signer=first.signer,
                signed_off_by=first.signer,
                signed_off_at=first.signed_off_at,
                document_id=document.pk,
                **changes,
            )
