"""The review pages: queue, decision page, filing unit's buttons, leaders' instructions."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Bulletin, BulletinStatus, Category
from review.models import Adoption, LeaderInstruction, QueueEntry, ReviewEvent
from review.permissions import available_actions
from review.services import bulletin_submit, review_forward, review_sign_off

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def decide(client, bulletin, **data):
    page = client.get(reverse("review:decide", args=[bulletin.pk]))
    entry = page.context["form"].initial["entry"]
    return client.post(reverse("review:decide", args=[bulletin.pk]), {"entry": entry, **data})


def test_whole_journey_through_the_views(client, tree, make_draft):
    bulletin = make_draft()
    login(client, tree.user("county_a1", "staff"))
    response = client.post(reverse("review:submit", args=[bulletin.pk]))
    assert response.status_code == 302
    steps = [
        ("county_a1", {"action": "sign_off"}),
        ("city_a", {"action": "return", "return_reason": "verify", "comment": "请核实参与人数"}),
        ("county_a1:staff", None),
        ("county_a1", {"action": "sign_off"}),  # the revision is signed off by its own unit again
        ("city_a", {"action": "adopt_forward", "kind": "abridged"}),
        ("province", {"action": "adopt_forward", "kind": "full"}),
        ("central", {"action": "adopt", "kind": "combined"}),
    ]
    for who, data in steps:
        client.logout()
        if data is None:
            login(client, tree.user("county_a1", "staff"))
            Bulletin.objects.filter(pk=bulletin.pk).update(revision_body="东湖区推行党员积分管理，参与率百分之九十三。")
            assert client.post(reverse("review:submit", args=[bulletin.pk])).status_code == 302
            continue
        login(client, tree.user(who, "reviewer"))
        response = decide(client, bulletin, **data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response.url == reverse("review:queue")
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.version_count) == (BulletinStatus.ADOPTED, 2)
    rows = [
        (
            e.version_number,
            e.action,
            e.from_unit.code,
            e.to_unit.code if e.to_unit else None,
            e.actor.username,
            e.reason,
        )
        for e in ReviewEvent.objects.filter(bulletin=bulletin).select_related("from_unit", "to_unit", "actor")
    ]
    assert rows == [
        (1, "submit", "lj-dh", "lj-dh", "lj-dh.staff", ""),
        (1, "sign_off", "lj-dh", "lj", "lj-dh.reviewer", ""),
        (1, "return", "lj", "lj-dh", "lj.reviewer", "verify"),
        (2, "resubmit", "lj-dh", "lj-dh", "lj-dh.staff", ""),
        (2, "sign_off", "lj-dh", "lj", "lj-dh.reviewer", ""),
        (2, "adopt_forward", "lj", "jd", "lj.reviewer", "abridged"),
        (2, "adopt_forward", "jd", "zy", "jd.reviewer", "full"),
        (2, "adopt", "zy", None, "zy.reviewer", "combined"),
    ]
    assert Adoption.objects.filter(bulletin=bulletin).count() == 3
    # The author sees the whole route on the bulletin's page.
    client.logout()
    login(client, tree.user("county_a1", "staff"))
    page = client.get(reverse("review:decide", args=[bulletin.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and page.context["form"] is None
    assert html.count('data-testid="route-stop"') == 4
    assert html.count('data-testid="history-row"') == 8


def test_decision_form_offers_exactly_the_available_actions(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    form = client.get(reverse("review:decide", args=[at_city.pk])).context["form"]
    offered = [value for value, _ in form.fields["action"].choices]
    assert offered == [a.value for a in available_actions(tree.user("city_a", "reviewer"), at_city)]
    assert offered == ["adopt", "adopt_forward", "forward", "return", "decline"]


def test_sign_off_step_offers_sign_off_and_return_only(client, tree, make_draft):
    bulletin = make_draft()
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    login(client, tree.user("county_a1", "head"))
    form = client.get(reverse("review:decide", args=[bulletin.pk])).context["form"]
    assert [v for v, _ in form.fields["action"].choices] == ["sign_off", "return"]
    assert "kind" not in form.fields and "decline_reason" not in form.fields


def test_a_choice_that_is_not_offered_is_refused(client, tree, make_draft):
    bulletin = make_draft()
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    login(client, tree.user("county_a1", "reviewer"))
    response = decide(client, bulletin, action="adopt", kind="full")
    assert response.status_code == 200 and response.context["form"].errors["action"]
    assert ReviewEvent.objects.filter(bulletin=bulletin).count() == 1


def test_return_without_comment_shows_the_error(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    response = decide(client, at_city, action="return", return_reason="verify", comment="  ")
    assert response.status_code == 200 and response.context["form"].errors["comment"]
    at_city.refresh_from_db()
    assert at_city.status == BulletinStatus.IN_REVIEW


def test_outside_the_scope_is_404_and_wrong_role_is_403(client, tree, at_city, make_draft):
    url = reverse("review:decide", args=[at_city.pk])
    login(client, tree.user("city_b", "reviewer"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "adopt", "kind": "full"}).status_code == 404
    client.logout()
    login(client, tree.user("county_a2", "staff"))  # a neighbouring county: never sees our drafts
    assert client.get(reverse("review:decide", args=[make_draft().pk])).status_code == 404
    assert client.post(reverse("review:submit", args=[at_city.pk])).status_code == 404
    client.logout()
    login(client, tree.user("city_a", "staff"))  # in scope (it reached the city) but not a reviewer
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "adopt", "kind": "full"}).status_code == 403
    assert client.get(reverse("review:queue")).status_code == 403
    assert not ReviewEvent.objects.filter(bulletin=at_city, from_unit=tree.city_a).exists()


def test_late_decision_is_told_who_decided_first(client, tree, at_city):
    login(client, tree.user("city_a", "head"))
    page = client.get(reverse("review:decide", args=[at_city.pk]))
    entry = page.context["form"].initial["entry"]
    review_forward(actor=tree.user("city_a", "reviewer"), bulletin=at_city)  # someone else, meanwhile
    response = client.post(
        reverse("review:decide", args=[at_city.pk]), {"entry": entry, "action": "adopt", "kind": "full"}, follow=True
    )
    text = response.content.decode()
    assert "临江市reviewer" in text and "上报" in text
    assert not Adoption.objects.filter(bulletin=at_city).exists()


def test_diff_against_the_version_this_unit_saw(client, tree, at_city):
    from review.services import bulletin_resubmit, review_return

    review_return(actor=tree.user("city_a", "reviewer"), bulletin=at_city, reason="verify", comment="核实")
    Bulletin.objects.filter(pk=at_city.pk).update(revision_body="东湖区在全区推行党员积分管理，参与率达百分之九十三。")
    at_city.refresh_from_db()
    bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=at_city)
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=at_city)
    login(client, tree.user("city_a", "reviewer"))
    response = client.get(reverse("review:decide", args=[at_city.pk]))
    assert response.context["versions"].seen_before.number == 1
    assert '<ins class="diff-ins">三</ins>' in response.content.decode()


def test_withdraw_and_submit_buttons(client, tree, make_draft):
    bulletin = make_draft()
    login(client, tree.user("county_a1", "staff"))
    page = client.get(reverse("review:decide", args=[bulletin.pk])).content.decode()
    assert 'data-testid="submit-bulletin"' in page
    client.post(reverse("review:submit", args=[bulletin.pk]))
    page = client.get(reverse("review:decide", args=[bulletin.pk])).content.decode()
    assert 'data-testid="withdraw-bulletin"' in page and 'data-testid="submit-bulletin"' not in page
    client.post(reverse("review:withdraw", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.version_count) == (BulletinStatus.DRAFT, 1)


def test_leader_instruction_added_by_the_adopting_unit(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    decide(client, at_city, action="adopt", kind="full")
    adoption = Adoption.objects.get(bulletin=at_city)
    url = reverse("review:instruction_add", args=[adoption.pk])
    response = client.post(
        url, {"leader": "李市长", "text": "此做法很好，可在全市推广。", "instructed_on": "2026-01-05"}
    )
    assert response.status_code == 302
    assert LeaderInstruction.objects.get(adoption=adoption).leader == "李市长"
    client.logout()
    login(client, tree.user("county_a1", "reviewer"))  # sees the bulletin, but did not adopt it
    assert client.get(url).status_code == 403
    page = client.get(reverse("review:decide", args=[at_city.pk])).content.decode()
    assert "此做法很好" in page


# --- the queue --------------------------------------------------------------------------------


def _fill_queue(tree, make_draft, n, start=0):
    incident = Category.objects.get(code="incident")
    for i in range(start, start + n):
        fields = {}
        if i % 5 == 0:
            fields = {"category": incident, "occurred_at": timezone.now() - timedelta(hours=i % 20)}
        bulletin = make_draft(title=f"信息{i:03d}", **fields)
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)


def test_queue_runs_the_same_queries_for_1_and_50(client, tree, make_draft, django_assert_num_queries):
    login(client, tree.user("city_a", "reviewer"))
    _fill_queue(tree, make_draft, 1)
    url = reverse("review:queue") + "?category=&unit=&waiting="
    client.get(url)  # the first request of a session also writes the session's idle timestamp
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 1
    _fill_queue(tree, make_draft, 49, start=1)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 25
    assert response.context["page_obj"].paginator.count == 50
    # the session, user with its unit, count, page of entries (bulletin, category, units, author joined), their
    # incident clocks, unread count, and the two filter choice lists.
    assert len(small.captured_queries) == 8


def test_queue_puts_incidents_first_by_deadline_then_oldest_first(client, tree, make_draft):
    incident = Category.objects.get(code="incident")
    now = timezone.now()
    old = make_draft(title="较早的一般信息")
    later_incident = make_draft(title="后到期突发", category=incident, occurred_at=now - timedelta(hours=2))
    newer = make_draft(title="较晚的一般信息")
    sooner_incident = make_draft(title="先到期突发", category=incident, occurred_at=now - timedelta(hours=10))
    for b in (old, later_incident, newer, sooner_incident):
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=b)
    login(client, tree.user("county_a1", "reviewer"))
    response = client.get(reverse("review:queue"))
    titles = [entry.bulletin.title for entry in response.context["page_obj"]]
    assert titles == ["先到期突发", "后到期突发", "较早的一般信息", "较晚的一般信息"]
    assert 'data-testid="time-left"' in response.content.decode()


def test_queue_filters(client, tree, make_draft):
    _fill_queue(tree, make_draft, 2)
    other = make_draft(author=tree.user("county_a2", "staff"), title="西岭县信息")
    bulletin_submit(actor=tree.user("county_a2", "staff"), bulletin=other)
    review_sign_off(actor=tree.user("county_a2", "reviewer"), bulletin=other)
    QueueEntry.objects.filter(bulletin=other, state="open").update(opened_at=timezone.now() - timedelta(days=4))
    login(client, tree.user("city_a", "reviewer"))
    url = reverse("review:queue")

    def titles(**params):
        return sorted(e.bulletin.title for e in client.get(url, params).context["page_obj"])

    assert titles(unit=tree.county_a2.pk) == ["西岭县信息"]
    assert titles(waiting="3") == ["西岭县信息"]
    assert titles(category=Category.objects.get(code="incident").pk) == ["信息000"]
    assert len(titles()) == 3
    # Units outside the reviewer's scope are not even a choice.
    assert client.get(url, {"unit": tree.county_b1.pk}).context["filter"].form.errors


def test_decide_link_shows_on_the_bulletin_page_not_on_the_decision_page(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    detail = client.get(reverse("bulletins:detail", args=[at_city.pk])).content.decode()
    assert 'data-testid="go-decide"' in detail
    page = client.get(reverse("review:decide", args=[at_city.pk])).content.decode()
    assert 'data-testid="decision-form"' in page
    assert 'data-testid="go-decide"' not in page  # the form is right there


def test_decision_form_reason_lists_ask_to_choose(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    page = client.get(reverse("review:decide", args=[at_city.pk])).content.decode()
    assert "---------" not in page
    assert page.count('<option value="" selected>请选择…</option>') == 3  # kind, return and decline reasons


def test_queue_unit_filter_offers_own_unit_and_units_directly_below(client, tree, make_draft):
    for county in ("county_a1", "county_b1"):
        bulletin = make_draft(tree.user(county, "staff"), title=f"{county}的信息")
        bulletin_submit(actor=tree.user(county, "staff"), bulletin=bulletin)
        review_sign_off(actor=tree.user(county, "reviewer"), bulletin=bulletin)
    # Both now wait at their cities; forward both to the province.
    for city, county in (("city_a", "county_a1"), ("city_b", "county_b1")):
        review_forward(actor=tree.user(city, "reviewer"), bulletin=Bulletin.objects.get(title=f"{county}的信息"))
    client.force_login(tree.user("province", "reviewer"))
    response = client.get(reverse("review:queue"))
    options = {unit.code for unit in response.context["filter"].form.fields["unit"].queryset}
    assert options == {"jd", "lj", "qs"}  # not the counties, not the central unit
    only_a = client.get(reverse("review:queue"), {"unit": tree.city_a.pk}).content.decode()
    assert "county_a1的信息" in only_a and "county_b1的信息" not in only_a
    own = client.get(reverse("review:queue"), {"unit": tree.province.pk}).content.decode()
    assert 'data-testid="queue-row"' not in own


def test_queue_says_just_now_and_counts_down_in_the_one_format(client, tree, make_draft):
    incident = Category.objects.get(code="incident")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        bulletin = make_draft(title="突发", category=incident, occurred_at=start - timedelta(hours=2, minutes=1))
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        login(client, tree.user("county_a1", "reviewer"))
        html = client.get(reverse("review:queue")).content.decode()
    assert "刚刚" in html and "0 分钟前" not in html
    # The deadline badge's text, as on every other page, not Django's timeuntil ("21 小时，58 分钟").
    cell = html.split('data-testid="time-left"')[1].split("</td>")[0]
    assert "剩余 21 小时 59 分" in cell and "，" not in cell


def test_a_returned_bulletin_says_why_at_the_top_and_where_the_revision_goes(client, tree, at_city):
    """Returned by the province after the city forwarded it: the reason and the comment come first
    on the bulletin's page, and the dialog and the route say the sign-off sends it to the province."""
    from review.services import bulletin_resubmit, review_return

    review_forward(actor=tree.user("city_a", "reviewer"), bulletin=at_city)
    review_return(actor=tree.user("province", "reviewer"), bulletin=at_city, reason="verify", comment="请核实参与率")
    login(client, tree.user("county_a1", "staff"))
    html = client.get(reverse("bulletins:detail", args=[at_city.pk])).content.decode()
    notice = html.index('data-testid="return-notice"')
    assert notice < html.index('data-testid="bulletin-body"') < html.index('data-testid="route"')
    assert "江东省退回修改 · 退回原因：需核实" in html and "请核实参与率" in html
    assert "修改稿经东湖区审核签发后直接报送江东省" in html
    assert "签发后直接报送退回单位江东省。" in html  # the resubmit button's confirmation
    assert "东湖区退回：" not in html

    bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=at_city)
    html = client.get(reverse("bulletins:detail", args=[at_city.pk])).content.decode()
    assert 'data-testid="return-notice"' not in html  # no longer waiting for revision
    assert "江东省退回：修改稿须先经东湖区审核签发，签发后直接报送江东省。" in html
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=at_city)
    html = client.get(reverse("bulletins:detail", args=[at_city.pk])).content.decode()
    assert 'data-testid="route-returns-to"' not in html
    # v1 signed off to the city, then v2 from the county's sign-off straight to the province.
    assert html.count('data-testid="route-event-to">→ 江东省') == 2  # the city's forward and v2's sign-off
