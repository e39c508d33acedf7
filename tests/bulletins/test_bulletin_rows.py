"""Template filters for table rows: the same output as Django's `url` tag and `date` filter."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from bulletins.templatetags.bulletin_rows import local_strftime, pk_url, time_ago


@pytest.mark.parametrize("name", ["bulletins:detail", "review:decide"])
@pytest.mark.parametrize("pk", [1, 42, 2_147_483_646])
def test_pk_url_equals_reverse(name, pk):
    assert pk_url(pk, name) == reverse(name, args=[pk])


def test_pk_url_follows_the_script_prefix():
    try:
        set_script_prefix("/desk/")
        assert pk_url(7, "bulletins:detail") == reverse("bulletins:detail", args=[7]) == "/desk/bulletins/7/"
    finally:
        set_script_prefix("/")
    assert pk_url(7, "bulletins:detail") == "/bulletins/7/"


def test_local_strftime_matches_the_date_filter_in_local_time():
    moment = datetime(2026, 3, 31, 17, 5, tzinfo=UTC)  # 01:05 next day in Asia/Shanghai
    rendered = Template('{{ t|date:"Y-m-d H:i" }}|{{ t|date:"m-d H:i" }}').render(Context({"t": moment}))
    assert rendered == f"{local_strftime(moment, '%Y-%m-%d %H:%M')}|{local_strftime(moment, '%m-%d %H:%M')}"
    assert local_strftime(moment, "%Y-%m-%d %H:%M") == "2026-04-01 01:05"
    assert local_strftime(None, "%Y") == ""


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (timedelta(0), "刚刚"),
        (timedelta(seconds=59), "刚刚"),
        (timedelta(minutes=1), "1 分钟前"),
        (timedelta(hours=3, minutes=5), "3 小时前"),
        (timedelta(days=2, hours=1), "2 日前"),  # Django's own Chinese
    ],
)
def test_time_ago_says_just_now_within_the_minute(ago, text):
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        assert time_ago(now - ago).replace("\xa0", " ") == text
    assert time_ago(None) == ""
