"""Truthfulness (真实性): no sign-off without the source and verification, no incident submitted
without its place and source; a bulletin already waiting without them can still be returned.
Through the services on PostgreSQL, and on the decision page."""

import pytest
from django.urls import reverse

from bulletins.models import Bulletin, Category
from review.exceptions import MissingFacts
from review.models import QueueEntry, ReviewEvent
from review.services import bulletin_resubmit, bulletin_submit, review_return, review_sign_off

pytestmark = pytest.mark.django_db

SOURCE = "信息来源及核实情况"


def events(bulletin):
    return list(ReviewEvent.objects.filter(bulletin=bulletin).values_list("action", flat=True).order_by("at", "pk"))


def state(bulletin):
    fresh = Bulletin.objects.get(pk=bulletin.pk)
    return (fresh.status, fresh.current_unit_id, fresh.version_count)


def incident(make_draft, **fields):
    from django.utils import timezone

    return make_draft(category=Category.objects.get(code="incident"), occurred_at=timezone.now(), **fields)


class TestSignOff:
    def test_refused_without_a_source_and_nothing_changes(self, tree, make_draft):
        bulletin = make_draft(source="")
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        with pytest.raises(MissingFacts) as info:
            review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        assert str(info.value) == f"未写明{SOURCE}的信息不能签发（真实性）。请退回报送单位补充。"
        assert info.value.missing == [SOURCE]
        assert state(bulletin) == ("submitted", tree.county_a1.pk, 1)
        assert events(bulletin) == ["submit"]
        assert QueueEntry.objects.get(bulletin=bulletin, state="open").unit_id == tree.county_a1.pk

    def test_a_blank_source_is_no_source(self, tree, make_draft):
        bulletin = make_draft(source="  \n ")
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        with pytest.raises(MissingFacts):
            review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)

    def test_signed_off_with_a_source(self, tree, make_draft):
        bulletin = make_draft(source="区委组织部组织科提供，经台账核对。")
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        assert state(bulletin) == ("in_review", tree.city_a.pk, 1)

    def test_waiting_without_a_source_it_can_still_be_returned(self, tree, make_draft):
        """At the sign-off step, and at the city for a bulletin sent up before the rule."""
        own = make_draft(source="")
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=own)
        review_return(actor=tree.user("county_a1", "head"), bulletin=own, reason="verify", comment="请补充信息来源")
        assert state(own) == ("returned", tree.county_a1.pk, 1)

        old = make_draft()
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=old)
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=old)
        Bulletin.objects.filter(pk=old.pk).update(source="")  # as it was before the rule
        review_return(actor=tree.user("city_a", "reviewer"), bulletin=old, reason="verify", comment="请补充信息来源")
        assert state(old) == ("returned", tree.county_a1.pk, 1)

    def test_a_resubmission_is_signed_off_only_with_a_source(self, tree, make_draft):
        bulletin = make_draft()
        staff = tree.user("county_a1", "staff")
        bulletin_submit(actor=staff, bulletin=bulletin)
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        review_return(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="verify", comment="请核实")
        Bulletin.objects.filter(pk=bulletin.pk).update(source="")
        bulletin.refresh_from_db()
        bulletin_resubmit(actor=staff, bulletin=bulletin)
        with pytest.raises(MissingFacts):
            review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        assert state(bulletin) == ("submitted", tree.county_a1.pk, 2)


