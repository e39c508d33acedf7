"""What review announces to the apps built on it: every ReviewEvent it records, by id and action.

Subscribers (statistics, the incident clocks, later calls and journals) register in their
AppConfig.ready() with `route_events.subscribe(name, handler, kinds={...})` and receive the
event's id after the decision commits (events/topics.py).
"""

from events.topics import Topic

route_events = Topic("review.route_event")
