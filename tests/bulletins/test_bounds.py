"""Bounded text and dates (issue 14, items 2 and 3): the form, the service and PostgreSQL refuse
what is over a limit; the repair clears stored dates outside 2000-01-01 … 2099-12-31."""

from datetime import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from bulletins.exceptions import InvalidTransition
from bulletins.forms import BulletinForm
from bulletins.models import Bulletin, BulletinRepair, BulletinVersion
from bulletins.repairs import repair_out_of_range_dates
from bulletins.services import bulletin_freeze_version, bulletin_lock, bulletin_update
from bulletins.validation import SOURCE_MAX_LENGTH, bulletin_field_errors
from tests.bulletins.conftest import file_bulletin, form_data, valid_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tree):
    return tree.user("county_a1", "staff")


def _refused(sql, params=()):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _form(**overrides) -> BulletinForm:
    form = BulletinForm(form_data(**overrides))
    form.is_valid()
    return form


# Text --------------------------------------------------------------------------------------------


def test_the_form_refuses_a_source_over_2000_characters():
    assert _form(source="核" * SOURCE_MAX_LENGTH).is_valid()
    form = _form(source="核" * (SOURCE_MAX_LENGTH + 1))
    assert form.errors["source"] == ["信息来源及核实情况最多 2000 个字，现有 2001 个字，请精简。"]
    assert _form(place="镇" * 201).errors["place"] == ["发生地点最多 200 个字，现有 201 个字，请精简。"]


def test_the_service_refuses_it_too(staff):
    errors = bulletin_field_errors(valid_fields(source="核" * 2001))
    assert list(errors) == ["source"]
    bulletin = file_bulletin(staff)
    with pytest.raises(Exception) as refused:
        bulletin_update(actor=staff, bulletin_id=bulletin.pk, expected_edit_version=1, source="核" * 2001)
    assert "source" in refused.value.message_dict


def test_the_database_refuses_a_long_source_whoever_writes_it(staff):
    bulletin = file_bulletin(staff)
    _refused("UPDATE bulletins_bulletin SET source = repeat('核', 2001) WHERE id = %s", [bulletin.pk])
    _refused("UPDATE bulletins_bulletin SET body = repeat('文', 5001) WHERE id = %s", [bulletin.pk])
    _refused("UPDATE bulletins_bulletin SET revision_body = repeat('文', 5001) WHERE id = %s", [bulletin.pk])
    with transaction.atomic():
        version = bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)
    _refused(
        "INSERT INTO bulletins_bulletinversion (bulletin_id, number, title, body, category_id, place, source,"
        " contact_name, contact_phone, attachments, created_by_id, created_at)"
        " SELECT bulletin_id, 2, title, body, category_id, place, repeat('核', 2001), contact_name, contact_phone,"
        " attachments, created_by_id, now() FROM bulletins_bulletinversion WHERE id = %s",
        [version.pk],
    )
    with connection.cursor() as cursor:  # exactly at the limit is fine
        cursor.execute("UPDATE bulletins_bulletin SET source = repeat('核', 2000) WHERE id = %s", [bulletin.pk])


def test_the_text_limits_leave_older_rows_alone():
    """Added NOT VALID: a text written before its limit stays readable; new writes are checked."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, convalidated FROM pg_constraint WHERE contype = 'c' AND (conname LIKE '%%_length' "
            "OR conname LIKE '%%_range') AND conrelid::regclass::text LIKE ANY (ARRAY['bulletins_%%', 'review_%%'])"
        )
        validated = dict(cursor.fetchall())
    assert validated == {
        "bulletin_body_length": False,
        "bulletin_occurred_at_range": True,
        "bulletin_revision_body_length": False,
        "bulletin_source_length": False,
        "bulletin_version_body_length": False,
        "bulletin_version_occurred_at_range": True,
        "bulletin_version_source_length": False,
        # A new column's bound (issue 17), checked from the start.
        "category_deadline_minutes_range": True,
        "review_event_comment_length": False,
        "review_instruction_date_range": False,
        "review_instruction_text_length": False,
    }


def _legacy_long_source(bulletin):
    """A source of 1,000,000 characters, as one written before the limit (the attack run's)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks before ALTER TABLE
        cursor.execute("ALTER TABLE bulletins_bulletin DROP CONSTRAINT bulletin_source_length")
        cursor.execute("UPDATE bulletins_bulletin SET source = repeat('核', 1000000) WHERE id = %s", [bulletin.pk])
        cursor.execute(
            "ALTER TABLE bulletins_bulletin ADD CONSTRAINT bulletin_source_length "
            "CHECK (length(source) <= 2000) NOT VALID"
        )


def test_an_older_long_source_is_kept_but_not_frozen_until_shortened(client, staff):
    bulletin = file_bulletin(staff)
    _legacy_long_source(bulletin)
    client.force_login(staff)
    assert client.get(reverse("bulletins:detail", args=[bulletin.pk])).status_code == 200
    with transaction.atomic(), pytest.raises(InvalidTransition) as refused:
        bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)
    assert "信息来源及核实情况最多 2000 个字，现有 1000000 个字" in str(refused.value.message)
    response = client.post(reverse("review:submit", args=[bulletin.pk]), follow=True)
    assert "请先修改本条信息。" in response.content.decode()
    assert BulletinVersion.objects.filter(bulletin=bulletin).count() == 0
    # The edit form says what to shorten.
    edit = client.get(reverse("bulletins:edit", args=[bulletin.pk]))
    assert edit.status_code == 200


# Dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "1999-12-31T23:59", "9999-12-31T23:59"])
def test_the_form_refuses_a_time_outside_the_years_the_system_keeps(typed):
    form = _form(occurred_at=typed)
    assert form.errors["occurred_at"] == ["发生时间应在 2000-01-01 至当前时间之间。"]


def test_the_form_takes_the_first_minute_of_2000_and_refuses_the_future():
    assert _form(occurred_at="2000-01-01T00:00").is_valid()
    assert _form(occurred_at="2099-01-01T00:00").errors["occurred_at"] == ["发生时间不能晚于当前时间。"]


def test_the_database_refuses_year_1(staff):
    bulletin = file_bulletin(staff)
    _refused("UPDATE bulletins_bulletin SET occurred_at = '0001-01-01 00:00+08' WHERE id = %s", [bulletin.pk])
    _refused("UPDATE bulletins_bulletin SET occurred_at = '2100-01-01 00:00+08' WHERE id = %s", [bulletin.pk])


def _year_1(bulletin):
    """What the attack run left: a time of event the database holds as 1 BC in UTC."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks before ALTER TABLE
        cursor.execute("ALTER TABLE bulletins_bulletin DROP CONSTRAINT bulletin_occurred_at_range")
        cursor.execute("ALTER TABLE bulletins_bulletinversion DROP CONSTRAINT bulletin_version_occurred_at_range")
        cursor.execute(
            # As Django stored what was typed in Shanghai time (its local mean time in year 1).
            "UPDATE bulletins_bulletin SET occurred_at = '0001-01-01 00:00'::timestamp AT TIME ZONE 'Asia/Shanghai', "
            "deadline_at = '0001-01-02 00:00'::timestamp AT TIME ZONE 'Asia/Shanghai' WHERE id = %s",
            [bulletin.pk],
        )
        cursor.execute(
            "INSERT INTO bulletins_bulletinversion (bulletin_id, number, title, body, category_id, occurred_at,"
            " place, source, contact_name, contact_phone, attachments, created_by_id, created_at)"
            " SELECT id, 1, title, body, category_id, occurred_at, place, source, contact_name, contact_phone,"
            " '[]', author_id, now() FROM bulletins_bulletin WHERE id = %s",
            [bulletin.pk],
        )
        cursor.execute("UPDATE bulletins_bulletin SET version_count = 1 WHERE id = %s", [bulletin.pk])
        cursor.execute("SELECT occurred_at::text FROM bulletins_bulletin WHERE id = %s", [bulletin.pk])
        assert cursor.fetchone()[0].endswith(" BC")


def test_the_repair_clears_year_1_and_says_so_on_the_page(client, staff):
    bulletin = file_bulletin(staff, occurred_at=timezone.make_aware(datetime(2026, 11, 2, 9, 30)))
    untouched = file_bulletin(staff, occurred_at=timezone.make_aware(datetime(2000, 1, 1, 0, 0)))
    _year_1(bulletin)

    assert repair_out_of_range_dates(connection) == 2  # the working copy and version 1
    bulletin.refresh_from_db()
    assert (bulletin.occurred_at, bulletin.deadline_at) == (None, None)
    assert BulletinVersion.objects.get(bulletin=bulletin).occurred_at is None
    repairs = list(BulletinRepair.objects.filter(bulletin=bulletin).order_by("version_number"))
    assert [(r.version_number, r.field, r.original) for r in repairs] == [
        (1, "occurred_at", "0001-01-01 00:00"),
        (None, "occurred_at", "0001-01-01 00:00"),
    ]
    untouched.refresh_from_db()
    assert untouched.occurred_at == timezone.make_aware(datetime(2000, 1, 1, 0, 0))
    assert repair_out_of_range_dates(connection) == 0  # once

    client.force_login(staff)
    page = client.get(reverse("bulletins:detail", args=[bulletin.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="repair"') == 2
    assert "发生时间原为“0001-01-01 00:00”" in html
    assert "第 1 版的发生时间原为“0001-01-01 00:00”" in html
    assert html.count("请编辑后重新填写。") == 1  # the filing unit's staff may edit the working copy
    assert client.get(reverse("bulletins:list")).status_code == 200
    # The trigger guarding frozen versions is back on.
    _refused("UPDATE bulletins_bulletinversion SET title = title WHERE bulletin_id = %s", [bulletin.pk])


def test_the_repair_leaves_good_dates_alone(staff):
    file_bulletin(staff, occurred_at=timezone.now())
    assert repair_out_of_range_dates(connection) == 0
    assert not BulletinRepair.objects.exists()
    assert Bulletin.objects.get().occurred_at is not None
