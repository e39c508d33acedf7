"""Keyword search: two-character Chinese words, served by the bigram GIN index."""

import pytest
from django.db import connection

from bulletins.models import Bulletin
from bulletins.search_sql import BIGRAM_INDEX_NAME
from bulletins.selectors import bulletin_keyword_filter
from tests.bulletins.conftest import file_bulletin

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(tree):
    staff = tree.user("county_a1", "staff")
    return {
        "title": file_bulletin(staff, title="以党建引领基层治理", body="网格化服务"),
        "body": file_bulletin(staff, title="年轻干部实践锻炼", body="坚持抓党建促发展，选派干部到村任职。"),
        "apart": file_bulletin(staff, title="党员积分管理", body="建立积分制度"),  # 党 and 建 occur, but apart
        "latin": file_bulletin(staff, title="推行OA系统", body="Digital Party building 平台上线"),
        "none": file_bulletin(staff, title="后备力量调研", body="村级后备干部不足"),
    }


def _found(keyword):
    return set(bulletin_keyword_filter(Bulletin.objects.all(), keyword).values_list("title", flat=True))


def test_two_character_chinese_word_in_title_or_body(texts):
    assert _found("党建") == {texts["title"].title, texts["body"].title}


def test_terms_are_combined_and_case_is_ignored(texts):
    assert _found("党建 网格") == {texts["title"].title}
    assert _found("party BUILDING") == {texts["latin"].title}
    assert _found("oa") == {texts["latin"].title}


def test_one_character_and_empty_keywords(texts):
    assert _found("徒") == set()
    assert _found("党") == {texts["title"].title, texts["body"].title, texts["apart"].title}
    assert len(_found("  ")) == len(texts)


def test_like_wildcards_in_the_keyword_are_literal(texts):
    assert _found("%党") == set()
    assert _found("党_") == set()


def test_bigram_function_and_index_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT bd_bigrams('党建工作 AB')")
        assert set(cursor.fetchone()[0]) == {"党建", "建工", "工作", "作 ", " a", "ab"}
        cursor.execute("SELECT bd_bigrams('党')")
        assert cursor.fetchone()[0] == []
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [BIGRAM_INDEX_NAME])
        indexdef = cursor.fetchone()[0]
        assert "gin" in indexdef and 'COLLATE "C"' in indexdef


def test_keyword_filter_uses_the_bigram_index(texts):
    queryset = bulletin_keyword_filter(Bulletin.objects.all(), "党建")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert BIGRAM_INDEX_NAME in plan, plan


def test_the_scoped_list_filter_finds_the_word(tree, texts):
    """The list's real query (scope + filters + ordering), not only the bare filter."""
    from bulletins.filters import BulletinFilter
    from bulletins.selectors import bulletin_list

    filterset = BulletinFilter({"q": "党建"}, queryset=bulletin_list(user=tree.user("county_a1", "staff")))
    assert {b.title for b in filterset.qs} == {texts["title"].title, texts["body"].title}
    other = BulletinFilter({"q": "党建"}, queryset=bulletin_list(user=tree.user("county_a2", "staff")))
    assert not other.qs.exists()


# Choosing the way per word (PostgreSQL) --------------------------------------------------------
#
# The thresholds are for a million bulletins; a few hundred rows stand in for that scale.

SCALE = {"SMALL_SCOPE_ROWS": 20, "INDEX_DIRECT_ROWS": 5, "PROBE_ROWS": 200, "EXACT_COUNT_ROWS": 30}


@pytest.fixture
def many(tree, monkeypatch):
    """240 bulletins, a minute apart (the highest index is the newest): 党建 in every third, 网格 in
    every third but one other (together only in #9), 组织生活 in two, 工作 in all; then ANALYZE."""
    from datetime import timedelta

    from django.utils import timezone

    from bulletins import selectors
    from bulletins.models import Category

    for name, value in SCALE.items():
        monkeypatch.setattr(selectors, name, value)
    staff = tree.user("county_a1", "staff")
    category = Category.objects.get(code="news")
    texts = {}
    for i in range(240):
        words = ["党建" if i % 3 == 0 else "", "网格" if i % 3 == 1 or i == 9 else ""]
        if i in (7, 200):
            words.append("组织生活会")
        texts[i] = (f"第{i}号信息", f"{i}日，{'、'.join(w for w in words if w)}工作情况。")
    Bulletin.objects.bulk_create(
        Bulletin(
            title=title,
            body=body,
            category=category,
            filing_unit=staff.unit,
            author=staff,
            contact_name="张三",
            contact_phone="13800000000",
        )
        for title, body in texts.values()
    )
    start = timezone.now() - timedelta(days=1)
    for i, (title, _body) in texts.items():
        Bulletin.objects.filter(title=title).update(created_at=start + timedelta(minutes=i))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bulletins_bulletin")
    selectors.keyword_stats_clear()
    yield texts
    selectors.keyword_stats_clear()  # the statistics roll back with the test


