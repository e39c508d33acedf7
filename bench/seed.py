# The per-bulletin helpers in Generator.chunk are closures over the loop's current bulletin and
# are only called within that iteration, which is what B023 warns about.
# ruff: noqa: B023
"""Load the national benchmark data set fast: rows are generated in Python and loaded with COPY.

The load is one transaction: the benchmark tables are truncated, their secondary indexes and
unique constraints dropped (read from the catalogue, so indexes other apps add later are covered),
rows streamed with `COPY ... FREEZE` while a producer thread generates the next chunk, indexes and
constraints rebuilt, sequences set. Foreign-key triggers are skipped for the load
(`session_replication_role = replica`, superuser only): the generator writes consistent ids.
Derived tables of other apps are filled afterwards in one place, `bench.integrations.after_load`.
"""

import io
import queue
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import OrgUnit, User, unit_path
from bench.models import BenchDataset
from bench.text import TextMaker, person_name, place_names
from bulletins.categories import ensure_default_categories
from bulletins.models import Bulletin, BulletinVersion, Category
from review.models import Adoption, DeclineReason, QueueEntry, ReturnReason, ReviewEvent

PREFIX = "bench-"
PASSWORD = "bench2026"
ROLES = ("staff", "staff2", "reviewer", "head")
PROVINCES, CITIES, COUNTIES = 31, 330, 2800
YEARS = 3
CHUNK = 20_000
DAY = 86_400
HOUR = 3_600

# Bulk tables in load order (parents first), with the columns the generator writes.
COLUMNS = {
    Bulletin: (
        "id title body category_id occurred_at place source contact_name contact_phone filing_unit_id author_id "
        "status current_unit_id edit_version version_count deadline_at submitted_at signed_off_at created_at "
        "updated_at reached_unit_ids"
    ),
    BulletinVersion: (
        "id bulletin_id number title body category_id occurred_at place source contact_name contact_phone "
        "attachments created_by_id created_at"
    ),
    QueueEntry: "id bulletin_id unit_id version_number state opened_at closed_at decided_by_id action",
    ReviewEvent: "id bulletin_id version_number action from_unit_id to_unit_id actor_id at reason comment",
    Adoption: "id bulletin_id unit_id level kind adopted_at adopted_by_id",
}
BULK_MODELS = list(COLUMNS)
TREE_COLUMNS = {
    OrgUnit: "id name short_name code level parent_id path",
    User: (
        "id password last_login is_superuser username first_name last_name email is_staff is_active date_joined "
        "full_name phone is_officer is_reviewer is_office_head unit_id"
    ),
}

RETURN_COMMENTS = [
    "请核实文中数字和时间后再报。",
    "针对性不强，请聚焦当前重点工作补充材料。",
    "报送时间较晚，请压缩篇幅后重报。",
    "文字表述需进一步精炼。",
    "请补充信息来源及核实情况。",
]
RETURN_REASONS = [choice.value for choice in ReturnReason]
DECLINE_REASONS = [choice.value for choice in DeclineReason]
KINDS = ("full", "abridged", "combined")
KIND_WEIGHTS = (40, 35, 25)


class NotABenchmarkDatabase(CommandError):
    pass


def foreign_data() -> list[str]:
    """What in this database was not made by seed_bench (empty when it is safe to load)."""
    found = []
    units = OrgUnit.objects.exclude(code__startswith=PREFIX).count()
    if units:
        found.append(f"{units} units whose code does not start with {PREFIX!r}")
    users = User.objects.exclude(username__startswith=PREFIX).count()
    if users:
        found.append(f"{users} users whose username does not start with {PREFIX!r}")
    bulletins = Bulletin.objects.exclude(filing_unit__code__startswith=PREFIX).count()
    if bulletins:
        found.append(f"{bulletins} bulletins filed by non-benchmark units")
    return found


def check_database(*, reset: bool) -> BenchDataset | None:
    """Refuse a database with real data; refuse to replace a benchmark data set without --reset."""
    foreign = foreign_data()
    if foreign:
        raise NotABenchmarkDatabase(
            f"Refusing to load: database {connection.settings_dict['NAME']!r} holds data that seed_bench did not "
            "create (" + "; ".join(foreign) + "). Use a dedicated, empty benchmark database "
            "(createdb bd_bench; DATABASE_URL=postgres://…/bd_bench manage.py migrate)."
        )
    dataset = BenchDataset.objects.order_by("-pk").first()
    has_rows = dataset is not None or OrgUnit.objects.exists() or Bulletin.objects.exists()
    if has_rows and not reset:
        what = f"a benchmark data set of {dataset.bulletins} bulletins" if dataset else "partial benchmark data"
        raise NotABenchmarkDatabase(f"The database already holds {what}; pass --reset to replace it.")
    return dataset


