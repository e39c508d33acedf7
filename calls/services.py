"""Calls for submissions: one function per state change, each in its transaction, with its history.

A call opens one obligation per target unit in the deadline mechanism (kind "call"): reminders
at CALL_REMINDER_OFFSETS_MINUTES around the deadline and an escalation CALL_ESCALATION_AFTER_MINUTES
after it, each fired once by the one scan (deadlines.services.deadlines_scan) and turned into
notices by call_stages_fired. An answer that arrives at the caller meets its unit's obligation.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accounts.models import OrgUnit, User
from bulletins.attachments import check_uploads
from bulletins.services import bulletin_create
from calls.models import (
    MAX_ITEMS_PER_UNIT,
    POINT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REQUIREMENTS_MAX_LENGTH,
    THEME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Call,
    CallAction,
    CallAnswer,
    CallAttachment,
    CallEvent,
    CallState,
    CallTarget,
    PointList,
    PointTag,
    ReportingPoint,
    TargetMode,
    TargetState,
)
from calls.permissions import can_issue
from deadlines.models import ObligationState
from deadlines.services import FiredStage, StageSpec, obligations_arm, obligations_close
from notifications.services import Notice, notification_send_many

OBLIGATION_KIND = "call"
STAGE_ESCALATE = "escalate"
NOTICE_KIND_NEW = "call_new"
NOTICE_KIND_REMINDER = "call_reminder"
NOTICE_KIND_ESCALATION = "call_escalation"
NOTICE_KIND_SUMMARY = "call_summary"
NOTICE_KIND_MANUAL = "call_remind"


class CallError(Exception):
    """A call action refused, with a message for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def reminder_stage_name(offset_minutes: int) -> str:
    return f"remind{offset_minutes:+d}"


def call_url(call_id: int) -> str:
    return reverse("calls:detail", args=[call_id])


def _stages(deadline_at: datetime) -> list[StageSpec]:
    """Reminders at the configured offsets (skipped when already past), then the escalation."""
    offsets = sorted(set(settings.CALL_REMINDER_OFFSETS_MINUTES))
    stages = [StageSpec(reminder_stage_name(m), deadline_at + timedelta(minutes=m)) for m in offsets]
    escalation = deadline_at + timedelta(minutes=settings.CALL_ESCALATION_AFTER_MINUTES)
    stages.append(StageSpec(STAGE_ESCALATE, escalation))
    return stages


