"""The .docx to PDF on the server: LibreOffice headless, through the project's font map.

Chosen by measurement over WeasyPrint from HTML (bench/notes.md, issue 15): LibreOffice lays out
the very .docx offices receive, so the PDF has the same pages and the same line breaks as the Word
file opened in LibreOffice, and one renderer is kept instead of two layouts.

Each process converts with a LibreOffice profile of its own (-env:UserInstallation): two soffice
instances on one profile refuse each other or corrupt it, so parallel Celery workers (or test
processes) never share one. FONTCONFIG_FILE points at documents/fonts/fonts.conf: the office font
names the .docx uses map to the site's licensed fonts (documents/fonts/site/) or to free
Simplified-Chinese faces, never to Noto … JP.
"""

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from django.conf import settings

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONTS_CONF = FONT_DIR / "fonts.conf"
TIMEOUT_SECONDS = 120
# Threads of one process share its profile: one conversion at a time per process (a Celery worker
# with the prefork pool runs one task per process anyway).
_profile_lock = threading.Lock()


class ConversionError(RuntimeError):
    pass


def soffice_path() -> str | None:
    configured = getattr(settings, "DOCUMENTS_SOFFICE", "") or "soffice"
    return shutil.which(configured)


def _profile_root() -> Path:
    return Path(getattr(settings, "DOCUMENTS_PROFILE_ROOT", "") or Path(tempfile.gettempdir()) / "bd-soffice")


def _profile_dir() -> Path:
    """This process's LibreOffice profile (created on first use, reused by its next conversions)."""
    path = _profile_root() / f"profile-{os.getpid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def font_environment() -> dict:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    env.setdefault("HOME", tempfile.gettempdir())
    return env


def convert_docx_to_pdf(docx: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Convert .docx bytes to PDF bytes with LibreOffice headless; ConversionError if it fails."""
    soffice = soffice_path()
    if soffice is None:
        raise ConversionError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    with _profile_lock, tempfile.TemporaryDirectory(prefix="bd-docx-") as work:
        profile = _profile_dir()
        source = Path(work) / "document.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            work,
            str(source),
        ]
        try:
            completed = subprocess.run(  # a fixed command; the file name is ours
                command,
                capture_output=True,
                timeout=timeout,
                env=font_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice took longer than {timeout} s") from exc
        target = Path(work) / "document.pdf"
        if completed.returncode != 0 or not target.exists():
            detail = (completed.stderr or completed.stdout).decode(errors="replace").strip()[:200]
            raise ConversionError(f"LibreOffice failed (exit {completed.returncode}): {detail}")
        return target.read_bytes()
