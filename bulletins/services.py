"""Writes on bulletins: one function per change, keyword-only, each in a transaction.

The review app's transitions (review/services.py) call these for the parts that belong to the
bulletin itself (freezing a version, locking the row).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletins.attachments import check_attachment_count, check_uploads
from bulletins.events import deadline_changes
from bulletins.exceptions import EditConflict, InvalidTransition, NotPermitted
from bulletins.models import Attachment, Bulletin, BulletinStatus, BulletinVersion, Category
from bulletins.permissions import EDITABLE_STATUSES, can_create, can_delete, can_edit
from bulletins.validation import frozen_text_errors, validate_bulletin_fields

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
_STRIPPED_FIELDS = ("title", "place", "contact_name", "contact_phone")


def compute_deadline(*, category: Category, occurred_at):
    """When a bulletin of this category must have left its unit, or None."""
    if category.deadline_minutes is None or occurred_at is None:
        return None
    return occurred_at + timedelta(minutes=category.deadline_minutes)


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an editable bulletin field: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    for name in _STRIPPED_FIELDS:
        if isinstance(cleaned.get(name), str):
            cleaned[name] = cleaned[name].strip()
    for name in ("place", "source"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    for name in ("body", "source"):
        # Browsers send CRLF; count and store one character per line break, as the live counter does.
        if isinstance(cleaned.get(name), str):
            cleaned[name] = cleaned[name].replace("\r\n", "\n")
    return cleaned


def _store_attachments(*, bulletin: Bulletin, actor, files, checked) -> None:
    for upload, (name, content_type) in zip(files, checked, strict=True):
        upload.seek(0)
        attachment = Attachment(
            bulletin=bulletin, original_name=name, size=upload.size, content_type=content_type, uploaded_by=actor
        )
        attachment.file.save(name, upload, save=False)  # stored under a random name (attachment_upload_to)
        attachment.save()


def bulletin_create(*, actor, files=None, **fields) -> Bulletin:
    """Create a draft in the actor's unit (with optional attachments); invalid input changes nothing."""
    with transaction.atomic():
        if not can_create(actor):
            raise NotPermitted()
        fields = _clean_fields(fields)
        validate_bulletin_fields(fields)
        files = list(files or [])
        checked = check_uploads(files)
        bulletin = Bulletin(filing_unit=actor.unit, author=actor, status=BulletinStatus.DRAFT)
        for name in EDITABLE_FIELDS:
            if name in fields:
                setattr(bulletin, name, fields[name])
        bulletin.deadline_at = compute_deadline(category=bulletin.category, occurred_at=bulletin.occurred_at)
        bulletin.save()
        _store_attachments(bulletin=bulletin, actor=actor, files=files, checked=checked)
        if bulletin.deadline_at is not None:
            deadline_changes.announce(bulletin.pk)
        return bulletin


