"""删除草稿: a draft nobody will sign off is deleted with a reason; its bulletins go back to the
picker, it leaves the lists, its row and history stay (frozen); a signed-off issue is refused;
outside the compiling unit the page is a 404."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from journals import selectors
from journals.exceptions import IssueError, NotPermitted
from journals.models import REASON_MAX_LENGTH, Issue, IssueAction, IssueEvent, IssueItem, IssueState, ItemSource
from journals.services import issue_add_items, issue_create, issue_discard, issue_sign_off

pytestmark = pytest.mark.django_db


def _picker_ids(journal):
    return set(selectors.picker(journal=journal).values_list("pk", flat=True))


def test_deleting_a_draft_gives_its_bulletins_back_to_the_picker(tree, journal, compile_issue):
    issue = compile_issue(2)
    held = set(ItemSource.objects.filter(item__issue=issue).values_list("adoption_id", flat=True))
    assert len(held) == 2 and not held & _picker_ids(journal)

    reviewer = tree.user("city_a", "reviewer")
    issue_discard(actor=reviewer, issue_id=issue.pk, reason="主题调整，本期不再编发")

    assert held <= _picker_ids(journal)
    issue.refresh_from_db()
    assert issue.state == IssueState.DISCARDED and issue.number is None
    assert not IssueItem.objects.filter(issue=issue).exists()
    # The same bulletins can be printed in another draft of the journal.
    other = issue_create(actor=reviewer, journal=journal)
    items = issue_add_items(actor=reviewer, issue=other, adoption_ids=sorted(held), kind="full")
    assert len(items) == 2


def test_the_reason_is_required_bounded_and_recorded_with_who_and_when(tree, compile_issue):
    issue = compile_issue(1)
    head = tree.user("city_a", "head")
    for reason in ("", "   ", "长" * (REASON_MAX_LENGTH + 1)):
        with pytest.raises(ValidationError):
            issue_discard(actor=head, issue_id=issue.pk, reason=reason)
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT and issue.items.count() == 1

    issue_discard(actor=head, issue_id=issue.pk, reason="与第3期内容重复")
    event = IssueEvent.objects.filter(issue=issue).order_by("at", "pk").last()
    assert event.action == IssueAction.DISCARDED and event.actor == head and event.at is not None
    assert event.comment == "与第3期内容重复（同时删除1条）"
    # The earlier history stays with the row.
    assert list(issue.events.order_by("at", "pk").values_list("action", flat=True)) == [
        IssueAction.CREATED,
        IssueAction.ITEM_ADDED,
        IssueAction.DISCARDED,
    ]


def test_only_the_units_compilers_delete_and_only_a_draft(tree, compile_issue, publish):
    issue = compile_issue(1)
    for unit, role in (("city_a", "staff"), ("city_b", "head"), ("province", "reviewer")):
        with pytest.raises(NotPermitted):
            issue_discard(actor=tree.user(unit, role), issue_id=issue.pk, reason="不需要")
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT

    published = publish(compile_issue(1))
    with pytest.raises(IssueError):
        issue_discard(actor=tree.user("city_a", "head"), issue_id=published.pk, reason="不需要")
    published.refresh_from_db()
    assert published.state == IssueState.PUBLISHED and published.items.count() == 1

    issue_discard(actor=tree.user("city_a", "reviewer"), issue_id=issue.pk, reason="不需要")
    with pytest.raises(IssueError):  # once only
        issue_discard(actor=tree.user("city_a", "reviewer"), issue_id=issue.pk, reason="再删一次")
    with pytest.raises(IssueError):  # and never signed off afterwards
        issue_sign_off(actor=tree.user("city_a", "head"), issue=issue)
    assert issue.events.filter(action=IssueAction.DISCARDED).count() == 1


def test_a_signed_off_issue_still_rendering_is_refused(tree, compile_issue, fake_pdf):
    issue = compile_issue(1)
    issue_sign_off(actor=tree.user("city_a", "head"), issue=issue)  # the render waits for the commit
    issue.refresh_from_db()
    assert issue.state == IssueState.SIGNED_OFF
    with pytest.raises(IssueError):
        issue_discard(actor=tree.user("city_a", "head"), issue_id=issue.pk, reason="不需要")


def test_a_deleted_draft_is_frozen_by_the_database(tree, compile_issue):
    issue = compile_issue(0)
    issue_discard(actor=tree.user("city_a", "reviewer"), issue_id=issue.pk, reason="不需要")
    for sql in (
        "UPDATE journals_issue SET state = 'draft' WHERE id = %s",
        "DELETE FROM journals_issue WHERE id = %s",
        "INSERT INTO journals_issueitem (issue_id, position, kind, section, title, body, editors_note)"
        " VALUES (%s, 1, 'full', '', 'added', 'added', '')",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [issue.pk])
    assert Issue.objects.get(pk=issue.pk).state == IssueState.DISCARDED


# --- the pages ----------------------------------------------------------------------------------


def _discard_url(issue):
    return reverse("journals:discard", kwargs={"pk": issue.pk})


def test_the_confirmation_shows_the_draft_and_the_post_deletes_it(
    client, tree, journal, compile_issue, django_assert_num_queries
):
    issue = compile_issue(2)
    issue.title = "基层党建专题"
    issue.save(update_fields=["title"])
    client.force_login(tree.user("city_a", "reviewer"))
    compile_page = client.get(reverse("journals:issue", kwargs={"pk": issue.pk})).content.decode()
    assert f'href="{_discard_url(issue)}"' in compile_page and "btn-outline-danger" in compile_page

    with django_assert_num_queries(5):  # session, user, the issue, its items' titles, the unread badge
        page = client.get(_discard_url(issue))
    assert page.status_code == 200
    html = page.content.decode()
    assert "基层党建专题" in html and "2 条" in html
    assert f'maxlength="{REASON_MAX_LENGTH}"' in html and "required" in html
    assert "<script>" not in html and "onclick" not in html

    response = client.post(_discard_url(issue), {"reason": "主题调整"}, follow=True)
    assert response.redirect_chain == [(reverse("journals:journal", kwargs={"pk": journal.pk}), 302)]
    assert [str(m) for m in response.context["messages"]] == ["《临江组工信息》的草稿已删除，其中的信息可以重新选用。"]
    # The journal page and the list no longer show it; the issue itself is gone (404).
    assert response.context["drafts"] == []
    assert client.get(reverse("journals:issue", kwargs={"pk": issue.pk})).status_code == 404
    listed = client.get(reverse("journals:list")).context["journals"]
    assert [j.drafts for j in listed if j.pk == journal.pk] == [0]
    issue.refresh_from_db()
    assert issue.state == IssueState.DISCARDED


def test_an_empty_reason_gets_a_form_error_and_changes_nothing(client, tree, compile_issue):
    issue = compile_issue(1)
    events = issue.events.count()
    client.force_login(tree.user("city_a", "reviewer"))
    for reason in ("", "   ", "长" * (REASON_MAX_LENGTH + 1)):
        response = client.post(_discard_url(issue), {"reason": reason})
        assert response.status_code == 200
        assert response.context["form"].errors["reason"], reason
    assert "请说明删除草稿的原因。" in client.post(_discard_url(issue), {"reason": ""}).content.decode()
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT and issue.items.count() == 1 and issue.events.count() == events


def test_outside_the_compiling_unit_the_page_is_a_404(client, tree, compile_issue):
    issue = compile_issue(1)
    for unit, role in (("city_b", "head"), ("city_a", "staff"), ("county_a1", "reviewer"), ("province", "head")):
        client.force_login(tree.user(unit, role))
        assert client.get(_discard_url(issue)).status_code == 404, (unit, role)
        assert client.post(_discard_url(issue), {"reason": "不需要"}).status_code == 404, (unit, role)
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT


def test_a_signed_off_issue_is_not_deleted_through_the_page(client, tree, compile_issue, publish):
    issue = publish(compile_issue(1))
    client.force_login(tree.user("city_a", "head"))
    issue_url = reverse("journals:issue", kwargs={"pk": issue.pk})
    for response in (client.get(_discard_url(issue)), client.post(_discard_url(issue), {"reason": "不需要"})):
        assert response.status_code == 302 and response.url == issue_url
    assert "to-discard" not in client.get(issue_url).content.decode()
    issue.refresh_from_db()
    assert issue.state == IssueState.PUBLISHED and not issue.events.filter(action=IssueAction.DISCARDED).exists()
