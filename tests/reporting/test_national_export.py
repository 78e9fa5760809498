"""«Выгрузка всех обязательств по стране»: who may order it, what the file holds, how it is read.

Only the platform administrator and a federal viewer may order it (page and API); a region's
coordinator or department is refused and nothing is created. The file holds every live
obligation of both demo regions, one row each, read region by region from a server-side cursor
in chunks of tuples; a table longer than a sheet continues on the next one.
"""

import datetime as dt
import io

import openpyxl
import pytest
from django.db.models.query import QuerySet
from django.utils import timezone

from core.xlsx import Sheet, split_sheets, xlsx_bytes
from monitoring.models import ExecutionReport, Obligation
from reporting import services
from reporting.builders import national
from reporting.models import Report
from schools.models import Region, User

pytestmark = pytest.mark.django_db

HEADER = [
    "Регион",
    "Муниципалитет",
    "Исполнитель",
    "Дорожная карта",
    "№ п/п",
    "Мероприятие",
    "Срок",
    "Исполнение",
    "Проверка",
    "Отправлен",
    "Просрочено",
]


@pytest.fixture
def federal(db) -> User:
    # The demo's federal viewer (seed_demo makes it), flagged as the admin would flag one.
    return User.objects.update_or_create(
        username="federal-viewer", defaults={"full_name": "Аналитик Минпросвещения", "federal_viewer": True}
    )[0]


def order(client, **body):
    return client.post("/api/v1/reports/", {"kind": "national", **body}, "application/json")


def read_rows(report: Report) -> list[list]:
    report.refresh_from_db()
    assert report.status == "done", report.message
    with report.file.open("rb") as f:
        book = openpyxl.load_workbook(io.BytesIO(f.read()), read_only=True)
    rows = []
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == HEADER
        rows.extend(list(r) for r in values[1:])
    return rows


