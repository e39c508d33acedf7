"""What reviewers type is bounded (issue 14, item 2): comments and instructions, in the form, the
service and PostgreSQL; an instruction's date lies from 2000-01-01 to today."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from review.forms import DecisionForm, InstructionForm
from review.models import Adoption, ReviewAction, ReviewEvent
from review.services import adoption_add_instruction, review_adopt, review_decline, review_return

pytestmark = pytest.mark.django_db


def _refused(sql, params=()):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_decision_form_refuses_a_comment_over_2000_characters():
    actions = [ReviewAction.RETURN]
    data = {"action": "return", "return_reason": "verify"}
    assert DecisionForm({**data, "comment": "改" * 2000}, actions=actions).is_valid()
    form = DecisionForm({**data, "comment": "改" * 2001}, actions=actions)
    assert not form.is_valid() and "2000" in form.errors["comment"][0]


def test_the_services_refuse_a_long_comment(tree, at_city):
    reviewer = tree.user("city_a", "reviewer")
    with pytest.raises(ValidationError, match="意见最多 2000 个字，现有 2001 个字"):
        review_return(actor=reviewer, bulletin=at_city, reason="verify", comment="改" * 2001)
    with pytest.raises(ValidationError, match="意见最多 2000 个字"):
        review_decline(actor=reviewer, bulletin=at_city, reason="low_value", comment="改" * 2001)
    assert not ReviewEvent.objects.filter(bulletin=at_city, action__in=["return", "decline"]).exists()
    review_return(actor=reviewer, bulletin=at_city, reason="verify", comment="改" * 2000)


def test_the_database_refuses_a_long_history_comment(tree, at_city):
    event = ReviewEvent.objects.filter(bulletin=at_city).first()
    _refused(
        "INSERT INTO review_reviewevent (bulletin_id, version_number, action, from_unit_id, to_unit_id, actor_id,"
        " at, reason, comment) SELECT bulletin_id, version_number, 'decline', from_unit_id, NULL, actor_id, now(),"
        " 'other', repeat('改', 2071) FROM review_reviewevent WHERE id = %s",
        [event.pk],
    )


@pytest.fixture
def adoption(tree, at_city):
    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind="full", forward=False)
    return Adoption.objects.get(bulletin=at_city)


@pytest.mark.parametrize("typed", ["0001-01-01", "1999-12-31"])
def test_an_instruction_dated_before_2000_is_refused(typed):
    form = InstructionForm({"leader": "王书记", "text": "很好。", "instructed_on": typed})
    assert form.errors["instructed_on"] == ["请填写 2000-01-01 至 2099-12-31 之间的日期。"]


def test_the_longest_instruction_fits_its_history_entry(tree, adoption):
    reviewer = tree.user("city_a", "reviewer")
    with pytest.raises(ValidationError, match="批示内容最多 2000 个字"):
        adoption_add_instruction(
            actor=reviewer, adoption=adoption, leader="王书记", text="批" * 2001, instructed_on=date(2026, 1, 5)
        )
    with pytest.raises(ValidationError, match="2000-01-01"):
        adoption_add_instruction(
            actor=reviewer, adoption=adoption, leader="王书记", text="很好。", instructed_on=date(1, 1, 1)
        )
    adoption_add_instruction(
        actor=reviewer, adoption=adoption, leader="王" * 50, text="批" * 2000, instructed_on=date(2026, 1, 5)
    )
    comment = ReviewEvent.objects.get(bulletin=adoption.bulletin, action="instruction").comment
    assert len(comment) == 50 + len("（2026-01-05）：") + 2000 <= 2070


def test_the_database_refuses_a_long_instruction_or_year_1(tree, adoption):
    adoption_add_instruction(
        actor=tree.user("city_a", "reviewer"),
        adoption=adoption,
        leader="王书记",
        text="很好。",
        instructed_on=date(2026, 1, 5),
    )
    insert = (
        "INSERT INTO review_leaderinstruction (adoption_id, leader, text, instructed_on, added_by_id, added_at)"
        " SELECT adoption_id, leader, {text}, {day}, added_by_id, now() FROM review_leaderinstruction LIMIT 1"
    )
    _refused(insert.format(text="repeat('批', 2001)", day="instructed_on"))
    _refused(insert.format(text="text", day="'0001-01-01'"))


def test_the_instruction_page_shows_the_date_error(client, tree, adoption):
    client.force_login(tree.user("city_a", "reviewer"))
    response = client.post(
        reverse("review:instruction_add", args=[adoption.pk]),
        {"leader": "王书记", "text": "很好。", "instructed_on": "0001-01-01"},
    )
    assert response.status_code == 200
    assert "请填写 2000-01-01 至 2099-12-31 之间的日期。" in response.content.decode()
