"""The XLSX writer as sheets grow: time and peak Python memory (tracemalloc) to write N rows of
roadmap-like text, numbers and dates to a file. Memory should stay flat: rows stream through
openpyxl's write-only mode. Pure: no database. Prints figures; asserts nothing."""

import datetime as dt
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.xlsx import Sheet, write_xlsx  # noqa: E402

COLUMNS = [("№ п/п", 8), ("Мероприятие", 60), ("Исполнитель", 30), ("Срок", 12), ("Полнота, %", 12)]


def rows(n: int):
    for i in range(n):
        yield [
            f"{i + 1}.",
            f"Проведение совещания с руководителями ШНОР № {i} по итогам мониторинга",
            "=МОУО" if i % 10 == 0 else "Управление образования",
            dt.date(2023, 1, 1) + dt.timedelta(days=i % 365),
            round(i % 100 + 0.5, 1),
        ]


def measure(n: int, *, traced: bool) -> tuple[float, int, int]:
    with tempfile.TemporaryFile() as out:
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        write_xlsx([Sheet("Мероприятия", COLUMNS, rows=rows(n), heading=["Бенчмарк"])], out)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
            tracemalloc.stop()
        size = out.tell()
    return elapsed, peak, size


def main() -> None:
    print(f"{'rows':>8} {'time, s':>9} {'µs/row':>8} {'peak MB':>8} {'file KB':>8}")
    for n in (1_000, 5_000, 20_000):
        elapsed, _peak, size = measure(n, traced=False)  # time without tracing overhead
        _t, peak, _size = measure(n, traced=True)
        print(f"{n:>8} {elapsed:>9.2f} {elapsed / n * 1e6:>8.0f} {peak / 2**20:>8.2f} {size / 1024:>8.0f}")


if __name__ == "__main__":
    main()
