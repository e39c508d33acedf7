"""For every role at every level: which bulletins the list shows and which detail pages answer 200 or 404."""

import pytest
from django.urls import reverse

from tests.bulletins.conftest import pdf

pytestmark = pytest.mark.django_db

ROLES = ("staff", "reviewer", "head")
ALL = {"a1_draft", "a2_draft", "b1_draft", "city_a_draft", "a1_at_city", "a1_at_central", "b1_at_city"}

# What each unit's users see on "my unit's bulletins": the unit's own bulletins, whatever their state.
LIST = {
    "county_a1": {"a1_draft", "a1_at_city", "a1_at_central"},
    "county_a2": {"a2_draft"},
    "county_b1": {"b1_draft", "b1_at_city"},
    "city_a": {"city_a_draft"},
    "city_b": set(),
    "province": set(),
    "central": set(),
}

# Which detail pages answer 200: own unit's, what reached the unit's queue, and for office heads
# what their subtree signed off. Never another unit's draft.
DETAIL = (
    {("county_a1", role): {"a1_draft", "a1_at_city", "a1_at_central"} for role in ROLES}
    | {("county_a2", role): {"a2_draft"} for role in ROLES}
    | {("county_b1", role): {"b1_draft", "b1_at_city"} for role in ROLES}
    | {
        ("city_a", "staff"): {"city_a_draft", "a1_at_city", "a1_at_central"},
        ("city_a", "reviewer"): {"city_a_draft", "a1_at_city", "a1_at_central"},
        ("city_a", "head"): {"city_a_draft", "a1_at_city", "a1_at_central"},
        ("city_b", "staff"): {"b1_at_city"},
        ("city_b", "reviewer"): {"b1_at_city"},
        ("city_b", "head"): {"b1_at_city"},
        ("province", "staff"): {"a1_at_central"},
        ("province", "reviewer"): {"a1_at_central"},
        ("province", "head"): {"a1_at_city", "a1_at_central", "b1_at_city"},
        ("central", "staff"): {"a1_at_central"},
        ("central", "reviewer"): {"a1_at_central"},
        ("central", "head"): {"a1_at_city", "a1_at_central", "b1_at_city"},
    }
)

UNITS = ("central", "province", "city_a", "city_b", "county_a1", "county_a2", "county_b1")
PAIRS = [(unit, role) for unit in UNITS for role in ROLES]


@pytest.mark.parametrize(("unit", "role"), PAIRS)
def test_list_shows_my_units_bulletins(client, tree, placed, unit, role):
    client.force_login(tree.user(unit, role))
    response = client.get(reverse("bulletins:list"))
    assert response.status_code == 200
    shown = {b.pk for b in response.context["page_obj"]}
    assert shown == {placed[key].pk for key in LIST[unit]}


@pytest.mark.parametrize(("unit", "role"), PAIRS)
def test_detail_is_200_in_scope_and_404_outside(client, tree, placed, unit, role):
    client.force_login(tree.user(unit, role))
    for key in sorted(ALL):
        expected = 200 if key in DETAIL[(unit, role)] else 404
        response = client.get(reverse("bulletins:detail", args=[placed[key].pk]))
        assert response.status_code == expected, f"{unit}.{role} → {key}: {response.status_code}"


@pytest.mark.parametrize(("unit", "role"), PAIRS)
def test_compare_and_attachment_download_follow_the_same_scope(client, tree, placed, unit, role):
    from bulletins.services import bulletin_update

    staff = tree.user("county_a1", "staff")
    draft = placed["a1_draft"]
    bulletin_update(actor=staff, bulletin_id=draft.pk, expected_edit_version=draft.edit_version, files=[pdf()])
    attachment = draft.attachments.get()
    client.force_login(tree.user(unit, role))
    visible = "a1_draft" in DETAIL[(unit, role)]
    download = client.get(reverse("bulletins:attachment", args=[attachment.pk]))
    assert download.status_code == (200 if visible else 404)
    compare = client.get(reverse("bulletins:compare", args=[draft.pk]))
    assert compare.status_code == (302 if visible else 404)  # no version yet: back to the detail page


@pytest.mark.parametrize(
    ("url_name", "method"), [("edit", "get"), ("edit", "post"), ("delete", "get"), ("delete", "post")]
)
def test_writing_pages_are_404_outside_scope(client, tree, placed, url_name, method):
    client.force_login(tree.user("county_a2", "staff"))
    response = getattr(client, method)(reverse(f"bulletins:{url_name}", args=[placed["a1_draft"].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "head"])
def test_non_officers_of_the_unit_can_read_but_not_edit(client, tree, placed, role):
    client.force_login(tree.user("county_a1", role))
    draft = placed["a1_draft"]
    assert client.get(reverse("bulletins:detail", args=[draft.pk])).status_code == 200
    response = client.get(reverse("bulletins:edit", args=[draft.pk]))
    assert response.status_code == 302 and response.url == reverse("bulletins:detail", args=[draft.pk])
    assert client.get(reverse("bulletins:create")).status_code == 302


def test_officer_of_a_higher_unit_cannot_edit_what_reached_it(client, tree, placed):
    client.force_login(tree.user("city_a", "staff"))
    bulletin = placed["a1_at_city"]
    response = client.post(reverse("bulletins:edit", args=[bulletin.pk]), {"title": "上级改稿"})
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.title == "东湖区-已报市"
