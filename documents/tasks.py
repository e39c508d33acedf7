"""The render of a signed-off document (queued by documents.services.document_sign_off)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError, close_old_connections

from documents.services import document_render, document_render_failed, documents_waiting_ids

MAX_RETRIES = 3
RETRY_BACKOFF_SECONDS = 30
RETRY_BACKOFF_MAX_SECONDS = 240  # below the broker's visibility timeout


# Idempotent: a ready document is returned unchanged, so a redelivered message renders nothing twice.
@shared_task(bind=True, max_retries=MAX_RETRIES)
def render_document(self, document_id: int) -> str:
    try:
        return document_render(document_id=document_id).state
    except Exception as exc:  # any failure of the render: retried, then reported
        if isinstance(exc, InterfaceError | OperationalError):
            close_old_connections()  # a broken connection must not be reused by the retry
        if self.request.retries >= self.max_retries:
            document_render_failed(document_id=document_id, error=f"{type(exc).__name__}: {exc}")
            return "failed"
        countdown = min(RETRY_BACKOFF_SECONDS * 2**self.request.retries, RETRY_BACKOFF_MAX_SECONDS)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task
def render_pending_documents() -> int:
    """Catch-up: signed-off documents whose render never reached the broker (or a lost worker)."""
    ids = documents_waiting_ids()
    for pk in ids:
        render_document.delay(pk)
    return len(ids)
