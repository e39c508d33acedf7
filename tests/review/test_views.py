"""The review pages: queue, decision page, filing unit's buttons, leaders' instructions."""

import re
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
    # incident clocks, the calls they answer (calls' 约稿报送 mark, review.selectors.queue_row_prefetch_register),
    # unread count, and the two filter choice lists.
    assert len(small.captured_queries) == 9


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


# The decision form: only the chosen decision's fields count --------------------------------


def test_each_decision_field_says_which_decisions_it_belongs_to(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    html = client.get(reverse("review:decide", args=[at_city.pk])).content.decode()
    shown_for = dict(re.findall(r'data-shown-for="([^"]*)" data-testid="field-(\w+)"', html))
    assert {v: k for k, v in shown_for.items()} == {
        "kind": "adopt adopt_forward",
        "return_reason": "return",
        "decline_reason": "decline",
        "comment": "return decline",
    }
    assert html.count('data-shown-by="action"') == 4
    assert "onchange" not in html and "onclick" not in html


def test_another_decisions_fields_are_ignored_without_javascript(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    # Without JavaScript every field is on the page: a kind and a decline reason left chosen, even
    # a value no list offers, neither block nor change a return.
    response = decide(
        client, at_city, action="return", return_reason="verify", comment="请核实", kind="bogus", decline_reason="dup"
    )
    assert response.status_code == 302
    event = ReviewEvent.objects.get(bulletin=at_city, from_unit=tree.city_a)
    assert (event.action, event.reason, event.comment) == ("return", "verify", "请核实")
    assert not Adoption.objects.filter(bulletin=at_city).exists()


def test_a_comment_and_reasons_left_in_hidden_fields_do_not_reach_an_adoption(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    response = decide(client, at_city, action="adopt", kind="full", return_reason="nope", comment="写了一半的退回意见")
    assert response.status_code == 302
    event = ReviewEvent.objects.get(bulletin=at_city, from_unit=tree.city_a)
    assert (event.action, event.reason, event.comment) == ("adopt", "full", "")


def test_errors_come_back_on_the_chosen_decisions_fields_with_what_was_posted(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    response = decide(client, at_city, action="decline", decline_reason="", kind="nope", comment="与上期重复")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"decline_reason"}  # not the kind of an adoption nobody chose
    html = response.content.decode()
    assert re.search(r'value="decline"\s+id="id_action_\d"[^>]* checked>', html)
    assert re.search(r'id="id_comment">\s*与上期重复</textarea>', html)
    assert not ReviewEvent.objects.filter(bulletin=at_city, from_unit=tree.city_a).exists()


# The reviewer who loses a concurrent decision keeps what they typed ------------------------------


def test_two_sessions_the_second_is_told_and_keeps_what_it_typed(client, tree, at_city):
    from django.test import Client

    url = reverse("review:decide", args=[at_city.pk])
    first, second = Client(), Client()
    first.force_login(tree.user("city_a", "reviewer"))
    second.force_login(tree.user("city_a", "head"))
    entry = first.get(url).context["form"].initial["entry"]
    assert second.get(url).context["form"].initial["entry"] == entry  # both look at the same queue entry
    assert first.post(url, {"entry": entry, "action": "adopt_forward", "kind": "abridged"}).status_code == 302
    typed = "第三段的数字与上月通报不一致，\n请核实后重报。"
    response = second.post(url, {"entry": entry, "action": "return", "return_reason": "verify", "comment": typed})
    assert response.status_code == 409
    html = response.content.decode()
    # Who decided first, and what.
    refusal = response.context["refusal"]
    assert "临江市reviewer" in refusal and "采用并上报" in refusal
    assert 'data-testid="decided-first"' in html
    # What they typed, shown back: the decision, its reason and the comment, unchangeable but copyable.
    entered = response.context["entered"]
    assert entered["action"].value() == "return" and entered["return_reason"].value() == "verify"
    assert re.search(r'<textarea name="comment"[^>]* readonly [^>]*id="entered_comment">\s*' + typed, html)
    assert re.search(r'value="return"\s+disabled id="entered_action_0"[^>]* checked>', html)
    assert response.context["form"] is None  # the bulletin no longer waits at the city
    events = ReviewEvent.objects.filter(bulletin=at_city, from_unit=tree.city_a)
    assert [e.action for e in events] == ["adopt_forward"]


def test_the_loser_of_the_row_lock_keeps_what_it_typed(client, tree, at_city, monkeypatch):
    """The other decision commits after this request read the bulletin (the service's lock refuses)."""
    from review import services, views

    real_decide = services.review_decide

    def decided_meanwhile(*, actor, bulletin, **data):
        review_forward(actor=tree.user("city_a", "reviewer"), bulletin=Bulletin.objects.get(pk=bulletin.pk))
        return real_decide(actor=actor, bulletin=bulletin, **data)

    monkeypatch.setattr(views.services, "review_decide", decided_meanwhile)
    login(client, tree.user("city_a", "head"))
    response = decide(client, at_city, action="decline", decline_reason="duplicate", comment="与东湖区上周报送的重复")
    assert response.status_code == 409
    assert "临江市reviewer" in response.context["refusal"] and "上报" in response.context["refusal"]
    assert response.context["entered"]["comment"].value() == "与东湖区上周报送的重复"
    assert response.context["entered"]["decline_reason"].value() == "duplicate"
    assert [e.action for e in ReviewEvent.objects.filter(bulletin=at_city, from_unit=tree.city_a)] == ["forward"]


def test_what_was_typed_fills_the_form_again_when_the_bulletin_waits_again(client, tree, at_city):
    from review.services import bulletin_resubmit, review_return

    login(client, tree.user("city_a", "head"))
    entry = client.get(reverse("review:decide", args=[at_city.pk])).context["form"].initial["entry"]
    # Meanwhile a colleague returns it and the county resubmits: a new entry waits at the city.
    review_return(actor=tree.user("city_a", "reviewer"), bulletin=at_city, reason="verify", comment="核实")
    at_city.refresh_from_db()
    bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=at_city)
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=at_city)  # the revision's own sign-off
    response = client.post(
        reverse("review:decide", args=[at_city.pk]),
        {"entry": entry, "action": "decline", "decline_reason": "duplicate", "comment": "重复"},
    )
    assert response.status_code == 409
    form = response.context["form"]
    assert form is not None and form.initial["entry"] != entry
    assert (form.initial["action"], form.initial["decline_reason"], form.initial["comment"]) == (
        "decline",
        "duplicate",
        "重复",
    )


# Wording: an adoption's "reason" is its kind ---------------------------------------------------


def test_the_adoption_kind_is_labelled_as_such_in_the_history_and_the_route(client, tree, at_city):
    from review.services import review_adopt

    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind="abridged", forward=True)
    login(client, tree.user("province", "reviewer"))
    decide(client, at_city, action="return", return_reason="wording", comment="精简第二段")
    login(client, tree.user("county_a1", "staff"))
    html = client.get(reverse("review:decide", args=[at_city.pk])).content.decode()
    assert "<th>原因/采用方式</th>" in html
    route = html[html.index('data-testid="route"') : html.index('data-testid="history"')]
    assert "采用方式：摘要采用" in route and "原因：文字表述" in route
    assert "原因：摘要采用" not in html


def test_the_decision_form_carries_one_csrf_token(client, tree, at_city):
    login(client, tree.user("city_a", "reviewer"))
    html = client.get(reverse("review:decide", args=[at_city.pk])).content.decode()
    form = html[html.index('data-testid="decision-form"') :]
    form = form[: form.index("</form>")]
    assert form.count('name="csrfmiddlewaretoken"') == 1
