"""The rules a bulletin's fields must satisfy: defined once, applied by the form and the service.

The limits below are the one place for every bound on what a person types or picks, here and in
the apps above (review's comments and leaders' instructions): the forms, the services and the
models' CheckConstraints (PostgreSQL's own check, whatever writes the row) all read them.
"""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Text, in characters (PostgreSQL char_length: a Chinese character is one).
TITLE_MAX_LENGTH = 100
BODY_MAX_LENGTH = 5000
BODY_GUIDANCE_LENGTH = 1500  # a typical bulletin is 300–1,500 characters (shown beside the counter)
SOURCE_MAX_LENGTH = 2000
PLACE_MAX_LENGTH = 200
CONTACT_NAME_MAX_LENGTH = 50
CONTACT_PHONE_MAX_LENGTH = 30
COMMENT_MAX_LENGTH = 2000  # a reviewer's comment, a leader's instruction
LEADER_MAX_LENGTH = 50
# A history entry's comment: a reviewer's comment, or an instruction recorded with its leader and
# date in front ("王书记（2026-11-02）：…", review.services.adoption_add_instruction).
HISTORY_COMMENT_MAX_LENGTH = COMMENT_MAX_LENGTH + LEADER_MAX_LENGTH + 20

# Dates a person enters: from 2000-01-01 (local time) to before 2100-01-01. Older dates are
# mistakes, and year 1 in Shanghai time is 1 BC in UTC, which psycopg2 cannot read back.
EARLIEST_DATE = date(2000, 1, 1)
END_DATE = date(2100, 1, 1)  # exclusive


def _local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.get_default_timezone())


EARLIEST_MOMENT = _local_midnight(EARLIEST_DATE)
END_MOMENT = _local_midnight(END_DATE)


def moment_in_range(value: datetime) -> bool:
    """Whether an aware datetime lies in [EARLIEST_MOMENT, END_MOMENT)."""
    try:
        return EARLIEST_MOMENT <= value < END_MOMENT
    except OverflowError:  # year 1 or 9999 moved to another offset leaves datetime's range
        return False


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value < END_DATE


def date_range_message():
    return _("Please enter a date from %(first)s to %(last)s.") % {
        "first": f"{EARLIEST_DATE:%Y-%m-%d}",
        "last": f"{date.fromordinal(END_DATE.toordinal() - 1):%Y-%m-%d}",
    }


def too_long_message(label, *, limit: int, count: int):
    """E.g. 来源及核实情况最多 2000 个字，现有 2001 个字，请精简。"""
    return _("%(field)s may have at most %(max)d characters; it has %(count)d. Please shorten it.") % {
        "field": label,
        "max": limit,
        "count": count,
    }


# The free-text fields a bulletin's author fills, with their limits (title and body have their
# own messages, below); the contact fields are bounded by their form fields and varchar columns.
TEXT_LIMITS = {
    "place": (PLACE_MAX_LENGTH, _("The place")),
    "source": (SOURCE_MAX_LENGTH, _("The source and verification")),
    "contact_name": (CONTACT_NAME_MAX_LENGTH, _("The contact person")),
    "contact_phone": (CONTACT_PHONE_MAX_LENGTH, _("The contact phone")),
}

# Mainland mobile (13800000000) or landline with area code and optional extension
# (0571-87654321, 010-12345678-123).
PHONE_RE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8}(?:-\d{1,6})?)$")

REQUIRED_FIELDS = {
    "title": _("Please enter a title."),
    "body": _("Please enter the body text."),
    "category": _("Please choose a category."),
    "contact_name": _("Please enter a contact person."),
    "contact_phone": _("Please enter a contact phone number."),
}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def bulletin_field_errors(fields: dict, *, now=None) -> dict:
    """Every rule broken by `fields` (title, body, category, occurred_at, contact…): {field: [message]}."""
    now = now or timezone.now()
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for field, message in REQUIRED_FIELDS.items():
        if _blank(fields.get(field)):
            add(field, message)

    title = fields.get("title") or ""
    if len(title) > TITLE_MAX_LENGTH:
        add(
            "title",
            _("The title may have at most %(max)d characters; it has %(count)d.")
            % {"max": TITLE_MAX_LENGTH, "count": len(title)},
        )
    body = fields.get("body") or ""
    if len(body) > BODY_MAX_LENGTH:
        add(
            "body",
            _("The body may have at most %(max)d characters; it has %(count)d. Please shorten it.")
            % {"max": BODY_MAX_LENGTH, "count": len(body)},
        )

    for field, (limit, label) in TEXT_LIMITS.items():
        value = fields.get(field) or ""
        if len(value) > limit:
            add(field, too_long_message(label, limit=limit, count=len(value)))

    category = fields.get("category")
    occurred_at = fields.get("occurred_at")
    if occurred_at is not None and not moment_in_range(occurred_at):
        add(
            "occurred_at",
            _("The time it happened must lie between %(first)s and now.") % {"first": f"{EARLIEST_DATE:%Y-%m-%d}"},
        )
    elif occurred_at is None:
        if category is not None and category.deadline_minutes is not None:
            add(
                "occurred_at",
                _("A %(category)s report must say when it happened (its deadline of %(deadline)s counts from then).")
                % {"category": category.name, "deadline": category.deadline_text},
            )
    elif occurred_at > now:
        add("occurred_at", _("The time it happened cannot be in the future."))

    phone = (fields.get("contact_phone") or "").strip()
    if phone and not PHONE_RE.match(phone):
        add(
            "contact_phone",
            _(
                "Please enter a mobile number such as 13812345678 "
                "or a landline such as 0571-87654321 or 010-12345678-123."
            ),
        )
    return errors


def frozen_text_errors(bulletin) -> list[str]:
    """What keeps a working copy from being frozen as it is: a text over its limit, written before
    the limit existed (a version is checked by the database as it is inserted)."""
    errors = bulletin_field_errors(
        {
            "title": bulletin.working_title,
            "body": bulletin.working_body,
            "place": bulletin.place,
            "source": bulletin.source,
            "contact_name": bulletin.contact_name,
            "contact_phone": bulletin.contact_phone,
            "occurred_at": bulletin.occurred_at,
            "category": None,
        },
        now=END_MOMENT,  # only the bounds here: whether the time is in the future was checked on saving
    )
    errors.pop("category", None)
    return [str(message) for messages in errors.values() for message in messages]


def validate_bulletin_fields(fields: dict, *, now=None) -> None:
    """Raise a ValidationError keyed by field when `fields` break any rule."""
    errors = bulletin_field_errors(fields, now=now)
    if errors:
        raise ValidationError(errors)
