"""The quarterly report of a round, small and national-large: wall time and peak memory of building
its PDF and its XLSX the way a worker does (``reporting.services.build`` of the reports the portal
orders itself when the round closes), with the pages of the PDF and the rows of the XLSX.

Two synthetic regions (``reporting/synthetic.py``) with ``--school-items`` quarterly measures of the
regional roadmap executed by every programme school: region 2 at ``--scale 1`` (a few hundred
entries: the PDF keeps every list) and region 1 at ``--large-scale`` (5: ~10,000 entries, the
largest region of the issue: the PDF carries the summary, the XLSX every entry). The round is the
regional roadmap's third quarter of last year, closed (its entries frozen), as on the real schedule.

Each build runs in a forked process, so «peak RSS» is that process's high-water mark at the end of
the build (``ru_maxrss``) — a worker with Django loaded, as Celery's prefork children are — and
«+MB» its growth over the process before the build; «CPU» is the build's user + system time, less
sensitive than the wall time to a busy machine. Prints a Markdown table; asserts nothing.

Needs PostgreSQL (DATABASE_URL, as `make bench` sets up). Works in its own database
(BENCH_DATABASE, default roadmaps_bench_quarterly), which it drops and recreates.

    python bench/bench_quarterly.py [--large-scale 5] [--school-items 15]
"""

import argparse
import datetime as dt
import io
import json
import os
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _portal import target  # noqa: E402


def database_urls() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_quarterly: set DATABASE_URL to PostgreSQL (make bench does)")
    name = os.environ.get("BENCH_DATABASE", "roadmaps_bench_quarterly")
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}")), url


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(urlunsplit(urlsplit(admin_url)._replace(path="/postgres")))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def in_child(func, *args) -> tuple[dict, float]:
    """Run ``func(*args)`` in a forked process; its JSON result and its peak RSS in MB."""
    from django.db import connections

    connections.close_all()  # the child opens its own connection
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        code = 0
        try:
            result = func(*args)
        except BaseException as exc:  # reported to the parent, which prints it
            result, code = {"error": repr(exc)}, 1
        with os.fdopen(write, "w") as out:
            json.dump(result, out, default=str)
        connections.close_all()
        os._exit(code)
    os.close(write)
    with os.fdopen(read) as inp:
        text = inp.read()
    _pid, _status, usage = os.wait4(pid, 0)
    return json.loads(text or "{}"), usage.ru_maxrss / 1024


