"""A paginator whose count stops at a cap: an exact COUNT(*) over a million rows costs more than
the page itself, and nobody pages past the first few hundred results; they refine the filters."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count_cap: int | None = None, **kwargs):
        self.count_cap = DEFAULT_COUNT_CAP if count_cap is None else count_cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        """The exact count up to the cap, cap + 1 beyond it (SELECT COUNT(*) over a LIMIT subquery)."""
        return self.object_list[: self.count_cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.count_cap
