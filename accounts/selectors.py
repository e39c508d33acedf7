"""Reads for the accounts pages."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum

from accounts.lockout import delay_after
from accounts.models import AccountUnlock, User


def unlockable_users(*, actor) -> QuerySet[User]:
    """Whom the actor may unlock: an administrator anyone, an office head the people of their unit."""
    if actor.is_superuser:
        return User.objects.all()
    if actor.is_office_head and actor.unit_id:
        return User.objects.filter(unit_id=actor.unit_id)
    return User.objects.none()


@dataclass(frozen=True)
class LockedAccount:
    user: User
    failures: int
    last_failure_at: datetime
    until: datetime


def locked_accounts(*, actor) -> list[LockedAccount]:
    """The people the actor may unlock who have failed logins at or past the limit, worst first."""
    attempts = (
        AccessAttempt.objects.filter(username__in=unlockable_users(actor=actor).values("username"))
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-failures", "username")[:200]
    )
    rows = {row["username"]: row for row in attempts}
    users = User.objects.filter(username__in=rows).select_related("unit")
    found = [
        LockedAccount(
            user=user,
            failures=rows[user.username]["failures"],
            last_failure_at=rows[user.username]["last"],
            until=rows[user.username]["last"] + delay_after(rows[user.username]["failures"]),
        )
        for user in users
    ]
    return sorted(found, key=lambda account: (-account.failures, account.user.username))


def recent_unlocks(*, actor, limit: int = 20) -> list[AccountUnlock]:
    users = unlockable_users(actor=actor)
    return list(AccountUnlock.objects.filter(user__in=users).select_related("user", "unlocked_by")[:limit])
