"""The audit trail cannot be rewritten, not even by code that bypasses the models."""

import pytest
from django.db import IntegrityError, transaction

from bulletins.models import BulletinVersion
from review.models import Adoption, LeaderInstruction, ReviewEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(tree):
    from datetime import date

    from bulletins.models import Category
    from bulletins.services import bulletin_create
    from review.services import adoption_add_instruction, bulletin_submit, review_adopt, review_sign_off

    bulletin = bulletin_create(
        actor=tree.user("county_a1", "staff"),
        title="东湖区推行党员积分管理",
        body="正文",
        category=Category.objects.get(code="practice"),
        contact_name="张明",
        place="某县某镇",
        source="县委组织部提供，经核实。",
        contact_phone="13800000000",
    )
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full")
    adoption = Adoption.objects.get(bulletin=bulletin)
    adoption_add_instruction(
        actor=tree.user("city_a", "reviewer"),
        adoption=adoption,
        leader="李书记",
        text="很好",
        instructed_on=date.today(),
    )
    return bulletin


@pytest.mark.parametrize("model", [ReviewEvent, BulletinVersion, Adoption, LeaderInstruction])
def test_direct_update_and_delete_are_refused(adopted, model):
    rows = model.objects.all()
    assert rows.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.filter(pk=rows.first().pk).update(id=rows.first().pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows._raw_delete(rows.db)
    assert rows.count() >= 1
