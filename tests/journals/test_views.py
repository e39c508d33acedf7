"""The journal pages: one visibility policy (404 outside the readers, for the page and both
files), the compile → pick → sign-off flow, the 刊于 line, and query counts that do not grow
with the number of issues, items or adopted bulletins."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journals.models import Issue, IssueState, ItemSource
from tests.journals.conftest import FAKE_PDF

pytestmark = pytest.mark.django_db


def _urls(issue):
    return [
        reverse("journals:issue", kwargs={"pk": issue.pk}),
        reverse("journals:print", kwargs={"pk": issue.pk}),
        reverse("documents:file", kwargs={"pk": issue.document_id, "fmt": "pdf"}),
        reverse("documents:file", kwargs={"pk": issue.document_id, "fmt": "docx"}),
    ]


def _statuses(client, user, urls):
    client.force_login(user)
    return [client.get(url).status_code for url in urls]


def test_the_readers_open_the_issue_and_both_files_everyone_else_gets_404(
    client, tree, journal, compile_issue, publish
):
    issue = publish(compile_issue(1))
    urls = _urls(issue)
    for unit, role in (
        ("city_a", "staff"),
        ("county_a1", "staff"),
        ("county_a2", "reviewer"),
        ("province", "reviewer"),
        ("central", "head"),
    ):
        assert _statuses(client, tree.user(unit, role), urls) == [200] * 4, (unit, role)
    for unit, role in (("city_b", "head"), ("county_b1", "staff")):
        assert _statuses(client, tree.user(unit, role), urls) == [404] * 4, (unit, role)
    assert _statuses(client, tree.user("city_b", "head"), [reverse("journals:journal", kwargs={"pk": journal.pk})]) == [
        404
    ]
    # The pdf is the stored file.
    client.force_login(tree.user("county_a1", "staff"))
    assert b"".join(client.get(urls[2]).streaming_content) == FAKE_PDF

    journal.extra_readers.add(tree.city_b)
    assert _statuses(client, tree.user("city_b", "head"), urls) == [200] * 4
    journal.read_below = False
    journal.save()
    assert _statuses(client, tree.user("county_a1", "staff"), urls) == [404] * 4
    assert _statuses(client, tree.user("city_a", "staff"), urls) == [200] * 4


def test_a_draft_is_for_the_compiling_units_reviewers_only(client, tree, compile_issue):
    issue = compile_issue(1)
    url = reverse("journals:issue", kwargs={"pk": issue.pk})
    assert _statuses(client, tree.user("city_a", "reviewer"), [url]) == [200]
    assert _statuses(client, tree.user("city_a", "head"), [url]) == [200]
    for unit, role in (("city_a", "staff"), ("county_a1", "staff"), ("province", "head")):
        assert _statuses(client, tree.user(unit, role), [url]) == [404], (unit, role)


def test_compile_pick_and_sign_off_through_the_pages(
    client, tree, journal, adopt, fake_pdf, django_capture_on_commit_callbacks
):
    first, second = adopt("东湖区党员积分管理"), adopt("西岭县网格党建", county="county_a2")
    client.force_login(tree.user("city_a", "reviewer"))
    response = client.post(reverse("journals:issue_new", kwargs={"pk": journal.pk}))
    issue = Issue.objects.get(journal=journal)
    assert response.url == reverse("journals:issue", kwargs={"pk": issue.pk})
    pick = reverse("journals:pick", kwargs={"pk": issue.pk})
    page = client.get(pick)
    assert [a.pk for a in page.context["page_obj"]] == [second.pk, first.pk]
    assert client.get(pick, {"q": "网格"}).context["page_obj"].object_list[0].pk == second.pk
    # Nothing chosen: an error, nothing added.
    assert client.post(pick, {"kind": "full"}).status_code == 200 and not issue.items.exists()
    response = client.post(pick, {"adoptions": [first.pk, second.pk], "kind": "combined"})
    item = issue.items.get()
    assert response.url == reverse("journals:item_edit", kwargs={"pk": issue.pk, "item": item.pk})
    assert set(ItemSource.objects.filter(item=item).values_list("adoption_id", flat=True)) == {first.pk, second.pk}
    # A reviewer does not sign off.
    sign_off = reverse("journals:sign_off", kwargs={"pk": issue.pk})
    assert client.get(sign_off).status_code == 403

    client.force_login(tree.user("city_a", "head"))
    page = client.get(sign_off)
    assert page.status_code == 200 and b'data-testid="sign-off-warning"' in page.content
    # Without the confirmation box ticked, nothing happens.
    assert client.post(sign_off, {}).status_code == 200
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sign_off, {"confirm": "on", "comment": "同意印发"})
    issue.refresh_from_db()
    assert response.status_code == 302 and issue.state == IssueState.PUBLISHED and issue.number == 1
    page = client.get(reverse("journals:issue", kwargs={"pk": issue.pk}))
    assert b'data-testid="pdf-link"' in page.content
    # A frozen issue's compile pages send back to it.
    assert client.get(pick).status_code == 302


def test_the_printed_in_line_links_where_the_reader_may_open_the_issue(client, tree, journal, compile_issue, publish):
    issue = publish(compile_issue(1))
    bulletin = ItemSource.objects.get(item__issue=issue).adoption.bulletin
    url = reverse("bulletins:detail", kwargs={"pk": bulletin.pk})
    issue_url = reverse("journals:issue", kwargs={"pk": issue.pk}).encode()
    client.force_login(tree.user("county_a1", "staff"))
    page = client.get(url)
    assert b'data-testid="printed-in"' in page.content and issue_url in page.content
    # The province head sees the bulletin (signed off below) but, once the journal is not
    # distributed upward, not the issue: plain text.
    journal.read_above = False
    journal.save()
    client.force_login(tree.user("province", "head"))
    page = client.get(url)
    assert page.status_code == 200 and b'data-testid="printed-in"' in page.content
    assert issue_url not in page.content and issue.label.encode() in page.content


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_the_reading_room_issue_page_and_picker_run_a_constant_number_of_queries(
    client, tree, journal, compile_issue, publish, adopt, django_assert_num_queries
):
    reader = tree.user("county_a1", "staff")
    first = publish(compile_issue(1))
    room = reverse("journals:journal", kwargs={"pk": journal.pk})
    client.force_login(reader)
    client.get(room)  # the session's first write is not the page's cost
    small, _ = _count(client, room)
    small_issue, _ = _count(client, reverse("journals:issue", kwargs={"pk": first.pk}))
    small_search, _ = _count(client, room, q="党建")
    for _ in range(4):
        publish(compile_issue(6))
    big = publish(compile_issue(6))
    with django_assert_num_queries(small):
        response = client.get(room)
    assert len(response.context["page_obj"]) == 6
    with django_assert_num_queries(small_issue):
        response = client.get(reverse("journals:issue", kwargs={"pk": big.pk}))
    assert len(response.context["items"]) == 6
    with django_assert_num_queries(small_search):
        response = client.get(room, {"q": "党建"})
    assert len(response.context["page_obj"]) == 25  # 31 items match, one page of 25

    compiler = tree.user("city_a", "reviewer")
    client.force_login(compiler)
    draft = compile_issue(0)
    pick = reverse("journals:pick", kwargs={"pk": draft.pk})
    client.get(pick)
    adopt()
    few, response = _count(client, pick)
    assert len(response.context["page_obj"]) == 1
    for _ in range(12):
        adopt()
    with django_assert_num_queries(few):
        response = client.get(pick)
    assert len(response.context["page_obj"]) == 13
    compile_page, _ = _count(client, reverse("journals:issue", kwargs={"pk": draft.pk}))
    assert compile_page <= 12
