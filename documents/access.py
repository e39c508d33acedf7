"""Who may read a document: the owning app decides, per kind.

documents knows nothing of bulletins or units. The app that creates documents of a kind (journals,
circulars) registers a predicate for it in its AppConfig.ready():

    documents.access.register("journal_issue", lambda user, document: ...)

(for instance: the user's unit is the document's owner_unit_id or above it, through
accounts.permissions). Without a predicate only the owner and superusers read a document. The
download view asks can_view() and answers 404 when it says no, as for everything else hidden.
"""

from collections.abc import Callable

_predicates: dict[str, Callable] = {}


def register(kind: str, predicate: Callable) -> None:
    _predicates[kind] = predicate


def unregister(kind: str) -> None:
    _predicates.pop(kind, None)


def can_view(user, document) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or document.owner_id == user.pk:
        return True
    predicate = _predicates.get(document.kind)
    return bool(predicate and predicate(user, document))
