"""The route of a bulletin: one function per transition.

Every function is keyword-only, takes the acting user, runs in one transaction, locks the
bulletin's row, re-checks state and permission under the lock (with the same
`permissions.available_actions` that draws the buttons), writes one append-only ReviewEvent and
announces it (review/events.py) to the apps built on the route, which follow after the commit.
Notifications are written in the same transaction; their e-mail copies leave after commit
(notifications.services.notification_send), so a mail server that is down never undoes a decision.

Concurrency: the caller passes the bulletin as it saw it. If the locked row no longer matches
(someone else decided first), InvalidTransition carries that decision.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from bulletins.exceptions import NotPermitted
from bulletins.models import Bulletin, BulletinStatus
from bulletins.services import bulletin_freeze_version, bulletin_lock
from bulletins.validation import (
    COMMENT_MAX_LENGTH,
    LEADER_MAX_LENGTH,
    date_in_range,
    date_range_message,
    too_long_message,
)
from notifications.services import notification_resolve, notification_send
from review.events import route_events
from review.exceptions import InvalidTransition
from review.models import (
    Adoption,
    AdoptionKind,
    DeclineReason,
    LeaderInstruction,
    QueueEntry,
    QueueState,
    ReturnReason,
    ReviewAction,
    ReviewEvent,
)
from review.permissions import FILING_ACTIONS, available_actions, can_add_instruction
from review.routing import routed_sign_off_target_id
from review.rules import check_ready_to_sign_off, check_ready_to_submit, sign_off_target_id

# The fields a transition may change on the bulletin row; copied back to the caller's instance.
_STATE_FIELDS = ("status", "current_unit_id", "version_count", "submitted_at", "signed_off_at", "reached_unit_ids")
# States in which each decision can be taken at all (whoever asks).
_ALLOWED_IN = {
    ReviewAction.SUBMIT: {BulletinStatus.DRAFT},
    ReviewAction.RESUBMIT: {BulletinStatus.RETURNED},
    ReviewAction.WITHDRAW: {BulletinStatus.SUBMITTED},
    ReviewAction.SIGN_OFF: {BulletinStatus.SUBMITTED},
    ReviewAction.ADOPT: {BulletinStatus.IN_REVIEW},
    ReviewAction.ADOPT_FORWARD: {BulletinStatus.IN_REVIEW},
    ReviewAction.FORWARD: {BulletinStatus.IN_REVIEW},
    ReviewAction.RETURN: {BulletinStatus.SUBMITTED, BulletinStatus.IN_REVIEW},
    ReviewAction.DECLINE: {BulletinStatus.IN_REVIEW},
}


# --- the transitions --------------------------------------------------------------------------


def _check_comment(comment: str) -> None:
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(too_long_message(_("The comment"), limit=COMMENT_MAX_LENGTH, count=len(comment)))


def bulletin_submit(*, actor: User, bulletin: Bulletin) -> ReviewEvent:
    """Submit a draft: freeze version n+1 and put it in the filing unit's own sign-off queue."""

    def change(fresh: Bulletin, now: datetime) -> _Route:
        check_ready_to_submit(fresh)
        bulletin_freeze_version(bulletin=fresh, actor=actor)
        fresh.status = BulletinStatus.SUBMITTED
        fresh.current_unit_id = fresh.filing_unit_id
        fields = ["status", "current_unit", "reached_unit_ids", "updated_at"]
        if fresh.submitted_at is None:
            fresh.submitted_at = now
            fields.append("submitted_at")
        _open_entry(bulletin=fresh, unit_id=fresh.filing_unit_id, at=now)
        fresh.save(update_fields=fields)
        return _Route(from_unit_id=fresh.filing_unit_id, to_unit_id=fresh.filing_unit_id)

    return _transition(
        actor=actor, bulletin=bulletin, action=ReviewAction.SUBMIT, change=change, notices=(_notify_arrival,)
    )


