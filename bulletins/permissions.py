"""Predicates on bulletins (what may this user do to this bulletin); visibility is bulletins.visibility."""

from bulletins.models import BulletinStatus

EDITABLE_STATUSES = (BulletinStatus.DRAFT, BulletinStatus.RETURNED)


def can_create(user) -> bool:
    """Information officers write drafts for their own unit."""
    return bool(getattr(user, "is_authenticated", False) and user.unit_id and user.is_officer)


def can_edit(user, bulletin) -> bool:
    """A draft or returned bulletin, by its author or an information officer of the filing unit."""
    if bulletin.status not in EDITABLE_STATUSES:
        return False
    return user.pk == bulletin.author_id or (user.is_officer and user.unit_id == bulletin.filing_unit_id)


def can_delete(user, bulletin) -> bool:
    """Only a draft that was never submitted (no frozen version) may be deleted."""
    return bulletin.status == BulletinStatus.DRAFT and bulletin.version_count == 0 and can_edit(user, bulletin)
