"""Pagination for long lists whose rows show many joined tables.

A page of 30 obligations shows each one's item, roadmap, owner, executor and municipality. Asked
in one query, PostgreSQL often joins all of those for every row of the region before it sorts and
cuts the page (it cannot tell how few rows survive the filters: join estimates use the whole
country's statistics). The «deferred join» asks twice instead: first the ids of the page, sorted
and cut on the bare rows; then the page's rows with everything they show, by primary key.
"""

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class DeferredJoinPaginator(Paginator):
    """A Paginator over a queryset: sorts and cuts on ids, then loads only the page's rows.

    ``load`` adds what only the shown rows need (joins, per-row counts) to the page's queryset;
    give the paginator the bare, sorted rows and it counts and cuts them without those joins.
    """

    def __init__(
        self, object_list: Any, *args: Any, load: Callable[[QuerySet], QuerySet] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(object_list, *args, **kwargs)
        self.load = load

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        shown = self.object_list.order_by().filter(pk__in=ids)
        rows = {row.pk: row for row in (self.load(shown) if self.load else shown)}
        return self._get_page([rows[pk] for pk in ids], number, self)
