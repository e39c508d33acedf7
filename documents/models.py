"""Official documents: a description, rendered once to .docx and PDF, then frozen.

A leaf: no foreign key to any project app but the user model. The owning app (journals, circulars)
records which unit the document belongs to as a plain id and decides who may read it through the
visibility predicate it registers for its kind (documents/access.py).
"""

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.description import MAX_TITLE

# The moments a document records (set by the services, never entered): 2000 to 2099, as bulletins' dates.
DATE_RANGE = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC))


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Render failed")


def document_upload_to(instance, filename):
    return f"documents/{instance.pk}/{filename}"


class OfficialDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    # The downloaded files' name without its extension, e.g. 《江东组工信息》2026年第15期.
    file_stem = models.CharField(_("file name"), max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    owner_unit_id = models.PositiveIntegerField(_("owner unit"), null=True, blank=True)
    description = models.JSONField(_("description"))
    state = models.CharField(_("state"), max_length=10, choices=DocumentState.choices, default=DocumentState.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    docx = models.FileField(_("Word file"), upload_to=document_upload_to, max_length=200, blank=True)
    pdf = models.FileField(_("PDF file"), upload_to=document_upload_to, max_length=200, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("render attempts"), default=0)
    last_error = models.CharField(_("last render error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Published only with both files and their digests.
            models.CheckConstraint(
                condition=~Q(state="ready")
                | (
                    ~Q(docx="")
                    & ~Q(pdf="")
                    & Q(docx_sha256__regex=r"^[0-9a-f]{64}$")
                    & Q(pdf_sha256__regex=r"^[0-9a-f]{64}$")
                    & Q(rendered_at__isnull=False)
                ),
                name="document_ready_has_files",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(signed_off_at__isnull=False, signed_off_by__isnull=False),
                name="document_signed_off_when_rendered",
            ),
            models.CheckConstraint(
                condition=Q(created_at__range=DATE_RANGE)
                & (Q(signed_off_at__isnull=True) | Q(signed_off_at__range=DATE_RANGE))
                & (Q(rendered_at__isnull=True) | Q(rendered_at__range=DATE_RANGE)),
                name="document_dates_in_range",
            ),
            models.CheckConstraint(condition=Q(state__in=DocumentState.values), name="document_state_valid"),
        ]
        indexes = [models.Index(fields=["kind", "owner_unit_id"], name="document_kind_unit")]

    def __str__(self):
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.state == DocumentState.READY
