"""Throughput of the pure parts of the importer: schedule phrases, indicators, whole documents.

Prints figures; asserts nothing. Run: `make bench` (or `.venv/bin/python bench/bench_parsing.py`).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from roadmaps.importing.structure import parse_tables  # noqa: E402
from roadmaps.importing.tables import read_tables  # noqa: E402
from roadmaps.indicators import parse_indicator  # noqa: E402
from roadmaps.schedule import parse_schedule  # noqa: E402

PHRASES = [
    "Январь-март 2023г.",
    "20–21 апреля 2023г., октябрь 2023г.",
    "Ежемесячно",
    "В течение года",
    "Октябрь 2020\nДалее:\nавгуст\n2021\n2022\n2023",
    "До 20 июня 2021 2022 2023",
    "ежемесячно январь-апрель, сентябрь-декабрь",
    "По мере поступления",
    "по графику федерального оператора",
    "когда-нибудь потом",
]
INDICATORS = [
    "Проведено 17 экспертиз",
    "не менее 2 новостей в месяц",
    "более 20% педагогов",
    "Проведен вебинар",
]


def timed(label: str, fn, repeat: int) -> None:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        runs.append((time.perf_counter() - start) / repeat)
    print(f"{label:55} {statistics.median(runs) * 1e6:10.1f} µs/op  (median of 5 × {repeat})")


def main() -> None:
    start, end = dt.date(2020, 1, 1), dt.date(2023, 12, 31)
    timed("parse_schedule, 10 typical phrases", lambda: [parse_schedule(p, start, end) for p in PHRASES], 200)
    timed("parse_indicator, 4 typical texts", lambda: [parse_indicator(t) for t in INDICATORS], 500)
    for name in (
        "000-tomsk-shnor-2023.docx",
        "001-tambov-2020-2023.docx",
        "002-tomsk-minpros-2022-2024.xlsx",
    ):
        data = (ROOT / "fixtures" / "roadmaps" / name).read_bytes()
        timed(
            f"read + parse {name} ({len(data) // 1024} KiB)",
            lambda data=data: parse_tables(read_tables(data)),
            10,
        )


if __name__ == "__main__":
    main()
