"""Pagination for long lists whose rows show many joined tables.

A page of 30 obligations shows each one's item, roadmap, owner, executor and municipality. Asked
in one query, PostgreSQL often joins all of those for every row of the region before it sorts and
cuts the page (it cannot tell how few rows survive the filters: join estimates use the whole
country's statistics). The «deferred join» asks twice instead: first the ids of the page, sorted
and cut on the bare rows; then the page's rows with everything they show, by primary key.
"""

from typing import Any

from django.core.paginator import Page, Paginator


class DeferredJoinPaginator(Paginator):
    """A Paginator over a queryset: sorts and cuts on ids, then loads only the page's rows."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids], number, self)
