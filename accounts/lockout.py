"""Login throttling (django-axes) that one person at the office NAT cannot turn against colleagues.

- The client's address: REMOTE_ADDR, or behind a configured reverse proxy (TRUSTED_PROXIES) the
  nearest address in X-Forwarded-For that is not a proxy. A header from anywhere else is ignored,
  so nobody picks the address their failures are counted against.
- A growing delay instead of a hard lock: after AXES_FAILURE_LIMIT wrong passwords for one
  (username, address) pair the pair waits one minute, doubled for each further wrong password in
  the last FAILURE_MEMORY (since the last successful login), up to AXES_COOLOFF_MINUTES. A colleague
  locked by someone else's guesses waits a minute, not 15, and trying during the wait does not
  lengthen it; whoever waits out the minute and guesses five times more waits the full 15.

Axes forgets a pair's failures once the wait is over (it deletes the AccessAttempt); the failure
log (AccessFailureLog, one row per wrong password) is what remembers them for the growth.
"""

import ipaddress
from datetime import timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone

from accounts.models import User


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.TRUSTED_PROXIES)


def client_address(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: the address a login attempt is counted against."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    # Right to left: each proxy appends the address it received the request from.
    for hop in reversed(forwarded):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed header: count it against the proxy's client, unforged
    return remote


FAILURE_MEMORY = timedelta(hours=24)


def failures(*, username: str | None, ip_address: str | None) -> int:
    """Wrong passwords for this pair in the last FAILURE_MEMORY, since its last successful login."""
    if not username:
        return 0
    since = timezone.now() - FAILURE_MEMORY
    last_login = User.objects.filter(username=username).values_list("last_login", flat=True).first()
    if last_login and last_login > since:
        since = last_login
    return AccessFailureLog.objects.filter(username=username, ip_address=ip_address, attempt_time__gt=since).count()


def delay_after(failure_count: int) -> timedelta:
    """The wait once `failure_count` failures are recorded: 1, 2, 4, 8 … minutes, capped."""
    beyond = max(failure_count - settings.AXES_FAILURE_LIMIT, 0)
    minutes = min(settings.AXES_LOCKOUT_FIRST_DELAY_MINUTES * 2 ** min(beyond, 16), settings.AXES_COOLOFF_MINUTES)
    return timedelta(minutes=minutes)


def cool_off(request) -> timedelta:
    """AXES_COOLOFF_TIME: how long the pair of this request stays refused after its last failure."""
    if request is None:
        return timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    username = request.POST.get("username") if request.method == "POST" else None
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    return delay_after(failures(username=username, ip_address=address))
