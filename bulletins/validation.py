"""The rules a bulletin's fields must satisfy: defined once, applied by the form and the service."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 100
BODY_MAX_LENGTH = 5000
BODY_GUIDANCE_LENGTH = 1500  # a typical bulletin is 300–1,500 characters (shown beside the counter)

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

    category = fields.get("category")
    occurred_at = fields.get("occurred_at")
    if occurred_at is None:
        if category is not None and category.deadline_hours is not None:
            add(
                "occurred_at",
                _("A %(category)s report must say when it happened (its %(hours)d-hour deadline counts from then).")
                % {"category": category.name, "hours": category.deadline_hours},
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


def validate_bulletin_fields(fields: dict, *, now=None) -> None:
    """Raise a ValidationError keyed by field when `fields` break any rule."""
    errors = bulletin_field_errors(fields, now=now)
    if errors:
        raise ValidationError(errors)
