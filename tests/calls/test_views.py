"""Call pages: scope (outside it a 404), the tree picker's endpoint, the Excel export, reporting points."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from calls.models import CallAction, CallEvent, PointTag, TargetMode
from calls.services import point_tag, points_publish
from tests.calls.conftest import ISSUED, submit_and_sign_off

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


class TestScope:
    def test_a_unit_not_addressed_gets_404_on_every_page_of_the_call(self, client, tree, issue):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        as_user(client, tree.user("county_b1", "staff"))
        for path in ("", "answer/", "progress/", "progress.xlsx"):
            assert client.get(f"/calls/{call.pk}/{path}").status_code == 404, path
        assert client.post(f"/calls/{call.pk}/remind/{tree.county_a1.pk}/").status_code == 404
        assert call.title not in client.get("/calls/").content.decode()

    def test_a_target_sees_the_call_and_may_answer_but_not_follow_progress(self, client, tree, issue):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        as_user(client, tree.user("county_a1", "staff"))
        page = client.get(f"/calls/{call.pk}/").content.decode()
        assert call.title in page and 'data-testid="answer-call"' in page
        assert client.get(f"/calls/{call.pk}/answer/").status_code == 200
        assert client.get(f"/calls/{call.pk}/progress/").status_code == 404
        assert call.title in client.get("/calls/").content.decode()
        assert call.title in client.get("/").content.decode()  # the home page lists it

    def test_an_answer_form_saves_a_draft_linked_to_the_call(self, client, tree, issue):
        from bulletins.models import Category

        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        as_user(client, tree.user("county_a1", "staff"))
        response = client.post(
            f"/calls/{call.pk}/answer/",
            {
                "title": "东湖区党建创新做法",
                "category": Category.objects.get(code="practice").pk,
                "body": "正文内容。",
                "source": "区委组织部提供，经核实。",
                "contact_name": "张明",
                "contact_phone": "0571-88000000",
            },
        )
        assert response.status_code == 302
        bulletin_url = response["Location"]
        detail = client.get(bulletin_url).content.decode()
        assert 'data-testid="answered-call"' in detail and call.title in detail

    def test_the_issuer_follows_progress_and_exports_it(self, client, tree, issue, answer):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        submit_and_sign_off(tree, answer(call, "county_a1"))
        as_user(client, tree.user("city_a", "head"))
        page = client.get(f"/calls/{call.pk}/progress/").content.decode()
        assert page.count('data-testid="progress-row"') == 2 and "已报" in page and "未报" in page
        response = client.get(f"/calls/{call.pk}/progress.xlsx")
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        sheet = load_workbook(BytesIO(response.content)).active
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
        assert [(r[1], r[2]) for r in rows] == [(tree.county_a1.name, "已报"), (tree.county_a2.name, "未报")]
        assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"

    def test_remind_button_once_a_day(self, client, tree, issue):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        as_user(client, tree.user("city_a", "reviewer"))
        url = f"/calls/{call.pk}/remind/{tree.county_a2.pk}/"
        with time_machine.travel(ISSUED + timedelta(days=1), tick=False):
            client.post(url)
            second = client.post(url, follow=True).content.decode()
        assert "今天已催报过该单位，请明天再催报。" in second
        assert CallEvent.objects.filter(call=call, action=CallAction.REMIND).count() == 1


class TestTreePicker:
    def test_children_load_lazily_within_the_issuers_subtree(self, client, tree):
        as_user(client, tree.user("province", "reviewer"))
        roots = client.get("/calls/units/").json()["units"]
        assert [(u["id"], u["has_children"]) for u in roots] == [(tree.city_a.pk, True), (tree.city_b.pk, True)]
        children = client.get(f"/calls/units/?parent={tree.city_a.pk}").json()["units"]
        assert {u["id"] for u in children} == {tree.county_a1.pk, tree.county_a2.pk}
        as_user(client, tree.user("city_b", "reviewer"))
        assert client.get(f"/calls/units/?parent={tree.city_a.pk}").status_code == 404

    def test_a_county_or_an_officer_has_no_picker(self, client, tree):
        as_user(client, tree.user("county_a1", "reviewer"))
        assert client.get("/calls/units/").status_code == 404
        assert client.get("/calls/new/").status_code == 404


class TestReportingPoints:
    def test_a_county_tags_with_a_point_of_a_unit_above_and_the_publisher_sees_coverage(
        self, client, tree, make_bulletin
    ):
        points = points_publish(
            actor=tree.user("city_a", "head"),
            title="2026年6月报送要点",
            period_start=ISSUED.date(),
            period_end=ISSUED.date() + timedelta(days=29),
            themes=["基层党组织建设", "干部队伍建设", "人才工作"],
        )
        first, second, third = points.items.order_by("number")
        bulletin = make_bulletin("county_a1")
        other = make_bulletin("county_a2")
        point_tag(actor=tree.user("county_a1", "staff"), bulletin=bulletin, point=first)
        point_tag(actor=tree.user("county_a1", "staff"), bulletin=bulletin, point=second)
        point_tag(actor=tree.user("county_a2", "staff"), bulletin=other, point=first)
        as_user(client, tree.user("city_a", "head"))
        response = client.get(f"/calls/points/{points.pk}/")
        coverage = response.context["coverage"]
        assert [(p.number, n) for p, n in coverage.per_point] == [(1, 2), (2, 1), (3, 0)]
        assert dict(coverage.per_unit) == {tree.county_a1.name: 1, tree.county_a2.name: 1}
        assert coverage.tagged == 2

    def test_only_points_of_a_unit_above_and_only_the_filing_units_officers(self, tree, make_bulletin):
        from calls.services import CallError

        own = points_publish(
            actor=tree.user("city_b", "reviewer"),
            title="青山要点",
            period_start=ISSUED.date(),
            period_end=ISSUED.date(),
            themes=["人才工作"],
        )
        bulletin = make_bulletin("county_a1")
        with pytest.raises(CallError):
            point_tag(actor=tree.user("county_a1", "staff"), bulletin=bulletin, point=own.items.get())
        city_a = points_publish(
            actor=tree.user("city_a", "reviewer"),
            title="临江要点",
            period_start=ISSUED.date(),
            period_end=ISSUED.date(),
            themes=["人才工作"],
        )
        with pytest.raises(CallError):
            point_tag(actor=tree.user("county_a2", "staff"), bulletin=bulletin, point=city_a.items.get())
        assert not PointTag.objects.exists()

    def test_tagging_with_a_point_outside_the_units_above_is_a_404(self, client, tree, make_bulletin):
        elsewhere = points_publish(
            actor=tree.user("city_b", "reviewer"),
            title="青山要点",
            period_start=ISSUED.date(),
            period_end=ISSUED.date(),
            themes=["人才工作"],
        )
        above = points_publish(
            actor=tree.user("city_a", "reviewer"),
            title="临江要点",
            period_start=ISSUED.date(),
            period_end=ISSUED.date(),
            themes=["人才工作"],
        )
        bulletin = make_bulletin("county_a1")
        officer = as_user(client, tree.user("county_a1", "staff"))
        url = reverse("calls:point_tag", args=[bulletin.pk])
        assert officer.post(url, {"point": elsewhere.items.get().pk}).status_code == 404
        assert officer.post(url, {"point": "x"}).status_code == 404
        assert not PointTag.objects.exists()
        assert officer.post(url, {"point": above.items.get().pk}).status_code == 302
        assert PointTag.objects.filter(bulletin=bulletin).count() == 1


@pytest.fixture
def make_bulletin(tree):
    from bulletins.models import Category
    from bulletins.services import bulletin_create

    def make(unit_attr):
        return bulletin_create(
            actor=tree.user(unit_attr, "staff"),
            title="某县推行党员积分制",
            body="正文。",
            category=Category.objects.get(code="news"),
            source="县委组织部提供，经核实。",
            contact_name="张三",
            contact_phone="0571-12345678",
        )

    return make


class TestIssueForm:
    def test_the_form_issues_a_call_with_an_attachment_the_targets_download(self, client, tree):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from calls.models import Call

        as_user(client, tree.user("city_a", "head"))
        deadline = timezone.localtime() + timedelta(days=3)
        response = client.post(
            "/calls/new/",
            {
                "title": "关于报送年轻干部培养工作情况的约稿通知",
                "theme": "年轻干部培养",
                "requirements": "800字以内。",
                "deadline_at": f"{deadline:%Y-%m-%dT%H:%M}",
                "target_mode": TargetMode.CHOSEN,
                "chosen_units": f"{tree.county_a2.pk},{tree.county_b1.pk}",
                "files": [SimpleUploadedFile("约稿说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        call = Call.objects.get()
        assert list(call.targets.values_list("unit_id", flat=True)) == [tree.county_a2.pk]  # B1 is not below
        attachment = call.attachments.get()
        url = f"/calls/{call.pk}/attachments/{attachment.pk}/"
        as_user(client, tree.user("county_a2", "staff"))
        download = client.get(url)
        assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
        assert download["X-Content-Type-Options"] == "nosniff"
        as_user(client, tree.user("county_a1", "staff"))
        assert client.get(url).status_code == 404

    def test_a_deadline_in_the_past_is_an_error_on_the_form_and_nothing_is_issued(self, client, tree):
        from calls.models import Call

        as_user(client, tree.user("city_a", "reviewer"))
        response = client.post(
            "/calls/new/",
            {"title": "约稿", "theme": "主题", "deadline_at": "2020-01-01T09:00", "target_mode": TargetMode.ONE_LEVEL},
        )
        assert response.status_code == 200
        assert "截止时间必须晚于现在。" in response.content.decode()
        assert not Call.objects.exists()
