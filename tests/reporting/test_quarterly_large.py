"""The quarterly report of a large round: the PDF carries the summary and says where the full lists
are, the XLSX holds every row; a small round's PDF keeps every list; the number of queries does not
grow with the round (bench/bench_quarterly.py measures the national sizes)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from monitoring import rounds
from monitoring.models import MonitoringRound, RoundEntry
from reporting import services
from reporting.builders import quarterly
from reporting.models import Report
from reporting.render import render_pdf, render_xlsx_report
from schools.access import SystemRequester

pytestmark = pytest.mark.django_db


def tomsk_round() -> MonitoringRound:
    return MonitoringRound.objects.get(
        roadmap__source_name="000-tomsk-shnor-2023.docx", period_start=dt.date(2023, 4, 1)
    )


def build(round_: MonitoringRound) -> dict:
    return quarterly.build(round_, SystemRequester(region_id=round_.region_id))


def pdf_text(body: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages).split())


def sheet_rows(wb, name: str) -> list[tuple]:
    return list(wb[name].iter_rows(values_only=True))[1:]


@pytest.fixture
def small_cap(monkeypatch):
    """A large round in miniature: a cap of 5 rows for the full PDF, 2 rows shown per list."""
    monkeypatch.setattr(quarterly, "PDF_FULL_LISTS_UP_TO", 5)
    monkeypatch.setattr(quarterly, "PDF_LIST_ROWS", 2)


def test_a_small_round_keeps_every_list_in_the_pdf():
    round_ = tomsk_round()
    data = build(round_)
    assert data["entries_count"] == round_.entries.count() <= quarterly.PDF_FULL_LISTS_UP_TO
    assert not data["summary_only"]
    assert data["pdf_overdue"] == data["overdue"] and len(data["overdue"]) > 2
    assert data["pdf_executors"] == data["executors"]
    html = render_to_string("reporting/quarterly.html", data)
    assert "PDF содержит сводку" not in html and "Показаны" not in html
    assert "По исполнителям" in html and "По муниципалитетам" not in html
    for row in data["overdue"]:
        assert row["executor"] in html


def test_a_large_round_gets_a_summary_pdf_that_says_where_the_full_lists_are(small_cap):
    round_ = tomsk_round()
    data = build(round_)
    n = round_.entries.count()
    overdue = len(data["overdue"])
    assert data["summary_only"] and data["entries_count"] == n > 5 and overdue > 2
    assert len(data["pdf_overdue"]) == 2 and len(data["pdf_executors"]) <= 2
    # The executors shown are those furthest behind.
    behind = max(e["missing"] + e["returned"] for e in data["executors"])
    assert data["pdf_executors"][0]["missing"] + data["pdf_executors"][0]["returned"] == behind
    text = pdf_text(render_pdf(data))
    assert f"В раунде {n} строк" in text and "PDF содержит сводку" in text
    assert "«Все строки раунда»" in text
    assert (
        f"Показаны 2 из {overdue} — с самыми ранними сроками. Полный список — в XLSX-версии этого отчёта, "
        "лист «Не отправлено»." in text
    )
    earliest = sorted(r["due"] for r in data["overdue"])[:2]
    assert [r["due"] for r in data["pdf_overdue"]] == earliest
    assert "По муниципалитетам" in text and "Исполнители с наибольшим отставанием" in text
    assert "Выводы" in text  # the conclusions still close the note
    # Rows past the cap are not in the PDF.
    shown = {(r["number"], r["executor"]) for r in data["pdf_overdue"]}
    html = render_to_string("reporting/quarterly.html", data)
    assert html.count("<tr><td>") < n
    assert all(r["executor"] in html for r in data["pdf_overdue"]) and shown

    # The XLSX beside it holds everything.
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_report(data)))
    assert len(sheet_rows(wb, "Все строки раунда")) == n
    assert len(sheet_rows(wb, "Не отправлено")) == overdue
    assert len(sheet_rows(wb, "Исполнители")) == len(data["executors"])
    municipalities = sheet_rows(wb, "Муниципалитеты")
    assert sum(r[1] for r in municipalities) == n


def test_the_all_rows_sheet_is_the_frozen_round(small_cap):
    round_ = tomsk_round()
    data = build(round_)
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_report(data)))
    header, *rows = list(wb["Все строки раунда"].iter_rows(values_only=True))
    assert header[:6] == ("Раздел", "№", "Мероприятие", "Исполнитель", "Муниципалитет", "Срок")
    frozen = sorted(round_.entries.values_list("executor_name", "due_date", "is_late"))
    in_file = sorted((r[3], r[5].date(), r[9] == "да") for r in rows)
    assert in_file == frozen
    submitted = [r for r in rows if r[8] is not None]
    assert len(submitted) == round_.entries.exclude(submitted_at=None).count()


def test_closing_a_large_round_produces_both_files_and_the_pdf_names_the_xlsx(cast, small_cap):
    round_ = rounds.do_open_round(actor=None, roadmap=tomsk_round().roadmap, period_start=dt.date(2023, 7, 1))
    rounds.do_close_round(actor=None, round_=round_)
    made = {
        r.fmt: r for r in Report.objects.filter(kind="quarterly", params__round=round_.pk, automatic=True)
    }
    assert set(made) == {"pdf", "xlsx"}
    for report in made.values():
        assert services.build(report.pk) == "done"
        report.refresh_from_db()
    n = round_.entries.count()
    assert n > 5
    text = pdf_text(made["pdf"].file.read())
    assert "PDF содержит сводку" in text and "XLSX-версии этого отчёта" in text
    wb = openpyxl.load_workbook(io.BytesIO(made["xlsx"].file.read()))
    assert len(sheet_rows(wb, "Все строки раунда")) == n


def _grow(round_: MonitoringRound, times: int) -> None:
    """More rows of the same round: copies of its frozen entries."""
    copies = []
    for entry in round_.entries.all():
        values = {f.attname: getattr(entry, f.attname) for f in RoundEntry._meta.fields if not f.primary_key}
        copies += [RoundEntry(**values) for _n in range(times)]
    RoundEntry.objects.bulk_create(copies)


def test_the_number_of_queries_does_not_grow_with_the_round():
    round_ = tomsk_round()
    build(round_)  # the round's roadmap and region are fetched once and kept on the instance
    with CaptureQueriesContext(connection) as small:
        data = build(round_)
    before = data["entries_count"]
    _grow(round_, 3)
    with CaptureQueriesContext(connection) as large:
        data = build(round_)
    assert data["entries_count"] == 4 * before
    assert len(large) == len(small)
    # Rendering reads nothing more from the database.
    with CaptureQueriesContext(connection) as rendering:
        render_xlsx_report(data)
        render_to_string("reporting/quarterly.html", data)
    assert len(rendering) == 0


def test_an_open_rounds_queries_do_not_grow_with_its_obligations():
    """An open round reads the live obligations (one query with their reports and evidence counts)."""
    from monitoring.models import Obligation
    from schools.models import Organization

    round_ = rounds.do_open_round(actor=None, roadmap=tomsk_round().roadmap, period_start=dt.date(2023, 7, 1))
    build(round_)
    with CaptureQueriesContext(connection) as small:
        before = build(round_)["entries_count"]
    quarter = Obligation.objects.filter(
        roadmap=round_.roadmap, cancelled=False, due_date__range=(round_.period_start, round_.period_end)
    )
    taken = set(quarter.values_list("item_id", "executor_id", "due_date"))
    executors = {executor for _item, executor, _due in taken}
    schools = list(
        Organization.objects.filter(region_id=round_.region_id, kind="school").exclude(pk__in=executors)[:10]
    )
    more = [
        Obligation(
            region_id=o.region_id,
            roadmap_id=o.roadmap_id,
            item_id=o.item_id,
            executor=school,
            window_start=o.window_start,
            due_date=o.due_date,
        )
        for o in quarter.distinct("item_id", "due_date").order_by("item_id", "due_date")
        for school in schools
    ]
    Obligation.objects.bulk_create(more)
    with CaptureQueriesContext(connection) as large:
        after = build(round_)["entries_count"]
    assert after - before == len(more) >= 50
    assert len(large) == len(small)


def test_a_region_name_with_a_hyphen_and_quotes_reads_right_in_the_page_header():
    data = build(tomsk_round())
    data["region"] = 'Ханты-Мансийский автономный округ — Югра "тест" </style>'
    first = " ".join(PdfReader(io.BytesIO(render_pdf(data))).pages[0].extract_text().split())
    assert 'Ханты-Мансийский автономный округ — Югра "тест" </style>' in first
