"""Drive the benchmark: serve with gunicorn, load it with wrk, time the server-side queries, report.

    python -m bench.driver [--duration 10] [--rounds 3] ...   (bench/run.sh sets the environment)

Pages are measured against two ceilings served by the same gunicorn in the same run (a minimal
view, and a minimal view that needs a login), rounds alternate ceilings and pages, and the
median over rounds is reported. Every run writes bench/results/<date>.md.
"""

import argparse
import http.cookiejar
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
NOTES_FILE = ROOT / "bench" / "notes.md"

# The targets of issue 7 (bench/README.md).
TARGETS = {
    "ratio_open": 0.05,  # queue and filtered list: throughput ≥ 0.05 of the minimal view
    "ratio_login": 0.25,  # … and ≥ 0.25 of the login-only view
    "p99_ms": 100,  # at 8 connections
    "queries": 10,  # per page, equal for 1 and 50 rows
    "dashboard_p50_ms": 50,
    "worker_rss_mb": 200,
}
TARGETED_PAGES = ("review queue", "bulletin list", "journal reading room", "journal picker")


@dataclass
class Config:
    duration: int = 10  # seconds per wrk run
    warmup: int = 5  # seconds per endpoint before the rounds
    rounds: int = 3
    connections: int = 8
    wrk_threads: int = 2
    # gunicorn's own recommendation for a CPU-bound app: sync workers, (2 × cores) + 1. Threads
    # in one process share the GIL: 2 gthread workers × 4 threads served the review queue at 45-69
    # req/s against 78-82 for 4-5 single-threaded workers on the same 2 cores (2026-11-27).
    workers: int = (os.cpu_count() or 1) * 2 + 1
    threads: int = 1
    worker_class: str = "sync"
    timing_runs: int = 7
    results_dir: Path = RESULTS_DIR
    write_results: bool = True
    explain: bool = True


# ---------------------------------------------------------------------------------------------
# Facts about the machine and the data
# ---------------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except OSError:
        mem_kb = 0
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "load average before": " ".join(f"{x:.2f}" for x in load),
        "kernel": platform.release(),
    }


def versions() -> dict:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        ctype = cursor.fetchone()[0]
    gunicorn = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.splitlines()
    return {
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "PostgreSQL": f"{pg} (LC_CTYPE {ctype})",
        "gunicorn": gunicorn.replace("gunicorn (version ", "").rstrip(")"),
        "wrk": wrk[0] if wrk else "?",
    }


def data_size() -> dict:
    from django.db import connection

    from bench.models import BenchDataset

    dataset = BenchDataset.objects.order_by("-pk").first()
    sizes = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables "
            "WHERE pg_total_relation_size(relid) > 8 * 1024 * 1024 ORDER BY 3 DESC"
        )
        for name, rows, size in cursor.fetchall():
            sizes[name] = (rows, size)
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
    return {"dataset": dataset, "tables": sizes, "database_bytes": total}


# ---------------------------------------------------------------------------------------------
# Context: the users and units the pages are measured with
# ---------------------------------------------------------------------------------------------


@dataclass
class Context:
    users: dict
    unit_ids: dict
    busiest_queue: tuple  # (unit_id, open entries)
    smallest_queue: tuple
    single_bulletin_filter: dict
    _user_cache: dict = field(default_factory=dict)

    def user(self, key):
        from accounts.models import User

        if key not in self._user_cache:
            self._user_cache[key] = User.objects.select_related("unit").get(username=self.users[key])
        return self._user_cache[key]

    def user_of_unit(self, unit_id, role):
        from accounts.models import OrgUnit

        key = (unit_id, role)
        if key not in self.users:
            self.users[key] = OrgUnit.objects.get(pk=unit_id).code + "." + role
        return self.user(key)

    def reviewer_of(self, unit_id) -> str:
        from accounts.models import OrgUnit

        return OrgUnit.objects.get(pk=unit_id).code + ".reviewer"