def bulletin_resubmit(*, actor: User, bulletin: Bulletin) -> ReviewEvent:
    """Resubmit a returned bulletin as version n+1: it waits for its own unit's sign-off again.

    Every item sent upward is signed off by its unit (审核签发); the sign-off then sends it
    straight to the level that returned it (review_sign_off, sign_off_target_id).
    """

    def change(fresh: Bulletin, now: datetime) -> _Route:
        check_ready_to_submit(fresh)
        bulletin_freeze_version(bulletin=fresh, actor=actor)
        fresh.status = BulletinStatus.SUBMITTED
        fresh.current_unit_id = fresh.filing_unit_id
        _open_entry(bulletin=fresh, unit_id=fresh.filing_unit_id, at=now)
        fresh.save(update_fields=["status", "current_unit", "reached_unit_ids", "updated_at"])
        return _Route(from_unit_id=fresh.filing_unit_id, to_unit_id=fresh.filing_unit_id)

    return _transition(
        actor=actor, bulletin=bulletin, action=ReviewAction.RESUBMIT, change=change, notices=(_notify_arrival,)
    )


def bulletin_withdraw(*, actor: User, bulletin: Bulletin) -> ReviewEvent:
    """Take a bulletin still awaiting its own unit's sign-off back to draft (its versions stay)."""

    def change(fresh: Bulletin, now: datetime) -> _Route:
        _close_entry(bulletin=fresh, actor=actor, action=ReviewAction.WITHDRAW, at=now, state=QueueState.WITHDRAWN)
        fresh.status = BulletinStatus.DRAFT
        fresh.current_unit_id = None
        fresh.save(update_fields=["status", "current_unit", "updated_at"])
        return _Route(from_unit_id=fresh.filing_unit_id, to_unit_id=None)

    return _transition(actor=actor, bulletin=bulletin, action=ReviewAction.WITHDRAW, change=change)


def review_sign_off(*, actor: User, bulletin: Bulletin) -> ReviewEvent:
    """Sign off (签发) at the filing unit: the bulletin leaves for the parent unit's queue, or, when
    it is a revision an upper unit asked for, straight back to that unit (not through the levels
    below it)."""

    def change(fresh: Bulletin, now: datetime) -> _Route:
        check_ready_to_sign_off(fresh)
        events = ReviewEvent.objects.filter(
            bulletin=fresh, action__in=(ReviewAction.RETURN, ReviewAction.SIGN_OFF)
        ).order_by("at", "pk")
        # A revision owed to the unit that returned it goes there; else where an app above routes
        # it (review/routing.py: an answer to a call goes to the caller); else to the parent.
        target_id = (
            sign_off_target_id(events, filing_unit_id=fresh.filing_unit_id)
            or routed_sign_off_target_id(fresh)
            or actor.unit.parent_id
        )
        _close_entry(bulletin=fresh, actor=actor, action=ReviewAction.SIGN_OFF, at=now)
        fresh.status = BulletinStatus.IN_REVIEW
        fresh.current_unit_id = target_id
        fields = ["status", "current_unit", "reached_unit_ids", "updated_at"]
        if fresh.signed_off_at is None:
            fresh.signed_off_at = now
            fields.append("signed_off_at")
        _open_entry(bulletin=fresh, unit_id=target_id, at=now)
        fresh.save(update_fields=fields)
        return _Route(from_unit_id=fresh.filing_unit_id, to_unit_id=target_id)

    return _transition(
        actor=actor, bulletin=bulletin, action=ReviewAction.SIGN_OFF, change=change, notices=(_notify_arrival,)
    )


