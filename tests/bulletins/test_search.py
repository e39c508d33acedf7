"""Keyword search: two-character Chinese words, served by the bigram GIN index on PostgreSQL."""

import pytest
from django.db import connection

from bulletins.models import Bulletin
from bulletins.search_sql import BIGRAM_INDEX_NAME
from bulletins.selectors import bulletin_keyword_filter
from tests.bulletins.conftest import file_bulletin

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")


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


@postgres_only
def test_bigram_function_and_index_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT bd_bigrams('党建工作 AB')")
        assert set(cursor.fetchone()[0]) == {"党建", "建工", "工作", "作 ", " a", "ab"}
        cursor.execute("SELECT bd_bigrams('党')")
        assert cursor.fetchone()[0] == []
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [BIGRAM_INDEX_NAME])
        indexdef = cursor.fetchone()[0]
        assert "gin" in indexdef and 'COLLATE "C"' in indexdef


@postgres_only
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