def build_context() -> Context:
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import OrgUnit
    from bench.seed import PREFIX
    from bulletins.models import Bulletin
    from review.models import QueueEntry

    central = OrgUnit.objects.get(code=PREFIX + "zy")
    province = OrgUnit.objects.filter(level=1, code__startswith=PREFIX).order_by("code").first()
    open_counts = QueueEntry.objects.filter(state="open").values("unit").annotate(n=Count("id")).order_by("-n", "unit")
    busiest = open_counts.first()
    single = open_counts.filter(n=1).first() or open_counts.order_by("n", "unit").first()
    # A filter on the province head's list that matches one bulletin (or very few): its title on its day.
    # The list holds the province's own bulletins (bulletins.selectors.bulletin_list), so one of those;
    # a subtree bulletin matched nothing and skipped the page query (5 vs 6 queries in a run).
    bulletin = Bulletin.objects.filter(filing_unit=province).order_by("-created_at").first()
    day = timezone.localtime(bulletin.created_at).date() if bulletin else timezone.localdate()
    return Context(
        users={
            "central_reviewer": f"{central.code}.reviewer",
            "central_head": f"{central.code}.head",
            "province_head": f"{province.code}.head",
            "province_reviewer": f"{province.code}.reviewer",
        },
        unit_ids={"central": central.pk, "province": province.pk},
        busiest_queue=(busiest["unit"], busiest["n"]) if busiest else (central.pk, 0),
        smallest_queue=(single["unit"], single["n"]) if single else (central.pk, 0),
        single_bulletin_filter={"keyword": bulletin.title if bulletin else "党建", "date": f"{day:%Y-%m-%d}"},
    )


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = urllib.parse.quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(s["PASSWORD"])
    host = s["HOST"] or s.get("OPTIONS", {}).get("host") or "127.0.0.1"
    if host.startswith("/"):  # a Unix socket's folder, as the private server of `make test` has
        return f"postgres://{auth}@/{s['NAME']}?host={urllib.parse.quote(host)}"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the bench profile (production settings plus the bench app) on a loopback port."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.env = {
            **os.environ,
            # Plain HTTP, the ceilings and X-Query-Count: config/settings/bench.py.
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            # This process's database: under the smoke test, the test database.
            "DATABASE_URL": database_url(),
            # gunicorn's stderr is a pipe read only if it exits: nothing below warnings.
            "LOG_LEVEL": "WARNING",
        }
        if not self.env.get("REDIS_URL"):
            raise SystemExit("REDIS_URL is not set: the benchmark needs Redis (sessions are cached there)")

    def start(self):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=self.env, check=True
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.cfg.workers),
                "--worker-class",
                self.cfg.worker_class,
                "--threads",
                str(self.cfg.threads),
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited: " + (self.process.stderr.read() or "")[-2000:])
            try:
                urllib.request.urlopen(self.base + "/bench/open/", timeout=2).read()
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def worker_pids(self) -> list[int]:
        master = self.process.pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
            return [int(pid) for pid in children]
        except OSError:
            pids = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == master:
                    pids.append(int(stat.parent.name))
            return pids


class RssSampler:
    """Largest resident set of any gunicorn worker while it runs (sampled every 0.2 s)."""

    def __init__(self, server: Server):
        self.server = server
        self.max_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for pid in self.server.worker_pids():
                try:
                    match = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
                except OSError:
                    continue
                if match:
                    self.max_kb = max(self.max_kb, int(match.group(1)))
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base: str, username: str, password: str) -> str:
    """Log in through the real login form; returns the Cookie header for wrk."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    html = opener.open(base + "/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    try:
        opener.open(urllib.request.Request(base + "/accounts/login/", data=body.encode()), timeout=30)
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            raise
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"login as {username} failed (no session cookie)")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def probe(url: str, cookie: str | None) -> dict:
    """One request: status, query count (X-Query-Count) and size."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        response = opener.open(request, timeout=60)
        body = response.read()
        status, headers = response.status, response.headers
    except urllib.error.HTTPError as exc:
        body, status, headers = exc.read(), exc.code, exc.headers
    count = headers.get("X-Query-Count")
    return {"status": status, "queries": int(count) if count is not None else None, "bytes": len(body)}


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, cookie: str | None, cfg: Config, duration: int) -> dict:
    command = ["wrk", f"-t{cfg.wrk_threads}", f"-c{cfg.connections}", f"-d{max(1, duration)}s", "--latency"]
    command += ["--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "99"):
        result[f"p{pct}"] = _ms(re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M).group(1))
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["non2xx"] = int(bad.group(1)) if bad else 0
    result["socket_errors"] = sum(int(x) for x in errors.groups()) if errors else 0
    return result


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------


