"""Which app handles the fired stages of each kind of obligation (registered in AppConfig.ready())."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# handler(fired=[FiredStage, …], now=datetime) -> anything the owning app wants to report.
# It runs inside the scan's transaction: what it records commits with the firing, or neither does.
StageHandler = Callable[..., Any]

_handlers: dict[str, StageHandler] = {}
_labels: dict[str, str] = {}


def register(kind: str, handler: StageHandler, *, label: str = "") -> None:
    """`label`: the kind as people say it (the admin's lists), e.g. 突发事件报送时限."""
    if kind in _handlers and _handlers[kind] is not handler:
        raise ImproperlyConfigured(f"a handler for obligations of kind {kind!r} is already registered")
    _handlers[kind] = handler
    _labels[kind] = label or kind


def unregister(kind: str) -> None:
    """For tests that register a kind of their own."""
    _handlers.pop(kind, None)
    _labels.pop(kind, None)


def label_for(kind: str) -> str:
    return _labels.get(kind, kind)


def handler_for(kind: str) -> StageHandler | None:
    return _handlers.get(kind)