@pytest.mark.parametrize("username", ["admin", "federal-viewer"])
def test_the_administrator_and_the_federal_viewer_order_it_and_get_both_regions(
    client, federal, cast, username, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.get(username=username))
    with django_capture_on_commit_callbacks(execute=True):  # the worker's part runs here
        response = order(client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "national" and body["fmt"] == "xlsx" and body["region"] is None
    report = Report.objects.get(pk=body["id"])
    rows = read_rows(report)

    live = Obligation.objects.filter(cancelled=False)
    assert len(rows) == live.count() > 0
    assert {r[0] for r in rows} == {"Томская область", "Тамбовская область"}
    # One obligation with a filed report, checked cell by cell.
    filed = (
        ExecutionReport.objects.filter(obligation__isnull=False, submitted_at__isnull=False)
        .select_related("obligation__item", "obligation__executor", "obligation__region")
        .order_by("pk")
        .first()
    )
    o = filed.obligation
    sent = timezone.localtime(filed.submitted_at, o.region.tzinfo).replace(tzinfo=None)
    match = [
        r
        for r in rows
        if r[2] == o.executor.short_name and r[4] == o.item.number and r[6].date() == o.due_date
    ]
    assert len(match) == 1
    row = match[0]
    assert row[0] == o.region.name
    assert row[5] == national._cut(o.item.text, national.ITEM_TEXT_CHARS)
    assert row[7] == filed.get_status_display() and row[8] == filed.get_review_state_display()
    assert abs(row[9] - sent) < dt.timedelta(seconds=1)
    assert row[10] == ("да" if filed.is_late else "нет")
    # Not reported and past due: late, «не начато», «черновик».
    unfiled = live.filter(report__isnull=True, due_date__lt=timezone.localdate()).first()
    assert any(
        r[2] == unfiled.executor.short_name
        and r[6].date() == unfiled.due_date
        and r[7:9] == ["не начато", "черновик"]
        and r[10] == "да"
        for r in rows
    )
    # The report page shows it done, with the download.
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f"/reports/{report.pk}/download/" in page


@pytest.mark.parametrize(
    "username", ["tomsk-coordinator", "tomsk-department", "tambov-coordinator", "cherdaty-director"]
)
def test_region_roles_may_not_order_it(client_for, username):
    client = client_for(username)
    before = Report.objects.count()
    response = order(client, fmt="xlsx")
    assert response.status_code == 403
    assert "администратор платформы и федеральный наблюдатель" in response.json()["detail"]
    # The page does not offer it, and refuses it when posted anyway.
    form = client.get("/reports/").context["form"]
    assert "national" not in [value for value, _label in form.fields["kind"].choices]
    page = client.post("/reports/", {"kind": "national", "fmt": "xlsx"})
    assert "вашей роли недоступен" in page.context["form"].errors["kind"][0]
    assert Report.objects.count() == before


def test_the_page_orders_it_for_the_federal_viewer_in_xlsx_only(
    client, federal, django_capture_on_commit_callbacks
):
    client.force_login(federal)
    form = client.get("/reports/").context["form"]
    # Only what the federal viewer orders here; no list of the country's schools to choose from.
    assert [value for value, _label in form.fields["kind"].choices] == ["national"]
    assert form.fields["school"].choices == [("", "—")]
    pdf = client.post("/reports/", {"kind": "national", "fmt": "pdf"})
    assert "только в XLSX" in pdf.context["form"].errors["fmt"][0]
    assert not Report.objects.filter(kind="national").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/", {"kind": "national", "fmt": "xlsx"})
    report = Report.objects.get(kind="national")
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    report.refresh_from_db()
    assert report.status == "done" and report.region_id is None and report.requested_by == federal


def test_the_api_names_the_field_it_refuses(client, federal):
    client.force_login(federal)
    assert order(client, fmt="pdf").json()["fields"].keys() == {"fmt"}
    assert order(client, school=1).status_code == 400
    assert not Report.objects.filter(kind="national").exists()


def test_a_national_report_is_seen_by_federal_viewers_only(
    client, federal, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.do_request_report(actor=federal, kind="national", fmt="xlsx", params={})
    colleague = User.objects.create(username="federal-2", federal_viewer=True)
    client.force_login(colleague)
    assert client.get(f"/reports/{report.pk}/download/").status_code == 200
    for username in ("tomsk-coordinator", "tomsk-department", "tambov-department"):
        client.force_login(cast[username])
        assert client.get(f"/reports/{report.pk}/").status_code == 404
        assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_a_viewer_who_lost_the_flag_is_refused_at_build_time(federal):
    report = Report.objects.create(kind="national", fmt="xlsx", title="x", requested_by=federal)
    User.objects.filter(pk=federal.pk).update(federal_viewer=False)
    assert services.build(report.pk) == "failed"
    report.refresh_from_db()
    assert report.status == "failed" and "федеральный наблюдатель" in report.message


def test_rows_are_read_in_chunks_of_tuples_region_by_region(federal, monkeypatch):
    """Memory cannot be asserted here; what keeps it bounded can: every read is a chunked
    ``values_list`` iterator (a server-side cursor on PostgreSQL), one per region, and rows
    across chunk boundaries still come out whole and in order."""
    calls = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        if self.model is Obligation:
            calls.append((chunk_size, self._iterable_class.__name__))
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    monkeypatch.setattr(national, "CHUNK_SIZE", 7)
    rows = list(national.rows(federal))
    assert len(calls) == Region.objects.count()
    assert {c[0] for c in calls} == {7}
    assert {c[1] for c in calls} == {"ValuesListIterable"}  # tuples, never model instances
    assert len(rows) == Obligation.objects.filter(cancelled=False).count()
    regions = [r[0] for r in rows]
    assert regions == sorted(regions, key=["Тамбовская область", "Томская область"].index)  # by code


def test_progress_is_reported_while_rows_are_written(federal, monkeypatch):
    monkeypatch.setattr(national, "PROGRESS_EVERY", 500)
    seen = []
    count = national.write(federal, io.BytesIO(), lambda pct, msg="": seen.append((pct, msg)))
    assert count == Obligation.objects.filter(cancelled=False).count()
    assert seen[0][0] == 10 and "Обязательств в выгрузке" in seen[0][1]
    written = [pct for pct, msg in seen[1:]]
    assert len(written) == count // 500 and written == sorted(written) and written[-1] <= 95
    assert "Записано строк: 500 из" in seen[1][1]


def test_a_long_table_goes_on_over_several_sheets():
    rows = ([i, f"=строка {i}", dt.date(2026, 1, 1)] for i in range(7))
    sheets = split_sheets("Обязательства", [("№", 5), ("Текст", 20), ("Срок", 12)], rows, per_sheet=3)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert book.sheetnames == ["Обязательства", "Обязательства (2)", "Обязательства (3)"]
    assert [[c.value for c in r][0] for r in book.worksheets[2].iter_rows(min_row=2)] == [6]
    cell = book.worksheets[0]["B2"]
    # A bulk sheet keeps the writer's rules: text stays text, dates are dates.
    assert cell.value == "=строка 0" and cell.data_type == "s" and cell.quotePrefix
    assert book.worksheets[0]["C2"].number_format == "DD.MM.YYYY"
    empty = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(split_sheets("Пусто", [("№", 5)], []))))
    assert empty.sheetnames == ["Пусто"]
    assert [c.value for c in next(empty.active.iter_rows())] == ["№"]


def test_a_bulk_sheet_writes_the_same_values_as_a_styled_one():
    rows = [[1, "текст", None, 2.5, dt.datetime(2026, 1, 2, 3, 4), "#N/A", "+7"]]
    columns = [(str(n), 5) for n in range(7)]

    def values(bulk: bool) -> list:
        book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([Sheet("x", columns, rows=rows, bulk=bulk)])))
        return [(c.value, c.data_type) for c in book.active[2]]

    assert values(True) == values(False)
