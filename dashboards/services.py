"""Summary statistics for the dashboards. (Hook called by review; implemented by the dashboards issue.)"""


def stats_record_event(*, event) -> None:
    """Called inside the review transaction right after each ReviewEvent row is written."""
