"""The deferred-join paginator gives the pages a plain Paginator gives, and sorts and cuts them
without joining what only the shown rows need (core/paging.py)."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.paging import DeferredJoinPaginator, SplitJoinPaginator
from monitoring import selectors
from monitoring.models import Obligation
from roadmaps.models import Roadmap
from schools.models import Organization


@pytest.mark.django_db
@pytest.mark.parametrize("orphans", [0, 7])
def test_it_pages_exactly_like_the_plain_paginator(cast, orphans):
    rows = selectors._with_relations(Obligation.objects.visible_to(cast["tomsk-coordinator"])).order_by(
        "due_date", "item__position", "executor__short_name", "pk"
    )
    plain, deferred = Paginator(rows, 30, orphans=orphans), DeferredJoinPaginator(rows, 30, orphans=orphans)
    assert deferred.num_pages == plain.num_pages > 3
    for number in (1, 2, plain.num_pages):
        expected = list(plain.page(number))
        got = list(deferred.page(number))
        assert [o.pk for o in got] == [o.pk for o in expected]
        assert [o.evidence_count for o in got] == [o.evidence_count for o in expected]
        assert [o.item.text for o in got] == [o.item.text for o in expected]


@pytest.mark.django_db
def test_it_sorts_the_page_on_ids_and_joins_the_shown_rows_only(cast):
    rows = selectors.review_queue(cast["tomsk-coordinator"])
    with CaptureQueriesContext(connection) as captured:
        page = DeferredJoinPaginator(rows, 5).page(1)
        shown = [(o.item.number, o.executor.short_name, o.roadmap.owner.short_name) for o in page]
    assert shown, "the demo has reports waiting for review"
    count, ids, rows_sql = (q["sql"] for q in captured.captured_queries)
    assert "COUNT" in count
    assert 'JOIN "roadmaps_item"' not in ids and "LIMIT 5" in ids
    assert 'JOIN "roadmaps_item"' in rows_sql and "LIMIT" not in rows_sql


@pytest.mark.django_db
def test_the_split_read_takes_the_related_rows_the_page_knows_and_reads_the_others(cast):
    """``known``: a row's owner found there is that very object; only the other owners are read."""
    rows = Roadmap.objects.visible_to(cast["tomsk-coordinator"]).select_related("owner").order_by("pk")
    owner_ids = sorted({r.owner_id for r in rows})
    assert len(owner_ids) > 2
    known = list(Organization.objects.filter(pk__in=owner_ids[:2]))

    def read(known: list) -> tuple[list, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            page = SplitJoinPaginator(rows, 50, known={Organization: lambda: {o.pk: o for o in known}}).page(
                1
            )
        return list(page), [
            q["sql"] for q in captured.captured_queries if '"schools_organization"' in q["sql"]
        ]

    page, sqls = read(known)
    assert [(r.pk, r.owner.pk, r.owner.short_name) for r in page] == [
        (r.pk, r.owner.pk, r.owner.short_name) for r in rows
    ]
    by_pk = {o.pk: o for o in known}
    assert all(r.owner is by_pk[r.owner_id] for r in page if r.owner_id in by_pk)
    assert len(sqls) == 1
    read_ids = re.search(r'"schools_organization"."id" IN \(([^)]*)\)', sqls[0]).group(1)
    assert {int(pk) for pk in read_ids.split(", ")} == set(owner_ids) - set(by_pk)
    _, sqls = read(list(Organization.objects.filter(pk__in=owner_ids)))
    assert sqls == []  # every owner known: none read
