"""Compiling, signing off and publishing through the services: credits, the picker, the facts, the notices."""

import pytest
from django.core.exceptions import ValidationError

from journals import selectors
from journals.exceptions import IssueError, NotPermitted
from journals.models import IssueAction, IssueState, ItemKind, ItemSource, Printing
from journals.services import (
    ItemText,
    issue_add_correction,
    issue_add_items,
    issue_create,
    issue_sign_off,
    item_move,
    item_remove,
    item_update,
)
from notifications.models import Notification
from review.models import Adoption

pytestmark = pytest.mark.django_db


def test_a_combined_item_credits_each_source_and_each_is_printed_as_a_fact(tree, journal, adopt, publish):
    reviewer = tree.user("city_a", "reviewer")
    first, second = adopt("东湖区整治软弱涣散党组织"), adopt("西岭县选派第一书记", county="county_a2")
    issue = issue_create(actor=reviewer, journal=journal)
    [item] = issue_add_items(actor=reviewer, issue=issue, adoption_ids=[first.pk, second.pk], kind=ItemKind.COMBINED)

    assert item.kind == ItemKind.COMBINED
    assert list(item.sources.values_list("adoption_id", flat=True)) == [first.pk, second.pk]
    assert "东湖区推进基层党建" in item.body and "西岭县推进基层党建" in item.body
    issue = publish(issue)
    assert issue.state == IssueState.PUBLISHED
    printed = Printing.objects.filter(issue=issue).order_by("adoption_id")
    assert [(p.adoption_id, p.filing_unit_id, p.treatment, p.tier) for p in printed] == [
        (first.pk, tree.county_a1.pk, "combined", "regular"),
        (second.pk, tree.county_a2.pk, "combined", "regular"),
    ]
    # The adoption rows stay as they were (append-only): the treatment is a new fact.
    assert set(Adoption.objects.filter(pk__in=[first.pk, second.pk]).values_list("kind", flat=True)) == {"full"}
    description = issue.document.description
    assert description["items"][0]["source"] == "（根据东湖区委组织部、西岭县委组织部报送信息综合）"


def test_the_picker_offers_only_what_the_unit_adopted_and_not_yet_printed(tree, journal, adopt, make_draft_elsewhere):
    reviewer = tree.user("city_a", "reviewer")
    mine = adopt("东湖区的信息")
    other_city = adopt("松源县的信息", county="county_b1", unit="city_b")  # adopted by city B, not A
    only_signed_off = make_draft_elsewhere()  # in city A's queue, not adopted
    offered = set(selectors.picker(journal=journal).values_list("pk", flat=True))
    assert mine.pk in offered and other_city.pk not in offered
    assert not Adoption.objects.filter(bulletin=only_signed_off).exists()

    issue = issue_create(actor=reviewer, journal=journal)
    with pytest.raises(NotPermitted):
        issue_add_items(actor=reviewer, issue=issue, adoption_ids=[other_city.pk], kind="full")
    issue_add_items(actor=reviewer, issue=issue, adoption_ids=[mine.pk], kind="full")
    assert mine.pk not in set(selectors.picker(journal=journal).values_list("pk", flat=True))
    with pytest.raises(IssueError):
        issue_add_items(actor=reviewer, issue=issue, adoption_ids=[mine.pk], kind="full")
    # Searchable, newest first.
    later = adopt("东湖区乡村振兴")
    assert [a.pk for a in selectors.picker(journal=journal)][:1] == [later.pk]
    assert list(selectors.picker(journal=journal, query="乡村振兴")) == [later]


@pytest.fixture
def make_draft_elsewhere(tree):
    from bulletins.models import Category
    from bulletins.services import bulletin_create
    from review.services import bulletin_submit, review_sign_off

    def make():
        staff = tree.user("county_a1", "staff")
        bulletin = bulletin_create(
            actor=staff,
            title="只签发未采用",
            body="正文",
            category=Category.objects.get(code="practice"),
            contact_name="张明",
            contact_phone="0571-88000000",
            source="核实",
            place="某地",
        )
        bulletin_submit(actor=staff, bulletin=bulletin)
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        return bulletin

    return make


def test_only_the_units_reviewers_compile_and_only_its_office_head_signs_off(tree, journal, compile_issue):
    with pytest.raises(NotPermitted):
        issue_create(actor=tree.user("city_b", "reviewer"), journal=journal)
    with pytest.raises(NotPermitted):
        issue_create(actor=tree.user("city_a", "staff"), journal=journal)
    issue = compile_issue(1)
    with pytest.raises(NotPermitted):
        issue_sign_off(actor=tree.user("city_a", "reviewer"), issue=issue)
    with pytest.raises(NotPermitted):
        issue_sign_off(actor=tree.user("city_b", "head"), issue=issue)
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT and issue.number is None


