"""The quarterly report's indicators: plan against fact per executor, a total only where it means something."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from monitoring.models import MonitoringRound
from reporting.builders import quarterly
from reporting.builders.quarterly import target_met
from reporting.render import render_xlsx_report
from schools.access import SystemRequester

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fact, comparator, target, met",
    [
        ("3", ">=", "2", True),
        ("2", ">=", "2", True),
        ("1", ">=", "2", False),
        ("2", ">", "2", False),
        ("5", "<=", "5", True),
        ("17", "=", "17", True),
        ("16", "=", "17", False),
        (None, ">=", "2", None),
    ],
)
def test_target_met(fact, comparator, target, met):
    assert target_met(Decimal(fact) if fact else None, comparator, Decimal(target)) is met


def test_the_indicators_sheet_compares_each_executor_with_the_plan():
    round_ = MonitoringRound.objects.get(
        roadmap__source_name="000-tomsk-shnor-2023.docx", period_start=dt.date(2023, 4, 1)
    )
    data = quarterly.build(round_, SystemRequester(region_id=round_.region_id))
    rows = data["indicator_rows"]
    entries = round_.entries.exclude(target_value=None)
    assert len(rows) == entries.count() > 0
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_report(data)))
    sheet = list(wb["Показатели"].iter_rows(values_only=True))
    header = sheet[0]
    assert header == (
        "№",
        "Мероприятие",
        "Исполнитель",
        "Муниципалитет",
        "Срок",
        "Условие",
        "План",
        "Единица",
        "Факт",
        "План достигнут",
    )
    assert len(sheet) - 1 == len(rows)
    for line in sheet[1:]:
        record = dict(zip(header, line, strict=True))
        assert record["Исполнитель"]  # one executor per row
        expected = target_met(
            Decimal(str(record["Факт"])) if record["Факт"] is not None else None,
            {"не менее": ">=", "более": ">", "не более": "<=", "менее": "<", "ровно": "="}[record["Условие"]],
            Decimal(str(record["План"])),
        )
        assert record["План достигнут"] == {True: "да", False: "нет", None: "нет отчёта"}[expected]
    assert isinstance(sheet[1][4], dt.datetime)  # the due date is a real date cell
    # The per-item sheet never sets a sum over several executors against one executor's plan.
    totals = list(wb["Показатели — итоги"].iter_rows(values_only=True))
    by_number = {i["number"]: i for i in data["indicators"]}
    for line in totals[1:]:
        item = by_number[line[0]]
        executors = {r["executor"] for r in rows if r["number"] == line[0]}
        assert line[6] == item["met"] <= item["reported"] <= item["expected"]
        if len(executors) > 1:
            assert line[7] is None
    assert any(len({r["executor"] for r in rows if r["number"] == n}) > 1 for n in by_number)
