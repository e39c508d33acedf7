"""Checks on uploaded attachments: count, size, type by content (magic bytes), and a safe name."""

import re
import unicodedata
import zipfile
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024  # 10 MB
MAX_NAME_LENGTH = 150

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # old Word .doc and Excel .xls (Compound File Binary)

# extension → (what the content must be, the content type we send back)
ALLOWED_TYPES = {
    "pdf": ("pdf", "application/pdf"),
    "doc": ("ole2", "application/msword"),
    "docx": ("zip:word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xls": ("ole2", "application/vnd.ms-excel"),
    "xlsx": ("zip:xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": ("jpg", "image/jpeg"),
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
}
ALLOWED_LABEL = "PDF、Word（doc/docx）、Excel（xls/xlsx）、JPG、PNG"
ACCEPT_ATTR = ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"

# What a browser shows by itself (its PDF viewer, an image): opened in the browser; anything
# else (Word, Excel) is downloaded. The type is the one check_upload gave after the content check.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
# Served by documents.responses.file_response (nosniff, a sandboxing policy).

_UNSAFE_CHARS = re.compile(r'[<>:"|?*]')


def sanitize_filename(name: str) -> str:
    """The last path component of `name` without control characters or reserved punctuation."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]  # "../../x.pdf" and "C:\\x.pdf" keep only "x.pdf"
    # Drop control and format characters (category C*: newlines, NUL, right-to-left overrides …).
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE_CHARS.sub("_", name).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        path = PurePosixPath(name)
        suffix = path.suffix[:10]
        name = path.stem[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return name or "attachment"


def _content_matches(upload, kind: str) -> bool:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if kind == "ole2":
        return head.startswith(OLE2_MAGIC)
    if kind.startswith("zip:"):
        prefix = kind.removeprefix("zip:")
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                return any(entry.startswith(prefix) for entry in archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
    guessed = filetype.guess(head)
    return guessed is not None and guessed.extension == kind


def check_upload(upload) -> tuple[str, str]:
    """Validate one uploaded file; return (sanitized original name, content type) or raise ValidationError."""
    name = sanitize_filename(upload.name)
    if upload.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s; an attachment may be at most 10 MB."),
            params={"name": name, "size": filesizeformat(upload.size)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), params={"name": name}, code="empty")
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("“%(name)s” is not an allowed type. Allowed: %(allowed)s."),
            params={"name": name, "allowed": ALLOWED_LABEL},
            code="type",
        )
    kind, content_type = ALLOWED_TYPES[extension]
    if not _content_matches(upload, kind):
        raise ValidationError(
            _("The content of “%(name)s” is not a real %(ext)s file (it may have been renamed). Allowed: %(allowed)s."),
            params={"name": name, "ext": extension.upper(), "allowed": ALLOWED_LABEL},
            code="content",
        )
    return name, content_type


def check_attachment_count(*, existing: int, added: int) -> None:
    """Raise when `added` new files would take a bulletin over the limit."""
    if existing + added > MAX_ATTACHMENTS:
        raise ValidationError(
            _("A bulletin may have at most %(max)d attachments (it has %(existing)d; you added %(added)d)."),
            params={"max": MAX_ATTACHMENTS, "existing": existing, "added": added},
            code="too_many",
        )


def check_uploads(uploads, *, existing_count: int = 0) -> list[tuple[str, str]]:
    """Validate several files at once (every error reported), including the per-bulletin limit."""
    uploads = list(uploads or [])
    errors, checked = [], []
    try:
        check_attachment_count(existing=existing_count, added=len(uploads))
    except ValidationError as error:
        errors.append(error)
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return checked
