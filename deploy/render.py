"""Render the nginx site and the systemd units for one server from deploy/ (docs/deploy.md).

    python deploy/render.py --out /tmp/bulletin-desk-deploy [--values /etc/bulletin-desk/env] [KEY=VALUE ...]

Values come from the defaults below, then the --values file (KEY=VALUE lines: the application's
own env file will do, it shares S3_ENDPOINT_URL, MEDIA_ROOT, STATIC_ROOT and FILE_ACCEL_PREFIX),
then KEY=VALUE arguments. With S3_BUCKET set, the protected location proxies the object store;
otherwise it reads MEDIA_ROOT on this host's disk.
"""

import argparse
import re
import sys
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parent

DEFAULTS = {
    "APP_DIR": "/opt/bulletin-desk",
    "VENV": "/opt/bulletin-desk/.venv",
    "ENV_FILE": "/etc/bulletin-desk/env",
    "USER": "bulletin-desk",
    "SERVER_NAME": "desk.example.org",
    "LISTEN": "80",
    "APP_SERVERS": "127.0.0.1:8000",
    "GUNICORN_BIND": "127.0.0.1:8000",
    "GUNICORN_WORKERS": "5",
    "FORWARDED_ALLOW_IPS": "127.0.0.1",
    "CELERY_CONCURRENCY": "2",
    "STATIC_ROOT": "/var/lib/bulletin-desk/static",
    "MEDIA_ROOT": "/var/lib/bulletin-desk/media",
    "NGINX_LOG_DIR": "/var/log/nginx",
    "S3_BUCKET": "",
    "S3_ENDPOINT_URL": "",
    "FILE_ACCEL_PREFIX": "/_protected",
    "MAX_BODY": "55m",
    "BACKUP_DIR": "/var/backups/bulletin-desk",
    "BACKUP_KEEP_DAYS": "14",
}
UNITS = [
    "bulletin-desk-web.service",
    "bulletin-desk-worker@.service",
    "bulletin-desk-beat.service",
    "bulletin-desk-backup.service",
    "bulletin-desk-backup.timer",
]
PLACEHOLDER = re.compile(r"@@([A-Z0-9_]+)@@")


def read_values(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def fill(template: str, values: dict[str, str]) -> str:
    def value(match):
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for @@{name}@@")
        return values[name]

    return PLACEHOLDER.sub(value, template)


def render(values: dict[str, str]) -> dict[str, str]:
    """File name → rendered text, for the nginx site and every unit."""
    values = {**DEFAULTS, **values}
    values["FILE_ACCEL_PREFIX"] = values["FILE_ACCEL_PREFIX"].rstrip("/")
    values["ACCEL_PREFIX"] = values["FILE_ACCEL_PREFIX"]
    values["S3_ENDPOINT_URL"] = values["S3_ENDPOINT_URL"].rstrip("/")
    values["MEDIA_ROOT"] = values["MEDIA_ROOT"].rstrip("/")
    values["STATIC_ROOT"] = values["STATIC_ROOT"].rstrip("/")
    servers = [server.strip() for server in values["APP_SERVERS"].split(",") if server.strip()]
    values["APP_SERVER_LINES"] = "\n".join(f"    server {server} max_fails=3 fail_timeout=10s;" for server in servers)
    if values["S3_BUCKET"]:
        if not values["S3_ENDPOINT_URL"]:
            raise KeyError("S3_BUCKET is set without S3_ENDPOINT_URL: nginx needs the object store's address")
        protected = "nginx-protected-s3.conf"
    else:
        protected = "nginx-protected-fs.conf"
    values["PROTECTED_LOCATION"] = fill((DEPLOY_DIR / protected).read_text(encoding="utf-8"), values).rstrip()
    rendered = {"nginx-site.conf": fill((DEPLOY_DIR / "nginx-site.conf").read_text(encoding="utf-8"), values)}
    for unit in UNITS:
        rendered[unit] = fill((DEPLOY_DIR / "systemd" / unit).read_text(encoding="utf-8"), values)
    return rendered


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path, help="directory for the rendered files")
    parser.add_argument("--values", type=Path, help="a KEY=VALUE file (the application's env file will do)")
    parser.add_argument("assignments", nargs="*", metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    values = read_values(args.values) if args.values else {}
    for assignment in args.assignments:
        key, _, value = assignment.partition("=")
        values[key] = value
    try:
        rendered = render(values)
    except KeyError as error:
        print(f"render.py: {error.args[0]}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in rendered.items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
