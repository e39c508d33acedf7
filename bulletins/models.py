"""Bulletins (组工信息), their frozen versions and attachments."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletins.validation import (
    BODY_MAX_LENGTH,
    CONTACT_NAME_MAX_LENGTH,
    CONTACT_PHONE_MAX_LENGTH,
    EARLIEST_MOMENT,
    END_MOMENT,
    PLACE_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)

# The longest submission deadline a category may have: thirty days.
MAX_DEADLINE_MINUTES = 30 * 24 * 60


def at_most(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """The database's own bound on a text column (char_length: a Chinese character is one).

    The migrations that add these add them NOT VALID: rows written before a limit existed keep
    their text, every new write is checked (bulletins/migrations/0010_bounds.py).
    """
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def moment_between_bounds(field: str, *, name: str) -> models.CheckConstraint:
    """A date and time a person entered lies in [2000-01-01, 2100-01-01) local time (or is empty)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": EARLIEST_MOMENT, f"{field}__lt": END_MOMENT}), name=name
    )


class Category(models.Model):
    """A kind of bulletin; incident reports carry a submission deadline in minutes."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    # Minutes, so that the incident chains' limits (e.g. 15 minutes by phone) are data too.
    deadline_minutes = models.PositiveIntegerField(
        _("submission deadline (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DEADLINE_MINUTES)],
        help_text=_(
            "Minutes after the event within which the bulletin must be sent upward (1440 = 24 hours); empty for none."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_minutes__isnull=True)
                | Q(deadline_minutes__gte=1, deadline_minutes__lte=MAX_DEADLINE_MINUTES),
                name="category_deadline_minutes_range",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def deadline_text(self) -> str:
        """The deadline as people say it: "24 小时", "1 小时 30 分钟", "15 分钟"; empty without one."""
        if self.deadline_minutes is None:
            return ""
        hours, minutes = divmod(self.deadline_minutes, 60)
        if hours and minutes:
            return _("%(hours)d hours %(minutes)d minutes") % {"hours": hours, "minutes": minutes}
        if hours:
            return _("%(hours)d hours") % {"hours": hours}
        return _("%(minutes)d minutes") % {"minutes": minutes}


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting sign-off")
    IN_REVIEW = "in_review", _("Under review")
    RETURNED = "returned", _("Returned for revision")
    ADOPTED = "adopted", _("Adopted")
    DECLINED = "declined", _("Declined")


class Bulletin(models.Model):
    """One bulletin; the editable working copy. Submitted text is frozen in BulletinVersion.

    Title and body are the exception: `title` and `body` hold the text everyone who may see the
    bulletin reads (the latest frozen version, or the draft's text before its first submission),
    so the lists and the keyword index (bulletins/search_sql.py), refreshed at each freeze, never
    show a unit's work in progress to the units above. While a submitted bulletin is being
    revised (returned, or withdrawn to draft), the filing unit's new title and body wait in
    `revision_title` and `revision_body` (None: unchanged); `working_title`/`working_body` read
    the working copy. The other facts are the working copy; the units above read them from the
    latest BulletinVersion (bulletins.selectors.bulletin_display).
    """

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("body"))
    revision_title = models.CharField(
        _("title being revised"), max_length=TITLE_MAX_LENGTH, null=True, blank=True, editable=False
    )
    revision_body = models.TextField(_("body being revised"), null=True, blank=True, editable=False)
    # db_index=False: bulletin_category (category, -created_at) leads with it.
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, db_index=False)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=PLACE_MAX_LENGTH, blank=True)
    source = models.TextField(_("source and verification"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=CONTACT_NAME_MAX_LENGTH)
    contact_phone = models.CharField(_("contact phone"), max_length=CONTACT_PHONE_MAX_LENGTH)
    # db_index=False: bulletin_unit_created and bulletin_unit_status lead with it.
    filing_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("filing unit"),
        on_delete=models.PROTECT,
        related_name="bulletins",
        db_index=False,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="bulletins"
    )
    status = models.CharField(_("status"), max_length=20, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    # The unit whose queue holds the bulletin now (its own unit while awaiting sign-off).
    # db_index=False: bulletin_queue (current_unit, status) leads with it.
    current_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("current unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Optimistic lock for concurrent edits of the working copy: checked in the UPDATE.
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    # Number of frozen versions; 0 means never submitted (only then may a draft be deleted).
    version_count = models.PositiveSmallIntegerField(_("versions"), default=0, editable=False)
    # Computed from occurred_at and the category's deadline; kept so the overdue scan is a range query.
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True, editable=False)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True, editable=False)
    # Every unit whose queue the bulletin has reached, in order of first arrival: the visibility
    # rule reads it from the row (bulletins.visibility). Kept by review.services._open_entry under
    # the row lock; back-filled from review's queue entries by review migration 0005.
    reached_unit_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["filing_unit", "-created_at"], name="bulletin_unit_created"),
            models.Index(fields=["filing_unit", "status", "-created_at"], name="bulletin_unit_status"),
            models.Index(fields=["current_unit", "status"], name="bulletin_queue"),
            models.Index(fields=["category", "-created_at"], name="bulletin_category"),
            # Newest first over every bulletin: the list without a unit, and the keyword search's
            # walk for common words (bulletins.selectors.bulletin_keyword_search).
            models.Index(fields=["-created_at", "-id"], name="bulletin_created"),
            models.Index(
                fields=["deadline_at"],
                name="bulletin_pending_deadline",
                condition=Q(deadline_at__isnull=False, signed_off_at__isnull=True),
            ),
            # "Reached my unit" (reached_unit_ids @> '{unit}') for the units whose own bulletins
            # and arrivals are a small part of the table: a bitmap scan instead of the newest-first walk.
            GinIndex(fields=["reached_unit_ids"], name="bulletin_reached_units"),
        ]
        constraints = [
            at_most("body", BODY_MAX_LENGTH, name="bulletin_body_length"),
            at_most("revision_body", BODY_MAX_LENGTH, name="bulletin_revision_body_length"),
            at_most("source", SOURCE_MAX_LENGTH, name="bulletin_source_length"),
            moment_between_bounds("occurred_at", name="bulletin_occurred_at_range"),
        ]

    def __str__(self):
        return self.title

    @property
    def working_title(self) -> str:
        """The filing unit's working copy of the title (what it edits and will submit next)."""
        return self.title if self.revision_title is None else self.revision_title

    @property
    def working_body(self) -> str:
        return self.body if self.revision_body is None else self.revision_body


def attachment_upload_to(instance, filename):
    # Random stored name; the original (sanitized) name is kept in original_name for downloads.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"attachments/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Removing an attachment from a draft hides it; frozen versions may still list it.
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class BulletinVersion(models.Model):
    """An immutable snapshot frozen at each submission or resubmission."""

    # db_index=False: the unique (bulletin, number) leads with it.
    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="versions", db_index=False)
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("body"))
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=PLACE_MAX_LENGTH, blank=True)
    source = models.TextField(_("source and verification"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=CONTACT_NAME_MAX_LENGTH)
    contact_phone = models.CharField(_("contact phone"), max_length=CONTACT_PHONE_MAX_LENGTH)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("bulletin version")
        verbose_name_plural = _("bulletin versions")
        ordering = ["bulletin", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "number"], name="bulletin_version_unique_number"),
            at_most("body", BODY_MAX_LENGTH, name="bulletin_version_body_length"),
            at_most("source", SOURCE_MAX_LENGTH, name="bulletin_version_source_length"),
            moment_between_bounds("occurred_at", name="bulletin_version_occurred_at_range"),
        ]

    def __str__(self):
        return f"{self.bulletin_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A frozen version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A frozen version cannot be deleted."))


class BulletinRepair(models.Model):
    """A value the system had to clear because it could not be kept (bulletins/repairs.py), shown on
    the bulletin's page so that its unit knows and can enter it again. Written once, never changed."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="repairs")
    # None: the working copy; a number: that frozen version.
    version_number = models.PositiveSmallIntegerField(_("version"), null=True, blank=True)
    field = models.CharField(_("field"), max_length=30)
    original = models.CharField(_("original value"), max_length=100)
    repaired_at = models.DateTimeField(_("repaired at"), default=timezone.now)

    class Meta:
        verbose_name = _("data repair")
        verbose_name_plural = _("data repairs")
        ordering = ["repaired_at", "pk"]

    def __str__(self):
        return f"{self.bulletin_id} {self.field}"

    @property
    def field_label(self) -> str:
        return str(Bulletin._meta.get_field(self.field).verbose_name)
