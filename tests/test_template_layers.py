"""A lower app's template never includes a higher app's partial nor loads its tag library.

The layers, bottom to top (README "Architecture"); notifications is a leaf any app may use. Higher
apps show their parts of the bulletin pages through the slots of bulletins/panels.py instead.
"""

import re
from pathlib import Path

from django.conf import settings
from django.template.backends.django import get_installed_libraries

LAYERS = ["accounts", "bulletins", "review", "incidents", "journals", "dashboards", "home"]
TOP = len(LAYERS)  # demo, bench
RANK = {app: rank for rank, app in enumerate(LAYERS)} | {"notifications": -1, "demo": TOP, "bench": TOP}
# Template folders named after no app: the site's shell (base.html, includes/) and Django's auth views.
FOLDER_OWNER = {"registration": "accounts"}

INCLUDE = re.compile(r"{%\s*include\s+[\"']([\w-]+)/")
LOAD = re.compile(r"{%\s*load\s+([\w\s]+?)\s*%}")


def _library_apps() -> dict[str, str]:
    """Tag library name → the project app that defines it (libraries of Django and packages left out)."""
    return {
        name: module.split(".")[0] for name, module in get_installed_libraries().items() if module.split(".")[0] in RANK
    }


def test_no_template_reaches_above_its_app():
    libraries = _library_apps()
    root = Path(settings.BASE_DIR) / "templates"
    offenders = []
    checked = 0
    for path in root.glob("*/**/*.html"):
        folder = path.relative_to(root).parts[0]
        owner = FOLDER_OWNER.get(folder, folder)
        if owner not in RANK:
            continue
        checked += 1
        text = path.read_text(encoding="utf-8")
        used = set(INCLUDE.findall(text))
        for names in LOAD.findall(text):
            used |= {libraries[name] for name in names.split() if name in libraries}
        used = {FOLDER_OWNER.get(app, app) for app in used}
        offenders += [f"{path.relative_to(root)} uses {app}" for app in used if RANK.get(app, -1) > RANK[owner]]
    assert checked >= 20
    assert offenders == []
