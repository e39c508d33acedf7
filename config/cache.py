"""The Django cache on Redis, as an accelerator only: while Redis is unreachable every read is a
miss and every write is dropped, so a page is rendered the slow way instead of answering 500.

Django's RedisCache raises on a refused or timed-out connection, and the callers would each have
to catch it. After a failure this backend does not try Redis again for RETRY_AFTER_SECONDS, so an
outage costs one short connect timeout per process now and then, not one per cache call.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
UNREACHABLE = (RedisError, OSError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._unreachable_until = 0.0

    def _try(self, fallback, operation, *args, **kwargs):
        if time.monotonic() < self._unreachable_until:
            return fallback
        try:
            return operation(*args, **kwargs)
        except UNREACHABLE as error:
            self._unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Cache unreachable, served without it for %ss: %s", RETRY_AFTER_SECONDS, error)
            return fallback

    @property
    def reachable(self) -> bool:
        """False while the last failure is recent (for /healthz and the tests)."""
        return time.monotonic() >= self._unreachable_until

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._try(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._try(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._try({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        found = self._try(None, super().incr, key, delta, version)
        if found is None:
            raise ValueError(f"Key '{key}' not found (or the cache is unreachable)")
        return found

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._try(None, super().delete_many, keys, version)

    def clear(self):
        return self._try(False, super().clear)
