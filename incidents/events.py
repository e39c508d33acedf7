"""What incidents announce to the apps above: incidents flagged overdue (keyed by one of them)."""

from events.topics import Topic

incidents_flagged = Topic("incidents.flagged")
