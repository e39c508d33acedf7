import shutil
import subprocess

import pytest

from documents import pdf

# The faces the font map falls back to (documents/fonts/fonts.conf), and their Debian packages.
FACES = {
    "Noto Serif CJK SC": "fonts-noto-cjk",
    "Noto Serif CJK SC SemiBold": "fonts-noto-cjk-extra",
    "Noto Sans CJK SC": "fonts-noto-cjk",
    "AR PL KaitiM GB": "fonts-arphic-gkai00mp",
    "AR PL UKai CN": "fonts-arphic-ukai",
}


def missing_tools() -> list[str]:
    missing = []
    if pdf.soffice_path() is None:
        missing.append("libreoffice-writer-nogui")
    if shutil.which("pdftoppm") is None:
        missing.append("poppler-utils")
    if shutil.which("fc-list") is None:
        return [*missing, "fontconfig"]
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    for face, package in FACES.items():
        if face not in families and package not in missing:
            missing.append(package)
    return missing


@pytest.fixture(scope="session")
def soffice():
    missing = missing_tools()
    if missing:
        pytest.skip(f"needs LibreOffice and the CJK fonts: install them with `apt-get install {' '.join(missing)}`")
