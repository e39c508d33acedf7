"""Review fixtures: bulletins built through the real services."""

import pytest

from bulletins.models import Category
from bulletins.services import bulletin_create


@pytest.fixture
def make_draft(tree):
    """A draft filed by `author` (county A1's staff by default)."""

    def make(
        author=None,
        *,
        title="东湖区推行党员积分管理",
        body="东湖区在全区推行党员积分管理，参与率达百分之九十五。",
        **fields,
    ):
        author = author or tree.user("county_a1", "staff")
        category = fields.pop("category", None) or Category.objects.get(code="practice")
        # A bulletin is signed off only with its source and verification (review.rules).
        fields.setdefault("source", "区委组织部组织科提供，经台账核对。")
        fields.setdefault("place", "东湖区青石镇")  # an incident is submitted only with its place
        return bulletin_create(
            actor=author,
            title=title,
            body=body,
            category=category,
            contact_name="张明",
            contact_phone="0571-88000000",
            **fields,
        )

    return make


@pytest.fixture
def at_city(tree, make_draft):
    """A bulletin signed off by county A1 and waiting in city A's queue."""
    from review.services import bulletin_submit, review_sign_off

    bulletin = make_draft()
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    return bulletin
