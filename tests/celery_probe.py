"""Real `celery beat` and `celery worker` processes for the tests, each test on a queue and a key
prefix of its own, so that runs sharing the machine's Redis never see each other's messages.

The processes run the test profile plus a one-second schedule and a task module written to a
temporary directory (probe_settings, probe_tasks).
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import redis
from django.conf import settings

LOCK_TIMEOUT = 4


def write_probe_modules(directory: Path, *, queue: str, prefix: str, entry: str = "probe") -> dict:
    """probe_settings.py and probe_tasks.py in `directory`; returns the environment that uses them."""
    (directory / "probe_settings.py").write_text(
        textwrap.dedent(
            f"""
            from config.settings.test import *  # noqa: F403

            CELERY_BEAT_SCHEDULE = {{
                {entry!r}: {{"task": "probe_tasks.tick", "schedule": 1.0, "options": {{"queue": {queue!r}}}}},
            }}
            CELERY_REDBEAT_KEY_PREFIX = {prefix!r}
            CELERY_REDBEAT_LOCK_TIMEOUT = {LOCK_TIMEOUT}
            CELERY_BEAT_MAX_LOOP_INTERVAL = 1
            CELERY_TASK_DEFAULT_QUEUE = {queue!r}
            CELERY_IMPORTS = ["probe_tasks"]
            # kombu looks for unacknowledged messages past their visibility timeout every 10 s and
            # then only on every 10th look: a worker started within 3 s of the delivery would find
            # the message too young on its first look and not look again for ~100 s.
            CELERY_BROKER_TRANSPORT_OPTIONS = {{
                "visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1
            }}
            """
        )
    )
    (directory / "probe_tasks.py").write_text(
        textwrap.dedent(
            """
            import time

            from celery import shared_task


            @shared_task
            def tick():
                return None


            @shared_task(bind=True)
            def slow_write(self, path, seconds):
                with open(path, "a") as out:
                    out.write(f"start {self.request.hostname}\\n")
                time.sleep(seconds)
                with open(path, "a") as out:
                    out.write(f"done {self.request.hostname}\\n")
            """
        )
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "probe_settings",
        "PYTHONPATH": os.pathsep.join([str(directory), str(settings.BASE_DIR)]),
    }


def celery(*args, env, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "config", *args],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait(condition, timeout: float, message) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message() if callable(message) else message)


def make_probe(directory: Path, entry: str = "probe"):
    queue = f"probe-{uuid.uuid4().hex[:12]}"
    prefix = f"redbeat-test-{queue}:"
    env = write_probe_modules(directory, queue=queue, prefix=prefix, entry=entry)
    return {"env": env, "queue": queue, "prefix": prefix, "redis": redis.Redis.from_url(settings.REDIS_URL)}


def clean_probe(probe) -> None:
    client = probe["redis"]
    for key in client.scan_iter(f"{probe['prefix']}*"):
        client.delete(key)
    client.delete(probe["queue"], *(f"{probe['queue']}\x06\x16{priority}" for priority in (3, 6, 9)))
