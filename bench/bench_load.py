"""Load: many people of many regions at once, on the production shape (gunicorn, DEBUG off).

Starts gunicorn on loopback over a database with generated regions (by default the one
bench/bench_national.py leaves behind, BENCH_DATABASE=roadmaps_bench), then runs locust headless
(bench/locust/portal.py): N users of up to R regions and all five roles, 1–3 s of thought between
pages, for a fixed time. Prints throughput, p50/p95/p99 and errors per role and in total as a
Markdown table; asserts nothing.

    python bench/bench_load.py [--users 50] [--regions 50] [--seconds 60] [--workers 3]
"""

import argparse
import csv
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_load: set DATABASE_URL to PostgreSQL (make bench does)")
    name = os.environ.get("BENCH_DATABASE", "roadmaps_bench")
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def synthetic_regions(url: str) -> int:
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM schools_user WHERE username LIKE 'synth%%-coordinator'")
        return cur.fetchone()[0]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return  # it answers (503 from /healthz without a worker is an answer)
        except OSError:
            time.sleep(0.5)
    sys.exit(f"bench_load: {url} did not answer in {seconds} s")


def table(path: Path, seconds: int) -> str:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    by_role: dict[str, list[dict]] = {}
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
        elif row["Name"] not in ("login", "login form"):
            by_role.setdefault(row["Name"].split()[0], []).append(row)
    lines = [
        "| кто | запросов | в секунду | p50, мс | p95, мс | p99, мс | ошибок |",
        "|---|---|---|---|---|---|---|",
    ]

    def line(name: str, group: list[dict]) -> str:
        count = sum(int(r["Request Count"]) for r in group)
        failures = sum(int(r["Failure Count"]) for r in group)
        # Percentiles of a group: the worst of its pages (locust keeps them per name).
        p50 = max(float(r["50%"]) for r in group)
        p95 = max(float(r["95%"]) for r in group)
        p99 = max(float(r["99%"]) for r in group)
        return (
            f"| {name} | {count} | {count / seconds:.1f} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {failures} |"
        )

    for role, group in sorted(by_role.items()):
        lines.append(line(role, group))
    if total:
        lines.append(line("**все, вместе со входом**", [total]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--regions", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    url = bench_database_url()
    regions = min(args.regions, synthetic_regions(url))
    if not regions:
        sys.exit(
            "bench_load: no generated regions — run bench/bench_national.py (or generate_synthetic) first"
        )
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_BEHIND_TLS_PROXY": "0",
        "LOAD_REGIONS": str(regions),
    }
    web = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            "--timeout=60",
            "--max-requests=1000",
            "--max-requests-jitter=100",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        host = f"http://127.0.0.1:{port}"
        wait_for(f"{host}/healthz")
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            run = subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locust" / "portal.py"),
                    "--headless",
                    f"--users={args.users}",
                    f"--spawn-rate={max(1, args.users // 10)}",
                    f"--run-time={args.seconds}s",
                    f"--host={host}",
                    f"--csv={prefix}",
                    "--only-summary",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            ).stderr
            problems = [line for line in run.splitlines() if "Error" in line or "Traceback" in line]
            print(
                f"Нагрузка: {args.users} пользователей из {regions} синтетических регионов, все пять ролей, "
                f"пауза 1–3 с, {args.seconds} с; gunicorn, {args.workers} процесса, DEBUG выключен.\n"
            )
            print(table(Path(f"{prefix}_stats.csv"), args.seconds))
            if problems:
                print("\nОшибки нагрузчика (первые 5):\n" + "\n".join(problems[:5]))
    finally:
        web.terminate()
        web.wait(timeout=30)


if __name__ == "__main__":
    main()
