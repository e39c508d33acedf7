"""The route through the services: every transition, the history row by row, every refusal."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bulletins.exceptions import NotPermitted
from bulletins.models import Bulletin, BulletinStatus, BulletinVersion
from review.exceptions import InvalidTransition
from review.models import Adoption, AdoptionKind, LeaderInstruction, QueueEntry, QueueState, ReviewAction, ReviewEvent
from review.services import (
    adoption_add_instruction,
    bulletin_resubmit,
    bulletin_submit,
    bulletin_withdraw,
    review_adopt,
    review_decline,
    review_forward,
    review_return,
    review_sign_off,
)

pytestmark = pytest.mark.django_db


def history(bulletin):
    return [
        (e.version_number, e.action, e.from_unit_id, e.to_unit_id, e.actor.username, e.reason, e.comment)
        for e in ReviewEvent.objects.filter(bulletin=bulletin).select_related("actor").order_by("at", "pk")
    ]


def open_entries(bulletin):
    return list(QueueEntry.objects.filter(bulletin=bulletin, state=QueueState.OPEN).values_list("unit_id", flat=True))


def test_whole_journey_county_to_central(tree, make_draft):
    staff = tree.user("county_a1", "staff")
    bulletin = make_draft()
    assert bulletin.status == BulletinStatus.DRAFT and open_entries(bulletin) == []

    bulletin_submit(actor=staff, bulletin=bulletin)
    assert (bulletin.status, bulletin.current_unit_id, bulletin.version_count) == ("submitted", tree.county_a1.pk, 1)
    assert open_entries(bulletin) == [tree.county_a1.pk]
    assert bulletin.submitted_at is not None and bulletin.signed_off_at is None

    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    assert (bulletin.status, bulletin.current_unit_id) == ("in_review", tree.city_a.pk)
    assert open_entries(bulletin) == [tree.city_a.pk]
    assert bulletin.signed_off_at is not None

    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind=AdoptionKind.ABRIDGED, forward=True)
    assert (bulletin.status, bulletin.current_unit_id) == ("in_review", tree.province.pk)
    review_forward(actor=tree.user("province", "head"), bulletin=bulletin)
    assert (bulletin.status, bulletin.current_unit_id) == ("in_review", tree.central.pk)
    review_adopt(actor=tree.user("central", "reviewer"), bulletin=bulletin, kind=AdoptionKind.FULL)
    assert (bulletin.status, bulletin.current_unit_id) == ("adopted", tree.central.pk)
    assert open_entries(bulletin) == []

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.ADOPTED
    assert history(bulletin) == [
        (1, "submit", tree.county_a1.pk, tree.county_a1.pk, "lj-dh.staff", "", ""),
        (1, "sign_off", tree.county_a1.pk, tree.city_a.pk, "lj-dh.reviewer", "", ""),
        (1, "adopt_forward", tree.city_a.pk, tree.province.pk, "lj.reviewer", "abridged", ""),
        (1, "forward", tree.province.pk, tree.central.pk, "jd.head", "", ""),
        (1, "adopt", tree.central.pk, None, "zy.reviewer", "full", ""),
    ]
    adoptions = list(
        Adoption.objects.filter(bulletin=bulletin).order_by("-level").values_list("unit_id", "level", "kind")
    )
    assert adoptions == [(tree.city_a.pk, 2, "abridged"), (tree.central.pk, 0, "full")]
    entries = list(
        QueueEntry.objects.filter(bulletin=bulletin)
        .order_by("opened_at", "pk")
        .values_list("unit_id", "state", "action")
    )
    assert entries == [
        (tree.county_a1.pk, "decided", "sign_off"),
        (tree.city_a.pk, "decided", "adopt_forward"),
        (tree.province.pk, "decided", "forward"),
        (tree.central.pk, "decided", "adopt"),
    ]


def test_return_and_resubmission_goes_back_to_the_returning_unit_as_next_version(tree, at_city):
    bulletin = at_city
    staff = tree.user("county_a1", "staff")
    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full", forward=True)
    review_return(actor=tree.user("province", "reviewer"), bulletin=bulletin, reason="verify", comment="请核实人数。")
    assert (bulletin.status, bulletin.current_unit_id) == ("returned", tree.county_a1.pk)
    assert open_entries(bulletin) == []

    Bulletin.objects.filter(pk=bulletin.pk).update(revision_body="东湖区在全区推行党员积分管理，参与率达百分之九十三。")
    bulletin.refresh_from_db()
    bulletin_resubmit(actor=staff, bulletin=bulletin)
    assert (bulletin.status, bulletin.current_unit_id, bulletin.version_count) == ("submitted", tree.county_a1.pk, 2)
    assert open_entries(bulletin) == [tree.county_a1.pk]
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    assert (bulletin.status, bulletin.current_unit_id, bulletin.version_count) == ("in_review", tree.province.pk, 2)
    assert open_entries(bulletin) == [tree.province.pk]
    assert QueueEntry.objects.get(bulletin=bulletin, state="open").version_number == 2
    versions = list(BulletinVersion.objects.filter(bulletin=bulletin).values_list("number", "body"))
    assert versions[0][0] == 1 and "九十五" in versions[0][1]
    assert versions[1][0] == 2 and "九十三" in versions[1][1]
    assert history(bulletin)[-3:] == [
        (1, "return", tree.province.pk, tree.county_a1.pk, "jd.reviewer", "verify", "请核实人数。"),
        (2, "resubmit", tree.county_a1.pk, tree.county_a1.pk, "lj-dh.staff", "", ""),
        (2, "sign_off", tree.county_a1.pk, tree.province.pk, "lj-dh.reviewer", "", ""),
    ]


def test_returned_at_sign_off_waits_for_sign_off_again(tree, make_draft):
    bulletin = make_draft()
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    review_return(actor=tree.user("county_a1", "head"), bulletin=bulletin, reason="wording", comment="文字再精炼。")
    bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    assert (bulletin.status, bulletin.current_unit_id, bulletin.version_count) == ("submitted", tree.county_a1.pk, 2)


def test_withdraw_back_to_draft_keeps_the_version(tree, make_draft):
    staff = tree.user("county_a1", "staff")
    bulletin = make_draft()
    bulletin_submit(actor=staff, bulletin=bulletin)
    bulletin_withdraw(actor=staff, bulletin=bulletin)
    assert (bulletin.status, bulletin.current_unit_id, bulletin.version_count) == ("draft", None, 1)
    assert QueueEntry.objects.get(bulletin=bulletin).state == QueueState.WITHDRAWN
    bulletin_submit(actor=staff, bulletin=bulletin)
    assert bulletin.version_count == 2
    assert [row[1] for row in history(bulletin)] == ["submit", "withdraw", "submit"]


def test_decline_archives_and_keeps_everything(tree, at_city):
    review_decline(actor=tree.user("city_a", "reviewer"), bulletin=at_city, reason="duplicate", comment="与前稿重复")
    at_city.refresh_from_db()
    assert at_city.status == BulletinStatus.DECLINED
    assert BulletinVersion.objects.filter(bulletin=at_city).count() == 1
    assert QueueEntry.objects.filter(bulletin=at_city).count() == 2
    assert history(at_city)[-1][1:6] == ("decline", tree.city_a.pk, None, "lj.reviewer", "duplicate")


def test_decline_above_an_adoption_keeps_the_bulletin_adopted(tree, at_city):
    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind="full", forward=True)
    review_decline(actor=tree.user("province", "reviewer"), bulletin=at_city, reason="low_value")
    assert at_city.status == BulletinStatus.ADOPTED
    assert Adoption.objects.filter(bulletin=at_city).count() == 1


def test_leader_instruction_by_a_reviewer_of_the_adopting_unit(tree, at_city):
    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind="full")
    adoption = Adoption.objects.get(bulletin=at_city)
    with pytest.raises(NotPermitted):
        adoption_add_instruction(
            actor=tree.user("province", "reviewer"),
            adoption=adoption,
            leader="王书记",
            text="很好",
            instructed_on=timezone.localdate(),
        )
    with pytest.raises(NotPermitted):
        adoption_add_instruction(
            actor=tree.user("city_a", "staff"),
            adoption=adoption,
            leader="王书记",
            text="很好",
            instructed_on=timezone.localdate(),
        )
    adoption_add_instruction(
        actor=tree.user("city_a", "head"),
        adoption=adoption,
        leader="王书记",
        text="经验很好，请推广。",
        instructed_on=timezone.localdate(),
    )
    assert LeaderInstruction.objects.get(adoption=adoption).leader == "王书记"
    assert history(at_city)[-1][1] == ReviewAction.INSTRUCTION


# --- refusals ---------------------------------------------------------------------------------


def test_refused_wrong_state(tree, make_draft, at_city):
    draft = make_draft()
    with pytest.raises(InvalidTransition):
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=draft)
    with pytest.raises(InvalidTransition):
        bulletin_withdraw(actor=tree.user("county_a1", "staff"), bulletin=draft)
    with pytest.raises(InvalidTransition):
        bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=draft)
    # Waiting at the city: too late to withdraw, cannot be submitted again.
    with pytest.raises(InvalidTransition):
        bulletin_withdraw(actor=tree.user("county_a1", "staff"), bulletin=at_city)
    with pytest.raises(InvalidTransition):
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=at_city)
    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind="full")
    for call in (review_forward, review_sign_off):
        with pytest.raises(InvalidTransition):
            call(actor=tree.user("city_a", "reviewer"), bulletin=at_city)
    with pytest.raises(InvalidTransition):
        review_return(actor=tree.user("city_a", "reviewer"), bulletin=at_city, reason="other", comment="x")


def test_refused_adopt_at_the_sign_off_step(tree, make_draft):
    bulletin = make_draft()
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    with pytest.raises(InvalidTransition):
        review_adopt(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin, kind="full")
    with pytest.raises(InvalidTransition):
        review_decline(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin, reason="other")


def test_refused_wrong_unit(tree, at_city):
    for user in (
        tree.user("city_b", "reviewer"),
        tree.user("province", "reviewer"),
        tree.user("county_a1", "reviewer"),
    ):
        with pytest.raises(NotPermitted):
            review_adopt(actor=user, bulletin=at_city, kind="full")
        with pytest.raises(NotPermitted):
            review_return(actor=user, bulletin=at_city, reason="other", comment="请修改")
    with pytest.raises(NotPermitted):
        bulletin_submit(actor=tree.user("county_a2", "staff"), bulletin=Bulletin.objects.get(pk=at_city.pk))


def test_refused_wrong_role(tree, make_draft, at_city):
    with pytest.raises(NotPermitted):
        review_forward(actor=tree.user("city_a", "staff"), bulletin=at_city)
    draft = make_draft()
    with pytest.raises(NotPermitted):
        bulletin_submit(actor=tree.user("county_a1", "reviewer"), bulletin=draft)
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=draft)
    with pytest.raises(NotPermitted):
        review_sign_off(actor=tree.user("county_a1", "staff"), bulletin=draft)
    assert ReviewEvent.objects.filter(bulletin=draft).count() == 1


def test_refused_own_sign_off(tree, make_draft):
    reviewer = tree.user("county_a1", "reviewer")
    reviewer.is_officer = True
    reviewer.save(update_fields=["is_officer"])
    bulletin = make_draft(author=reviewer)
    bulletin_submit(actor=reviewer, bulletin=bulletin)
    with pytest.raises(NotPermitted, match="自己"):
        review_sign_off(actor=reviewer, bulletin=bulletin)
    review_sign_off(actor=tree.user("county_a1", "head"), bulletin=bulletin)
    assert bulletin.current_unit_id == tree.city_a.pk


def test_refused_forward_at_central(tree, at_city):
    review_forward(actor=tree.user("city_a", "reviewer"), bulletin=at_city)
    review_forward(actor=tree.user("province", "reviewer"), bulletin=at_city)
    with pytest.raises(InvalidTransition):
        review_forward(actor=tree.user("central", "reviewer"), bulletin=at_city)
    with pytest.raises(InvalidTransition):
        review_adopt(actor=tree.user("central", "reviewer"), bulletin=at_city, kind="full", forward=True)
    assert at_city.current_unit_id == tree.central.pk


def test_refused_return_without_comment_or_reason(tree, at_city):
    with pytest.raises(ValidationError):
        review_return(actor=tree.user("city_a", "reviewer"), bulletin=at_city, reason="verify", comment="   ")
    with pytest.raises(ValidationError):
        review_return(actor=tree.user("city_a", "reviewer"), bulletin=at_city, reason="nonsense", comment="请核实")
    with pytest.raises(ValidationError):
        review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind="")
    assert at_city.status == BulletinStatus.IN_REVIEW
    assert ReviewEvent.objects.filter(bulletin=at_city).count() == 2


def test_stale_caller_gets_the_decision_already_taken(tree, at_city):
    stale = Bulletin.objects.get(pk=at_city.pk)
    review_forward(actor=tree.user("city_a", "reviewer"), bulletin=at_city)
    with pytest.raises(InvalidTransition) as info:
        review_adopt(actor=tree.user("city_a", "head"), bulletin=stale, kind="full")
    assert info.value.decision.action == ReviewAction.FORWARD
    assert info.value.decision.actor == tree.user("city_a", "reviewer")
    assert "临江市" in str(info.value) and "已" in str(info.value)


def test_one_open_queue_entry_is_enforced_by_the_database(tree, at_city):
    with pytest.raises(IntegrityError), transaction.atomic():
        QueueEntry.objects.create(bulletin=at_city, unit=tree.province, version_number=1, opened_at=timezone.now())
    assert open_entries(at_city) == [tree.city_a.pk]


def test_history_rows_cannot_be_changed_or_deleted(tree, at_city):
    event = ReviewEvent.objects.filter(bulletin=at_city).first()
    event.comment = "改写"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
