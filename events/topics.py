"""How an app tells the apps above it what happened, without importing them.

An app that announces declares a Topic; an app above it subscribes a handler in its
AppConfig.ready(). `announce(key)` is called inside the transaction that made the change and
writes one PendingDelivery per interested handler; after the commit each handler receives the
key in a transaction of its own, which also deletes its delivery row. A handler that fails is
logged and left pending: the periodic `deliver_pending` (every minute) tries again with a growing
pause, so a change already committed never fails its request because of a handler, and no
handler misses or repeats an announcement.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from events.models import PendingDelivery

logger = logging.getLogger(__name__)

Handler = Callable[[int], None]
# A failed delivery waits this long times its number of failures (at most MAX_PAUSE) before a retry.
RETRY_PAUSE = timedelta(minutes=1)
MAX_PAUSE = timedelta(hours=1)
# Left for the announcing request's own after-commit delivery before the periodic run takes it.
GRACE = timedelta(seconds=30)
ERROR_LENGTH = PendingDelivery._meta.get_field("last_error").max_length


@dataclass(frozen=True)
class Subscription:
    handler: Handler
    kinds: frozenset[str] | None  # None: every kind


_topics: dict[str, "Topic"] = {}


class Topic:
    """Something one app announces, by the id of what happened, to the handlers others subscribe."""

    def __init__(self, name: str):
        if name in _topics:
            raise ImproperlyConfigured(f"topic {name!r} is declared twice")
        self.name = name
        self.subscriptions: dict[str, Subscription] = {}
        _topics[name] = self

    def subscribe(self, name: str, handler: Handler, *, kinds: Iterable[str] | None = None) -> None:
        """Register `handler` under a stable `name` (it is stored with each pending delivery)."""
        if name in self.subscriptions:
            raise ImproperlyConfigured(f"handler {name!r} subscribed twice to {self.name!r}")
        self.subscriptions[name] = Subscription(handler, frozenset(kinds) if kinds is not None else None)

    def announce(self, key: int, *, kind: str | None = None) -> None:
        """Call inside the transaction that made the change; handlers receive `key` after its commit."""
        names = [
            name
            for name, subscription in self.subscriptions.items()
            if subscription.kinds is None or kind in subscription.kinds
        ]
        if not names:
            return
        # The same key announced again before delivery is one delivery: handlers read the state then.
        PendingDelivery.objects.bulk_create(
            [PendingDelivery(topic=self.name, key=key, handler=n) for n in names], ignore_conflicts=True
        )
        transaction.on_commit(partial(_deliver_announcement, topic=self.name, key=key), robust=True)


def _deliver_announcement(*, topic: str, key: int) -> None:
    for pk in PendingDelivery.objects.filter(topic=topic, key=key).values_list("pk", flat=True):
        _deliver(pk, now=timezone.now())


def _deliver(pk: int, *, now) -> bool:
    """Run one pending delivery; True when it is done (by us or by a process that got there first)."""
    try:
        with transaction.atomic():
            pending = PendingDelivery.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if pending is None:
                return True  # delivered meanwhile, or being delivered by another process
            _handler(pending).handler(pending.key)
            pending.delete()
        return True
    except Exception as error:
        logger.exception("delivery %s failed; it stays pending and is retried", pk)
        PendingDelivery.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1, last_attempt_at=now, last_error=repr(error)[:ERROR_LENGTH]
        )
        return False


def _handler(pending: PendingDelivery) -> Subscription:
    try:
        return _topics[pending.topic].subscriptions[pending.handler]
    except KeyError:
        raise ImproperlyConfigured(f"no handler {pending.handler!r} is subscribed to {pending.topic!r}") from None


def deliver_pending(*, now=None, limit: int = 1000) -> int:
    """Deliver what is due: announcements whose own delivery did not happen, failures whose pause is over.

    Returns the number delivered. The periodic task calls it every minute; tests call it with
    `now` far enough ahead to take everything.
    """
    now = now or timezone.now()
    due = PendingDelivery.objects.filter(
        Q(attempts=0, created_at__lte=now - GRACE) | Q(attempts__gt=0, last_attempt_at__lte=now - RETRY_PAUSE)
    ).order_by("created_at", "pk")
    delivered = 0
    for pending in due[:limit]:
        pause = min(RETRY_PAUSE * pending.attempts, MAX_PAUSE)
        if pending.attempts and pending.last_attempt_at > now - pause:
            continue
        delivered += _deliver(pending.pk, now=now)
    return delivered
