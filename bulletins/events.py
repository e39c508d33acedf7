"""What bulletins announce to the apps above: a bulletin whose deadline was set, moved or removed."""

from events.topics import Topic

deadline_changes = Topic("bulletins.deadline_changed")
