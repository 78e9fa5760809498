"""«Результаты и исполнение» in the quarterly, municipal and school reports: the schools in the
report's scope with status, high risks, self-diagnosis level, execution and the ВПР trend, read
through the gate as the requester; short in the PDF, every school in the XLSX."""

import datetime as dt
import io

import openpyxl
import pytest
from pypdf import PdfReader

from diagnostics.models import RiskLevel
from monitoring.models import MonitoringRound
from reporting.builders import municipal, quarterly, results, school
from reporting.render import render_pdf, render_xlsx_report
from schools.access import SystemRequester
from schools.models import Organization

pytestmark = pytest.mark.django_db
NOT_A_RATING = "не рейтинг школ и учителей"


def demo_round() -> MonitoringRound:
    """The living demo's closed round (the quarter before last, in the demo's years)."""
    return MonitoringRound.objects.get(
        roadmap__region__code="70", roadmap__demo_anchor__isnull=False, state=MonitoringRound.State.CLOSED
    )


@pytest.fixture
def cherdaty(db) -> Organization:
    return Organization.objects.get(short_name="МБОУ «Чердатская СОШ»")


def test_the_quarterly_report_lists_the_rounds_schools_high_risk_and_lagging_first():
    round_ = demo_round()
    data = quarterly.build(round_, SystemRequester(round_.region_id))
    section = data["results"]
    assert NOT_A_RATING in section["note"]
    assert len(section["years"]) == 3 and section["years"][-1] == round_.period_end.year
    executors = {e.executor_id for e in round_.entries.all()}
    schools = Organization.objects.filter(pk__in=executors, kind="school")
    assert {r["school"] for r in section["schools"]} <= {s.short_name for s in schools}
    assert section["schools"]
    # Within a municipality: more high risks first, then the lower completeness (support, not a rating).
    for a, b in zip(section["schools"], section["schools"][1:], strict=False):
        if a["municipality"] == b["municipality"]:
            assert (-a["high"], a["completeness"] or 0) <= (-b["high"], b["completeness"] or 101)
    first = section["pdf_schools"][0]
    assert first["high"] == max(r["high"] for r in section["schools"])
    shnor = next(r for r in section["schools"] if "ШНОР" in r["statuses"])
    assert shnor["high"] >= 2 and len(shnor["shares"]) == 3 and shnor["level"]
    assert sum(m["schools"] for m in section["municipalities"]) == len(section["schools"])
    # «Выводы» say where support is needed first, in the same careful words.
    [line] = [c for c in data["conclusions"] if c.startswith("Результаты и исполнение")]
    assert f"школ в разделе — {len(section['schools'])}" in line and NOT_A_RATING in line


def test_the_section_reads_back_from_the_pdf_and_lists_every_school_in_the_xlsx():
    round_ = demo_round()
    data = quarterly.build(round_, SystemRequester(round_.region_id))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(data))).pages)
    assert "Результаты и исполнение" in text and NOT_A_RATING in text
    squeezed = text.replace(" ", "")  # a name wraps inside its cell
    assert data["results"]["pdf_schools"][0]["school"].replace(" ", "") in squeezed
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_report(data)))
    sheet = wb["Результаты и исполнение"]
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert all(r["school"] in names for r in data["results"]["schools"])
    assert any(NOT_A_RATING in str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0])
    assert "Результаты по муниципалитетам" in wb.sheetnames


def test_the_municipal_report_holds_its_own_schools_and_nothing_for_another_municipality(cast, cherdaty):
    end = dt.date.today()
    start = end - dt.timedelta(days=365)
    own = municipal.build(cherdaty.municipality, cast["zyryanka-municipal"], start=start, end=end)
    assert {r["municipality"] for r in own["results"]["schools"]} == {cherdaty.municipality.name}
    assert cherdaty.short_name in {r["school"] for r in own["results"]["schools"]}
    # Built as the Томск official (the gate, not the parameter, decides what it reads).
    other = municipal.build(cherdaty.municipality, cast["tomsk-municipal"], start=start, end=end)
    assert other["results"] is None


def test_the_school_card_shows_the_schools_risks_and_results(cast, cherdaty):
    data = school.build(cherdaty, cast["cherdaty-director"])
    [row] = data["results"]["schools"]
    year = row["risk_year"]
    assert row["high"] == RiskLevel.objects.filter(school=cherdaty, year=year, level="high").count() >= 3
    assert row["statuses"] == "ШНОР" and row["trend"] in {"снижается", "растёт", "без изменений"}
    assert school.build(cherdaty, cast["tomsk-director"])["results"] is None
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_report(data)))
    assert "Результаты и исполнение" in wb.sheetnames and "Результаты по муниципалитетам" not in wb.sheetnames


def test_no_diagnostics_no_section_and_a_flat_query_count(cast, cherdaty, django_assert_max_num_queries):
    requester = SystemRequester(cherdaty.region_id)
    assert results.section(requester, [], today=dt.date.today()) is None
    # 2023: before the demo's diagnostics, and the schools' statuses alone still show.
    old = results.section(requester, [cherdaty.pk], today=dt.date(2023, 6, 30))
    assert old["schools"][0]["high"] == 0 and old["schools"][0]["statuses"] == "ШНОР"
    few = list(Organization.objects.filter(region__code="70", kind="school").values_list("pk", flat=True))
    with django_assert_max_num_queries(12) as q:
        results.section(requester, few[:2], today=dt.date.today())
    with django_assert_max_num_queries(len(q.captured_queries)):
        results.section(requester, few, today=dt.date.today())
