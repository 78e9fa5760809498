"""The deferred-join paginator gives the pages a plain Paginator gives, and sorts and cuts them
without joining what only the shown rows need (core/paging.py)."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.paging import DeferredJoinPaginator
from monitoring import selectors
from monitoring.models import Obligation


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
def test_the_roadmap_list_counts_and_cuts_bare_roadmaps_and_counts_items_for_its_page(client, cast):
    """``load=``: the item counts and the owner and parent joins are for the page's rows only; over
    a whole region they read every roadmap's items (a national-scale page cost)."""
    client.force_login(cast["tomsk-coordinator"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/roadmaps/")
    assert response.status_code == 200
    joined = [q["sql"] for q in captured.captured_queries if 'JOIN "roadmaps_item"' in q["sql"]]
    assert len(joined) == 1  # the page's rows, by id
    assert '"roadmaps_roadmap"."id" IN (' in joined[0] and "LIMIT" not in joined[0]
    rows = response.context["page"].object_list
    assert rows and all(r.item_count == r.items.count() for r in rows)
