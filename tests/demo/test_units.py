import pytest
from django.core.management import call_command

from accounts.models import OrgLevel, OrgUnit, User
from demo.units import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_tree_and_is_idempotent():
    call_command("seed_demo")
    counts = (OrgUnit.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (OrgUnit.objects.count(), User.objects.count()) == counts
    assert OrgUnit.objects.filter(level=OrgLevel.CENTRAL).count() == 1
    assert OrgUnit.objects.filter(level=OrgLevel.PROVINCE).count() == 1
    cities = OrgUnit.objects.filter(level=OrgLevel.CITY)
    assert cities.count() == 3
    for city in cities:
        assert 4 <= city.children.count() <= 6


def test_every_demo_user_can_log_in(client):
    call_command("seed_demo")
    users = list(User.objects.all())
    for unit in OrgUnit.objects.all():
        roles = {(u.is_officer, u.is_reviewer, u.is_office_head) for u in users if u.unit_id == unit.pk}
        assert roles == {(True, False, False), (False, True, False), (False, False, True)}, unit.code
    for user in users:
        response = client.post("/accounts/login/", {"username": user.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.username
        client.post("/accounts/logout/")


def test_seed_demo_if_empty_skips_a_populated_database(capsys):
    call_command("seed_demo")
    call_command("seed_demo", "--if-empty")
    assert "skipped" in capsys.readouterr().out
