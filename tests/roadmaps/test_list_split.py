"""The roadmaps page reads its rows apart (roadmaps/views.py ``RoadmapListView.page``): the
page's roadmaps without a join, their owners from the filter's list, the item counts in one
grouped query. For every demo user, across the pages of the list and with each of its filters,
the page is the very HTML the joined read gave (the owner, region and parent joined to the
page's rows, the items counted through a join)."""

import re

import pytest
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.test.utils import CaptureQueriesContext

from core.paging import DeferredJoinPaginator
from roadmaps import selectors
from roadmaps.models import Roadmap
from roadmaps.views import RoadmapListView
from schools.models import Organization, User

pytestmark = pytest.mark.django_db

PER_PAGE = 3  # the demo region has tens of roadmaps: several pages at three a page


def _joined_rows(qs: QuerySet) -> QuerySet:
    """The page's rows as the list read them before: one query, everything joined."""
    return (
        qs.select_related("owner", "region", "parent")
        .annotate(
            item_count=Count("items", distinct=True),
            unknown_count=Count("items", filter=Q(items__schedule_understood=False), distinct=True),
        )
        .order_by(*selectors.LIST_ORDER)
    )


def _joined_page(self, roadmaps: QuerySet, owners: list[Organization]):  # noqa: ANN202
    paginator = DeferredJoinPaginator(roadmaps, self.paginate_by, load=_joined_rows)
    return paginator.get_page(self.request.GET.get("page"))


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _html(response) -> str:
    assert response.status_code == 200
    return CSRF.sub("", response.content.decode())


def _filters(owner_ids: list[int]) -> list[dict]:
    """No filter, each filter of the page alone, and the search (it joins the owners: the rows
    are then read by their ids within the cut's regions)."""
    return [
        {},
        {"level": "school"},
        {"level": "regional"},
        {"status": Roadmap.Status.APPROVED},
        {"year": "2023"},
        {"search": "СОШ"},
        {"search": "Томск", "level": "municipal"},
        {"region": "70"},
        *({"owner": str(pk)} for pk in owner_ids[:2]),
        {"page": "99"},  # past the end: the last page
        {"page": "abc"},  # not a number: the first page
    ]


def test_every_user_sees_the_html_of_the_joined_read(client, cast, monkeypatch):
    User.objects.update_or_create(username="federal-viewer", defaults={"federal_viewer": True})
    monkeypatch.setattr(RoadmapListView, "paginate_by", PER_PAGE)
    users = [u for u in User.objects.order_by("username") if u.is_active]
    assert len(users) > 5
    compared = 0
    for user in users:
        client.force_login(user)
        country = user.is_superuser or user.federal_viewer
        for focus in ("70", "68") if country else (None,):
            if focus:
                client.post("/focus/", {"region": focus, "next": "/"})
            owner_ids = [
                pk for pk, _ in client.get("/roadmaps/").context["form"].fields["owner"].widget.choices if pk
            ]
            for params in _filters(owner_ids):
                number, last = 1, None
                while True:
                    query = {**params} if "page" in params else {**params, "page": str(number)}
                    split = client.get("/roadmaps/", query)
                    with monkeypatch.context() as patch:
                        patch.setattr(RoadmapListView, "page", _joined_page)
                        joined = client.get("/roadmaps/", query)
                    assert _html(split) == _html(joined), (user.username, focus, query)
                    page = split.context["page"]
                    compared += len(page.object_list)
                    last = page.paginator.num_pages
                    if "page" in params or number >= min(last, 3):
                        break
                    number += 1
    assert compared > 300


def test_the_page_reads_its_rows_and_their_owners_and_counts_apart(client, cast):
    """No query joins the roadmaps to their items, owners, regions or parents; the page's owners
    come from the filter's list (no query of their own), the item counts from one grouped query."""
    client.force_login(cast["tomsk-coordinator"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/roadmaps/")
    rows = response.context["page"].object_list
    assert len(rows) > 3
    sqls = [q["sql"] for q in captured.captured_queries]
    assert not [s for s in sqls if 'FROM "roadmaps_roadmap"' in s and " JOIN " in s]
    counts = [s for s in sqls if 'FROM "roadmaps_item"' in s]
    assert len(counts) == 1 and "GROUP BY" in counts[0] and '"roadmaps_item"."roadmap_id" IN (' in counts[0]
    owners = [
        s
        for s in sqls
        if s.startswith('SELECT "schools_organization"."id", "schools_organization"."region_id"')
    ]
    assert len(owners) == 1  # the filter's list, read once
    with CaptureQueriesContext(connection) as rendered:
        shown = [(r.owner.short_name, r.item_count, r.unknown_count) for r in rows]
    assert not rendered.captured_queries
    for roadmap, (_owner, items, unknown) in zip(rows, shown, strict=True):
        assert items == roadmap.items.count()
        assert unknown == roadmap.items.filter(schedule_understood=False).count()


def test_an_owner_missing_from_the_filter_list_is_read_by_id(client, cast, monkeypatch):
    """The rows take their owners from the filter's list; those not there (here: a list that
    leaves every owner out) are read from the table, so the page shows them all the same."""
    client.force_login(cast["tomsk-coordinator"])
    monkeypatch.setattr(RoadmapListView, "owners", lambda self, roadmaps: Organization.objects.none())
    with CaptureQueriesContext(connection) as captured:
        split = client.get("/roadmaps/")
    assert [q for q in captured.captured_queries if q["sql"].startswith('SELECT "schools_organization"."id"')]
    monkeypatch.setattr(RoadmapListView, "page", _joined_page)
    assert _html(split) == _html(client.get("/roadmaps/"))
    assert all(r.owner.short_name for r in split.context["page"])
