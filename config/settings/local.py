"""Developer profile, for `make run`: debug on; private PostgreSQL and Redis under var/ unless named."""

from config.embedded import use_private_servers_when_unset

use_private_servers_when_unset(redis_database=0)

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "0.0.0.0"])