def check_environment() -> list[str]:
    """Before Django: the server answers, the database exists (created if not), Redis and wrk are there."""
    import environ
    import psycopg2

    problems = []
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        problems.append(f"DATABASE_URL must point to a PostgreSQL benchmark database (got {url or 'nothing'})")
    else:
        db = environ.Env.db_url_config(url)
        params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
        if db.get("PASSWORD"):
            params["password"] = db["PASSWORD"]
        try:
            conn = psycopg2.connect(dbname="postgres", connect_timeout=3, **params)
        except psycopg2.OperationalError as exc:
            problems.append(
                f"PostgreSQL does not answer at {params['host']}:{params['port']} ({str(exc).strip()}); "
                "start it, e.g. `pg_ctlcluster 15 main start`"
            )
        else:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
                if cursor.fetchone() is None:
                    cursor.execute(f"CREATE DATABASE \"{db['NAME']}\" ENCODING 'UTF8'")
                    print(f"created database {db['NAME']}")
            conn.close()
    return problems + _redis_and_wrk_problems()


def _redis_and_wrk_problems() -> list[str]:
    """Both checks need them: Redis answers at REDIS_URL, and wrk is installed."""
    import redis

    problems = []
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        problems.append("REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0)")
    else:
        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except Exception as exc:  # noqa: BLE001 - reported to the user
            problems.append(
                f"Redis does not answer at {redis_url} ({exc}); start it, e.g. `redis-server --daemonize yes`"
            )
    if not shutil.which("wrk"):
        problems.append("wrk is not installed (apt-get install wrk)")
    return problems


def check_services():
    """PostgreSQL and Redis must answer; say clearly which one does not."""
    from django.db import connection

    problems = []
    try:
        connection.ensure_connection()
    except Exception as exc:  # noqa: BLE001 - reported to the user
        problems.append(f"PostgreSQL does not answer at {database_url()}: {exc}")
    return problems + _redis_and_wrk_problems()


def run_http(cfg: Config, ctx: Context, say=print) -> dict:
    from bench import integrations
    from bench.seed import PASSWORD

    plan = integrations.pages(ctx)
    server = Server(cfg).start()
    results = {"pages": [], "worker_rss_mb": None, "server": f"gunicorn {cfg.worker_class}"}
    try:
        cookies: dict = {}

        def cookie_for(username):
            if username is None:
                return None
            if username not in cookies:
                cookies[username] = login(server.base, username, PASSWORD)
            return cookies[username]

        live = []
        for page in plan:
            entry = {"page": page, "status": None, "runs": []}
            results["pages"].append(entry)
            # The first request of a fresh session writes the session once (its idle timestamp):
            # not the page's cost, so each page is counted on its second request, like the tests do.
            probe(server.base + page.path, cookie_for(page.username))
            first = probe(server.base + page.path, cookie_for(page.username))
            entry.update(status=first["status"], queries=first["queries"], bytes=first["bytes"])
            if first["status"] == 404:
                entry["missing"] = True
                say(f"  {page.name}: missing (404)")
                continue
            if first["status"] != 200:
                entry["error"] = f"HTTP {first['status']}"
                say(f"  {page.name}: HTTP {first['status']}, not measured")
                continue
            if page.small_path:
                probe(server.base + page.small_path, cookie_for(page.small_username))
                small = probe(server.base + page.small_path, cookie_for(page.small_username))
                entry["small_queries"] = small["queries"]
                entry["small_status"] = small["status"]
            live.append(entry)

        with RssSampler(server) as rss:
            if cfg.warmup:
                for entry in live:
                    page = entry["page"]
                    wrk(server.base + page.path, cookie_for(page.username), cfg, cfg.warmup)
            for round_no in range(cfg.rounds):
                for entry in live:  # ceilings first, then pages: each round alternates them
                    page = entry["page"]
                    entry["runs"].append(wrk(server.base + page.path, cookie_for(page.username), cfg, cfg.duration))
                say(f"  round {round_no + 1}/{cfg.rounds} done")
        results["worker_rss_mb"] = round(rss.max_kb / 1024, 1)
        results["workers"] = cfg.workers
    finally:
        server.stop()

    for entry in live:
        runs = entry["runs"]
        entry["rps"] = statistics.median(r["rps"] for r in runs)
        entry["p50"] = statistics.median(r["p50"] for r in runs)
        entry["p99"] = statistics.median(r["p99"] for r in runs)
        entry["non2xx"] = sum(r["non2xx"] for r in runs)
        entry["socket_errors"] = sum(r["socket_errors"] for r in runs)
    ceilings = {e["page"].name: e.get("rps") for e in results["pages"] if e["page"].kind == "ceiling"}
    results["ceiling_open"] = ceilings.get("ceiling: minimal view")
    results["ceiling_login"] = ceilings.get("ceiling: login-only view")
    for entry in live:
        if results["ceiling_open"]:
            entry["ratio_open"] = entry["rps"] / results["ceiling_open"]
        if results["ceiling_login"]:
            entry["ratio_login"] = entry["rps"] / results["ceiling_login"]
    return results


