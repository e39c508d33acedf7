"""How every stored file leaves the site: a file's own page runs nothing and loads nothing but itself.

Sandboxed (no scripts, no forms, an opaque origin, so a crafted file cannot act with the user's
session), only its own image and the viewer's inline styles; the type is never sniffed. Chromium's
PDF viewer still renders under it (tests/e2e/test_decision_page.py, tests/documents). Bulletins'
attachments and official documents both answer through file_response().
"""

from django.http import FileResponse

FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def file_response(handle, *, filename: str, content_type: str, inline: bool) -> FileResponse:
    # Django writes a non-ASCII name as filename*=utf-8''… (RFC 5987) beside an ASCII fallback.
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    return response
