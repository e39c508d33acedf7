"""Writes on bulletins: one function per change, keyword-only, each in a transaction.

The review app's transitions (review/services.py) call these for the parts that belong to the
bulletin itself (freezing a version, locking the row).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bulletins.models import Bulletin, BulletinStatus, BulletinVersion, Category
from incidents.services import incident_clock_sync

EDITABLE_FIELDS = (
    "title",
    "body",
    "category",
    "occurred_at",
    "place",
    "source",
    "contact_name",
    "contact_phone",
)


def compute_deadline(*, category: Category, occurred_at):
    """When a bulletin of this category must have left its unit, or None."""
    if category.deadline_hours is None or occurred_at is None:
        return None
    return occurred_at + timedelta(hours=category.deadline_hours)


@transaction.atomic
def bulletin_create(*, actor, **fields) -> Bulletin:
    """Create a draft in the actor's unit."""
    bulletin = Bulletin(filing_unit=actor.unit, author=actor, status=BulletinStatus.DRAFT)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(bulletin, name, fields[name])
    bulletin.deadline_at = compute_deadline(category=bulletin.category, occurred_at=bulletin.occurred_at)
    bulletin.save()
    incident_clock_sync(bulletin=bulletin)
    return bulletin


def bulletin_lock(*, bulletin_id: int) -> Bulletin:
    """Lock the bulletin's row for the rest of the caller's transaction and return it fresh."""
    return Bulletin.objects.select_for_update().select_related("category", "filing_unit").get(pk=bulletin_id)


def bulletin_freeze_version(*, bulletin: Bulletin, actor) -> BulletinVersion:
    """Freeze the working copy as the next immutable version (caller holds the row lock)."""
    attachments = [
        {"id": a.pk, "name": a.original_name, "size": a.size, "content_type": a.content_type}
        for a in bulletin.attachments.filter(removed_at__isnull=True)
    ]
    number = bulletin.version_count + 1
    version = BulletinVersion.objects.create(
        bulletin=bulletin,
        number=number,
        title=bulletin.title,
        body=bulletin.body,
        category_id=bulletin.category_id,
        occurred_at=bulletin.occurred_at,
        place=bulletin.place,
        source=bulletin.source,
        contact_name=bulletin.contact_name,
        contact_phone=bulletin.contact_phone,
        attachments=attachments,
        created_by=actor,
        created_at=timezone.now(),
    )
    bulletin.version_count = number
    bulletin.save(update_fields=["version_count"])
    return version
