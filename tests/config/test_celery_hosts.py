"""Celery on several hosts: exactly one beat schedules (celery-redbeat's lock), a standby takes over,
and a worker killed mid-task loses nothing (acks_late, reject_on_worker_lost, the visibility timeout).

Real processes (`celery beat`, `celery worker`) on the test Redis, each test with its own queue and
key prefix, so that runs sharing the machine's Redis never see each other's messages.
"""

import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from config.celery_app import app as celery_app
from tests.celery_probe import LOCK_TIMEOUT, celery, stop, wait


def _sent(log: Path) -> int:
    return log.read_text(errors="replace").count("Sending due task probe")


def test_two_beats_one_schedules_and_the_other_takes_over_when_it_dies(probe, tmp_path):
    logs = [tmp_path / "beat-a.log", tmp_path / "beat-b.log"]
    beats = [celery("beat", "--loglevel=INFO", env=probe["env"], log=log) for log in logs]
    try:
        wait(lambda: any(_sent(log) for log in logs), 60, "neither beat scheduled anything")
        time.sleep(6)
        counts = [_sent(log) for log in logs]
        active = 0 if counts[0] else 1
        assert counts[1 - active] == 0, f"both beats scheduled: {counts}"
        assert counts[active] >= 5
        # Every message on the queue came from the one beat: one a second, not two.
        assert probe["redis"].llen(probe["queue"]) <= counts[active] + 1

        # The active beat dies without releasing its lock: the standby takes over once it expires.
        stop(beats[active], signal.SIGKILL)
        standby = 1 - active
        wait(
            lambda: _sent(logs[standby]) > 0,
            LOCK_TIMEOUT + 20,
            lambda: f"the standby beat never took over: {logs[standby].read_text()[-3000:]}",
        )
    finally:
        for beat in beats:
            stop(beat)


def _worker(name: str, probe, tmp_path, *extra) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    process = celery(
        "worker", f"--hostname={name}@%h", "-Q", probe["queue"], "--loglevel=INFO", "--without-mingle",
        "--without-gossip", *extra, env=probe["env"], log=log,
    )  # fmt: skip
    return process, log


def _lines(path: Path) -> list[str]:
    return path.read_text().split("\n") if path.exists() else []


@pytest.mark.parametrize("pool", ["solo", "prefork"])
def test_a_worker_killed_mid_task_loses_nothing(probe, tmp_path, pool):
    """solo: the whole worker (its host) dies, the message comes back after the visibility timeout;
    prefork: the pool child dies, its parent puts the task back at once (reject_on_worker_lost)."""
    marks = tmp_path / "marks.txt"
    celery_app.conf.task_always_eager = False  # a real worker runs it (the autouse fixture restores it)
    first, _log = _worker("first", probe, tmp_path, f"--pool={pool}", "--concurrency=1")
    second = None
    try:
        celery_app.send_task("probe_tasks.slow_write", args=[str(marks), 4], queue=probe["queue"])
        wait(lambda: any(line.startswith("start first@") for line in _lines(marks)), 60, "the task never started")
        if pool == "solo":
            first.send_signal(signal.SIGKILL)
            first.wait()
            finisher = "second"
            second, _second_log = _worker("second", probe, tmp_path, "--pool=solo")
        else:
            children = psutil.Process(first.pid).children()
            assert len(children) == 1, children
            children[0].send_signal(signal.SIGKILL)
            finisher = "first"  # the same worker's next child, or any other worker
        wait(
            lambda: any(line.startswith(f"done {finisher}@") for line in _lines(marks)),
            60,
            f"the task was lost: {_lines(marks)}",
        )
        assert not any(line.startswith("done first@") for line in _lines(marks)[:2])
    finally:
        stop(first)
        if second is not None:
            stop(second)
