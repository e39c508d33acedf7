"""Demo data: start the clocks of the demo incidents and run the check once (idempotent)."""

from incidents.services import incident_clocks_backfill, incidents_flag_overdue


def seed(stdout=None) -> dict:
    started = incident_clocks_backfill()
    result = incidents_flag_overdue()
    return {"clocks started": started, "warned": len(result.warned), "flagged": len(result.flagged)}
