"""Writing official documents: create, sign off (queues the render), render once, record a failure.

Each state change runs in a transaction that locks the document's row and records who and when.
The render itself (seconds of LibreOffice) runs outside any lock; the files are stored through
Django's storage API with their SHA-256 and the row turns "ready" in one transaction, after which
a trigger refuses any change (migrations 0002): a ready document is never regenerated.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.description import Description, DescriptionError
from documents.docx_render import render_docx
from documents.events import documents_ready
from documents.models import DocumentState, OfficialDocument
from documents.pdf import convert_docx_to_pdf
from notifications.services import notification_send

logger = logging.getLogger(__name__)
RENDER_TASK = "documents.tasks.render_document"
MAX_ERROR = 300


@dataclass
class DocumentError(Exception):
    message: str


def document_create(*, actor, kind: str, title: str, file_stem: str, description: Description, owner_unit_id=None):
    """A draft document from a description (validated by the dataclasses' limits)."""
    if not isinstance(description, Description):
        raise DocumentError(_("A document needs a description."))
    for value, limit in ((title, 200), (file_stem, 120), (kind, 40)):
        if not value or len(value) > limit:
            raise DocumentError(
                _("A document needs a title (200 characters at most), a file name (120) and a kind (40).")
            )
    if any(ch in file_stem for ch in '/\\\0\r\n"'):
        raise DocumentError(_("The file name must not contain slashes, quotes or line breaks."))
    return OfficialDocument.objects.create(
        kind=kind,
        title=title,
        file_stem=file_stem,
        owner=actor,
        owner_unit_id=owner_unit_id,
        description=description.to_json(),
    )


def _queue_render(document_id: int) -> None:
    """Hand the render to Celery after the commit; a broker outage must not fail the sign-off.

    A document left "rendering" without its task is queued again by the periodic catch-up
    (documents.tasks.render_pending_documents, documents_waiting_ids)."""
    # By name: the tasks module imports this one (DocumentsConfig.ready() registers it).
    try:
        current_app.tasks[RENDER_TASK].delay(document_id)
    except Exception:  # noqa: BLE001 - any broker failure; the catch-up task queues it later
        logger.warning("Broker unavailable; document %s left for the catch-up task", document_id)


def documents_waiting_ids(*, older_than_minutes: int = 15, limit: int = 100) -> list[int]:
    """Documents signed off more than `older_than_minutes` ago and still not rendered nor failed."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    return list(
        OfficialDocument.objects.filter(state=DocumentState.RENDERING, signed_off_at__lt=cutoff)
        .order_by("signed_off_at")
        .values_list("pk", flat=True)[:limit]
    )


def document_sign_off(*, actor, document_id: int) -> OfficialDocument:
    """Sign a draft off: it turns "rendering" and the render is queued after the commit."""
    with transaction.atomic():
        document = OfficialDocument.objects.select_for_update().get(pk=document_id)
        if document.state != DocumentState.DRAFT:
            raise DocumentError(_("Only a draft can be signed off."))
        Description.from_json(document.description)  # refuses a description edited out of bounds
        document.state = DocumentState.RENDERING
        document.signed_off_by = actor
        document.signed_off_at = timezone.now()
        document.save(update_fields=["state", "signed_off_by", "signed_off_at"])
        transaction.on_commit(lambda: _queue_render(document.pk))
    return document


def document_render_again(*, actor, document_id: int) -> OfficialDocument:
    """After a failed render (reported to the owner): queue it once more."""
    with transaction.atomic():
        document = OfficialDocument.objects.select_for_update().get(pk=document_id)
        if document.state != DocumentState.FAILED:
            raise DocumentError(_("Only a failed render can be tried again."))
        document.state = DocumentState.RENDERING
        document.last_error = ""
        document.save(update_fields=["state", "last_error"])
        transaction.on_commit(lambda: _queue_render(document.pk))
    return document


def render_files(description: Description) -> tuple[bytes, bytes]:
    """The .docx and the PDF made from it (LibreOffice, documents/pdf.py)."""
    docx = render_docx(description)
    return docx, convert_docx_to_pdf(docx)


def document_render(*, document_id: int) -> OfficialDocument:
    """The render task's body: both files once; a ready document is returned unchanged.

    Raises what the render raised (the task retries it), after recording the attempt and error.
    """
    with transaction.atomic():
        document = OfficialDocument.objects.select_for_update().get(pk=document_id)
        if document.state != DocumentState.RENDERING:
            return document  # ready (generated once), or not signed off, or given up
        document.attempts += 1
        document.save(update_fields=["attempts"])
    try:
        description = Description.from_json(document.description)
        docx, pdf = render_files(description)
    except Exception as exc:  # recorded, then re-raised for the task's retry
        _record_error(document.pk, exc)
        raise
    with transaction.atomic():
        document = OfficialDocument.objects.select_for_update().get(pk=document_id)
        if document.state != DocumentState.RENDERING:
            return document  # another worker finished first: its files stand
        docx_sha, pdf_sha = hashlib.sha256(docx).hexdigest(), hashlib.sha256(pdf).hexdigest()
        document.docx.save(f"{docx_sha[:16]}.docx", ContentFile(docx), save=False)
        document.pdf.save(f"{pdf_sha[:16]}.pdf", ContentFile(pdf), save=False)
        document.docx_sha256, document.pdf_sha256 = docx_sha, pdf_sha
        document.rendered_at = timezone.now()
        document.state = DocumentState.READY
        document.last_error = ""
        document.save(update_fields=["docx", "pdf", "docx_sha256", "pdf_sha256", "rendered_at", "state", "last_error"])
        notification_send(
            recipients=[document.owner],
            kind="document_ready",
            title=_("“%(title)s” is ready: Word and PDF") % {"title": document.title},
            url=reverse("documents:file", kwargs={"pk": document.pk, "fmt": "pdf"}),
            dedupe_key=f"document-ready-{document.pk}",
        )
        # The owning app publishes what the files belong to (journals: the issue) after the commit.
        documents_ready.announce(document.pk, kind=document.kind)
    return document


def _record_error(document_id: int, exc: BaseException) -> None:
    message = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
    logger.warning("document %s: render failed: %s", document_id, message)
    with transaction.atomic():
        OfficialDocument.objects.filter(pk=document_id, state=DocumentState.RENDERING).update(last_error=message)


def document_render_failed(*, document_id: int, error: str) -> OfficialDocument:
    """The retries are spent: the document is marked failed and the owner told (not published)."""
    with transaction.atomic():
        document = OfficialDocument.objects.select_for_update().get(pk=document_id)
        if document.state != DocumentState.RENDERING:
            return document
        document.state = DocumentState.FAILED
        document.last_error = error[:MAX_ERROR]
        document.save(update_fields=["state", "last_error"])
        notification_send(
            recipients=[document.owner],
            kind="document_failed",
            title=_("“%(title)s” could not be rendered") % {"title": document.title},
            body=document.last_error,
            dedupe_key=f"document-failed-{document.pk}-{document.attempts}",
        )
    return document


__all__ = [
    "DescriptionError",
    "DocumentError",
    "document_create",
    "document_render",
    "document_render_again",
    "document_render_failed",
    "document_sign_off",
]