STEP_TIMEOUT_S = 20  # a server-side step slower than this is reported as such, not waited for


def run_server_side(cfg: Config, ctx: Context, say=print) -> list[dict]:
    from django.db import OperationalError, connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench import integrations

    out = []
    for step in integrations.steps(ctx):
        entry = {"step": step, "times": [], "explain": []}
        out.append(entry)
        try:
            for attempt in range(cfg.timing_runs + 2):  # a warm-up run, the timed runs, a captured run
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL statement_timeout = %s", [f"{STEP_TIMEOUT_S}s"])
                    if step.prepare_each:
                        step.prepare_each()
                    begun = time.perf_counter()
                    if attempt == cfg.timing_runs + 1:
                        with CaptureQueriesContext(connection) as captured:
                            step.run()
                    else:
                        step.run()
                    elapsed = (time.perf_counter() - begun) * 1000
                    if step.rollback:
                        transaction.set_rollback(True)
                if 0 < attempt <= cfg.timing_runs:
                    entry["times"].append(elapsed)
        except integrations.Missing as exc:
            entry["missing"] = str(exc)
            say(f"  {step.name}: missing ({exc})")
            continue
        except OperationalError as exc:  # the statement timeout below: a figure, not a crash
            entry["missing"] = f"over {STEP_TIMEOUT_S} s ({str(exc).strip()})"
            say(f"  {step.name}: {entry['missing']}")
            continue
        entry["median_ms"] = statistics.median(entry["times"])
        entry["queries"] = len(captured.captured_queries)
        say(f"  {step.name}: {entry['median_ms']:.1f} ms")
        if not cfg.explain:
            continue
        if step.raw_sql:
            statements = [step.raw_sql]
        else:
            statements = [
                (q["sql"], None)
                for q in captured.captured_queries
                if q["sql"].lstrip().upper().startswith(("SELECT", "UPDATE", "WITH"))
            ]
        for sql, params in statements[:4]:
            # EXPLAIN ANALYZE executes the statement: in a transaction rolled back afterwards.
            with transaction.atomic(), connection.cursor() as cursor:
                if step.prepare_each:
                    step.prepare_each()
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                transaction.set_rollback(True)
                entry["explain"].append(
                    (cursor.mogrify(sql, params).decode() if params else sql, [r[0] for r in cursor.fetchall()])
                )
    return out


def evaluate(http: dict | None, server_side: list[dict]) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/FAIL/missing) rows."""
    rows = []

    def verdict(ok):
        return "PASS" if ok else "FAIL"

    if http:
        for entry in http["pages"]:
            name = entry["page"].name
            if not name.startswith(TARGETED_PAGES) and "dashboard" not in name:
                continue
            if entry.get("missing") or entry.get("error"):
                rows.append((f"{name}: all targets", entry.get("error") or "missing", "missing"))
                continue
            if "dashboard" in name:
                rows.append(
                    (
                        f"{name}: p50 ≤ {TARGETS['dashboard_p50_ms']} ms",
                        f"{entry['p50']:.1f} ms",
                        verdict(entry["p50"] <= TARGETS["dashboard_p50_ms"]),
                    )
                )
                continue
            rows.append(
                (
                    f"{name}: ≥ {TARGETS['ratio_open']} of minimal view",
                    f"{entry['ratio_open']:.3f}",
                    verdict(entry["ratio_open"] >= TARGETS["ratio_open"]),
                )
            )
            rows.append(
                (
                    f"{name}: ≥ {TARGETS['ratio_login']} of login-only view",
                    f"{entry['ratio_login']:.3f}",
                    verdict(entry["ratio_login"] >= TARGETS["ratio_login"]),
                )
            )
            rows.append(
                (
                    f"{name}: p99 ≤ {TARGETS['p99_ms']} ms at 8 connections",
                    f"{entry['p99']:.1f} ms",
                    verdict(entry["p99"] <= TARGETS["p99_ms"]),
                )
            )
            queries, small = entry.get("queries"), entry.get("small_queries")
            rows.append(
                (
                    f"{name}: ≤ {TARGETS['queries']} queries, equal for 1 and many rows",
                    f"{queries} (few rows: {small})",
                    verdict(queries is not None and queries <= TARGETS["queries"] and small == queries),
                )
            )
        rss = http.get("worker_rss_mb")
        rows.append(
            (
                f"gunicorn worker RSS ≤ {TARGETS['worker_rss_mb']} MB",
                f"{rss} MB",
                verdict(rss is not None and rss <= TARGETS["worker_rss_mb"]),
            )
        )
    for entry in server_side:
        step = entry["step"]
        if step.target_ms is None:
            continue
        if entry.get("missing"):
            rows.append((f"{step.name} ≤ {step.target_ms:g} ms", "missing", "missing"))
        else:
            rows.append(
                (
                    f"{step.name} ≤ {step.target_ms:g} ms",
                    f"{entry['median_ms']:.1f} ms",
                    verdict(entry["median_ms"] <= step.target_ms),
                )
            )
    return rows


LOAD_TARGET_S = 120  # 1,000,000 bulletins in under 2 minutes (scaled linearly for other sizes)


def load_verdicts(dataset) -> list[tuple[str, str, str]]:
    """The data set's own load time against its target, when the run that loaded it recorded it."""
    total = (dataset.details or {}).get("timings", {}).get("total") if dataset else None
    if total is None:
        return []
    target = LOAD_TARGET_S * dataset.bulletins / 1_000_000
    return [
        (
            f"seed_bench {dataset.bulletins:,} bulletins ≤ {target:g} s",
            f"{total:.0f} s",
            "PASS" if total <= target else "FAIL",
        )
    ]