def _newest_first(texts, *terms):
    return [title for i, (title, body) in sorted(texts.items(), reverse=True) if all(t in title + body for t in terms)]


def _search(keyword):
    from bulletins.selectors import bulletin_keyword_search

    return bulletin_keyword_search(Bulletin.objects.order_by("-created_at", "-pk"), keyword)


def test_the_statistics_list_the_frequent_bigram(many):
    from bulletins.selectors import _bigram_stats

    stats = _bigram_stats()
    assert stats.freqs["党建"] == pytest.approx(80 / 240, abs=0.01)
    assert stats.freqs["工作"] == pytest.approx(1.0)
    assert stats.freqs.get("织生", 0) < 0.01


def test_a_common_word_walks_newest_first_and_estimates_its_count(many):
    from bulletins.selectors import KeywordStrategy

    search = _search("党建")
    assert search.strategy == KeywordStrategy.WALK
    assert "bd_bigrams" not in str(search.queryset.query)
    assert [b.title for b in search.queryset[:30]] == _newest_first(many, "党建")[:30]
    assert search.estimated_count == 80  # the bigram's share × the rows in scope


def test_a_rare_word_takes_the_index_and_is_counted(many):
    from bulletins.selectors import KeywordStrategy

    search = _search("组织生活")
    assert search.strategy == KeywordStrategy.INDEX
    assert search.estimated_count is None
    assert [b.title for b in search.queryset] == _newest_first(many, "组织生活") == ["第200号信息", "第7号信息"]


def test_several_terms_are_probed(many):
    from bulletins.selectors import KeywordStrategy

    # Both common and found together among the newest rows: the walk, with the probe's share.
    together = _search("党建 工作")
    assert together.strategy == KeywordStrategy.WALK
    assert [b.title for b in together.queryset[:10]] == _newest_first(many, "党建", "工作")[:10]
    assert 40 <= together.estimated_count <= 150
    # Both common but together only once, long ago: the walk would read every row; the index.
    apart = _search("党建 网格")
    assert apart.strategy == KeywordStrategy.INDEX
    assert [b.title for b in apart.queryset] == _newest_first(many, "党建", "网格") == ["第9号信息"]


def test_the_index_path_tests_bigrams_only_through_the_index(many):
    """Never bd_bigrams per row: only as the GIN index's condition (and its recheck), in a
    subquery of its own table (a column of the outer query there turned it into one per row)."""
    search = _search("组织生活")
    sql, params = search.queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    assert any(BIGRAM_INDEX_NAME in line for line in plan), plan
    assert not any("SubPlan" in line for line in plan), plan
    for line in plan:
        if "bd_bigrams" in line:
            assert line.strip().startswith(("Index Cond:", "Recheck Cond:")), plan


def test_the_list_says_about_n_for_a_common_word_over_everything(client, many, monkeypatch):
    from bulletins import pagination
    from tests.factories import UserFactory

    client.force_login(UserFactory(unit=None, is_superuser=True, is_staff=True))
    common = client.get("/bulletins/", {"q": "党建"})
    paginator = common.context["page_obj"].paginator
    assert paginator.is_estimated and paginator.count == 80
    assert len(common.context["page_obj"]) == 25 and common.context["page_obj"].has_next()
    assert "约 80 条（估算）" in common.content.decode()
    rare = client.get("/bulletins/", {"q": "组织生活"})
    assert not rare.context["page_obj"].paginator.is_estimated
    assert "共 2 篇" in rare.content.decode() and "估算" not in rare.content.decode()
    monkeypatch.setattr(pagination, "DEFAULT_COUNT_CAP", 50)  # an estimate beyond the cap
    assert "约 80 条（估算），请缩小筛选范围查看全部" in client.get("/bulletins/", {"q": "党建"}).content.decode()
