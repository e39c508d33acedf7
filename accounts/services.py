"""Writes of the accounts app."""

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import AccountUnlock
from accounts.selectors import unlockable_users


class NotLocked(Exception):
    """The person has no failed logins to clear (someone unlocked them, or the wait ran out)."""


def user_unlock(*, actor, user_id: int) -> AccountUnlock:
    """Clear a person's failed logins from every address, recording who did it and what was cleared."""
    with transaction.atomic():
        user = unlockable_users(actor=actor).select_for_update().filter(pk=user_id).first()
        if user is None:
            raise PermissionDenied
        attempts = list(AccessAttempt.objects.select_for_update().filter(username=user.username))
        if not attempts:
            raise NotLocked()
        unlock = AccountUnlock.objects.create(
            user=user,
            unlocked_by=actor,
            failures=sum(attempt.failures_since_start for attempt in attempts),
            addresses=", ".join(sorted({attempt.ip_address or "" for attempt in attempts}))[:500],
        )
        AccessAttempt.objects.filter(pk__in=[attempt.pk for attempt in attempts]).delete()
        return unlock