def _table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def http_rows(http: dict) -> list[list]:
    rows = []
    for entry in http["pages"]:
        page = entry["page"]
        if entry.get("missing") or entry.get("error"):
            rows.append([page.name, entry.get("error") or "missing", "", "", "", "", "", ""])
            continue
        queries = entry.get("queries")
        if entry.get("small_queries") is not None:
            queries = f"{queries} (few rows: {entry['small_queries']})"
        errors = entry["non2xx"] + entry["socket_errors"]
        rows.append(
            [
                page.name,
                f"{entry['rps']:.0f}",
                f"{entry['p50']:.1f}",
                f"{entry['p99']:.1f}",
                queries,
                f"{entry.get('ratio_open', 0):.3f}",
                f"{entry.get('ratio_login', 0):.3f}",
                errors,
            ]
        )
    return rows


HTTP_HEADER = ["page", "req/s", "p50 ms", "p99 ms", "queries", "÷ minimal", "÷ login-only", "errors"]


def report(cfg: Config, facts: dict, http: dict | None, server_side: list[dict], verdicts) -> str:
    from django.utils import timezone

    size = facts["data"]
    dataset = size["dataset"]
    lines = [f"# Benchmark results {timezone.localdate():%Y-%m-%d}", ""]
    lines += [f"Generated by `make bench` (bench/driver.py) at {timezone.localtime():%Y-%m-%d %H:%M %Z}.", ""]
    lines += ["## Machine", ""] + [f"- {k}: {v}" for k, v in facts["machine"].items()] + [""]
    lines += ["## Versions", ""] + [f"- {k}: {v}" for k, v in facts["versions"].items()] + [""]
    lines += ["## Data", ""]
    if dataset:
        counts = dataset.details.get("counts", {})
        lines.append(f"- data set: {dataset.bulletins:,} bulletins, seed {dataset.seed}, state {dataset.state}")
        lines.append("- rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if isinstance(v, int)))
        lines.append(f"- statuses: {counts.get('statuses')}")
        timings = dataset.details.get("timings", {})
        if timings:
            lines.append("- load (seed_bench) seconds: " + ", ".join(f"{k} {v}" for k, v in timings.items()))
            lines.append(f"- TOAST compression used by the load: {dataset.details.get('toast_compression', 'pglz')}")
    lines.append(f"- database size: {size['database_bytes'] / 1e9:.2f} GB")
    lines += [
        "",
        _table(
            ["table", "rows (estimate)", "size MB"],
            [[k, f"{r:,}", f"{b / 1e6:.0f}"] for k, (r, b) in size["tables"].items()],
        ),
        "",
    ]
    lines += ["## Targets", "", _table(["target", "measured", "result"], verdicts), ""]
    if http:
        lines += ["## Pages over HTTP", ""]
        lines.append(
            f"{http['server']}, {cfg.workers} workers × {cfg.threads} threads, bench settings (production "
            "settings and the bench app), DEBUG off, "
            f"persistent connections; wrk {cfg.wrk_threads} threads, {cfg.connections} connections, "
            f"{cfg.warmup} s warm-up per endpoint, {cfg.rounds} rounds of {cfg.duration} s alternating ceilings and "
            "pages; medians over rounds. Queries are counted server-side (X-Query-Count)."
        )
        lines += ["", _table(HTTP_HEADER, http_rows(http)), ""]
        lines.append(f"Largest gunicorn worker RSS under load: {http['worker_rss_mb']} MB.")
        lines.append("")
        users = [
            f"- {e['page'].name}: `{e['page'].path}` as {e['page'].username or 'anonymous'}"
            + (
                f" (rows in queue: {e['page'].rows}; few-rows check: {e['page'].small_path} as "
                f"{e['page'].small_username}, {e['page'].small_rows} rows)"
                if e["page"].rows is not None
                else ""
            )
            for e in http["pages"]
        ]
        lines += ["Endpoints:", ""] + users + [""]
    lines += ["## Server-side timings", ""]
    lines.append(f"Median of {cfg.timing_runs} runs after one warm-up run, in the driver's process (ORM included).")
    rows = []
    for entry in server_side:
        step = entry["step"]
        if entry.get("missing"):
            rows.append([step.name, "missing", "", entry["missing"]])
        else:
            times = ", ".join(f"{t:.1f}" for t in entry["times"])
            rows.append([step.name, f"{entry['median_ms']:.1f}", entry["queries"], f"{step.note} (runs: {times})"])
    lines += ["", _table(["step", "median ms", "queries", "notes"], rows), ""]
    if NOTES_FILE.exists():
        lines += ["## Findings", "", NOTES_FILE.read_text().strip(), ""]
    explained = [e for e in server_side if e.get("explain")]
    if explained:
        lines += ["## EXPLAIN (ANALYZE, BUFFERS)", ""]
        for entry in explained:
            for sql, plan in entry["explain"]:
                lines += [f"### {entry['step'].name}", "", "```sql", sql.strip(), "```", "", "```"] + plan + ["```", ""]
    return "\n".join(lines)


def run_all(cfg: Config, say=print) -> dict:
    """Every benchmark step; returns the figures (and writes the results file when asked)."""
    from django.utils import timezone

    problems = check_services()
    if problems:
        raise SystemExit("Cannot benchmark:\n  " + "\n  ".join(problems))
    facts = {"machine": machine(), "versions": versions(), "data": data_size()}
    if facts["data"]["dataset"] is None:
        raise SystemExit("No benchmark data set: run `manage.py seed_bench` first (bench/run.sh does).")
    ctx = build_context()
    say("Pages over HTTP:")
    http = run_http(cfg, ctx, say)
    say("Server-side timings:")
    server_side = run_server_side(cfg, ctx, say)
    verdicts = evaluate(http, server_side) + load_verdicts(facts["data"]["dataset"])
    text = report(cfg, facts, http, server_side, verdicts)
    path = None
    if cfg.write_results:
        cfg.results_dir.mkdir(parents=True, exist_ok=True)
        path = cfg.results_dir / f"{timezone.localdate():%Y-%m-%d}.md"
        path.write_text(text)
    say("")
    say(_table(HTTP_HEADER, http_rows(http)))
    say("")
    say(_table(["target", "measured", "result"], verdicts))
    if path:
        say(f"\nResults written to {path}")
    return {"http": http, "server_side": server_side, "verdicts": verdicts, "report": text, "path": path}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cfg = Config()
    for name in ("duration", "warmup", "rounds", "connections", "workers", "threads", "timing_runs"):
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=getattr(cfg, name))
    parser.add_argument("--worker-class", default=cfg.worker_class, choices=("gthread", "sync"))
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--check", action="store_true", help="only check PostgreSQL, Redis and wrk")
    args = parser.parse_args(argv)
    if args.check:
        problems = check_environment()
        if problems:
            print("Cannot benchmark:\n  " + "\n  ".join(problems), file=sys.stderr)
            raise SystemExit(1)
        print("PostgreSQL, Redis and wrk answer.")
        return
    for name in ("duration", "warmup", "rounds", "connections", "workers", "threads", "timing_runs", "worker_class"):
        setattr(cfg, name, getattr(args, name))
    cfg.explain = not args.no_explain
    sys.path.insert(0, str(ROOT))
    # The data set's marker and the ceilings exist only in the bench profile.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    import django

    django.setup()
    run_all(cfg)


if __name__ == "__main__":
    main()
