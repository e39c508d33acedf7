from django.http import Http404
from django.views.decorators.http import require_GET

from documents.responses import file_response
from documents.selectors import document_get_ready

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@require_GET
def document_file_view(request, pk, fmt):
    """The PDF inline (?download=1: as a file) or the .docx as a file, named in Chinese (RFC 5987)."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    document = document_get_ready(user=request.user, pk=pk)
    stored = document.pdf if fmt == "pdf" else document.docx
    inline = fmt == "pdf" and request.GET.get("download") != "1"
    return file_response(
        stored,
        filename=f"{document.file_stem}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
        inline=inline,
        reader=request.user,
    )