def bulletin_update(*, actor, bulletin_id: int, expected_edit_version: int, files=None, **fields) -> Bulletin:
    """Save the editor's changes if nobody saved in between (the edit counter is checked in the UPDATE).

    Raises EditConflict when the counter moved, InvalidTransition when the bulletin is no longer
    editable, NotPermitted for someone who may not edit it, ValidationError for invalid input.
    """
    with transaction.atomic():
        bulletin = Bulletin.objects.select_related("category").get(pk=bulletin_id)
        if bulletin.status not in EDITABLE_STATUSES:
            raise InvalidTransition()
        if not can_edit(actor, bulletin):
            raise NotPermitted()
        fields = _clean_fields(fields)
        working = {name: getattr(bulletin, name) for name in EDITABLE_FIELDS}
        working.update(title=bulletin.working_title, body=bulletin.working_body)
        merged = {name: fields.get(name, working[name]) for name in EDITABLE_FIELDS}
        validate_bulletin_fields(merged)
        files = list(files or [])
        checked = check_uploads(files)

        changes = {name: merged[name] for name in EDITABLE_FIELDS}
        if bulletin.version_count:
            # Submitted before: the new title and body wait beside the frozen text the units
            # above read (and the keyword index holds) until the next submission freezes them.
            changes["revision_title"] = None if changes["title"] == bulletin.title else changes["title"]
            changes["revision_body"] = None if changes["body"] == bulletin.body else changes["body"]
            del changes["title"], changes["body"]
        changes["deadline_at"] = compute_deadline(category=merged["category"], occurred_at=merged["occurred_at"])
        # One conditional UPDATE: it waits for a concurrent writer's row lock, then re-reads the row, so of
        # two editors holding the same counter exactly one matches. The status is re-checked in the same
        # statement (a submission may have happened since we read the row).
        updated = Bulletin.objects.filter(
            pk=bulletin_id, edit_version=expected_edit_version, status__in=EDITABLE_STATUSES
        ).update(**changes, edit_version=F("edit_version") + 1, updated_at=timezone.now())
        if updated == 0:
            current = Bulletin.objects.only("status", "edit_version").get(pk=bulletin_id)
            if current.status not in EDITABLE_STATUSES:
                raise InvalidTransition()
            raise EditConflict(current_edit_version=current.edit_version)
        had_deadline = bulletin.deadline_at is not None
        bulletin.refresh_from_db()  # we now hold the row lock until commit
        if files:
            existing = bulletin.attachments.filter(removed_at__isnull=True).count()
            check_attachment_count(existing=existing, added=len(files))
            _store_attachments(bulletin=bulletin, actor=actor, files=files, checked=checked)
        if had_deadline or bulletin.deadline_at is not None:
            deadline_changes.announce(bulletin.pk)
        return bulletin


def attachment_remove(*, actor, attachment_id: int) -> Attachment:
    """Hide an attachment of an editable bulletin (the file stays: frozen versions may list it)."""
    with transaction.atomic():
        attachment = Attachment.objects.get(pk=attachment_id)
        bulletin = bulletin_lock(bulletin_id=attachment.bulletin_id)
        if bulletin.status not in EDITABLE_STATUSES:
            raise InvalidTransition()
        if not can_edit(actor, bulletin):
            raise NotPermitted()
        if attachment.removed_at is None:
            attachment.removed_at = timezone.now()
            attachment.save(update_fields=["removed_at"])
        return attachment


def bulletin_delete_draft(*, actor, bulletin_id: int) -> None:
    """Delete a draft that was never submitted, with its attachments; nothing else is ever deleted."""
    with transaction.atomic():
        bulletin = bulletin_lock(bulletin_id=bulletin_id)
        if bulletin.status != BulletinStatus.DRAFT or bulletin.version_count:
            raise InvalidTransition()
        if not can_delete(actor, bulletin):
            raise NotPermitted()
        attachments = list(bulletin.attachments.all())
        stored = [(a.file.storage, a.file.name) for a in attachments if a.file]
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
        bulletin.delete()

        def remove_files():
            for storage, name in stored:
                storage.delete(name)

        transaction.on_commit(remove_files)


def bulletin_lock(*, bulletin_id: int) -> Bulletin:
    """Lock the bulletin's row for the rest of the caller's transaction and return it fresh."""
    return Bulletin.objects.select_for_update().select_related("category", "filing_unit").get(pk=bulletin_id)


def bulletin_freeze_version(*, bulletin: Bulletin, actor) -> BulletinVersion:
    """Freeze the working copy as the next immutable version (caller holds the row lock).

    Raises InvalidTransition when the working copy breaks a limit set after it was written (the
    database would refuse the version): its unit must edit it first.
    """
    errors = frozen_text_errors(bulletin)
    if errors:
        raise InvalidTransition(" ".join([*errors, str(_("Please edit the bulletin first."))]))
    attachments = [
        {"id": a.pk, "name": a.original_name, "size": a.size, "content_type": a.content_type}
        for a in bulletin.attachments.filter(removed_at__isnull=True)
    ]
    number = bulletin.version_count + 1
    title, body = bulletin.working_title, bulletin.working_body
    version = BulletinVersion.objects.create(
        bulletin=bulletin,
        number=number,
        title=title,
        body=body,
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
    # What everyone who may see the bulletin reads, and the keyword index, move to this version.
    bulletin.title, bulletin.body = title, body
    bulletin.revision_title = bulletin.revision_body = None
    bulletin.save(update_fields=["version_count", "title", "body", "revision_title", "revision_body"])
    return version
