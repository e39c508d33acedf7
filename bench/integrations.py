"""Everything the benchmark needs from the other apps, in one place.

Each function imports what it needs lazily and degrades to "missing" (or a raw-SQL stand-in)
when the app that provides it has not landed yet, so the harness runs on any branch.
"""


def after_load(*, stdout=None) -> dict:
    """Fill the derived tables of other apps after the raw COPY load; returns seconds per step."""
    timings: dict[str, float] = {}
    return timings
