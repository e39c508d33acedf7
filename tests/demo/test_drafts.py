"""The demo seed: drafts in varied categories for every county, created once."""

import pytest

from bulletins.models import Bulletin, Category
from bulletins.validation import bulletin_field_errors
from demo import drafts, units
from demo.sample_texts import SAMPLES

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_varied():
    units.seed()
    first = drafts.seed()
    assert first["bulletins_created"] == 15 * drafts.DRAFTS_PER_COUNTY
    assert drafts.seed() == {"bulletins_created": 0}
    assert Bulletin.objects.values("category").distinct().count() == Category.objects.count()
    unit_titles = Bulletin.objects.filter(filing_unit__code="lj-dh").values_list("title", flat=True)
    assert all("东湖区" in t or "建议" in t for t in unit_titles)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.title[:12] for s in SAMPLES])
def test_every_sample_text_satisfies_the_rules(sample):
    fields = sample.render(unit="东湖区", town="青石镇")
    category = Category.objects.get(code=sample.category)
    from django.utils import timezone

    occurred = timezone.now() if sample.occurred_hours_ago is not None else None
    errors = bulletin_field_errors(
        {**fields, "category": category, "occurred_at": occurred, "contact_name": "王", "contact_phone": "13812345678"}
    )
    assert errors == {}
    assert "{" not in fields["body"] and "{" not in fields["title"]
