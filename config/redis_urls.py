"""One REDIS_URL for the cache and the broker, whichever way it names the server."""

from urllib.parse import parse_qs, urlsplit


def celery_broker_url(redis_url: str) -> str:
    """Kombu spells a Unix socket redis+socket:// and its database virtual_host; redis-py unix://?db=."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    database = parse_qs(parts.query).get("db", ["0"])[0]
    return f"redis+socket://{parts.path}?virtual_host={database}"
