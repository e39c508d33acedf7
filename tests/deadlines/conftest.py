"""A kind of obligation of the tests' own, whose handler records what the scan hands it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from deadlines import registry

SHANGHAI = ZoneInfo("Asia/Shanghai")
KIND = "test"
# The deadline of the tests' obligations: 2026-05-10 09:00 Shanghai.
DUE = datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def handled():
    """Every batch the scan hands to the test kind's handler: a list of lists of FiredStage."""
    batches = []

    def handler(*, fired, now):
        batches.append(list(fired))
        return len(fired)

    registry.register(KIND, handler)
    yield batches
    registry.unregister(KIND)
