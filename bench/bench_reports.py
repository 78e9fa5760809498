"""The national export («Выгрузка всех обязательств по стране») at national scale: wall time and
peak RSS of the real build (the worker's ``services.build``: gate, regions one by one, chunked
server-side cursor, ``core.xlsx`` bulk sheet, storage) against bare openpyxl write-only writing
the same rows, and reading the rows alone — each in its own process, in the same run. Prints a
Markdown table; asserts nothing. The CPU seconds of each process are given beside the wall time:
on a busy machine they say more.

Needs PostgreSQL with generated data: the database BENCH_DATABASE (default roadmaps_bench) on the
server of DATABASE_URL. ``--regions N`` first migrates it and tops it up to N synthetic regions
(`generate_synthetic` skips regions already there); without it the data already there is used.
``--only K`` measures the first K regions only (a quicker run to extrapolate from).

    python bench/bench_reports.py [--regions 85] [--only 5] [--cases export,raw,read]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _portal import target  # noqa: E402

CASES = {
    "export": "the national export (services.build)",
    "raw": "bare openpyxl write-only, same rows",
    "read": "reading the rows only (no file)",
}


def bench_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_reports: set DATABASE_URL to PostgreSQL (make bench does)")
    name = os.environ.get("BENCH_DATABASE", "roadmaps_bench")
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()


def requester():
    from schools.models import User

    user, _created = User.objects.get_or_create(username="bench-federal", defaults={"federal_viewer": True})
    return user


def region_ids(only: int | None) -> list[int] | None:
    if not only:
        return None
    from schools.models import Region

    return list(Region.objects.order_by("code").values_list("pk", flat=True)[:only])


def run_case(case: str, only: int | None) -> dict:
    """One measurement, in this (fresh) process."""
    from reporting.builders import national

    user = requester()
    ids = region_ids(only)
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()
    rows = 0
    size = 0
    if case == "export" and ids is None:
        from reporting import services
        from reporting.models import Report

        report = Report.objects.create(kind="national", fmt="xlsx", title="bench", requested_by=user)
        result = services.build(report.pk)
        report.refresh_from_db()
        if result != "done":
            sys.exit(f"bench_reports: the export failed: {report.message}")
        size = report.file.size
        rows = national.obligations(user).count()
        report.file.delete(save=False)
        report.delete()
    elif case == "export":
        with tempfile.TemporaryFile() as out:
            rows = national.write(user, out, lambda pct, msg="": None, region_ids=ids)
            size = out.tell()
    elif case == "raw":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Обязательства")
        ws.append([str(name) for name, _width in national.COLUMNS])
        for row in national.rows(user, region_ids=ids):
            ws.append(row)
            rows += 1
        with tempfile.TemporaryFile() as out:
            wb.save(out)
            size = out.tell()
    else:
        for _row in national.rows(user, region_ids=ids):
            rows += 1
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return {
        "case": case,
        "rows": rows,
        "seconds": elapsed,
        "cpu": cpu,
        "peak_mb": usage.ru_maxrss / 1024,
        "mb": size / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=0, help="top the bench database up to N regions first")
    parser.add_argument("--only", type=int, default=0, help="measure the first K regions only")
    parser.add_argument("--cases", default="export,raw,read")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # a child process measuring one case
    args = parser.parse_args()
    url = bench_url()
    if args.case:
        setup_django(url)
        print(json.dumps(run_case(args.case, args.only or None)))
        return
    if args.regions:
        setup_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("generate_synthetic", regions=args.regions, stdout=sys.stderr, stderr=sys.stderr)
    results = []
    for case in args.cases.split(","):
        cmd = [sys.executable, __file__, "--case", case, "--only", str(args.only)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=os.environ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        print(f"… {case}: {results[-1]}", file=sys.stderr, flush=True)
    load = os.getloadavg()[0]
    print(
        f"\nNational export, {results[0]['rows']:,} rows; load average {load:.1f} on {os.cpu_count()} cores\n"
    )
    print(
        "| case | rows | time, s | µs/row | CPU of the process, s | peak RSS, MB | file, MB | × raw (time / CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    raw = next((r for r in results if r["case"] == "raw"), None)
    if args.only:
        CASES["export"] = "the national export (national.write, no storage)"
    for r in results:
        ratio = (
            f"{r['seconds'] / raw['seconds']:.2f} / {r['cpu'] / raw['cpu']:.2f}"
            if raw and r["case"] != "read"
            else "—"
        )
        print(
            f"| {CASES[r['case']]} | {r['rows']:,} | {r['seconds']:.1f} | {r['seconds'] / max(r['rows'], 1) * 1e6:.0f} "
            f"| {r['cpu']:.1f} | {r['peak_mb']:.0f} | {r['mb']:.1f} | {ratio} |"
        )
    export = next((r for r in results if r["case"] == "export"), None)
    if export:
        print(
            "\nЦели" + (f" (только {args.only} регионов: время — не для страны)" if args.only else "") + ":"
        )
        if not args.only:
            print(target(f"меньше 2 минут (сейчас {export['seconds']:.0f} с)", export["seconds"] < 120))
        print(
            target(f"пик памяти меньше 300 МБ (сейчас {export['peak_mb']:.0f} МБ)", export["peak_mb"] < 300)
        )
        if raw:
            ratio = export["seconds"] / raw["seconds"]
            print(
                target(
                    f"не дольше 1,5× голого openpyxl (сейчас {ratio:.2f}×)".replace(".", ","), ratio <= 1.5
                )
            )


if __name__ == "__main__":
    main()
