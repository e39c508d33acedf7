"""A paginator whose count stops at a cap: an exact COUNT(*) over a million rows costs more than
the page itself, and nobody pages past the first few hundred results; they refine the filters.

With `estimated_count` (a keyword search over a large scope, bulletins.selectors) it does not
count at all: even the capped count would LIKE thousands of rows. The page is fetched with one
row more, which tells whether a next page exists; the count is the estimate ("about N") until a
page shows where the results end, and then exact.
"""

import math

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

DEFAULT_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(
        self, object_list, per_page, *, count_cap: int | None = None, estimated_count: int | None = None, **kwargs
    ):
        self.count_cap = DEFAULT_COUNT_CAP if count_cap is None else count_cap
        self.estimated_count = estimated_count
        self._end: int | None = None  # estimated mode: the exact count, once a page has shown it
        self._seen = 0  # estimated mode: results known to exist (up to the row after the page)
        super().__init__(object_list, per_page, **kwargs)

    # For the benchmark rows "paginator count, bulletin list of the central head ≤ 10 ms" and "… of
    # the filing unit with most bulletins ≤ 10 ms" (bench/results/2026-11-27.md, Targets).
    @cached_property
    def _capped_count(self) -> int:
        """The exact count up to the cap, cap + 1 beyond it (SELECT COUNT(*) over a LIMIT subquery)."""
        return self.object_list[: self.count_cap + 1].count()

    # For the benchmark rows "keyword search …, first page + count ≤ 20 ms"
    # (bench/results/2026-11-27.md, Targets): with an estimate, no count query at all.
    @property
    def count(self) -> int:
        if self.estimated_count is None:
            return self._capped_count
        if self._end is not None:
            return self._end
        return max(self.estimated_count, self._seen)

    @property
    def is_estimated(self) -> bool:
        return self.estimated_count is not None and self._end is None

    @property
    def is_capped(self) -> bool:
        return self.count > self.count_cap

    @property
    def num_pages(self) -> int:
        if self.estimated_count is None:
            return super().num_pages
        # As far as the capped count would let one page, and no farther than the results.
        return max(1, math.ceil(min(self.count, self.count_cap + 1) / self.per_page))

    def validate_number(self, number):
        if self.estimated_count is None:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1 or number > math.ceil((self.count_cap + 1) / self.per_page):
            raise EmptyPage(self.error_messages["no_results"])
        if self._end is not None and number > self.num_pages:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        if self.estimated_count is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        if len(rows) > self.per_page:
            self._seen = max(self._seen, bottom + len(rows))
        else:
            self._end = bottom + len(rows)
        return self._get_page(rows[: self.per_page], number, self)

    def get_page(self, number):
        if self.estimated_count is None:
            return super().get_page(number)
        try:
            return self.page(number)
        except (PageNotAnInteger, EmptyPage):
            return self.page(1)  # the last page is unknown without counting
