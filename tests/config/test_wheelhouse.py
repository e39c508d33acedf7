"""The offline install: `make wheelhouse` (scripts/wheelhouse.sh) collects every runtime package,
and a fresh virtualenv installs from it with the network unused, then starts the production settings.

The wheelhouse is built once per requirements.txt (kept under var/, keyed by its hash and the
script's); building it needs PyPI, installing from it does not: the install runs in a network
namespace of its own (`unshare -rn`, no interface but loopback), with pip told there is no index and
a proxy that goes nowhere. About 30 s on this machine (the build, when not yet kept: 10 to 60 s more).
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCRIPT = ROOT / "scripts" / "wheelhouse.sh"


def _wheelhouse() -> Path:
    key = hashlib.sha256((ROOT / "requirements.txt").read_bytes() + SCRIPT.read_bytes()).hexdigest()[:16]
    target = ROOT / "var" / "wheelhouse-test" / key
    if not (target / "SHA256SUMS").exists():
        shutil.rmtree(target.parent, ignore_errors=True)  # older keys: a wheelhouse is ~40 MB
        built = subprocess.run(
            ["bash", str(SCRIPT), str(target)],
            cwd=ROOT,
            env={**os.environ, "PIP": str(Path(sys.executable).parent / "pip")},
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert built.returncode == 0, f"make wheelhouse failed (it needs PyPI once):\n{built.stderr[-3000:]}"
    return target


def _offline(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """`command` with no network: its own network namespace where unshare allows, and no index or proxy."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": kwargs.pop("home"),
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        **kwargs.pop("env", {}),
    }
    return subprocess.run(["unshare", "-rn", *command], env=env, capture_output=True, text=True, **kwargs)


def test_a_fresh_virtualenv_installs_from_the_wheelhouse_without_the_network(tmp_path):
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rn", "true"]).returncode != 0:
        pytest.skip("needs unshare with user namespaces (util-linux) to cut the network off")
    # The network really is gone in there.
    probe = _offline([sys.executable, "-c", "import socket; socket.create_connection(('1.1.1.1', 443), 3)"],
                     home=str(tmp_path))  # fmt: skip
    assert probe.returncode != 0 and "Network is unreachable" in probe.stderr

    wheelhouse = _wheelhouse()
    venv = tmp_path / "venv"
    # The interpreter this virtualenv was made from, not the virtualenv itself.
    # Without ensurepip (15 s here): pip comes from the wheelhouse too, run from its wheel, which is
    # the guide's `pip install --no-index --find-links` with the wheelhouse's own pip.
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), f"{next(wheelhouse.glob('pip-*.whl'))}/pip"]
    install = _offline(
        [*pip, "install", "--no-compile", "--no-index", "--find-links", str(wheelhouse),
         "-r", str(wheelhouse / "requirements.txt"), "pip"],
        home=str(tmp_path), timeout=600,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-3000:]
    assert "Successfully installed" in install.stdout and "Django-5.2" in install.stdout.replace(
        "django-5.2", "Django-5.2"
    )
    check = _offline([str(venv / "bin" / "pip"), "check"], home=str(tmp_path), timeout=120)
    assert check.returncode == 0, check.stdout

    # The production settings and every app import from what was installed (nothing from this venv).
    started = _offline(
        [str(venv / "bin" / "python"), "-c",
         "import django; django.setup(); from django.conf import settings; import boto3, redbeat, health_check;"
         " print(settings.STORAGES['default']['BACKEND'], len(settings.INSTALLED_APPS))"],
        home=str(tmp_path), timeout=120, cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "k" * 60,
            "ALLOWED_HOSTS": "desk.example.org",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
            "REDIS_URL": "redis://127.0.0.1:9/0",
            "S3_BUCKET": "bulletin-desk",
            "S3_ACCESS_KEY_ID": "a",
            "S3_SECRET_ACCESS_KEY": "b",
            "PYTHONPATH": str(ROOT),
        },
    )  # fmt: skip
    assert started.returncode == 0, started.stderr[-3000:]
    assert started.stdout.split()[0] == "storages.backends.s3.S3Storage"