# ---------------------------------------------------------------------------------------------
# The tree and its users
# ---------------------------------------------------------------------------------------------


@dataclass
class Tree:
    units: list[tuple] = field(default_factory=list)  # (id, name, short, code, level, parent_id, path)
    users: list[tuple] = field(default_factory=list)  # (id, username, full_name, unit_id, role)
    level: list[int] = field(default_factory=list)  # by unit id
    parent: list[int] = field(default_factory=list)
    short: list[str] = field(default_factory=list)
    word: list[str] = field(default_factory=list)
    staff: list[tuple] = field(default_factory=list)
    deciders: list[tuple] = field(default_factory=list)
    contact: list[tuple] = field(default_factory=list)
    by_level: dict = field(default_factory=dict)


def build_tree(rng: random.Random) -> Tree:
    """1 central unit, 31 provinces, 330 cities, 2,800 counties; four users per unit."""
    tree = Tree()
    province_names = place_names(rng, PROVINCES, ("省",))
    city_names = place_names(rng, CITIES, ("市",))
    county_names = place_names(rng, COUNTIES, ("县", "县", "区"))

    def add(code, name, short, level, parent_id):
        unit_id = len(tree.units) + 1
        path = unit_path(parent_path=tree.units[parent_id - 1][6] if parent_id else None, pk=unit_id)
        tree.units.append((unit_id, name, short, PREFIX + code, level, parent_id, path))
        return unit_id

    central = add("zy", "中共中央组织部（基准）", "中组部", 0, None)
    city_index = county_index = 0
    for p in range(PROVINCES):
        pname = province_names[p]
        province = add(f"p{p + 1:02d}", f"中共{pname}委组织部", pname, 1, central)
        for _ in range(CITIES // PROVINCES + (1 if p < CITIES % PROVINCES else 0)):
            cname = city_names[city_index]
            city_index += 1
            city = add(f"p{p + 1:02d}-c{city_index:03d}", f"中共{cname}委组织部", cname, 2, province)
            for _ in range(COUNTIES // CITIES + (1 if city_index <= COUNTIES % CITIES else 0)):
                xname = county_names[county_index]
                county_index += 1
                add(
                    f"p{p + 1:02d}-c{city_index:03d}-x{county_index:04d}",
                    f"中共{cname[:-1]}{xname}委组织部" if xname.endswith("区") else f"中共{xname}委组织部",
                    xname,
                    3,
                    city,
                )
    size = len(tree.units) + 1
    tree.level = [0] * size
    tree.parent = [0] * size
    tree.short = [""] * size
    tree.word = [""] * size
    tree.staff = [()] * size
    tree.deciders = [()] * size
    tree.contact = [()] * size
    tree.by_level = {0: [], 1: [], 2: [], 3: []}
    for unit_id, _name, short, code, level, parent_id, _path in tree.units:
        tree.level[unit_id] = level
        tree.parent[unit_id] = parent_id or 0
        tree.short[unit_id] = short
        county_word = "我区" if short.endswith("区") else "我县"
        tree.word[unit_id] = {0: "我市", 1: "我省", 2: "我市"}.get(level, county_word)
        tree.by_level[level].append(unit_id)
        ids = []
        for role in ROLES:
            user_id = len(tree.users) + 1
            tree.users.append((user_id, f"{code}.{role}", person_name(rng), unit_id, role))
            ids.append(user_id)
        tree.staff[unit_id] = (ids[0], ids[1])
        tree.deciders[unit_id] = (ids[2], ids[2], ids[2], ids[3])  # reviewers decide most, heads some
        tree.contact[unit_id] = (
            tree.users[ids[0] - 1][2],
            f"0{rng.randint(10, 999)}-{rng.randint(5_000_000, 8_999_999)}",
        )
    return tree


# ---------------------------------------------------------------------------------------------
# Bulletins and their routing history
# ---------------------------------------------------------------------------------------------

_TIME_OF_DAY = [f"{h:02d}:{m:02d}:{sec:02d}+00" for h in range(24) for m in range(60) for sec in range(60)]


def make_ts(first_day: int, last_day: int):
    """A function epoch seconds → timestamptz text for COPY, from per-day and per-second tables."""
    days = {d: datetime.fromtimestamp(d * DAY, UTC).strftime("%Y-%m-%d ") for d in range(first_day, last_day + 1)}
    tod = _TIME_OF_DAY

    def ts(t: int) -> str:
        day, sec = divmod(t, DAY)
        return days[day] + tod[sec]

    return ts


N = "\\N"


class Generator:
    """Simulates each bulletin's life (submission, sign-off, decisions level by level) up to `now`."""

    def __init__(self, *, tree: Tree, categories: dict, now: int, total: int, seed: int):
        self.tree = tree
        self.cat = categories
        self.now = now
        self.start = now - YEARS * 365 * DAY
        self.total = total
        self.seed = seed
        self.text = TextMaker(seed)
        self.ts = make_ts(self.start // DAY - 30, now // DAY + 1)
        self.version_id = self.queue_id = self.event_id = self.adoption_id = 0
        self.counts = {"draft": 0, "submitted": 0, "in_review": 0, "returned": 0, "adopted": 0, "declined": 0}
        # Filing units: counties 70 %, cities 22 %, provinces 8 %; some units far busier than others.
        units, weights = [], []
        for level, share in ((3, 70), (2, 22), (1, 8)):
            members = tree.by_level[level]
            activity = [random.Random(seed + u).uniform(0.3, 1.7) for u in members]
            scale = share / sum(activity)
            units.extend(members)
            weights.extend(a * scale for a in activity)
        self.filers = units
        cumulative, acc = [], 0.0
        for w in weights:
            acc += w
            cumulative.append(acc)
        self.filer_cum = cumulative

    def chunk(self, first: int, count: int) -> dict:
        """Rows for bulletins first … first+count-1, as COPY text per model."""
        rng = random.Random(self.seed * 1_000_003 + first)
        tree, text, now = self.tree, self.text, self.now
        span = now - HOUR - self.start
        out_b, out_v, out_q, out_e, out_a = [], [], [], [], []
        filers = rng.choices(self.filers, cum_weights=self.filer_cum, k=count)
        rand = rng.random
        expo = rng.expovariate
        choice = rng.choice
        counts = self.counts
        ts = self.ts
        deciders = tree.deciders
        for i in range(count):
            bid = first + i
            created = self.start + int((bid - 1 + rand()) * span / self.total)
            u = filers[i]
            parent = tree.parent
            incident = rand() < 0.05
            topic = "incident" if incident else text.pick_topic(rng)
            category = self.cat["incident" if incident else _TOPIC_CATEGORY[topic]]
            author = tree.staff[u][rand() < 0.5]
            title = text.title(rng, tree.short[u], topic)
            body = text.body(rng, tree.word[u], topic)
            contact_name, contact_phone = tree.contact[u]
            source = text.source(rng)
            place = tree.short[u]
            deadline = N
            if incident:
                occurred_t = created - int(600 + rand() * 5 * HOUR)
                occurred = ts(occurred_t)
                deadline = ts(occurred_t + 24 * HOUR)
            elif rand() < 0.4:
                occurred_t = created - int(rand() * 10 * DAY)
                occurred = ts(occurred_t)
            else:
                occurred_t = created
                occurred = N

            status = "draft"
            current = N
            versions = 0
            submitted = signed = N
            t = created
            adopted = False
            reached = []  # as review.services._open_entry keeps Bulletin.reached_unit_ids

            def freeze(number, at, body_text):
                self.version_id += 1
                out_v.append(
                    f"{self.version_id}\t{bid}\t{number}\t{title}\t{body_text}\t{category}\t{occurred}\t{place}\t"
                    f"{source}\t{contact_name}\t{contact_phone}\t[]\t{author}\t{ts(at)}\n"
                )

            def event(action, version, from_unit, to_unit, actor, at, reason="", comment=""):
                self.event_id += 1
                out_e.append(
                    f"{self.event_id}\t{bid}\t{version if version else N}\t{action}\t{from_unit}\t"
                    f"{to_unit if to_unit else N}\t{actor}\t{ts(at)}\t{reason}\t{comment}\n"
                )

            def open_entry(unit, version, at):
                self.queue_id += 1
                if unit not in reached:
                    reached.append(unit)
                return [self.queue_id, unit, version, at]

            def close_entry(entry, at, actor, action):
                qid, unit, version, opened = entry
                out_q.append(f"{qid}\t{bid}\t{unit}\t{version}\tdecided\t{ts(opened)}\t{ts(at)}\t{actor}\t{action}\n")

            def adopt(unit, at, actor):
                self.adoption_id += 1
                kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
                out_a.append(f"{self.adoption_id}\t{bid}\t{unit}\t{tree.level[unit]}\t{kind}\t{ts(at)}\t{actor}\n")
                return kind

            entry = None
            while True:  # one pass; `break` ends the bulletin's life at its current state
                if rand() < 0.03:  # abandoned draft
                    break
                t += int(expo(1 / (2 * HOUR if incident else 8 * HOUR))) + 60
                if t > now:
                    break
                versions = 1
                submitted = ts(t)
                freeze(1, t, body)
                event("submit", 1, u, u, author, t)
                entry = open_entry(u, 1, t)
                status, current = "submitted", u
                # Sign-off at the own unit (incidents: on time 80 %, warned 10 %, late 10 %).
                if incident:
                    r = rand()
                    hours = 2 + rand() * 16 if r < 0.8 else (20 + rand() * 4 if r < 0.9 else 24 + rand() * 48)
                    t = max(t + 600, occurred_t + int(hours * HOUR))
                else:
                    t += int(expo(1 / (10 * HOUR))) + 300
                if t > now:
                    break
                decider = deciders[u][int(rand() * 4)]
                if not incident and rand() < 0.06:  # returned by the own unit's reviewer
                    close_entry(entry, t, decider, "return")
                    entry = None
                    event("return", versions, u, u, decider, t, choice(RETURN_REASONS), choice(RETURN_COMMENTS))
                    status, current = "returned", u
                    if rand() < 0.2:
                        break
                    t += int(expo(1 / DAY)) + 600
                    if t > now:
                        break
                    versions = 2
                    body = text.body(rng, tree.word[u], topic)  # the revision
                    freeze(2, t, body)
                    event("resubmit", 2, u, u, author, t)
                    entry = open_entry(u, 2, t)
                    status, current = "submitted", u
                    t += int(expo(1 / (6 * HOUR))) + 300
                    if t > now:
                        break
                    decider = deciders[u][int(rand() * 4)]
                up = parent[u]
                close_entry(entry, t, decider, "sign_off")
                event("sign_off", versions, u, up, decider, t)
                signed = ts(t)
                entry = open_entry(up, versions, t)
                status, current = "in_review", up
                v = up
                may_return = True
                while True:
                    t += int(expo(1 / (1.5 * DAY))) + 600
                    if t > now:
                        break
                    decider = deciders[v][int(rand() * 4)]
                    r = rand()
                    top = tree.level[v] == 0
                    if top:
                        action = "adopt" if r < 0.3 else ("decline" if r < 0.9 or not may_return else "return")
                    elif r < 0.30:
                        action = "forward"
                    elif r < 0.45:
                        action = "adopt_forward"
                    elif r < 0.67:
                        action = "adopt"
                    elif r < 0.92 or not may_return:
                        action = "decline"
                    else:
                        action = "return"
                    close_entry(entry, t, decider, action)
                    entry = None
                    if action in ("forward", "adopt_forward"):
                        kind = ""
                        if action == "adopt_forward":
                            kind = adopt(v, t, decider)
                            adopted = True
                        event(action, versions, v, parent[v], decider, t, kind)
                        v = parent[v]
                        entry = open_entry(v, versions, t)
                        current = v
                        continue
                    # As review.services does: the deciding unit stays current_unit; the adoption
                    # kind is the event's reason; a decline above an adoption stays "adopted".
                    if action == "adopt":
                        kind = adopt(v, t, decider)
                        event("adopt", versions, v, N, decider, t, kind)
                        status = "adopted"
                        break
                    if action == "decline":
                        event("decline", versions, v, N, decider, t, choice(DECLINE_REASONS))
                        status = "adopted" if adopted else "declined"
                        break
                    # Returned to the filing unit; most are revised and resubmitted to this level.
                    event("return", versions, v, u, decider, t, choice(RETURN_REASONS), choice(RETURN_COMMENTS))
                    status, current = "returned", u
                    may_return = False
                    if rand() < 0.25:
                        break
                    t += int(expo(1 / DAY)) + 600
                    if t > now:
                        break
                    versions += 1
                    body = text.body(rng, tree.word[u], topic)  # the revision
                    freeze(versions, t, body)
                    event("resubmit", versions, u, v, author, t)
                    entry = open_entry(v, versions, t)
                    status, current = "in_review", v
                break

            if entry is not None:
                qid, unit, version, opened = entry
                out_q.append(f"{qid}\t{bid}\t{unit}\t{version}\topen\t{ts(opened)}\t{N}\t{N}\t\n")
            counts[status] = counts.get(status, 0) + 1
            updated = ts(min(t, now))
            out_b.append(
                f"{bid}\t{title}\t{body}\t{category}\t{occurred}\t{place}\t{source}\t{contact_name}\t"
                f"{contact_phone}\t{u}\t{author}\t{status}\t{current}\t{max(1, versions)}\t{versions}\t{deadline}\t"
                f"{submitted}\t{signed}\t{ts(created)}\t{updated}\t{{{','.join(map(str, reached))}}}\n"
            )
        return {
            Bulletin: "".join(out_b).encode(),
            BulletinVersion: "".join(out_v).encode(),
            QueueEntry: "".join(out_q).encode(),
            ReviewEvent: "".join(out_e).encode(),
            Adoption: "".join(out_a).encode(),
        }


_TOPIC_CATEGORY = {
    "party": "practice",
    "cadre": "news",
    "talent": "news",
    "rural": "practice",
    "education": "news",
    "problem": "problem",
}


# ---------------------------------------------------------------------------------------------
# Indexes: dropped before the load and rebuilt after, read from the catalogue
# ---------------------------------------------------------------------------------------------


def secondary_indexes(cursor, table: str) -> tuple[list, list]:
    """(indexes, unique constraints) of `table` that can be dropped and rebuilt.

    Primary keys stay (ascending ids append cheaply, and foreign keys depend on them); so does any
    unique constraint a foreign key depends on.
    """
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = %s
          AND NOT EXISTS (
              SELECT 1 FROM pg_constraint c
              WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
        ORDER BY i.indexname
        """,
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """
        SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
        WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'x')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)
        ORDER BY c.conname
        """,
        [table],
    )
    return indexes, cursor.fetchall()


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


# ---------------------------------------------------------------------------------------------
# The load
# ---------------------------------------------------------------------------------------------


def _copy(cursor, model, columns: str, data: bytes) -> None:
    if not data:
        return
    cols = ", ".join(_q(c) for c in columns.split())
    # One read of the whole buffer: psycopg2 takes the GIL for each read, and the producer thread
    # holds it most of the time, so many small reads would stall the COPY.
    cursor.copy_expert(
        f"COPY {_q(model._meta.db_table)} ({cols}) FROM STDIN WITH (FREEZE)", io.BytesIO(data), len(data)
    )


def _best_toast_compression(cursor) -> str:
    cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
    return "lz4" if cursor.fetchone()[0] else "pglz"


def load(
    *,
    bulletins: int,
    seed: int = 2026,
    reset: bool = False,
    stdout=None,
    maintenance_work_mem="1GB",
    toast_compression=None,
) -> dict:
    """Replace the benchmark data set with `bulletins` bulletins; returns counts and timings."""

    def say(msg):
        if stdout is not None:
            stdout.write(msg)

    check_database(reset=reset)
    ensure_default_categories(Category)
    categories = dict(Category.objects.values_list("code", "pk"))
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    started = clock

    def lap(name):
        nonlocal clock
        now_ = time.perf_counter()
        timings[name] = round(now_ - clock, 2)
        clock = now_
        say(f"  {name}: {timings[name]:.1f} s")

    rng = random.Random(seed)
    tree = build_tree(rng)
    now = int(timezone.now().timestamp())
    # Computed once for all users, always with the production default hasher, so the gunicorn
    # server (production settings) can check it even when the load ran under the test settings.
    hasher = PBKDF2PasswordHasher()
    password = hasher.encode(PASSWORD, hasher.salt())
    joined = make_ts(0, now // DAY)(now - YEARS * 365 * DAY - 30 * DAY)
    unit_rows = "".join(
        f"{uid}\t{name}\t{short}\t{code}\t{level}\t{parent or N}\t{path}\n"
        for uid, name, short, code, level, parent, path in tree.units
    ).encode()
    flags = {"staff": "t\tf\tf", "staff2": "t\tf\tf", "reviewer": "f\tt\tf", "head": "f\tf\tt"}
    user_rows = "".join(
        f"{uid}\t{password}\t{N}\tf\t{username}\t\t\t{username}@example.org\tf\tt\t{joined}\t{full}\t\t"
        f"{flags[role]}\t{unit}\n"
        for uid, username, full, unit, role in tree.users
    ).encode()
    generator = Generator(tree=tree, categories=categories, now=now, total=bulletins, seed=seed)
    lap("prepare")

    # Cascade reaches the tables of other apps that point at ours (sessions have no foreign key).
    tables = [m._meta.db_table for m in (OrgUnit, User, *BULK_MODELS, BenchDataset)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = %s", [maintenance_work_mem])
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 1")
        # lz4 compresses the long bodies (TOAST) about twice as fast as the default pglz and
        # reads back faster too; production may set the same. Not every build has it (the
        # private server of `make test` has none), so the load takes it where it is offered.
        toast_compression = toast_compression or _best_toast_compression(cursor)
        cursor.execute("SET LOCAL default_toast_compression = %s", [toast_compression])
        cursor.execute("TRUNCATE " + ", ".join(_q(t) for t in tables) + " CASCADE")
        cursor.execute("DELETE FROM django_session")
        dropped = []
        for model in BULK_MODELS:
            table = model._meta.db_table
            indexes, constraints = secondary_indexes(cursor, table)
            for name, _ in constraints:
                cursor.execute(f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(name)}")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {_q(name)}")
            dropped.append((table, indexes, constraints))
        _copy(cursor, OrgUnit, TREE_COLUMNS[OrgUnit], unit_rows)
        _copy(cursor, User, TREE_COLUMNS[User], user_rows)
        lap("truncate, drop indexes, tree")

        # A producer thread generates chunk k+1 while this thread streams chunk k (psycopg2
        # releases the GIL while PostgreSQL works, so the two overlap on two cores).
        chunks: queue.Queue = queue.Queue(maxsize=2)
        failure: list[BaseException] = []

        def produce():
            try:
                for first in range(1, bulletins + 1, CHUNK):
                    chunks.put(generator.chunk(first, min(CHUNK, bulletins + 1 - first)))
            except BaseException as exc:  # noqa: BLE001 - re-raised in the loading thread
                failure.append(exc)
            finally:
                chunks.put(None)

        producer = threading.Thread(target=produce, name="seed-bench-producer", daemon=True)
        producer.start()
        rows = dict.fromkeys(BULK_MODELS, 0)
        nbytes = 0
        while (data := chunks.get()) is not None:
            if rows[Bulletin] and rows[Bulletin] % 200_000 == 0:
                say(f"    {rows[Bulletin]} bulletins, {time.perf_counter() - clock:.0f} s")
            for model in BULK_MODELS:
                _copy(cursor, model, COLUMNS[model], data[model])
                rows[model] += data[model].count(b"\n")
                nbytes += len(data[model])
        producer.join()
        if failure:
            raise failure[0]
        lap("generate and COPY")

        index_seconds = {}
        for table, indexes, constraints in dropped:
            for name, definition in constraints:
                begun = time.perf_counter()
                cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
                index_seconds[name] = round(time.perf_counter() - begun, 2)
            for name, definition in indexes:
                begun = time.perf_counter()
                cursor.execute(definition)
                index_seconds[name] = round(time.perf_counter() - begun, 2)
        lap("rebuild indexes")

        for model in (OrgUnit, User, *BULK_MODELS):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {_q(table)}), 0) + 1,"
                " false)",
                [table],
            )
        counts = {
            "units": len(tree.units),
            "users": len(tree.users),
            **{model._meta.db_table: n for model, n in rows.items()},
            "statuses": generator.counts,
            "copy_megabytes": round(nbytes / 1e6),
        }
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        dataset = BenchDataset.objects.create(bulletins=bulletins, seed=seed, details={"counts": counts})
        lap("sequences, commit")

    from bench.integrations import after_load

    timings.update(after_load(stdout=stdout))
    clock = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    lap("vacuum analyze")
    timings["total"] = round(time.perf_counter() - started, 2)
    dataset.state = BenchDataset.State.READY
    dataset.details = {
        "counts": counts,
        "timings": timings,
        "index_seconds": index_seconds,
        "toast_compression": toast_compression,
    }
    dataset.save(update_fields=["state", "details"])
    say(f"  total: {timings['total']:.1f} s")
    return dataset.details


def bench_usernames(role: str, level: int) -> list[str]:
    """Usernames of benchmark users with `role` at units of `level` (for the driver)."""
    return list(
        User.objects.filter(username__startswith=PREFIX, unit__level=level, username__endswith="." + role)
        .order_by("unit__path")
        .values_list("username", flat=True)
    )
