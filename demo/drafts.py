"""Demo bulletins (fictional): a few drafts in varied categories for every county, created idempotently."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import OrgLevel, OrgUnit, User
from bulletins.models import Bulletin, Category
from bulletins.services import bulletin_create
from demo.sample_texts import CONTACTS, SAMPLES, TOWNS
from demo.units import demo_username

DRAFTS_PER_COUNTY = 4


@transaction.atomic
def seed() -> dict:
    categories = {c.code: c for c in Category.objects.all()}
    counties = OrgUnit.objects.filter(level=OrgLevel.COUNTY).order_by("code")
    created = 0
    for index, unit in enumerate(counties):
        author = User.objects.filter(username=demo_username(unit.code, "staff")).first()
        if author is None:
            continue
        # Rotate through the samples so neighbouring counties show different categories.
        for offset in range(DRAFTS_PER_COUNTY):
            sample = SAMPLES[(index + offset) % len(SAMPLES)]
            town = TOWNS[(index + offset) % len(TOWNS)]
            fields = sample.render(unit=unit.short_name, town=town)
            if Bulletin.objects.filter(filing_unit=unit, title=fields["title"]).exists():
                continue  # idempotent: keyed on the title within the unit
            contact_name, contact_phone = CONTACTS[(index + offset) % len(CONTACTS)]
            occurred_at = None
            if sample.occurred_hours_ago is not None:
                occurred_at = timezone.now() - timedelta(hours=sample.occurred_hours_ago)
            bulletin_create(
                actor=author,
                category=categories[sample.category],
                occurred_at=occurred_at,
                contact_name=contact_name,
                contact_phone=contact_phone,
                **fields,
            )
            created += 1
    return {"bulletins_created": created}
