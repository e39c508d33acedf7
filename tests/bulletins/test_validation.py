"""Each rule, through the form and through the service: same rule, same Chinese message, nothing written."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from bulletins.forms import BulletinForm
from bulletins.models import Bulletin, Category
from bulletins.services import bulletin_create, bulletin_update
from bulletins.validation import PHONE_RE
from tests.bulletins.conftest import file_bulletin, form_data, valid_fields

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 3, 10, 9, 0))


def _incident():
    return Category.objects.get(code="incident")


# (case id, service overrides, form overrides, field, a fragment of the Chinese message)
CASES = [
    ("missing title", {"title": "  "}, {"title": ""}, "title", "请填写标题"),
    ("missing body", {"body": ""}, {"body": ""}, "body", "请填写正文"),
    ("missing category", {"category": None}, {"category": ""}, "category", "请选择类别"),
    ("missing contact", {"contact_name": ""}, {"contact_name": ""}, "contact_name", "请填写联系人"),
    ("missing phone", {"contact_phone": ""}, {"contact_phone": ""}, "contact_phone", "请填写联系电话"),
    ("title too long", {"title": "党" * 101}, {"title": "党" * 101}, "title", "标题最多 100 个字，现有 101 个字"),
    ("body too long", {"body": "建" * 5001}, {"body": "建" * 5001}, "body", "正文最多 5000 个字，现有 5001 个字"),
    (
        "incident without occurred_at",
        {"category": "incident", "occurred_at": None},
        {"category": "incident", "occurred_at": ""},
        "occurred_at",
        "突发事件须填写发生时间",
    ),
    (
        "occurred_at in the future",
        {"occurred_at": NOW + timedelta(hours=1)},
        {"occurred_at": "2026-03-10T10:00"},
        "occurred_at",
        "发生时间不能晚于当前时间",
    ),
    ("malformed phone", {"contact_phone": "1381234"}, {"contact_phone": "1381234"}, "contact_phone", "请填写正确的"),
]


def _resolve(overrides: dict, *, form: bool) -> dict:
    resolved = dict(overrides)
    if resolved.get("category") == "incident":
        resolved["category"] = str(_incident().pk) if form else _incident()
    return resolved


@pytest.mark.parametrize(
    ("case", "service_overrides", "form_overrides", "field", "message"), CASES, ids=[c[0] for c in CASES]
)
@time_machine.travel(NOW, tick=False)
def test_rule_through_the_form(tree, case, service_overrides, form_overrides, field, message):
    form = BulletinForm(data=form_data(**_resolve(form_overrides, form=True)))
    with override("zh-hans"):
        assert not form.is_valid()
        errors = [str(e) for e in form.errors[field]]
    assert any(message in e for e in errors), errors
    assert set(form.errors) == {field}


@pytest.mark.parametrize(
    ("case", "service_overrides", "form_overrides", "field", "message"), CASES, ids=[c[0] for c in CASES]
)
@time_machine.travel(NOW, tick=False)
def test_rule_through_the_create_service(tree, case, service_overrides, form_overrides, field, message):
    with pytest.raises(ValidationError) as raised, override("zh-hans"):
        bulletin_create(
            actor=tree.user("county_a1", "staff"), **valid_fields(**_resolve(service_overrides, form=False))
        )
    with override("zh-hans"):
        errors = [str(m) for m in raised.value.message_dict[field]]
    assert any(message in e for e in errors), errors
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize(
    ("case", "service_overrides", "form_overrides", "field", "message"), CASES, ids=[c[0] for c in CASES]
)
@time_machine.travel(NOW, tick=False)
def test_rule_through_the_update_service_changes_nothing(tree, case, service_overrides, form_overrides, field, message):
    staff = tree.user("county_a1", "staff")
    bulletin = file_bulletin(staff)
    with pytest.raises(ValidationError) as raised:
        bulletin_update(
            actor=staff,
            bulletin_id=bulletin.pk,
            expected_edit_version=bulletin.edit_version,
            **valid_fields(**{"title": "新标题", **_resolve(service_overrides, form=False)}),
        )
    assert field in raised.value.message_dict
    fresh = Bulletin.objects.get(pk=bulletin.pk)
    assert (fresh.title, fresh.body, fresh.edit_version) == (bulletin.title, bulletin.body, bulletin.edit_version)


@time_machine.travel(NOW, tick=False)
def test_valid_incident_gets_its_deadline(tree):
    occurred = NOW - timedelta(hours=2)
    bulletin = bulletin_create(
        actor=tree.user("county_a1", "staff"), **valid_fields(category=_incident(), occurred_at=occurred)
    )
    assert bulletin.deadline_at == occurred + timedelta(hours=24)


def test_limits_are_inclusive(tree):
    bulletin = file_bulletin(tree.user("county_a1", "staff"), title="党" * 100, body="建" * 5000)
    assert len(bulletin.title) == 100 and len(bulletin.body) == 5000


@pytest.mark.parametrize(
    "phone", ["13812345678", "19912345678", "0571-87654321", "010-12345678", "010-12345678-123", "0898-6543210"]
)
def test_phone_formats_accepted(phone):
    assert PHONE_RE.match(phone)


@pytest.mark.parametrize(
    "phone", ["12812345678", "1381234567", "138123456789", "571-87654321", "0571 87654321", "电话", "010-123"]
)
def test_phone_formats_refused(phone):
    assert not PHONE_RE.match(phone)


def test_crlf_counts_as_one_character(tree):
    body = "甲\r\n" * 2500  # 7,500 characters as sent by a browser, 5,000 once line breaks are normalised
    form = BulletinForm(data=form_data(body=body))
    assert form.is_valid(), form.errors
    bulletin = bulletin_create(actor=tree.user("county_a1", "staff"), **form.bulletin_fields())
    assert len(bulletin.body) == 5000
