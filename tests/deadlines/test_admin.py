"""The administrator's view of obligations: the list with its timing filter, and the per-unit counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deadlines.services import StageSpec, obligations_arm
from tests.deadlines.conftest import KIND
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, tree):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True, unit=tree.central))
    return client


def _arm(unit, due, subject):
    obligations_arm(
        kind=KIND,
        subject_id=subject,
        unit_ids=[unit.pk],
        label=f"约稿{subject}",
        due_at=due,
        stages=[StageSpec("due", due)],
    )


def test_per_unit_counts_open_due_and_overdue(admin_client, tree):
    now = timezone.now()
    _arm(tree.county_a1, now - timedelta(hours=2), 1)  # overdue
    _arm(tree.county_a1, now + timedelta(hours=3), 2)  # due within 24 hours
    _arm(tree.county_a1, now + timedelta(days=5), 3)  # open
    _arm(tree.county_b1, now + timedelta(days=5), 4)
    response = admin_client.get("/admin/deadlines/obligation/per-unit/")
    assert response.status_code == 200
    rows = {row.unit_name: (row.open, row.due, row.overdue) for row in response.context["rows"]}
    assert rows == {tree.county_a1.name: (3, 1, 1), tree.county_b1.name: (1, 0, 0)}
    assert [row.unit_name for row in response.context["rows"]][0] == tree.county_a1.name  # overdue first


def test_the_list_filters_overdue_obligations_of_a_unit(admin_client, tree):
    now = timezone.now()
    _arm(tree.county_a1, now - timedelta(hours=2), 1)
    _arm(tree.county_a1, now + timedelta(hours=3), 2)
    response = admin_client.get(f"/admin/deadlines/obligation/?unit__id__exact={tree.county_a1.pk}&timing=overdue")
    assert response.status_code == 200
    assert [o.label for o in response.context["cl"].result_list] == ["约稿1"]


def test_staff_without_permission_cannot_see_the_counts(client, tree):
    client.force_login(UserFactory(username="clerk", is_staff=True, unit=tree.central))
    assert client.get("/admin/deadlines/obligation/per-unit/").status_code == 403