def review_adopt(*, actor: User, bulletin: Bulletin, kind: str, forward: bool = False) -> ReviewEvent:
    """Adopt (采用) at the actor's unit; with forward=True also send it on to the parent unit."""
    if kind not in AdoptionKind.values:
        raise ValidationError(_("Choose how the bulletin is adopted."))
    action = ReviewAction.ADOPT_FORWARD if forward else ReviewAction.ADOPT

    def change(fresh: Bulletin, now: datetime) -> _Route:
        unit = actor.unit
        _close_entry(bulletin=fresh, actor=actor, action=action, at=now)
        Adoption.objects.create(
            bulletin=fresh, unit_id=unit.pk, level=unit.level, kind=kind, adopted_at=now, adopted_by=actor
        )
        if forward:
            fresh.status = BulletinStatus.IN_REVIEW
            fresh.current_unit_id = unit.parent_id
            _open_entry(bulletin=fresh, unit_id=unit.parent_id, at=now)
        else:
            fresh.status = BulletinStatus.ADOPTED
        fresh.save(update_fields=["status", "current_unit", "reached_unit_ids", "updated_at"])
        return _Route(from_unit_id=unit.pk, to_unit_id=unit.parent_id if forward else None, reason=kind)

    notices = (partial(_notify_author, kind="adopted"), *((_notify_arrival,) if forward else ()))
    return _transition(actor=actor, bulletin=bulletin, action=action, change=change, notices=notices)


def review_forward(*, actor: User, bulletin: Bulletin) -> ReviewEvent:
    """Forward (上报) to the parent unit's queue without adopting; impossible at central."""

    def change(fresh: Bulletin, now: datetime) -> _Route:
        unit = actor.unit
        _close_entry(bulletin=fresh, actor=actor, action=ReviewAction.FORWARD, at=now)
        fresh.current_unit_id = unit.parent_id
        _open_entry(bulletin=fresh, unit_id=unit.parent_id, at=now)
        fresh.save(update_fields=["current_unit", "reached_unit_ids", "updated_at"])
        return _Route(from_unit_id=unit.pk, to_unit_id=unit.parent_id)

    return _transition(
        actor=actor, bulletin=bulletin, action=ReviewAction.FORWARD, change=change, notices=(_notify_arrival,)
    )


def review_return(*, actor: User, bulletin: Bulletin, reason: str, comment: str) -> ReviewEvent:
    """Return (退回) to the filing unit for revision, with a reason and a required comment."""
    comment = (comment or "").strip()
    if reason not in ReturnReason.values:
        raise ValidationError(_("Choose the reason for returning the bulletin."))
    if not comment:
        raise ValidationError(_("Say what must be revised: a comment is required when returning a bulletin."))
    _check_comment(comment)

    def change(fresh: Bulletin, now: datetime) -> _Route:
        unit_id = actor.unit_id
        _close_entry(bulletin=fresh, actor=actor, action=ReviewAction.RETURN, at=now)
        fresh.status = BulletinStatus.RETURNED
        fresh.current_unit_id = fresh.filing_unit_id
        fresh.save(update_fields=["status", "current_unit", "updated_at"])
        return _Route(from_unit_id=unit_id, to_unit_id=fresh.filing_unit_id, reason=reason, comment=comment)

    return _transition(
        actor=actor,
        bulletin=bulletin,
        action=ReviewAction.RETURN,
        change=change,
        notices=(partial(_notify_author, kind="returned"),),
    )


def review_decline(*, actor: User, bulletin: Bulletin, reason: str, comment: str = "") -> ReviewEvent:
    """Decline (不采用) at the actor's unit: archived with a reason, nothing is deleted.

    A bulletin a lower unit already adopted stays "adopted" (that adoption still counts).
    """
    if reason not in DeclineReason.values:
        raise ValidationError(_("Choose the reason for declining the bulletin."))
    comment = (comment or "").strip()
    _check_comment(comment)

    def change(fresh: Bulletin, now: datetime) -> _Route:
        unit_id = actor.unit_id
        _close_entry(bulletin=fresh, actor=actor, action=ReviewAction.DECLINE, at=now)
        adopted_below = Adoption.objects.filter(bulletin=fresh).exists()
        fresh.status = BulletinStatus.ADOPTED if adopted_below else BulletinStatus.DECLINED
        fresh.save(update_fields=["status", "updated_at"])
        return _Route(from_unit_id=unit_id, to_unit_id=None, reason=reason, comment=comment)

    return _transition(
        actor=actor,
        bulletin=bulletin,
        action=ReviewAction.DECLINE,
        change=change,
        notices=(partial(_notify_author, kind="declined"),),
    )


