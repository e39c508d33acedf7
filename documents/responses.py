"""How every stored file leaves the site: a file's own page runs nothing and loads nothing but itself.

Sandboxed (no scripts, no forms, an opaque origin, so a crafted file cannot act with the user's
session), only its own image and the viewer's inline styles; the type is never sniffed. Chromium's
PDF viewer still renders under it (tests/e2e/test_decision_page.py, tests/documents). Bulletins'
attachments and official documents both answer through file_response(), after their own view
has decided that the reader may have the file.

With FILE_SERVE_ACCEL the app sends no bytes: an empty response with these headers and an
X-Accel-Redirect to FILE_ACCEL_PREFIX + the path (and, for S3, the presigned query) of the file's
storage URL; nginx's internal location there reads the disk or proxies the object store and keeps
the app's headers (deploy/nginx-site.conf). A sync worker is then free in milliseconds whatever
the file's size, and the object store needs no public bucket.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"

logger = logging.getLogger("documents.downloads")


def accel_redirect_target(stored) -> str:
    """Where nginx finds the file: FILE_ACCEL_PREFIX + its storage URL's path and query."""
    url = urlsplit(stored.storage.url(stored.name))
    return settings.FILE_ACCEL_PREFIX + url.path + (f"?{url.query}" if url.query else "")


def file_response(stored, *, filename: str, content_type: str, inline: bool, reader) -> HttpResponse:
    """The stored file (a FieldFile) for `reader`, whom the caller has authorised; 404 if it is gone."""
    if settings.FILE_SERVE_ACCEL:
        response = HttpResponse(content_type=content_type)
        # Django writes a non-ASCII name as filename*=utf-8''… (RFC 5987) beside an ASCII fallback.
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
        response["X-Accel-Redirect"] = accel_redirect_target(stored)
        served_by = "nginx"
    else:
        try:
            handle = stored.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
        served_by = "app"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    logger.info(
        "file %s served to user %s by %s",
        stored.name,
        reader.pk,
        served_by,
        extra={"file": stored.name, "reader": reader.pk, "served_by": served_by},
    )
    return response
