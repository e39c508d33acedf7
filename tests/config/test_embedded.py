"""The private servers' life: started on demand, shared, stopped by the last process, recovered after a crash.

Checked on Redis in a folder of the test's own (PostgreSQL follows the same handles, and the whole
suite runs on it under `make test`).
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

from config import embedded

ROOT = Path(__file__).resolve().parents[2]


def _holder(directory: Path, then: str = "") -> list[str]:
    """A Python process that takes a handle on the private Redis in `directory`, then runs `then`."""
    code = (
        "from pathlib import Path; import time; from config import embedded; "
        f"embedded.REDIS_DIR = Path({str(directory)!r}); "
        "print(embedded.redis_url(0), flush=True); " + then
    )
    return [sys.executable, "-c", code]


def _answers(directory: Path) -> bool:
    return embedded._redis_answers(directory / "redis.sock")


def test_the_last_process_to_exit_stops_the_server(tmp_path):
    url = subprocess.run(_holder(tmp_path), cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert url.strip() == f"unix://{tmp_path / 'redis.sock'}?db=0"
    assert not _answers(tmp_path)


def test_a_second_process_shares_the_server_and_leaves_it_to_the_first(tmp_path):
    first = subprocess.Popen(_holder(tmp_path, "time.sleep(60)"), cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        first.stdout.readline()
        assert _answers(tmp_path)
        subprocess.run(_holder(tmp_path), cwd=ROOT, capture_output=True, check=True)
        assert _answers(tmp_path), "the second process stopped a server the first still uses"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    # The first died without giving its handle back: the server is left running, and found dead.
    assert _answers(tmp_path)
    embedded.REDIS_DIR, saved = tmp_path, embedded.REDIS_DIR
    try:
        assert embedded.Handles(tmp_path).live() == []
        embedded._release_redis()
    finally:
        embedded.REDIS_DIR = saved
    for _ in range(50):
        if not _answers(tmp_path):
            break
        time.sleep(0.1)
    assert not _answers(tmp_path)


def test_a_server_left_by_a_crash_is_reused_then_stopped(tmp_path):
    crashed = subprocess.Popen(_holder(tmp_path, "time.sleep(60)"), cwd=ROOT, stdout=subprocess.PIPE, text=True)
    crashed.stdout.readline()
    left_behind = (tmp_path / "redis.pid").read_text()
    crashed.send_signal(signal.SIGKILL)
    crashed.wait()
    pid_file = str(tmp_path / "redis.pid")
    seen = subprocess.run(
        _holder(tmp_path, f"print(open({pid_file!r}).read())"), cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert left_behind.strip() in seen.split(), "a second server was started instead of the running one"
    assert not _answers(tmp_path), "the last process gave back its handle and stopped the server"
