"""The benchmark in miniature (1,000 bulletins, 1 s per wrk run): every step runs and yields numbers.

Targets are checked by `make bench`, never here; this only keeps the benchmark code from rotting.
"""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from accounts.models import OrgUnit, User
from bench.driver import Config, run_all
from bulletins.models import Bulletin
from review.models import QueueEntry


def _require_services():
    if not shutil.which("wrk"):
        pytest.skip("the benchmark smoke test needs wrk: install it with `apt-get install wrk`")


@pytest.mark.django_db
def test_seed_bench_refuses_a_database_with_other_data(tree):
    with pytest.raises(CommandError) as excinfo:
        call_command("seed_bench", bulletins=10, stdout=io.StringIO())
    assert "Refusing to load" in str(excinfo.value)
    assert "units whose code does not start with 'bench-'" in str(excinfo.value)
    assert OrgUnit.objects.filter(code__startswith="bench-").count() == 0


@pytest.mark.django_db(transaction=True)
def test_every_benchmark_step_runs_and_yields_numbers(tmp_path):
    _require_services()
    call_command("seed_bench", bulletins=1000, stdout=io.StringIO())

    assert Bulletin.objects.count() == 1000
    assert OrgUnit.objects.values("level").annotate(n=Count("id")).order_by("level")[3]["n"] == 2800
    assert User.objects.filter(username="bench-zy.reviewer", is_reviewer=True).exists()
    waiting = Bulletin.objects.filter(status__in=["submitted", "in_review"])
    assert waiting.exists()
    # Exactly one open queue entry per waiting bulletin, at its current unit; none for the others.
    opened = Count("queue_entries", filter=Q(queue_entries__state="open"))
    assert not waiting.annotate(n=opened).exclude(n=1).exists()
    assert not Bulletin.objects.exclude(status__in=["submitted", "in_review"]).annotate(n=opened).exclude(n=0).exists()
    assert QueueEntry.objects.filter(state="open", bulletin__current_unit=F("unit")).count() == waiting.count()
    # The units each bulletin reached (the visibility rule reads them), as the queue entries say.
    arrivals = {}
    for bulletin_id, unit_id in QueueEntry.objects.order_by("pk").values_list("bulletin_id", "unit_id"):
        arrivals.setdefault(bulletin_id, {})[unit_id] = None
    reached = dict(Bulletin.objects.values_list("pk", "reached_unit_ids"))
    assert reached == {pk: list(arrivals.get(pk, {})) for pk in reached}
    # A second load needs --reset; --if-absent leaves a ready data set alone.
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_bench", bulletins=1000, stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_bench", bulletins=1000, if_absent=True, stdout=out)
    assert "already loaded" in out.getvalue()

    cfg = Config(duration=1, warmup=0, rounds=1, timing_runs=2, results_dir=tmp_path)
    result = run_all(cfg, say=lambda *args: None)

    http = result["http"]
    assert http["ceiling_open"] > 0
    assert http["ceiling_login"] > 0
    assert http["worker_rss_mb"] > 0
    measured = [entry for entry in http["pages"] if not entry.get("missing")]
    assert {entry["page"].name for entry in measured} >= {"ceiling: minimal view", "login page"}
    for entry in measured:
        assert not entry.get("error"), entry
        assert entry["rps"] > 0
        assert 0 < entry["p50"] <= entry["p99"]
        assert entry["queries"] is not None
        assert entry["non2xx"] == 0
    for entry in result["server_side"]:
        if not entry.get("missing"):
            assert len(entry["times"]) == 2
            assert entry["median_ms"] >= 0
    assert any(not entry.get("missing") for entry in result["server_side"])
    assert result["verdicts"]
    text = result["path"].read_text()
    assert "## Targets" in text
    assert "## Pages over HTTP" in text
    assert "EXPLAIN (ANALYZE, BUFFERS)" in text
