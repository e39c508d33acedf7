"""Calls for submissions (约稿), their targets and answers, reminders (催报), reporting points (报送要点)."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletins.validation import EARLIEST_MOMENT, END_MOMENT

TITLE_MAX_LENGTH = 100
THEME_MAX_LENGTH = 200
REQUIREMENTS_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 500
POINT_MAX_LENGTH = 200
MAX_ITEMS_PER_UNIT = 50


def _at_most(field: str, limit: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def _in_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": EARLIEST_MOMENT, f"{field}__lt": END_MOMENT}), name=name
    )


class CallState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class TargetMode(models.TextChoices):
    ALL_BELOW = "all_below", _("All units below")
    ONE_LEVEL = "one_level", _("The units one level below")
    CHOSEN = "chosen", _("Chosen units")


class Call(models.Model):
    """A call for submissions (约稿通知单): a theme, requirements and a deadline, addressed to units below."""

    issuer_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    theme = models.CharField(_("theme"), max_length=THEME_MAX_LENGTH)
    requirements = models.TextField(_("requirements"), max_length=REQUIREMENTS_MAX_LENGTH, blank=True)
    deadline_at = models.DateTimeField(_("deadline"))
    target_mode = models.CharField(_("addressed to"), max_length=10, choices=TargetMode.choices)
    items_per_unit = models.PositiveSmallIntegerField(_("items asked of each unit"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices, default=CallState.OPEN)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    target_count = models.PositiveIntegerField(_("units addressed"), default=0)

    class Meta:
        verbose_name = _("call for submissions")
        verbose_name_plural = _("calls for submissions")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            _at_most("title", TITLE_MAX_LENGTH, "call_title_length"),
            _at_most("theme", THEME_MAX_LENGTH, "call_theme_length"),
            _at_most("requirements", REQUIREMENTS_MAX_LENGTH, "call_requirements_length"),
            _in_range("deadline_at", "call_deadline_range"),
            models.CheckConstraint(
                condition=Q(items_per_unit__isnull=True)
                | Q(items_per_unit__gte=1, items_per_unit__lte=MAX_ITEMS_PER_UNIT),
                name="call_items_per_unit_range",
            ),
            models.CheckConstraint(
                condition=Q(state=CallState.OPEN, closed_at__isnull=True)
                | Q(state=CallState.CLOSED, closed_at__isnull=False),
                name="call_closed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["issuer_unit", "-issued_at"], name="call_by_issuer")]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == CallState.OPEN


def call_attachment_path(instance, filename: str) -> str:
    return f"calls/{instance.call_id}/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()[:10]}"


class CallAttachment(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=call_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("call attachment")
        verbose_name_plural = _("call attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class TargetState(models.TextChoices):
    NOT_ANSWERED = "none", _("Not answered")
    ANSWERED = "answered", _("Answered")
    ADOPTED = "adopted", _("Adopted")


class CallTarget(models.Model):
    """One unit a call is addressed to, and how it answered (kept by calls.services from review's events)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("accounts.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=TargetState.choices, default=TargetState.NOT_ANSWERED)
    # The first answer that arrived at the caller; on time when by the deadline in force then.
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True)
    answers_arrived = models.PositiveIntegerField(_("answers arrived"), default=0)
    answers_adopted = models.PositiveIntegerField(_("answers adopted"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit addressed")
        verbose_name_plural = _("units addressed")
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["call", "unit"], name="call_target_once"),
            models.CheckConstraint(
                condition=Q(state=TargetState.NOT_ANSWERED, answered_at__isnull=True)
                | (~Q(state=TargetState.NOT_ANSWERED) & Q(answered_at__isnull=False)),
                name="call_target_answered_has_time",
            ),
        ]
        indexes = [models.Index(fields=["unit", "call"], name="call_target_by_unit")]

    def __str__(self):
        return f"{self.call_id} → {self.unit_id}"


class CallAnswer(models.Model):
    """A bulletin filed in answer to a call; after its unit's sign-off it goes straight to the caller."""

    bulletin = models.OneToOneField(
        "bulletins.Bulletin", on_delete=models.CASCADE, related_name="call_answer", primary_key=True
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="answers")
    target = models.ForeignKey(CallTarget, on_delete=models.PROTECT, related_name="answers")
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    arrived_at = models.DateTimeField(_("arrived at the caller"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("adopted by the caller"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to a call")
        verbose_name_plural = _("answers to calls")

    def __str__(self):
        return f"{self.bulletin_id} → {self.call_id}"


class CallAction(models.TextChoices):
    ISSUE = "issue", _("Issued")
    EXTEND = "extend", _("Deadline extended")
    CLOSE = "close", _("Closed early")
    REMIND = "remind", _("Reminded (催报)")


class CallEvent(models.Model):
    """The call's append-only history: who did what, when and why."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=CallAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    unit = models.ForeignKey(
        "accounts.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the unit reminded
    # 催报: at most once a day per unit (the Shanghai date of the reminder).
    reminded_on = models.DateField(null=True, blank=True)
    old_deadline_at = models.DateTimeField(null=True, blank=True)
    new_deadline_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("call history")
        verbose_name_plural = _("call history")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "unit", "reminded_on"],
                condition=Q(action="remind"),
                name="call_reminder_once_a_day",
            ),
            models.CheckConstraint(
                condition=~Q(action="remind") | Q(unit__isnull=False, reminded_on__isnull=False),
                name="call_reminder_names_unit",
            ),
        ]

    def __str__(self):
        return f"{self.call_id} {self.action}"


class PointList(models.Model):
    """A unit's reporting points (报送要点) for a period: the themes it wants reported."""

    unit = models.ForeignKey("accounts.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("reporting points")
        verbose_name_plural = _("reporting points")
        ordering = ["-period_start", "-pk"]
        constraints = [
            _at_most("title", TITLE_MAX_LENGTH, "point_list_title_length"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="point_list_period_order"),
            models.CheckConstraint(
                condition=Q(period_start__gte="2000-01-01", period_end__lt="2100-01-01"), name="point_list_period_range"
            ),
        ]

    def __str__(self):
        return self.title


class ReportingPoint(models.Model):
    points = models.ForeignKey(PointList, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    theme = models.CharField(_("theme"), max_length=POINT_MAX_LENGTH)

    class Meta:
        verbose_name = _("reporting point")
        verbose_name_plural = _("reporting points")
        ordering = ["points", "number"]
        constraints = [
            models.UniqueConstraint(fields=["points", "number"], name="reporting_point_number_once"),
            _at_most("theme", POINT_MAX_LENGTH, "reporting_point_theme_length"),
        ]

    def __str__(self):
        return f"{self.number}. {self.theme}"


class PointTag(models.Model):
    """A bulletin tagged by its unit with a reporting point of a unit above it."""

    bulletin = models.ForeignKey("bulletins.Bulletin", on_delete=models.CASCADE, related_name="point_tags")
    point = models.ForeignKey(ReportingPoint, on_delete=models.PROTECT, related_name="tags")
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reporting point tag")
        verbose_name_plural = _("reporting point tags")
        constraints = [models.UniqueConstraint(fields=["bulletin", "point"], name="point_tag_once")]
        indexes = [models.Index(fields=["point"], name="point_tag_by_point")]

    def __str__(self):
        return f"{self.bulletin_id} ~ {self.point_id}"