def adoption_add_instruction(
    *, actor: User, adoption: Adoption, leader: str, text: str, instructed_on
) -> LeaderInstruction:
    """Record a leader's written instruction (领导批示) on a bulletin the actor's unit adopted."""
    leader, text = (leader or "").strip(), (text or "").strip()
    with transaction.atomic():
        if not leader or not text or instructed_on is None:
            raise ValidationError(_("Enter the leader, the instruction and its date."))
        if len(leader) > LEADER_MAX_LENGTH:
            raise ValidationError(too_long_message(_("The leader"), limit=LEADER_MAX_LENGTH, count=len(leader)))
        if len(text) > COMMENT_MAX_LENGTH:
            raise ValidationError(too_long_message(_("The instruction"), limit=COMMENT_MAX_LENGTH, count=len(text)))
        if not date_in_range(instructed_on):
            raise ValidationError(date_range_message())
        fresh = bulletin_lock(bulletin_id=adoption.bulletin_id)
        if not can_add_instruction(actor, adoption):
            raise NotPermitted(_("Only reviewers of the adopting unit can add a leader's instruction."))
        now = timezone.now()
        instruction = LeaderInstruction.objects.create(
            adoption=adoption, leader=leader, text=text, instructed_on=instructed_on, added_by=actor
        )
        event = _record(
            bulletin=fresh,
            action=ReviewAction.INSTRUCTION,
            actor=actor,
            from_unit_id=adoption.unit_id,
            to_unit_id=None,
            at=now,
            comment=f"{leader}（{instructed_on:%Y-%m-%d}）：{text}",
        )
        _notify_author(event=event, kind="instruction")
        return instruction


# Decision name → service, for the decision form and the demo.
def review_decide(*, actor: User, bulletin: Bulletin, action: str, **data) -> ReviewEvent:
    """Dispatch one decision taken on the decision form to its service."""
    if action == ReviewAction.SIGN_OFF:
        return review_sign_off(actor=actor, bulletin=bulletin)
    if action in (ReviewAction.ADOPT, ReviewAction.ADOPT_FORWARD):
        return review_adopt(
            actor=actor, bulletin=bulletin, kind=data.get("kind", ""), forward=action == ReviewAction.ADOPT_FORWARD
        )
    if action == ReviewAction.FORWARD:
        return review_forward(actor=actor, bulletin=bulletin)
    if action == ReviewAction.RETURN:
        return review_return(
            actor=actor, bulletin=bulletin, reason=data.get("reason", ""), comment=data.get("comment", "")
        )
    if action == ReviewAction.DECLINE:
        return review_decline(
            actor=actor, bulletin=bulletin, reason=data.get("reason", ""), comment=data.get("comment", "")
        )
    raise NotPermitted(_("Unknown decision."))


# --- the skeleton of a transition ---------------------------------------------------------------


@dataclass(frozen=True)
class _Route:
    """What a transition's change tells its ReviewEvent: from where to where, and why."""

    from_unit_id: int
    to_unit_id: int | None
    reason: str = ""
    comment: str = ""


