"""Reading official documents: only through the owning app's visibility predicate (access.py)."""

from django.http import Http404

from documents.access import can_view
from documents.models import DocumentState, OfficialDocument


def document_get_ready(*, user, pk: int) -> OfficialDocument:
    """A published document the user may read, or Http404 (hidden and missing look the same)."""
    document = OfficialDocument.objects.filter(pk=pk, state=DocumentState.READY).first()
    if document is None or not can_view(user, document):
        raise Http404
    return document


def documents_of_kind(*, kind: str, owner_unit_id=None):
    queryset = OfficialDocument.objects.filter(kind=kind)
    if owner_unit_id is not None:
        queryset = queryset.filter(owner_unit_id=owner_unit_id)
    return queryset
