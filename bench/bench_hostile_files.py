"""Hostile files against the roadmap import: zip bombs, lying zip headers, entity bombs.

For each file: its size on disk, what its zip directory claims once unpacked («по zip»), the time and the peak
Python memory (tracemalloc) of the import's check and reading (``services.check_upload`` then
``services.parse_document``), and the outcome. Prints a table; asserts nothing. Before this
check a 1.5 MB DOCX bomb took the web worker ~3 GB and 20–29 s.

Run: `make bench` (or `.venv/bin/python bench/bench_hostile_files.py`).
"""

import io
import os
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import docx  # noqa: E402, F401 — imported up front: import time is not the check's time
import openpyxl  # noqa: E402, F401
from django.core.exceptions import ValidationError  # noqa: E402

from roadmaps import services  # noqa: E402
from roadmaps.importing.tables import ReadError  # noqa: E402
from tests import hostile_files as hostile  # noqa: E402

MB = 2**20
FIXTURE = ROOT / "fixtures" / "roadmaps" / "000-tomsk-shnor-2023.docx"

FILES = [
    ("настоящий план (DOCX)", "план.docx", lambda: FIXTURE.read_bytes()),
    ("DOCX-бомба 2 ГБ", "бомба.docx", hostile.docx_bomb),
    ("XLSX-бомба 2 ГБ", "бомба.xlsx", hostile.xlsx_bomb),
    ("DOCX-бомба 50 МБ (сжатие)", "бомба.docx", lambda: hostile.docx_bomb(unpacked_mib=50)),
    ("XLSX: заголовок лжёт о размере", "ложь.xlsx", lambda: hostile.xlsx_lying_about_size(512)),
    (
        "XLSX: лжёт о размере и CRC",
        "ложь.xlsx",
        lambda: hostile.xlsx_lying_about_size(512, declared=300_000, matching_crc=True),
    ),
    ("DOCX: 5000 частей", "части.docx", hostile.many_parts_docx),
    ("DOCX: «billion laughs»", "сущности.docx", hostile.docx_with_entities),
    ("XLSX: «billion laughs»", "сущности.xlsx", hostile.xlsx_with_entities),
]


def declared_mb(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return f"{sum(i.file_size for i in z.infolist()) / MB:,.0f}".replace(",", " ")


def attempt(name: str, data: bytes) -> str:
    try:
        services.check_upload(name, data)
        parsed = services.parse_document(data)
    except ValidationError as exc:
        return "отказ: " + " ".join(exc.messages)
    except ReadError as exc:
        return f"отказ: {exc}"
    return f"принят: {sum(len(s['items']) for s in parsed.get('sections', []))} мероприятий"


def run(name: str, data: bytes) -> tuple[float, int, str]:
    """Time without tracing (tracemalloc slows Python code several times), then the peak."""
    started = time.perf_counter()
    outcome = attempt(name, data)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    attempt(name, data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak, outcome


def main() -> None:
    header = f"{'файл':34} {'на диске':>10} {'по zip':>9} {'время':>9} {'пик памяти':>11}  итог"
    print(header)
    print("-" * len(header))
    for label, name, build in FILES:
        data = build()
        elapsed, peak, outcome = run(name, data)
        print(
            f"{label:34} {len(data) / MB:>7.2f} МБ {declared_mb(data):>6} МБ {elapsed * 1000:>6.0f} мс"
            f" {peak / MB:>8.1f} МБ  {outcome[:110]}"
        )


if __name__ == "__main__":
    main()