def _transition(
    *,
    actor: User,
    bulletin: Bulletin,
    action: ReviewAction,
    change: Callable[[Bulletin, datetime], _Route],
    notices: tuple[Callable[..., None], ...] = (),
) -> ReviewEvent:
    """Every transition, in one transaction: lock the row and re-check it, make the change, record
    the event (which announces it), send the notices, and bring the caller's copy up to date.

    The transaction is opened here rather than by a decorator on each transition, so that mutation
    testing (which skips decorated functions) reaches the transitions' own code.
    """
    with transaction.atomic():
        fresh = _lock_and_check(actor=actor, bulletin=bulletin, action=action)
        now = timezone.now()
        route = change(fresh, now)
        event = _record(
            bulletin=fresh,
            action=action,
            actor=actor,
            from_unit_id=route.from_unit_id,
            to_unit_id=route.to_unit_id,
            at=now,
            reason=route.reason,
            comment=route.comment,
        )
        # Whatever was decided, the notices asking to review it are no longer pending; the
        # next unit's (sent just below) are the open ones now.
        notification_resolve(bulletin_id=fresh.pk, kind="arrived")
        for notify in notices:
            notify(event=event)
        return _done(bulletin, fresh, event)


# --- helpers ----------------------------------------------------------------------------------


def _lock_and_check(*, actor: User, bulletin: Bulletin, action: ReviewAction) -> Bulletin:
    """Lock the row; refuse when it moved on since the caller read it, or the actor may not act."""
    fresh = bulletin_lock(bulletin_id=bulletin.pk)
    seen = tuple(getattr(bulletin, f) for f in ("status", "current_unit_id", "version_count"))
    now = tuple(getattr(fresh, f) for f in ("status", "current_unit_id", "version_count"))
    if seen != now:
        raise InvalidTransition(decision=latest_decision(bulletin_id=fresh.pk))
    if action in available_actions(actor, fresh):
        return fresh
    raise _refusal(actor=actor, bulletin=fresh, action=action)


def _refusal(*, actor: User, bulletin: Bulletin, action: ReviewAction) -> Exception:
    """Explain why available_actions() refused: the role, the unit, or the state."""
    if action in FILING_ACTIONS:
        if actor.unit_id != bulletin.filing_unit_id or not (actor.is_officer or actor.pk == bulletin.author_id):
            return NotPermitted(_("Only the filing unit's information officers can do this."))
        return InvalidTransition(
            _("This is not possible while the bulletin is “%(status)s”.") % {"status": bulletin.get_status_display()}
        )
    if not actor.can_review:
        return NotPermitted(_("Only reviewers and office heads decide on bulletins."))
    if bulletin.status not in _ALLOWED_IN[action]:
        return InvalidTransition(
            _("This is not possible while the bulletin is “%(status)s”.") % {"status": bulletin.get_status_display()}
        )
    if bulletin.current_unit_id != actor.unit_id:
        return NotPermitted(_("The bulletin is not waiting at your unit; only that unit's reviewers decide."))
    if action == ReviewAction.SIGN_OFF and actor.pk == bulletin.author_id:
        return NotPermitted(_("You cannot sign off a bulletin you wrote yourself; another reviewer must."))
    if actor.unit.parent_id is None:
        return InvalidTransition(_("The central unit is the top of the route: there is no unit to send it to."))
    return NotPermitted(_("You cannot take this action on this bulletin."))


def latest_decision(*, bulletin_id: int) -> ReviewEvent | None:
    """The most recent route event (not a leader's instruction) — the decision someone took."""
    return (
        ReviewEvent.objects.filter(bulletin_id=bulletin_id)
        .exclude(action=ReviewAction.INSTRUCTION)
        .select_related("actor", "from_unit")
        .order_by("-at", "-pk")
        .first()
    )


def _done(caller_copy: Bulletin, fresh: Bulletin, event: ReviewEvent) -> ReviewEvent:
    """Bring the caller's instance up to date so it can be used for the next step."""
    for name in _STATE_FIELDS:
        setattr(caller_copy, name, getattr(fresh, name))
    return event