def build_report(report_id: int) -> dict:
    """In the child: build one report as the worker does, then read what it produced."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting import services
    from reporting.models import Report

    before = rss_mb()
    cpu = cpu_seconds()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        outcome = services.build(report_id)
        seconds = time.perf_counter() - started
    # The high-water mark now is the build's peak (reading the file back below comes after).
    result = {"peak_mb": rss_mb(), "cpu": cpu_seconds() - cpu}
    report = Report.objects.get(pk=report_id)
    result |= {
        "outcome": outcome,
        "message": report.message,
        "seconds": seconds,
        "before_mb": before,
        "queries": len(captured),
    }
    if report.status == Report.Status.DONE:
        body = report.file.read()
        result["kb"] = len(body) / 1024
        if report.fmt == Report.Format.PDF:
            from pypdf import PdfReader

            result["pages"] = len(PdfReader(io.BytesIO(body)).pages)
        else:
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(body), read_only=True)
            result["rows"] = sum(1 for ws in wb.worksheets for _row in ws.iter_rows(values_only=True))
            result["sheets"] = len(wb.worksheets)
    return result


def close_round(region_code: str, year: int) -> tuple[int, dict[str, int]]:
    """The regional roadmap's third-quarter round, opened and closed; its automatic reports' ids."""
    from monitoring import rounds
    from monitoring.models import RoundEntry
    from reporting.models import Report
    from roadmaps.models import Roadmap

    roadmap = Roadmap.objects.get(region__code=region_code, level=Roadmap.Level.REGIONAL)
    round_ = rounds.do_open_round(actor=None, roadmap=roadmap, period_start=dt.date(year, 7, 1))
    rounds.do_close_round(actor=None, round_=round_)
    entries = RoundEntry.objects.filter(round=round_).count()
    reports = Report.objects.filter(kind=Report.Kind.QUARTERLY, params__round=round_.pk, automatic=True)
    return entries, {r.fmt: r.pk for r in reports}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-scale", type=float, default=5.0)
    parser.add_argument("--school-items", type=int, default=15)
    args = parser.parse_args()

    url, admin_url = database_urls()
    recreate_database(admin_url, urlsplit(url).path.lstrip("/"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", "/tmp/bench_quarterly_media")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from reporting import services, synthetic

    call_command("migrate", verbosity=0)
    # The automatic reports stay queued: this script builds them itself, one per child process.
    services.dispatch_report = lambda report_id: False
    year = dt.date.today().year - 1  # a past year: every due date has passed, the figures are stable
    cases = [("2", 1.0), ("1", args.large_scale)]
    rows = []
    for code_number, scale in cases:
        number = int(code_number)
        started = time.monotonic()
        synthetic.generate(
            regions=1,
            first=number,
            scale=scale,
            year=year,
            today=dt.date.today(),
            school_items=args.school_items,
        )
        print(f"регион {number}, --scale {scale}: {time.monotonic() - started:.0f} с", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        entries, reports = close_round(synthetic.region_code(number), year)
        pdf, pdf_rss = in_child(build_report, reports["pdf"])
        xlsx, xlsx_rss = in_child(build_report, reports["xlsx"])
        for name, result in (("PDF", pdf), ("XLSX", xlsx)):
            if result.get("outcome") != "done":
                print(f"  {name}: {result}", file=sys.stderr)
        rows.append((scale, entries, pdf, pdf_rss, xlsx, xlsx_rss))

    load = os.getloadavg()[0]
    print(
        f"Раунд III квартала {year} г. по региональной карте, `--school-items {args.school_items}`; "
        f"сборка как в воркере (`reporting.services.build`), каждый отчёт в своём процессе; "
        f"загрузка машины (loadavg 1 мин) {load:.1f} на {os.cpu_count()} ядра.\n"
    )
    print(
        "| масштаб | строк раунда | PDF: стена, с | PDF: CPU, с | PDF: пик RSS, МБ (+рост) | страниц "
        "| PDF, КБ | запросов | XLSX: стена, с | XLSX: CPU, с | XLSX: пик RSS, МБ (+рост) | строк XLSX "
        "| XLSX, КБ | запросов |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")

    def peak(r: dict) -> str:
        return f"{r.get('peak_mb', 0):.0f} (+{r.get('peak_mb', 0) - r.get('before_mb', 0):.0f})"

    for scale, entries, pdf, _pdf_rss, xlsx, _xlsx_rss in rows:
        print(
            f"| `--scale {scale:g}` | {entries} | {pdf.get('seconds', 0):.1f} | {pdf.get('cpu', 0):.1f} "
            f"| {peak(pdf)} | {pdf.get('pages', '—')} | {pdf.get('kb', 0):.0f} | {pdf.get('queries', '—')} "
            f"| {xlsx.get('seconds', 0):.1f} | {xlsx.get('cpu', 0):.1f} | {peak(xlsx)} | {xlsx.get('rows', '—')} "
            f"| {xlsx.get('kb', 0):.0f} | {xlsx.get('queries', '—')} |"
        )
    _scale, entries, pdf, _pdf_rss, _xlsx, _xlsx_rss = rows[-1]
    print(f"\nЦели (крупный раунд, {entries} строк):")
    print(
        target(
            f"PDF меньше 15 с (сейчас {pdf.get('seconds', 0):.1f} с)",
            pdf.get("outcome") == "done" and pdf.get("seconds", 99) < 15,
        )
    )
    print(
        target(
            f"пик памяти PDF меньше 300 МБ (сейчас {pdf.get('peak_mb', 0):.0f} МБ)",
            0 < pdf.get("peak_mb", 0) < 300,
        )
    )


if __name__ == "__main__":
    main()
