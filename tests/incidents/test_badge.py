"""The deadline badge: red 逾期 and the time overdue, a countdown before; never a query of its own."""

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import translation

from bulletins.models import Bulletin, Category
from incidents.services import incidents_flag_overdue
from tests.incidents.conftest import at_hours, sign_off, simulate_edit

pytestmark = pytest.mark.django_db


def badge(bulletin, moment, django_assert_num_queries) -> str:
    with time_machine.travel(moment, tick=False), translation.override("zh-hans"), django_assert_num_queries(0):
        return render_to_string("incidents/_deadline_badge.html", {"bulletin": bulletin})


def listed(bulletin) -> Bulletin:
    """The bulletin as a list selector loads it (select_related of the clock, as the lead adds)."""
    return Bulletin.objects.select_related("incident_clock").get(pk=bulletin.pk)


def plain(bulletin) -> Bulletin:
    return Bulletin.objects.get(pk=bulletin.pk)


@pytest.mark.parametrize("load", [listed, plain])
class TestBadge:
    def test_countdown_before_the_warning(self, make_incident, load, django_assert_num_queries):
        html = badge(load(make_incident()), at_hours(20 - 3, -12), django_assert_num_queries)
        assert "剩余 7 小时 12 分" in html and "逾期" not in html and "text-bg-warning" not in html

    def test_warning_colour_after_20_hours(self, make_incident, load, django_assert_num_queries):
        bulletin = make_incident()
        with time_machine.travel(at_hours(20), tick=False):
            incidents_flag_overdue()
        html = badge(load(bulletin), at_hours(20, 48), django_assert_num_queries)
        assert "剩余 3 小时 12 分" in html and "text-bg-warning" in html

    def test_red_badge_and_time_overdue(self, make_incident, load, django_assert_num_queries):
        bulletin = make_incident()
        with time_machine.travel(at_hours(24), tick=False):
            incidents_flag_overdue()
        html = badge(load(bulletin), at_hours(26), django_assert_num_queries)
        # Said once: the badge is the text ("逾期 已逾期 2 小时" said it twice).
        assert '<span data-testid="deadline-text">已逾期 2 小时</span>' in html and html.count("逾期") == 1

    def test_sent_late_stays_visible(self, make_incident, load, django_assert_num_queries):
        bulletin = make_incident()
        with time_machine.travel(at_hours(29), tick=False):
            sign_off(bulletin)
        html = badge(load(bulletin), at_hours(100), django_assert_num_queries)
        assert "迟报 5 小时" in html and html.count("迟报") == 1 and "overdue-badge" not in html

    def test_sent_on_time(self, make_incident, load, django_assert_num_queries):
        bulletin = make_incident()
        with time_machine.travel(at_hours(3), tick=False):
            sign_off(bulletin)
        html = badge(load(bulletin), at_hours(100), django_assert_num_queries)
        assert "按时报送" in html and "逾期" not in html

    def test_nothing_without_a_deadline(self, tree, load, django_assert_num_queries):
        from bulletins.services import bulletin_create

        bulletin = bulletin_create(
            actor=tree.user("county_a1", "staff"),
            title="动态",
            body="正文",
            category=Category.objects.get(code="news"),
            contact_name="张三",
            place="某县某镇",
            source="县委组织部提供，经核实。",
            contact_phone="13800000000",
        )
        assert badge(load(bulletin), at_hours(100), django_assert_num_queries).strip() == ""


def test_with_the_clock_a_flag_survives_a_moved_deadline(make_incident, django_assert_num_queries):
    bulletin = make_incident()
    with time_machine.travel(at_hours(24), tick=False):
        incidents_flag_overdue()
    with time_machine.travel(at_hours(25), tick=False):
        simulate_edit(bulletin, occurred_at=at_hours(20))
    html = badge(listed(bulletin), at_hours(25), django_assert_num_queries)
    assert "overdue-badge" in html and "已逾期 1 小时" in html


def test_the_inline_text_filter(make_incident):
    from django.template import Context, Template

    bulletin = make_incident()
    template = Template("{% load incident_deadline %}{{ bulletin|deadline_text }}")
    with time_machine.travel(at_hours(20, 48), tick=False), translation.override("zh-hans"):
        assert template.render(Context({"bulletin": bulletin})) == "剩余 3 小时 12 分"
    with time_machine.travel(at_hours(26), tick=False), translation.override("zh-hans"):
        assert template.render(Context({"bulletin": bulletin})) == "已逾期 2 小时"
