"""Short Chinese-friendly renderings of a time span ("3 小时 12 分", "2 天 5 小时")."""

from datetime import timedelta

from django.utils.translation import gettext as _


def duration_text(span: timedelta) -> str:
    """A span rounded down to the two largest units: days and hours, or hours and minutes."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        if hours:
            return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
        return _("%(days)d d") % {"days": days}
    if hours:
        if minutes:
            return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}
