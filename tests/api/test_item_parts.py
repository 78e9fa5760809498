"""An item's control dates and executors in the API: in their order within the item, read for a
page of items without joining each one back to its roadmap (roadmaps.selectors.item_parts)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmaps.models import ControlDate, ItemExecutor


def test_item_dates_and_executors_come_in_their_order_within_the_item(api):
    rows = api("tomsk-coordinator").get("/api/v1/roadmap-items/").json()["results"]
    assert [r for r in rows if r["control_dates"]] and [r for r in rows if r["executors"]]
    for row in rows:
        dates = ControlDate.objects.filter(item_id=row["id"]).order_by("due_date")
        assert [d["due_date"] for d in row["control_dates"]] == [d.due_date.isoformat() for d in dates]
        executors = ItemExecutor.objects.filter(item_id=row["id"]).order_by("position")
        assert [e["text"] for e in row["executors"]] == [e.text for e in executors]


def test_the_item_page_reads_its_parts_without_joins(api):
    with CaptureQueriesContext(connection) as captured:
        assert api("tomsk-coordinator").get("/api/v1/roadmap-items/").status_code == 200
    tables = ('FROM "roadmaps_controldate"', 'FROM "roadmaps_itemexecutor"')
    parts = [q["sql"] for q in captured if any(t in q["sql"] for t in tables)]
    assert len(parts) == 2
    assert all(" JOIN " not in sql for sql in parts), parts
