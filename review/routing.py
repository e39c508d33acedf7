"""Where a sign-off sends a bulletin when an app above review says so (registered, never imported).

Review routes a signed-off bulletin to the parent unit, or straight back to the upper unit that
returned it (review.rules.sign_off_target_id). An app built on review may route some bulletins
elsewhere — calls sends an answer to a call straight to the calling unit — by registering a
function in its AppConfig.ready(): it gets the bulletin (locked, in the sign-off's transaction)
and returns the unit id to send it to, or None to leave it to the usual route.
"""

from collections.abc import Callable

SignOffTarget = Callable[..., int | None]

_targets: list[SignOffTarget] = []


def sign_off_target_register(func: SignOffTarget) -> None:
    if func not in _targets:
        _targets.append(func)


def routed_sign_off_target_id(bulletin) -> int | None:
    """The first registered target for this bulletin, or None."""
    for func in _targets:
        target = func(bulletin)
        if target is not None:
            return target
    return None
