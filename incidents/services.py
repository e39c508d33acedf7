"""The 24-hour rule for incidents. (Hooks called by other apps; implemented by the incidents issue.)"""


def incident_clock_sync(*, bulletin) -> None:
    """Called inside the transaction that created or changed a bulletin's deadline_at."""


def incident_record_sent_up(*, bulletin, at) -> None:
    """Called inside the sign-off transaction, when the bulletin leaves its own unit."""
