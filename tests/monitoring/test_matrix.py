"""The region matrix: opens on the regional roadmap, totals per row and column, sorted by lag,
exported with the same choice."""

import io

import openpyxl
import pytest

from monitoring.models import Obligation
from roadmaps.models import Roadmap

pytestmark = pytest.mark.django_db


def test_it_opens_on_the_regions_own_roadmap(client_for):
    response = client_for("tomsk-coordinator").get("/execution/matrix/")
    roadmap = response.context["roadmap"]
    assert roadmap.level == Roadmap.Level.REGIONAL
    latest = Roadmap.objects.filter(region__code="70", level="regional", status="approved").order_by(
        "-period_start"
    )
    assert roadmap == latest.first()


def test_its_totals_add_up_by_row_and_by_column(client_for):
    regional = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")
    response = client_for("tomsk-department").get("/execution/matrix/", {"roadmap": regional.pk})
    ctx = response.context
    for _item, cells, total in ctx["rows"]:
        assert total["total"] == sum(c["total"] for c in cells if c)
        assert total["overdue"] == sum(c["overdue"] for c in cells if c)
    for n, column_total in enumerate(ctx["column_totals"]):
        assert column_total["total"] == sum(cells[n]["total"] for _i, cells, _t in ctx["rows"] if cells[n])
    assert (
        ctx["grand_total"]["total"]
        == Obligation.objects.filter(roadmap=regional, cancelled=False)
        .exclude(item__schedule_kind="subitems")
        .count()
    )
    body = response.content.decode()
    assert "Итого по столбцу" in body and "<caption" in body and 'scope="row"' in body


def test_it_sorts_items_and_columns_by_lag(client_for):
    regional = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")
    client = client_for("tomsk-coordinator")
    by_number = client.get("/execution/matrix/", {"roadmap": regional.pk}).context
    by_lag = client.get("/execution/matrix/", {"roadmap": regional.pk, "sort": "lag"}).context
    lags = [t["lag"] for _i, _c, t in by_lag["rows"]]
    assert lags == sorted(lags, reverse=True)
    column_lags = [t["lag"] for t in by_lag["column_totals"]]
    assert column_lags == sorted(column_lags, reverse=True)
    assert [i.pk for i, _c, _t in by_number["rows"]] != [i.pk for i, _c, _t in by_lag["rows"]]
    # The cells move with their columns.
    name_of = dict(by_lag["columns"])
    first_item, cells, _t = by_lag["rows"][0]
    original = dict(
        zip(
            [c for c, _n in by_number["columns"]],
            next(c for i, c, _t in by_number["rows"] if i == first_item),
            strict=True,
        )
    )
    assert [original[c] for c in name_of] == cells


def test_the_export_has_the_same_cells_and_totals(client_for):
    regional = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")
    client = client_for("tomsk-department")
    params = {"roadmap": regional.pk, "by": "municipality", "sort": "lag"}
    page = client.get("/execution/matrix/", params).context
    response = client.get("/execution/matrix/export.xlsx", params)
    assert response.status_code == 200
    rows = [
        [c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows()
    ]
    assert "по отставанию" in rows[1][0]
    header = next(n for n, r in enumerate(rows) if r[0] == "№ п/п")
    assert rows[header][2 : 2 + len(page["columns"])] == [name for _c, name in page["columns"]]
    body = rows[header + 1 :]
    assert len(body) == len(page["rows"]) + 1
    assert body[-1][0] == "Итого"
    assert body[-1][-1] == page["grand_total"]["overdue"]