def _open_entry(*, bulletin: Bulletin, unit_id: int, at) -> QueueEntry:
    """Open the bulletin's entry at `unit_id` and note the unit in `bulletin.reached_unit_ids`.

    The caller holds the row lock and saves "reached_unit_ids" with the rest of the row in the
    same UPDATE, so the column the visibility rule reads (bulletins.visibility) and the queue
    entries commit together, at no extra query.
    """
    if unit_id not in bulletin.reached_unit_ids:
        bulletin.reached_unit_ids = [*bulletin.reached_unit_ids, unit_id]
    # review_one_open_queue_entry (a partial unique index) refuses a second open entry.
    return QueueEntry.objects.create(
        bulletin=bulletin,
        unit_id=unit_id,
        version_number=bulletin.version_count,
        opened_at=at,
        deadline_at=bulletin.deadline_at,
    )


def _close_entry(*, bulletin: Bulletin, actor: User, action: str, at, state: str = QueueState.DECIDED) -> None:
    closed = QueueEntry.objects.filter(
        bulletin=bulletin, unit_id=bulletin.current_unit_id, state=QueueState.OPEN
    ).update(state=state, closed_at=at, decided_by=actor, action=action)
    if closed != 1:
        raise InvalidTransition(_("The bulletin is not waiting in a queue."))


def _record(*, bulletin: Bulletin, action: str, actor: User, from_unit_id, to_unit_id, at, reason="", comment=""):
    event = ReviewEvent.objects.create(
        bulletin=bulletin,
        version_number=bulletin.version_count or None,
        action=action,
        from_unit_id=from_unit_id,
        to_unit_id=to_unit_id,
        actor=actor,
        at=at,
        reason=reason,
        comment=comment,
    )
    route_events.announce(event.pk, kind=action)
    return event


# --- notifications ----------------------------------------------------------------------------


def bulletin_url(bulletin: Bulletin, *, for_reviewer: bool = False) -> str:
    """Where a notice links to: the decision page for reviewers, the bulletin's page for its author."""
    if for_reviewer:
        return reverse("review:decide", kwargs={"pk": bulletin.pk})
    return reverse("bulletins:detail", kwargs={"pk": bulletin.pk})


def _unit_reviewers(unit_id: int):
    return User.objects.filter(unit_id=unit_id, is_active=True).filter(Q(is_reviewer=True) | Q(is_office_head=True))


def _notify_arrival(*, event: ReviewEvent) -> None:
    """Tell the receiving unit's reviewers that a bulletin arrived in their queue."""
    bulletin = event.bulletin
    with translation.override(settings.LANGUAGE_CODE):
        notification_send(
            recipients=_unit_reviewers(event.to_unit_id),
            kind="arrived",
            title=_("To review: “%(title)s”") % {"title": bulletin.title},
            body=_("%(unit)s · %(action)s by %(actor)s (version %(version)s).")
            % {
                "unit": event.from_unit.short_name,
                "action": event.get_action_display(),
                "actor": event.actor.get_full_name(),
                "version": event.version_number,
            },
            url=bulletin_url(bulletin, for_reviewer=True),
            bulletin=bulletin,
            dedupe_key=f"review:{event.pk}:arrived",
        )


def _notify_author(*, event: ReviewEvent, kind: str) -> None:
    """Tell the author what a unit decided on their bulletin."""
    bulletin = event.bulletin
    unit = event.from_unit.short_name
    with translation.override(settings.LANGUAGE_CODE):
        titles = {
            "returned": _("Returned by %(unit)s: “%(title)s”"),
            "adopted": _("Adopted by %(unit)s: “%(title)s”"),
            "declined": _("Declined by %(unit)s: “%(title)s”"),
            "instruction": _("Leader's instruction at %(unit)s on “%(title)s”"),
        }
        parts = [f"{event.get_action_display()} · {event.actor.get_full_name()}"]
        if event.reason:
            parts.append(event.reason_text)  # 采用方式 for an adoption, 原因 otherwise
        if event.comment:
            parts.append(event.comment)
        notification_send(
            recipients=[bulletin.author],
            kind=kind,
            title=titles[kind] % {"unit": unit, "title": bulletin.title},
            body="\n".join(parts),
            url=bulletin_url(bulletin),
            bulletin=bulletin,
            dedupe_key=f"review:{event.pk}:{kind}",
        )