def _check_text(errors: dict, field: str, value: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > limit:
        errors.setdefault(field, []).append(
            _("At most %(limit)d characters (now %(count)d).") % {"limit": limit, "count": len(value)}
        )
    return value


def _check_deadline(errors: dict, deadline_at: datetime | None, *, now: datetime) -> None:
    if deadline_at is None:
        errors.setdefault("deadline_at", []).append(_("Give the deadline."))
    elif deadline_at <= now:
        errors.setdefault("deadline_at", []).append(_("The deadline must lie in the future."))
    elif deadline_at > now + timedelta(days=366):
        errors.setdefault("deadline_at", []).append(_("The deadline must lie within a year."))


def call_target_units(*, issuer: OrgUnit, mode: str, chosen_ids: Iterable[int] = ()) -> list[int]:
    """The ids of the units a call addresses: all below the issuer, one level below, or a chosen set
    (only units strictly below the issuer count)."""
    below = OrgUnit.objects.filter(path__startswith=issuer.path).exclude(pk=issuer.pk)
    if mode == TargetMode.ALL_BELOW:
        units = below
    elif mode == TargetMode.ONE_LEVEL:
        units = below.filter(parent_id=issuer.pk)
    elif mode == TargetMode.CHOSEN:
        units = below.filter(pk__in=list(chosen_ids))
    else:
        raise ValidationError({"target_mode": _("Choose which units the call is addressed to.")})
    return list(units.order_by("path").values_list("pk", flat=True))


def call_issue(
    *,
    actor: User,
    title: str,
    theme: str,
    requirements: str = "",
    deadline_at: datetime,
    target_mode: str,
    chosen_unit_ids: Iterable[int] = (),
    items_per_unit: int | None = None,
    files: Sequence = (),
) -> Call:
    """Issue a call to the units below: targets, obligations with their reminders, a notice to each target."""
    if not can_issue(actor):
        raise CallError(_("Only the reviewers and office head of a city, province or central unit issue calls."))
    now = timezone.now()
    errors: dict = {}
    title = _check_text(errors, "title", title, TITLE_MAX_LENGTH)
    theme = _check_text(errors, "theme", theme, THEME_MAX_LENGTH)
    requirements = _check_text(errors, "requirements", requirements, REQUIREMENTS_MAX_LENGTH, required=False)
    _check_deadline(errors, deadline_at, now=now)
    if items_per_unit is not None and not 1 <= items_per_unit <= MAX_ITEMS_PER_UNIT:
        errors.setdefault("items_per_unit", []).append(_("Between 1 and %(max)d items.") % {"max": MAX_ITEMS_PER_UNIT})
    files = list(files or [])
    try:
        check_uploads(files)
    except ValidationError as error:
        errors.setdefault("files", []).extend(error.messages)
    unit_ids = []
    if target_mode not in TargetMode.values:
        errors.setdefault("target_mode", []).append(_("Choose which units the call is addressed to."))
    else:
        unit_ids = call_target_units(issuer=actor.unit, mode=target_mode, chosen_ids=chosen_unit_ids)
        if not unit_ids:
            errors.setdefault("chosen_units", []).append(_("Choose at least one unit below yours."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        call = Call.objects.create(
            issuer_unit=actor.unit,
            issued_by=actor,
            title=title,
            theme=theme,
            requirements=requirements,
            deadline_at=deadline_at,
            target_mode=target_mode,
            items_per_unit=items_per_unit,
            issued_at=now,
            target_count=len(unit_ids),
        )
        CallTarget.objects.bulk_create([CallTarget(call=call, unit_id=unit_id) for unit_id in unit_ids])
        for upload in files:
            attachment = CallAttachment(call=call, original_name=upload.name[:200], size=upload.size)
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
        CallEvent.objects.create(call=call, action=CallAction.ISSUE, actor=actor, at=now, new_deadline_at=deadline_at)
        obligations_arm(
            kind=OBLIGATION_KIND,
            subject_id=call.pk,
            unit_ids=unit_ids,
            label=title,
            url=call_url(call.pk),
            due_at=deadline_at,
            stages=_stages(deadline_at),
            now=now,
        )
        _notify_units(call=call, unit_ids=unit_ids, kind=NOTICE_KIND_NEW, key=f"call-new-{call.pk}")
    return call


def _locked_open(call_id: int) -> Call:
    call = Call.objects.select_for_update().get(pk=call_id)
    if call.state != CallState.OPEN:
        raise CallError(_("This call is closed."))
    return call


def _check_issuer(actor, call) -> None:
    if not (can_issue(actor) and call.issuer_unit_id == actor.unit_id):
        raise CallError(_("Only the issuing unit's reviewers and office head may change a call."))


def call_extend(*, actor: User, call: Call, deadline_at: datetime, reason: str) -> Call:
    """Move the deadline (recorded with the reason); the units not answered yet are reminded anew."""
    now = timezone.now()
    errors: dict = {}
    reason = _check_text(errors, "reason", reason, REASON_MAX_LENGTH)
    _check_deadline(errors, deadline_at, now=now)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked_open(call.pk)
        _check_issuer(actor, fresh)
        if deadline_at == fresh.deadline_at:
            raise ValidationError({"deadline_at": [_("That is the deadline already.")]})
        CallEvent.objects.create(
            call=fresh,
            action=CallAction.EXTEND,
            actor=actor,
            at=now,
            old_deadline_at=fresh.deadline_at,
            new_deadline_at=deadline_at,
            reason=reason,
        )
        fresh.deadline_at = deadline_at
        fresh.save(update_fields=["deadline_at"])
        waiting = list(
            CallTarget.objects.filter(call=fresh, state=TargetState.NOT_ANSWERED).values_list("unit_id", flat=True)
        )
        obligations_arm(
            kind=OBLIGATION_KIND,
            subject_id=fresh.pk,
            unit_ids=waiting,
            label=fresh.title,
            url=call_url(fresh.pk),
            due_at=deadline_at,
            stages=_stages(deadline_at),
            now=now,
        )
    return fresh


def call_close(*, actor: User, call: Call, reason: str) -> Call:
    """Close the call early (recorded): no more answers are routed to it, its reminders are cancelled."""
    now = timezone.now()
    errors: dict = {}
    reason = _check_text(errors, "reason", reason, REASON_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked_open(call.pk)
        _check_issuer(actor, fresh)
        fresh.state = CallState.CLOSED
        fresh.closed_at = now
        fresh.save(update_fields=["state", "closed_at"])
        CallEvent.objects.create(call=fresh, action=CallAction.CLOSE, actor=actor, at=now, reason=reason)
        obligations_close(
            kind=OBLIGATION_KIND, subject_id=fresh.pk, state=ObligationState.CANCELLED, reason="call closed", now=now
        )
    return fresh


def call_remind(*, actor: User, call: Call, unit_id: int) -> CallEvent:
    """催报: remind one unit that has not answered (logged; at most once a day per unit)."""
    now = timezone.now()
    with transaction.atomic():
        fresh = _locked_open(call.pk)
        _check_issuer(actor, fresh)
        target = CallTarget.objects.select_for_update().filter(call=fresh, unit_id=unit_id).first()
        if target is None:
            raise CallError(_("That unit is not addressed by this call."))
        if target.state != TargetState.NOT_ANSWERED:
            raise CallError(_("That unit has answered already."))
        try:
            with transaction.atomic():
                event = CallEvent.objects.create(
                    call=fresh,
                    action=CallAction.REMIND,
                    actor=actor,
                    at=now,
                    unit_id=unit_id,
                    reminded_on=timezone.localdate(now),
                )
        except IntegrityError:
            raise CallError(_("This unit was already reminded today; remind it again tomorrow.")) from None
        target.last_reminded_at = now
        target.save(update_fields=["last_reminded_at"])
        _notify_units(
            call=fresh, unit_ids=[unit_id], kind=NOTICE_KIND_MANUAL, key=f"call-remind-{fresh.pk}-{event.reminded_on}"
        )
    return event


def call_answer_create(*, actor: User, call: Call, files=None, **fields) -> CallAnswer:
    """An information officer of a target unit files a draft in answer to an open call."""
    with transaction.atomic():
        fresh = Call.objects.select_for_update().get(pk=call.pk)
        target = CallTarget.objects.filter(call=fresh, unit_id=actor.unit_id).first()
        if target is None:
            raise CallError(_("This call is not addressed to your unit."))
        if fresh.state != CallState.OPEN:
            raise CallError(_("This call is closed."))
        bulletin = bulletin_create(actor=actor, files=files, **fields)
        return CallAnswer.objects.create(bulletin=bulletin, call=fresh, target=target)


# --- what review's events and the deadline scan tell calls -----------------------------------


def call_sign_off_target(bulletin) -> int | None:
    """Registered with review.routing: an answer to an open call goes straight to the caller."""
    answer = CallAnswer.objects.filter(bulletin_id=bulletin.pk, call__state=CallState.OPEN).values_list(
        "call__issuer_unit_id", flat=True
    )
    return answer.first()


def call_record_arrival(*, bulletin_id: int, unit_id: int, at: datetime) -> bool:
    """A bulletin arrived at `unit_id` at `at`: when it answers that unit's call, its target has answered."""
    with transaction.atomic():
        answer = (
            CallAnswer.objects.select_for_update()
            .select_related("call", "target")
            .filter(bulletin_id=bulletin_id, arrived_at__isnull=True, call__issuer_unit_id=unit_id)
            .first()
        )
        if answer is None:
            return False
        answer.arrived_at = at
        answer.save(update_fields=["arrived_at"])
        target = CallTarget.objects.select_for_update().get(pk=answer.target_id)
        target.answers_arrived += 1
        fields = ["answers_arrived"]
        if target.state == TargetState.NOT_ANSWERED:
            target.state = TargetState.ANSWERED
            target.answered_at = at
            target.on_time = at <= answer.call.deadline_at
            fields += ["state", "answered_at", "on_time"]
        target.save(update_fields=fields)
        obligations_close(kind=OBLIGATION_KIND, subject_id=answer.call_id, unit_ids=[target.unit_id], now=at)
    return True


def call_record_adoption(*, bulletin_id: int, unit_id: int, at: datetime) -> bool:
    """The caller adopted an answer: its unit's state becomes 已采用."""
    with transaction.atomic():
        answer = (
            CallAnswer.objects.select_for_update()
            .filter(bulletin_id=bulletin_id, adopted_at__isnull=True, call__issuer_unit_id=unit_id)
            .first()
        )
        if answer is None:
            return False
        answer.adopted_at = at
        answer.save(update_fields=["adopted_at"])
        CallTarget.objects.filter(pk=answer.target_id).update(
            answers_adopted=F("answers_adopted") + 1, state=TargetState.ADOPTED
        )
    return True


@dataclass(frozen=True)
class RemindersSent:
    reminded: int
    escalated: int
    summaries: int


def call_stages_fired(*, fired: Sequence[FiredStage], now: datetime) -> RemindersSent:
    """The scan fired call stages: remind the units not answered, escalate to their heads, sum up
    for the issuer. Three queries whatever the number of units: the calls, the recipients, the notices."""
    call_ids = {stage.subject_id for stage in fired}
    calls = {
        row["pk"]: row
        for row in Call.objects.filter(pk__in=call_ids, state=CallState.OPEN).values(
            "pk", "title", "deadline_at", "issuer_unit_id", "issuer_unit__name"
        )
    }
    fired = [stage for stage in fired if stage.subject_id in calls]
    units = {stage.unit_id for stage in fired}
    issuers = {calls[stage.subject_id]["issuer_unit_id"] for stage in fired if stage.stage == STAGE_ESCALATE}
    officers, heads, issuer_staff = {}, {}, {}
    users = User.objects.filter(is_active=True).filter(
        (Q(unit_id__in=units) & (Q(is_officer=True) | Q(is_office_head=True)))
        | (Q(unit_id__in=issuers) & (Q(is_reviewer=True) | Q(is_office_head=True)))
    )
    for pk, unit_id, is_officer, is_head, is_reviewer in users.values_list(
        "pk", "unit_id", "is_officer", "is_office_head", "is_reviewer"
    ):
        if unit_id in units:
            if is_officer:
                officers.setdefault(unit_id, []).append(pk)
            if is_head:
                heads.setdefault(unit_id, []).append(pk)
        if unit_id in issuers and (is_head or is_reviewer):
            issuer_staff.setdefault(unit_id, []).append(pk)
    notices, late_per_call = [], {}
    reminded = escalated = 0
    # The texts are the same for every unit of a call: written once per call and kind of stage.
    texts: dict[tuple[int, bool], tuple[str, str]] = {}
    urls: dict[int, str] = {}

    def texts_for(call_id: int, escalation: bool) -> tuple[str, str]:
        if (call_id, escalation) not in texts:
            call = calls[call_id]
            names = {
                "title": call["title"],
                "issuer": call["issuer_unit__name"],
                "deadline": date_format(timezone.localtime(call["deadline_at"]), "Y-m-d H:i"),
            }
            if escalation:
                title = _("Call not answered: %(title)s") % names
                body = (
                    _(
                        "%(issuer)s asked your unit for bulletins on “%(title)s” by %(deadline)s; "
                        "none has arrived. Please see that your unit answers."
                    )
                    % names
                )
            else:
                if call["deadline_at"] > now:
                    title = _("Reminder: call “%(title)s” due %(deadline)s") % names
                else:
                    title = _("Reminder: call “%(title)s” is due now") % names
                body = (
                    _(
                        "%(issuer)s asks your unit for bulletins on “%(title)s” by %(deadline)s. "
                        "Your unit has not answered yet: file a bulletin in answer to the call."
                    )
                    % names
                )
            texts[(call_id, escalation)] = (title[:200], body)
        return texts[(call_id, escalation)]

    with translation.override(settings.LANGUAGE_CODE):
        for stage in fired:
            escalation = stage.stage == STAGE_ESCALATE
            if escalation:
                escalated += 1
                late_per_call[stage.subject_id] = late_per_call.get(stage.subject_id, 0) + 1
                recipients = heads.get(stage.unit_id, [])
                kind = NOTICE_KIND_ESCALATION
            else:
                reminded += 1
                recipients = officers.get(stage.unit_id, []) + heads.get(stage.unit_id, [])
                kind = NOTICE_KIND_REMINDER
            title, body = texts_for(stage.subject_id, escalation)
            if stage.subject_id not in urls:
                urls[stage.subject_id] = call_url(stage.subject_id)
            notices.append(
                Notice(
                    recipient_ids=tuple(recipients),
                    kind=kind,
                    title=title,
                    body=body,
                    url=urls[stage.subject_id],
                    dedupe_key=f"call-{stage.stage}-{stage.subject_id}-{stage.unit_id}-{int(stage.due_at.timestamp())}",
                )
            )
        for call_id, count in late_per_call.items():
            call = calls[call_id]
            names = {"title": call["title"], "count": count}
            notices.append(
                Notice(
                    recipient_ids=tuple(issuer_staff.get(call["issuer_unit_id"], [])),
                    kind=NOTICE_KIND_SUMMARY,
                    title=(_("Call “%(title)s”: %(count)d units have not answered") % names)[:200],
                    body=_(
                        "The deadline of the call “%(title)s” has passed and %(count)d units addressed have not "
                        "answered; their office heads were told. The progress page lists them."
                    )
                    % names,
                    url=reverse("calls:progress", args=[call_id]),
                    dedupe_key=f"call-summary-{call_id}-{int(call['deadline_at'].timestamp())}",
                )
            )
    notification_send_many(notices=notices)
    return RemindersSent(reminded=reminded, escalated=escalated, summaries=len(late_per_call))


def _notify_units(*, call: Call, unit_ids: Sequence[int], kind: str, key: str) -> None:
    """Tell the information officers and office heads of the units (one query, one INSERT)."""
    recipients: dict[int, list[int]] = {}
    users = User.objects.filter(is_active=True, unit_id__in=list(unit_ids)).filter(
        Q(is_officer=True) | Q(is_office_head=True)
    )
    for pk, unit_id in users.values_list("pk", "unit_id"):
        recipients.setdefault(unit_id, []).append(pk)
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            "title": call.title,
            "issuer": call.issuer_unit.name,
            "deadline": date_format(timezone.localtime(call.deadline_at), "Y-m-d H:i"),
        }
        if kind == NOTICE_KIND_NEW:
            title = _("New call for submissions: %(title)s") % names
            body = _("%(issuer)s asks your unit for bulletins on “%(title)s” by %(deadline)s.") % names
        else:
            title = _("Reminder (催报): %(title)s") % names
            body = _("%(issuer)s reminds your unit to answer the call “%(title)s” (deadline %(deadline)s).") % names
    url = call_url(call.pk)
    notices = [
        Notice(
            recipient_ids=tuple(users_of_unit),
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            dedupe_key=f"{key}-{unit_id}",
        )
        for unit_id, users_of_unit in recipients.items()
    ]
    notification_send_many(notices=notices)


# --- reporting points (报送要点) ----------------------------------------------------------------


def points_publish(*, actor: User, title: str, period_start, period_end, themes: Sequence[str]) -> PointList:
    """A unit publishes its reporting points for a period (one theme per line)."""
    if not (actor.unit_id and (actor.is_reviewer or actor.is_office_head) and actor.unit.level <= 2):
        raise CallError(_("Only the reviewers and office head of a city, province or central unit publish points."))
    errors: dict = {}
    title = _check_text(errors, "title", title, TITLE_MAX_LENGTH)
    cleaned = [t.strip() for t in themes if t and t.strip()]
    if not cleaned:
        errors.setdefault("themes", []).append(_("Give at least one theme."))
    if len(cleaned) > 50:
        errors.setdefault("themes", []).append(_("At most 50 themes."))
    for theme in cleaned:
        if len(theme) > POINT_MAX_LENGTH:
            errors.setdefault("themes", []).append(
                _("A theme has at most %(limit)d characters.") % {"limit": POINT_MAX_LENGTH}
            )
            break
    if period_start is None or period_end is None or period_end < period_start:
        errors.setdefault("period_end", []).append(_("The period ends on or after its first day."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        points = PointList.objects.create(
            unit=actor.unit, title=title, period_start=period_start, period_end=period_end, published_by=actor
        )
        ReportingPoint.objects.bulk_create(
            [ReportingPoint(points=points, number=n, theme=theme) for n, theme in enumerate(cleaned, start=1)]
        )
    return points


def point_tag(*, actor: User, bulletin, point: ReportingPoint) -> PointTag:
    """An information officer tags a bulletin of the unit with a reporting point of a unit above it."""
    if not (actor.is_officer and actor.unit_id == bulletin.filing_unit_id):
        raise CallError(_("Only the filing unit's information officers tag its bulletins."))
    publisher = point.points.unit
    unit = bulletin.filing_unit
    if publisher.pk == unit.pk or not unit.path.startswith(publisher.path):
        raise CallError(_("Tag with the points of a unit above yours."))
    with transaction.atomic():
        tag, _created = PointTag.objects.get_or_create(
            bulletin=bulletin, point=point, defaults={"tagged_by": actor, "tagged_at": timezone.now()}
        )
    return tag


def point_untag(*, actor: User, bulletin, point_id: int) -> int:
    if not (actor.is_officer and actor.unit_id == bulletin.filing_unit_id):
        raise CallError(_("Only the filing unit's information officers tag its bulletins."))
    with transaction.atomic():
        return PointTag.objects.filter(bulletin=bulletin, point_id=point_id).delete()[0]
