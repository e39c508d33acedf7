"""The bulletin visibility policy (bulletins.visibility), for every role at every level.

The data is built through the services (bulletins.services, review.services), so "reached my
unit" is whatever review really records on the route.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from bulletins.models import Attachment, Bulletin, BulletinVersion
from bulletins.selectors import bulletin_list
from bulletins.services import bulletin_update
from bulletins.visibility import can_see_bulletin, visible_bulletins, visible_through_bulletin
from review.models import Adoption, AdoptionKind, QueueEntry, ReturnReason, ReviewEvent
from review.selectors import queue_entries_for
from review.services import (
    bulletin_resubmit,
    bulletin_submit,
    bulletin_withdraw,
    review_adopt,
    review_return,
)
from tests.bulletins.conftest import file_bulletin, pdf, reviewer_of, send_up
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNITS = ("central", "province", "city_a", "city_b", "county_a1", "county_a2", "county_b1")
ROLES = ("staff", "reviewer", "head")
USERS = [(unit, role) for unit in UNITS for role in ROLES]


def keys(user, bulletins) -> set[str]:
    """Which of the named bulletins `user` may see, by the queryset half of the policy."""
    visible = set(visible_bulletins(user, Bulletin.objects.all()).values_list("pk", flat=True))
    return {key for key, bulletin in bulletins.items() if bulletin.pk in visible}


# --- the cases of the `placed` fixture (tests/bulletins/conftest.py) ---------------------------


@pytest.mark.parametrize("role", ROLES)
def test_county_user_never_sees_another_county(tree, placed, role):
    assert keys(tree.user("county_a1", role), placed) == {"a1_draft", "a1_at_city", "a1_at_central"}


@pytest.mark.parametrize("role", ["staff", "reviewer"])
def test_city_staff_and_reviewers_see_own_unit_and_what_reached_it(tree, placed, role):
    assert keys(tree.user("city_a", role), placed) == {"city_a_draft", "a1_at_city", "a1_at_central"}


def test_city_head_sees_own_counties_but_not_their_drafts_nor_sibling_city(tree, placed):
    assert keys(tree.user("city_a", "head"), placed) == {"city_a_draft", "a1_at_city", "a1_at_central"}


def test_province_reviewer_sees_only_what_reached_the_province(tree, placed):
    assert keys(tree.user("province", "reviewer"), placed) == {"a1_at_central"}


def test_province_head_sees_signed_off_bulletins_of_the_whole_province(tree, placed):
    assert keys(tree.user("province", "head"), placed) == {"a1_at_city", "a1_at_central", "b1_at_city"}


def test_central_sees_what_reached_it_and_its_head_every_signed_off_bulletin(tree, placed):
    assert keys(tree.user("central", "reviewer"), placed) == {"a1_at_central"}
    head = keys(tree.user("central", "head"), placed)
    assert head == {"a1_at_city", "a1_at_central", "b1_at_city"}
    assert "a2_draft" not in head


def test_related_objects_follow_the_bulletin_scope(tree, placed):
    visible = visible_through_bulletin(tree.user("county_b1", "staff"), QueueEntry.objects.all())
    assert set(visible.values_list("bulletin__title", flat=True)) == {"松源县-已报市"}


def test_anonymous_sees_nothing(placed):
    anonymous = AnonymousUser()
    assert not visible_bulletins(anonymous, Bulletin.objects.all()).exists()
    assert not visible_through_bulletin(anonymous, QueueEntry.objects.all()).exists()
    assert not any(can_see_bulletin(anonymous, bulletin) for bulletin in placed.values())


def test_a_superuser_without_a_unit_sees_everything_and_a_user_without_a_unit_nothing(placed):
    admin = UserFactory(unit=None, is_superuser=True, is_staff=True)
    nobody = User(username="no-unit", is_office_head=True)  # the database refuses to store one
    assert keys(admin, placed) == set(placed)
    assert all(can_see_bulletin(admin, bulletin) for bulletin in placed.values())
    assert keys(nobody, placed) == set()
    assert not any(can_see_bulletin(nobody, bulletin) for bulletin in placed.values())


def test_a_superuser_with_a_unit_sees_what_the_unit_sees(tree, placed):
    admin = UserFactory(unit=tree.county_a2, is_superuser=True)
    assert keys(admin, placed) == {"a2_draft"}


def test_each_half_of_the_policy_takes_only_its_own_kind(tree):
    user = tree.user("city_a", "head")
    with pytest.raises(TypeError):
        visible_bulletins(user, QueueEntry.objects.all())
    with pytest.raises(TypeError):
        visible_through_bulletin(user, Bulletin.objects.all())


# --- the permission matrix: every role at every level, every kind of route -------------------


@pytest.fixture
def routed(tree, placed):
    """`placed`, and a bulletin for each other way a route can go or stop (all through the services)."""
    staff = tree.user
    more = {
        "a2_awaiting": file_bulletin(staff("county_a2", "staff"), title="西岭县-待签发"),
        "a2_withdrawn": file_bulletin(staff("county_a2", "staff"), title="西岭县-已撤回"),
        "a1_returned_by_own": file_bulletin(staff("county_a1", "staff"), title="东湖区-本级退回"),
        "a1_returned": file_bulletin(staff("county_a1", "staff"), title="东湖区-市退回"),
        "a1_resubmitted": file_bulletin(staff("county_a1", "staff"), title="东湖区-重报市"),
        "b1_adopted_at_city": file_bulletin(staff("county_b1", "staff"), title="松源县-市采用"),
        "b1_adopted_forwarded": file_bulletin(staff("county_b1", "staff"), title="松源县-市采用并上报"),
        "city_a_at_province": file_bulletin(staff("city_a", "staff"), title="临江市-已报省"),
    }
    bulletin_submit(actor=staff("county_a2", "staff"), bulletin=more["a2_awaiting"])
    bulletin_submit(actor=staff("county_a2", "staff"), bulletin=more["a2_withdrawn"])
    bulletin_withdraw(actor=staff("county_a2", "staff"), bulletin=more["a2_withdrawn"])
    bulletin_submit(actor=staff("county_a1", "staff"), bulletin=more["a1_returned_by_own"])
    _return(staff("county_a1", "reviewer"), more["a1_returned_by_own"])
    for key in ("a1_returned", "a1_resubmitted"):
        send_up(more[key], tree.city_a)
        _return(staff("city_a", "reviewer"), more[key])
    bulletin_resubmit(actor=staff("county_a1", "staff"), bulletin=more["a1_resubmitted"])
    send_up(more["b1_adopted_at_city"], tree.city_b)
    review_adopt(actor=reviewer_of(tree.city_b), bulletin=more["b1_adopted_at_city"], kind=AdoptionKind.FULL)
    send_up(more["b1_adopted_forwarded"], tree.city_b)
    review_adopt(
        actor=reviewer_of(tree.city_b), bulletin=more["b1_adopted_forwarded"], kind=AdoptionKind.FULL, forward=True
    )
    send_up(more["city_a_at_province"], tree.province)
    return placed | more


def _return(actor, bulletin):
    review_return(actor=actor, bulletin=bulletin, reason=ReturnReason.VERIFY, comment="请核实")


# The unit's own bulletins, whatever their state (every role of the unit sees them).
OWN = {
    "central": set(),
    "province": set(),
    "city_a": {"city_a_draft", "city_a_at_province"},
    "city_b": set(),
    "county_a1": {"a1_draft", "a1_at_city", "a1_at_central", "a1_returned_by_own", "a1_returned", "a1_resubmitted"},
    "county_a2": {"a2_draft", "a2_awaiting", "a2_withdrawn"},
    "county_b1": {"b1_draft", "b1_at_city", "b1_adopted_at_city", "b1_adopted_forwarded"},
}
# Bulletins of other units that reached the unit's queue, waiting there now or not (every role).
REACHED = {
    "central": {"a1_at_central"},
    "province": {"a1_at_central", "b1_adopted_forwarded", "city_a_at_province"},
    "city_a": {"a1_at_city", "a1_at_central", "a1_returned", "a1_resubmitted"},
    "city_b": {"b1_at_city", "b1_adopted_at_city", "b1_adopted_forwarded"},
    "county_a1": set(),
    "county_a2": set(),
    "county_b1": set(),
}
# Signed off anywhere in the province: what the province's and the central head see besides.
# (A city head gains nothing here: whatever a county signs off reaches its city's queue.)
SIGNED_OFF = {
    "a1_at_city",
    "a1_at_central",
    "b1_at_city",
    "a1_returned",
    "a1_resubmitted",
    "b1_adopted_at_city",
    "b1_adopted_forwarded",
    "city_a_at_province",
}
HEADS_ALSO = {"central": SIGNED_OFF, "province": SIGNED_OFF}


def expected(unit, role) -> set[str]:
    return OWN[unit] | REACHED[unit] | (HEADS_ALSO.get(unit, set()) if role == "head" else set())


@pytest.mark.parametrize(("unit", "role"), USERS)
def test_the_queryset_and_the_predicate_agree_with_the_matrix(tree, routed, unit, role, django_assert_num_queries):
    user = tree.user(unit, role)
    assert keys(user, routed) == expected(unit, role)
    loaded = {b.pk: b for b in Bulletin.objects.select_related("filing_unit")}
    with django_assert_num_queries(0):  # the predicate reads the loaded rows only
        seen = {key for key, bulletin in routed.items() if can_see_bulletin(user, loaded[bulletin.pk])}
    assert seen == expected(unit, role)


def test_nobody_sees_another_units_draft(tree, routed):
    drafts = {key for key, b in routed.items() if b.signed_off_at is None}
    assert drafts >= {"a1_draft", "a2_awaiting", "a2_withdrawn", "a1_returned_by_own"}
    for unit, role in USERS:
        others = {key for key in drafts if routed[key].filing_unit_id != getattr(tree, unit).pk}
        assert not keys(tree.user(unit, role), routed) & others, (unit, role)


def test_the_predicate_needs_the_filing_unit_only_for_a_head_looking_below(tree, routed, django_assert_num_queries):
    bare = Bulletin.objects.get(pk=routed["b1_at_city"].pk)
    with django_assert_num_queries(0):
        assert can_see_bulletin(tree.user("city_b", "reviewer"), bare)  # reached city B
        assert not can_see_bulletin(tree.user("province", "reviewer"), bare)
    with django_assert_num_queries(1):
        assert can_see_bulletin(tree.user("province", "head"), bare)


@pytest.mark.parametrize("model", [QueueEntry, ReviewEvent, BulletinVersion, Attachment, Adoption])
@pytest.mark.parametrize(("unit", "role"), [("county_b1", "staff"), ("city_a", "reviewer"), ("province", "head")])
def test_objects_hanging_off_a_bulletin_follow_it(tree, routed, model, unit, role):
    staff = tree.user("county_a1", "staff")
    draft = routed["a1_draft"]
    bulletin_update(actor=staff, bulletin_id=draft.pk, expected_edit_version=draft.edit_version, files=[pdf()])
    user = tree.user(unit, role)
    visible_ids = {routed[key].pk for key in expected(unit, role)}
    rows = model.objects.all()
    assert rows.exists()
    shown = set(visible_through_bulletin(user, rows).values_list("bulletin_id", flat=True))
    assert shown == set(rows.filter(bulletin_id__in=visible_ids).values_list("bulletin_id", flat=True))


@pytest.mark.parametrize(("unit", "role"), USERS)
def test_the_review_queue_needs_no_per_bulletin_check(tree, routed, unit, role):
    """Every entry at the user's unit, open or closed, is of a bulletin the user may see, so
    review.selectors.queue_entries_for filters by unit alone and shows what the policy shows."""
    user = tree.user(unit, role)
    at_my_unit = QueueEntry.objects.filter(unit_id=user.unit_id)
    assert visible_through_bulletin(user, at_my_unit).count() == at_my_unit.count()
    waiting = at_my_unit.filter(state="open")
    assert set(queue_entries_for(user=user).values_list("pk", flat=True)) == set(
        visible_through_bulletin(user, waiting).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(("unit", "role"), USERS)
def test_the_unit_list_needs_no_per_bulletin_check(tree, routed, unit, role):
    """bulletins.selectors.bulletin_list lists the unit's own bulletins without the policy's OR:
    every one of them is visible by its first clause, so the list shows what the policy shows."""
    user = tree.user(unit, role)
    own = Bulletin.objects.filter(filing_unit_id=user.unit_id)
    assert set(bulletin_list(user=user).values_list("pk", flat=True)) == set(
        visible_bulletins(user, own).values_list("pk", flat=True)
    )


# --- work in progress stays with its unit -------------------------------------------------------


@pytest.fixture
def revising(tree):
    """County A1's bulletin with a PDF, sent up to the city and returned, then revised by the
    county (new title, body, place and a second PDF) but not resubmitted."""
    from bulletins.models import Bulletin as B

    staff = tree.user("county_a1", "staff")
    bulletin = file_bulletin(
        staff, title="东湖区送审标题", body="报送稿正文：青石镇网格员186名。", files=[pdf("报送附件.pdf")]
    )
    send_up(bulletin, tree.city_a)
    _return(tree.user("city_a", "reviewer"), bulletin)
    bulletin = B.objects.get(pk=bulletin.pk)
    bulletin_update(
        actor=staff,
        bulletin_id=bulletin.pk,
        expected_edit_version=bulletin.edit_version,
        title="东湖区修改中标题",
        body="修改稿正文：白沙镇网格员200名。",
        place="东湖区白沙镇",
        files=[pdf("修改中附件.pdf")],
    )
    return B.objects.get(pk=bulletin.pk)


def _attachments(bulletin):
    return {a.original_name: a for a in Attachment.objects.filter(bulletin=bulletin)}


OUTSIDERS = [("city_a", "reviewer"), ("city_a", "head"), ("province", "head")]


def test_the_working_copy_waits_beside_the_frozen_text(revising):
    """The row's title and body (lists, keyword index) stay the submitted version's."""
    assert (revising.title, revising.body) == ("东湖区送审标题", "报送稿正文：青石镇网格员186名。")
    assert (revising.working_title, revising.working_body) == ("东湖区修改中标题", "修改稿正文：白沙镇网格员200名。")
    assert BulletinVersion.objects.get(bulletin=revising).title == "东湖区送审标题"


@pytest.mark.parametrize(("unit", "role"), OUTSIDERS)
def test_outsiders_read_only_the_latest_frozen_version(client, tree, revising, unit, role):
    from django.urls import reverse

    user = tree.user(unit, role)
    assert can_see_bulletin(user, Bulletin.objects.select_related("filing_unit").get(pk=revising.pk))
    client.force_login(user)
    page = client.get(reverse("bulletins:detail", args=[revising.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "东湖区送审标题" in html and "青石镇网格员186名" in html and "报送附件.pdf" in html
    assert "修改中" not in html and "白沙镇" not in html
    assert 'data-testid="shown-version"' in html

    files = _attachments(revising)
    assert client.get(reverse("bulletins:attachment", args=[files["报送附件.pdf"].pk])).status_code == 200
    assert client.get(reverse("bulletins:attachment", args=[files["修改中附件.pdf"].pk])).status_code == 404


def test_the_filing_unit_reads_its_working_copy(client, tree, revising):
    from django.urls import reverse

    client.force_login(tree.user("county_a1", "reviewer"))
    html = client.get(reverse("bulletins:detail", args=[revising.pk])).content.decode()
    assert "东湖区修改中标题" in html and "白沙镇网格员200名" in html and "东湖区白沙镇" in html
    assert "修改中附件.pdf" in html and "报送附件.pdf" in html
    assert 'data-testid="shown-version"' not in html
    files = _attachments(revising)
    assert client.get(reverse("bulletins:attachment", args=[files["修改中附件.pdf"].pk])).status_code == 200
    rows = {b.pk: b.list_title for b in bulletin_list(user=tree.user("county_a1", "staff"))}
    assert rows[revising.pk] == "东湖区修改中标题"
    client.force_login(tree.user("county_a1", "staff"))
    edit = client.get(reverse("bulletins:edit", args=[revising.pk]))
    assert edit.context["form"].initial["title"] == "东湖区修改中标题"


def test_lists_and_the_keyword_index_hold_the_frozen_text_for_everyone_else(tree, revising):
    from bulletins.selectors import bulletin_keyword_filter

    admin = UserFactory(unit=None, is_superuser=True, is_staff=True)
    assert {b.pk: b.list_title for b in bulletin_list(user=admin)}[revising.pk] == "东湖区送审标题"
    head = tree.user("province", "head")
    scope = visible_bulletins(head, Bulletin.objects.all())
    for use_index in (True, False):
        found = set(bulletin_keyword_filter(scope, "青石镇", use_index=use_index).values_list("pk", flat=True))
        assert revising.pk in found
        assert not bulletin_keyword_filter(scope, "白沙镇", use_index=use_index).filter(pk=revising.pk).exists()


def test_after_the_resubmission_and_sign_off_everyone_reads_the_new_version(client, tree, revising):
    from django.urls import reverse

    from review.services import review_sign_off
    from tests.bulletins.conftest import reviewer_of

    bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=revising)
    fresh = Bulletin.objects.get(pk=revising.pk)
    assert (fresh.title, fresh.revision_title, fresh.revision_body) == ("东湖区修改中标题", None, None)
    review_sign_off(actor=reviewer_of(tree.county_a1), bulletin=fresh)
    client.force_login(tree.user("city_a", "reviewer"))
    html = client.get(reverse("bulletins:detail", args=[revising.pk])).content.decode()
    assert "东湖区修改中标题" in html and "白沙镇网格员200名" in html
    files = _attachments(revising)
    assert client.get(reverse("bulletins:attachment", args=[files["修改中附件.pdf"].pk])).status_code == 200


def test_the_unit_list_runs_the_same_queries_with_rows_being_revised(client, tree, revising, django_assert_num_queries):
    """The working title is a column of the row: a list with revised rows costs no extra query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(tree.user("county_a1", "staff"))
    url = reverse("bulletins:list")
    client.get(url)  # the first request of a session also writes the session's idle timestamp
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        file_bulletin(tree.user("county_a1", "staff"), title=f"东湖区草稿{n}")
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert "东湖区修改中标题" in page.content.decode()