class TestIncidentSubmission:
    @pytest.mark.parametrize(
        ("fields", "missing"),
        [
            ({"place": "", "source": "镇党委报告"}, ["发生地点"]),
            ({"place": "青石镇", "source": ""}, [SOURCE]),
            ({"place": " ", "source": ""}, ["发生地点", SOURCE]),
        ],
    )
    def test_refused_without_place_or_source(self, tree, make_draft, fields, missing):
        bulletin = incident(make_draft, **fields)
        with pytest.raises(MissingFacts) as info:
            bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        assert info.value.missing == missing
        assert str(info.value) == (
            f"突发事件信息须写明{'、'.join(missing)}方可提交。初报可只报已掌握的情况：尚在核实的，请写明“正在核实”。"
        )
        assert state(bulletin) == ("draft", None, 0)
        assert events(bulletin) == []

    def test_a_first_report_may_say_it_is_being_verified(self, tree, make_draft):
        bulletin = incident(make_draft, place="青石镇", source="镇党委值班室电话报告，正在核实")
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        assert state(bulletin) == ("in_review", tree.city_a.pk, 1)

    def test_other_categories_need_no_place_to_be_submitted(self, tree, make_draft):
        bulletin = make_draft(place="", source="")
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        assert state(bulletin) == ("submitted", tree.county_a1.pk, 1)

    def test_a_resubmitted_incident_needs_them_too(self, tree, make_draft):
        staff = tree.user("county_a1", "staff")
        bulletin = incident(make_draft, place="青石镇", source="正在核实")
        bulletin_submit(actor=staff, bulletin=bulletin)
        review_return(actor=tree.user("county_a1", "head"), bulletin=bulletin, reason="verify", comment="核实")
        Bulletin.objects.filter(pk=bulletin.pk).update(place="")
        bulletin.refresh_from_db()
        with pytest.raises(MissingFacts):
            bulletin_resubmit(actor=staff, bulletin=bulletin)
        assert state(bulletin) == ("returned", tree.county_a1.pk, 1)


class TestDecisionPage:
    def test_it_says_what_is_missing_before_the_button(self, client, tree, make_draft):
        bulletin = make_draft(source="")
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        client.force_login(tree.user("county_a1", "reviewer"))
        page = client.get(reverse("review:decide", args=[bulletin.pk]))
        html = page.content.decode()
        assert page.context["missing_for_sign_off"] == [SOURCE]
        assert 'data-testid="missing-facts"' in html
        assert "尚不能签发（真实性），缺少：" in html
        assert html.index('data-testid="missing-facts"') < html.index('data-testid="decision-form"')

        entry = page.context["form"].initial["entry"]
        response = client.post(reverse("review:decide", args=[bulletin.pk]), {"entry": entry, "action": "sign_off"})
        # Not recorded (409): the refusal said, what was chosen shown back, the form offered again.
        assert response.status_code == 409
        assert response.context["refusal"] == f"未写明{SOURCE}的信息不能签发（真实性）。请退回报送单位补充。"
        assert response.context["entered"]["action"].value() == "sign_off"
        assert state(bulletin) == ("submitted", tree.county_a1.pk, 1)

    def test_no_notice_when_nothing_is_missing_or_no_sign_off_is_offered(self, client, tree, make_draft, at_city):
        bulletin = make_draft()
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        client.force_login(tree.user("county_a1", "reviewer"))
        page = client.get(reverse("review:decide", args=[bulletin.pk]))
        assert page.context["missing_for_sign_off"] == []
        assert 'data-testid="missing-facts"' not in page.content.decode()

        Bulletin.objects.filter(pk=at_city.pk).update(source="")
        client.force_login(tree.user("city_a", "reviewer"))
        page = client.get(reverse("review:decide", args=[at_city.pk]))
        assert page.context["missing_for_sign_off"] == []  # the city does not sign off


def test_the_bulletin_page_says_what_an_incident_lacks_before_it_is_submitted(client, tree, make_draft):
    bulletin = incident(make_draft, place="", source="")
    client.force_login(tree.user("county_a1", "staff"))
    html = client.get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    assert 'data-testid="missing-for-submit"' in html
    assert f"突发事件信息须写明发生地点、{SOURCE}方可提交" in html
    Bulletin.objects.filter(pk=bulletin.pk).update(place="青石镇", source="正在核实")
    html = client.get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    assert 'data-testid="missing-for-submit"' not in html
