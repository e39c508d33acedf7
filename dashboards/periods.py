"""Reporting periods: whole calendar months in the project's time zone (the summary table's grain).

The zone is settings.TIME_ZONE (Asia/Shanghai), through timezone.get_default_timezone().
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def month_of(moment: datetime) -> date:
    """The first day of the local calendar month that contains `moment`."""
    return moment.astimezone(timezone.get_default_timezone()).date().replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_start(month: date) -> datetime:
    """Local midnight at the start of `month`, as an aware datetime."""
    return datetime(month.year, month.month, 1, tzinfo=timezone.get_default_timezone())


def months_between(first: date, last: date) -> list[date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, year, custom
    first: date  # first month (day 1)
    last: date  # last month (day 1), inclusive

    @property
    def months(self) -> list[date]:
        return months_between(self.first, self.last)

    @property
    def start(self) -> datetime:
        return month_start(self.first)

    @property
    def end(self) -> datetime:
        """Exclusive upper bound: local midnight after the last month."""
        return month_start(add_months(self.last, 1))

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(year)d-%(month)02d") % {"year": self.first.year, "month": self.first.month}
        if self.kind == "quarter":
            return _("%(year)d Q%(quarter)d") % {"year": self.first.year, "quarter": (self.first.month - 1) // 3 + 1}
        if self.kind == "year":
            return _("Year %(year)d") % {"year": self.first.year}
        return f"{self.first:%Y-%m} – {self.last:%Y-%m}"

    @property
    def slug(self) -> str:
        """For file names: 2026-11, 2026-Q4, 2026, 2026-01_2026-03."""
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first.year}"
        return f"{self.first:%Y-%m}_{self.last:%Y-%m}"

    @classmethod
    def containing(cls, kind: str, ref: date) -> "Period":
        ref = ref.replace(day=1)
        if kind == "quarter":
            first = date(ref.year, (ref.month - 1) // 3 * 3 + 1, 1)
            return cls("quarter", first, add_months(first, 2))
        if kind == "year":
            return cls("year", date(ref.year, 1, 1), date(ref.year, 12, 1))
        return cls("month", ref, ref)

    @classmethod
    def this_month(cls) -> "Period":
        """The month that contains now."""
        return cls.containing("month", month_of(timezone.now()))
