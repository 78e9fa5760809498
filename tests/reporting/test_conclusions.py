"""«Выводы» of the quarterly and municipal reports: written from the report's own figures, in the
PDF before the signature block, and on their own XLSX sheet."""

import datetime as dt
import io

import openpyxl
import pytest
from pypdf import PdfReader

from monitoring.models import MonitoringRound, RoundEntry
from monitoring.tally import total
from reporting import conclusions
from reporting.builders import municipal, quarterly
from reporting.render import render_pdf, render_xlsx_report
from schools.access import SystemRequester
from schools.models import Municipality


def figures(expected: int, submitted: int, on_time: int, accepted: int, returned: int = 0) -> dict:
    pct = lambda n: round(100 * n / expected, 1) if expected else 0.0  # noqa: E731
    return {
        "expected": expected,
        "submitted": submitted,
        "on_time": on_time,
        "accepted": accepted,
        "returned": returned,
        "missing": expected - submitted,
        "completeness": pct(submitted),
        "timeliness": pct(on_time),
        "acceptance": pct(accepted),
    }


def test_it_names_who_is_behind_what_changed_and_what_nobody_reports():
    data = {
        "totals": figures(10, 6, 4, 3, returned=1),
        "previous": {"quarter": "1 квартал 2023", **figures(8, 4, 2, 2)},
        "executors": [
            {"name": "СОШ № 1", "municipality": "Город Томск", **figures(4, 1, 1, 1, returned=1)},
            {"name": "СОШ № 2", "municipality": "Зырянский район", **figures(3, 2, 1, 1)},
            {"name": "ИМЦ", "municipality": "", **figures(3, 3, 2, 1)},
        ],
        "items": [
            {"number": "1.", "text": "Анализ результатов ВПР", **figures(3, 0, 0, 0)},
            {"number": "2.", "text": "Семинар", **figures(7, 6, 4, 3)},
        ],
    }
    lines = conclusions.write(data)
    assert lines[0].startswith("Ожидалось отчётов об исполнении: 10. Отправлено: 6 (60,0 %)")
    assert lines[1] == (
        "Дальше всех отстают: СОШ № 1 (Город Томск) — не отправлено 3 из 4, на доработке 1; "
        "СОШ № 2 (Зырянский район) — не отправлено 1 из 3."
    )
    assert "выросла на 15,0 п. п. (25,0 % → 40,0 %)" in lines[2] and "1 квартал 2023" in lines[2]
    assert lines[3] == "Ни один исполнитель не отчитался по мероприятиям (1): п. 1. «Анализ результатов ВПР»."
    assert lines[4].startswith("Возвращено на доработку отчётов: 1")


def test_it_says_so_when_there_is_nothing_to_compare_or_nobody_is_behind():
    data = {
        "totals": figures(2, 2, 2, 2),
        "previous": None,
        "executors": [{"name": "СОШ", **figures(2, 2, 2, 2)}],
        "items": [{"number": "1.", "text": "x", **figures(2, 2, 2, 2)}],
    }
    lines = conclusions.write(data)
    assert "Все исполнители отправили отчёты" in lines[1]
    assert "Закрытого раунда мониторинга для сравнения нет" in lines[2]
    assert "хотя бы один исполнитель" in lines[3] and len(lines) == 4
    assert conclusions.write({**data, "totals": figures(0, 0, 0, 0)}) == [
        "За отчётный период отчётов об исполнении не ожидалось."
    ]


@pytest.mark.django_db
def test_the_quarterly_report_concludes_in_pdf_and_xlsx_with_a_signature(cast):
    round_ = MonitoringRound.objects.get(
        roadmap__source_name="000-tomsk-shnor-2023.docx", period_start=dt.date(2023, 4, 1)
    )
    data = quarterly.build(round_, cast["tomsk-coordinator"])
    # Who is furthest behind, counted here from the frozen snapshot.
    entries = list(RoundEntry.objects.filter(round=round_))
    by_executor: dict[str, list] = {}
    for e in entries:
        by_executor.setdefault(e.executor_name, []).append(e)
    worst = max(
        by_executor,
        key=lambda name: (
            sum(e.submitted_at is None for e in by_executor[name])
            + sum(e.review_state == "returned" for e in by_executor[name]),
            -total(by_executor[name]).completeness,
        ),
    )
    assert data["conclusions"][1].startswith(f"Дальше всех отстают: {worst} ")
    assert "1 квартал 2023" in data["conclusions"][2]
    assert data["signature"]["name"] == cast["tomsk-coordinator"].full_name

    reader = PdfReader(io.BytesIO(render_pdf(data)))
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Выводы" in last and "(подпись)" in last and cast["tomsk-coordinator"].full_name in last
    assert worst in last

    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_report(data)))
    assert wb.sheetnames[1] == "Выводы"
    texts = [row[1] for row in wb["Выводы"].iter_rows(values_only=True)]
    assert data["conclusions"][0] in texts and any("(подпись)" in str(t) for t in texts)


@pytest.mark.django_db
def test_the_municipal_report_concludes_with_the_change_since_the_last_round():
    zyryanka = Municipality.objects.get(name="Зырянский район")
    requester = SystemRequester(region_id=zyryanka.region_id)
    data = municipal.build(zyryanka, requester, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    entries = RoundEntry.objects.filter(round__state="closed", executor__municipality=zyryanka)
    assert data["previous"] is not None and data["previous"]["expected"] <= entries.count()
    assert "По сравнению с последним закрытым раундом" in data["conclusions"][2]
    silent = [i for i in data["items"] if i["expected"] and not i["submitted"]]
    assert f"({len(silent)})" in data["conclusions"][3]
    # Built on schedule: the regional operator prepares it, name and signature left to sign by hand.
    assert data["signature"]["name"] == "" and "институт" in data["signature"]["organization"]
    last = " ".join(PdfReader(io.BytesIO(render_pdf(data))).pages[-1].extract_text().split())
    assert "Выводы" in last and "(Ф. И. О.)" in last