def test_an_empty_issue_is_not_signed_off(tree, journal):
    issue = issue_create(actor=tree.user("city_a", "reviewer"), journal=journal)
    with pytest.raises(ValidationError):
        issue_sign_off(actor=tree.user("city_a", "head"), issue=issue)


def test_numbers_follow_the_year_and_the_running_total(tree, compile_issue, publish):
    first, second = publish(compile_issue(1)), publish(compile_issue(1))
    assert (first.number, first.total_number, second.number, second.total_number) == (1, 301, 2, 302)
    assert first.label == f"《临江组工信息》{first.year}年第1期"
    assert first.issue_line == f"{first.year}年第1期（总第301期）"
    events = list(first.events.values_list("action", flat=True))
    assert events[-2:] == [IssueAction.SIGNED_OFF, IssueAction.PUBLISHED]


def test_publishing_tells_the_filing_units_and_their_heads(tree, compile_issue, publish):
    issue = publish(compile_issue(1, kind="abridged"))
    source = ItemSource.objects.get(item__issue=issue)
    bulletin = source.adoption.bulletin
    notices = Notification.objects.filter(kind="printed", bulletin=bulletin)
    recipients = set(notices.values_list("recipient__username", flat=True))
    assert recipients == {"lj-dh.staff", "lj-dh.head"}
    title = notices.first().title
    assert title == f"您单位报送的《{bulletin.title}》被《临江组工信息》{issue.year}年第1期采用（摘要）"
    assert notices.first().url == f"/journals/issues/{issue.pk}/"


def test_a_signed_off_issue_refuses_changes_through_the_services(tree, compile_issue, publish):
    issue = publish(compile_issue(2))
    item = issue.items.first()
    reviewer = tree.user("city_a", "reviewer")
    with pytest.raises(IssueError):
        item_update(actor=reviewer, item=item, text=ItemText(title="改", body="改"))
    with pytest.raises(IssueError):
        item_remove(actor=reviewer, item=item)
    with pytest.raises(IssueError):
        issue_sign_off(actor=tree.user("city_a", "head"), issue=issue)


def test_a_correction_is_an_item_of_a_later_issue_and_a_note_on_the_corrected_one(tree, compile_issue, publish):
    first = publish(compile_issue(1))
    reviewer = tree.user("city_a", "reviewer")
    second = compile_issue(1)
    correction = issue_add_correction(
        actor=reviewer,
        issue=second,
        corrects=first,
        text=ItemText(title="关于第1期的更正", body="“百分之九十”应为“百分之八十”。"),
    )
    assert correction.kind == ItemKind.CORRECTION
    assert selectors.issue_corrections(issue=first) == []  # not published yet
    publish(second)
    assert [c.pk for c in selectors.issue_corrections(issue=first)] == [correction.pk]
    with pytest.raises(ValidationError):
        issue_add_correction(actor=reviewer, issue=compile_issue(1), corrects=compile_issue(1), text=ItemText("x", "y"))


def test_items_are_edited_moved_and_removed_with_history(tree, compile_issue, adopt):
    issue = compile_issue(3)
    reviewer = tree.user("city_a", "reviewer")
    first, second, third = issue.items.order_by("position")
    item_update(
        actor=reviewer,
        item=second,
        text=ItemText(title="新标题", body="摘要正文", editors_note="值得借鉴"),
        kind="abridged",
    )
    second.refresh_from_db()
    assert (second.title, second.kind, second.editors_note) == ("新标题", "abridged", "值得借鉴")
    item_move(actor=reviewer, item=third, up=True)
    assert list(issue.items.order_by("position").values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    item_remove(actor=reviewer, item=first, reason="重复")
    assert list(issue.items.order_by("position").values_list("position", flat=True)) == [1, 2]
    adoption = first.sources.model.objects.filter(item=first).first()
    assert adoption is None  # its source went with it: the bulletin may be picked again
    actions = list(issue.events.values_list("action", "comment"))
    assert (IssueAction.ITEM_REMOVED, "全文：" + first.title + "（重复）") in actions
    assert [a for a, _ in actions].count(IssueAction.ITEM_ADDED) == 3


def test_texts_are_bounded(tree, compile_issue):
    issue = compile_issue(1)
    item = issue.items.first()
    reviewer = tree.user("city_a", "reviewer")
    with pytest.raises(ValidationError):
        item_update(actor=reviewer, item=item, text=ItemText(title="标" * 101, body="正文"))
    with pytest.raises(ValidationError):
        item_update(actor=reviewer, item=item, text=ItemText(title="标题", body="字" * 10_001))
    with pytest.raises(ValidationError):
        item_update(actor=reviewer, item=item, text=ItemText(title="标题", body=""))
    item.refresh_from_db()
    assert item.title != "标题"
