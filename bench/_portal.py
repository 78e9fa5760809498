"""Shared by the load benchmarks: the portal on gunicorn over a bench database, locust runs and
their tables. Not a benchmark itself (``make bench`` runs it as a script: it does nothing)."""

import csv
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
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
        sys.exit("bench: set DATABASE_URL to PostgreSQL (make bench does)")
    name = os.environ.get("BENCH_DATABASE", "roadmaps_bench")
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production process on loopback (DEBUG off, no TLS in between)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_BEHIND_TLS_PROXY": "0",
        **extra,
    }


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return  # it answers (503 from /healthz without a worker is an answer)
        except OSError:
            time.sleep(0.5)
    sys.exit(f"bench: {url} did not answer in {seconds} s")


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[str]:
    """gunicorn as docker-compose starts it, on a free loopback port; yields its address."""
    port = free_port()
    web = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
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
        _wait_for(f"{host}/healthz")
        yield host
    finally:
        web.terminate()
        web.wait(timeout=30)


def locust(
    locustfile: str, host: str, env: dict[str, str], prefix: Path, *, users: int, rate: float, seconds: int
) -> list[str]:
    """Run locust headless; returns the error lines it printed (the stats go to ``prefix``_stats.csv)."""
    stderr = subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locust" / locustfile),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={rate}",
            f"--run-time={seconds}s",
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
    if os.environ.get("BENCH_DEBUG"):
        print(stderr, file=sys.stderr)
    return [line for line in stderr.splitlines() if "Error" in line or "Traceback" in line]


def stats_table(path: Path, seconds: float, group_of) -> str:
    """A Markdown table of locust's stats, rows grouped by ``group_of(name)`` (None drops a row)."""
    groups: dict[str, list[dict]] = {}
    total = None
    for row in csv.DictReader(path.open(encoding="utf-8")):
        if row["Name"] == "Aggregated":
            total = row
        elif (group := group_of(row["Name"])) is not None:
            groups.setdefault(group, []).append(row)
    lines = [
        "| что | запросов | в секунду | p50, мс | p95, мс | p99, мс | ошибок |",
        "|---|---|---|---|---|---|---|",
    ]

    def line(name: str, rows: list[dict]) -> str:
        count = sum(int(r["Request Count"]) for r in rows)
        failures = sum(int(r["Failure Count"]) for r in rows)
        # A group's percentiles are its worst page's (locust keeps them per name).
        p50, p95, p99 = (max(float(r[p]) for r in rows) for p in ("50%", "95%", "99%"))
        return (
            f"| {name} | {count} | {count / seconds:.1f} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {failures} |"
        )

    lines += [line(name, rows) for name, rows in sorted(groups.items())]
    if total:
        lines.append(line("**всего**", [total]))
    return "\n".join(lines)


def totals(path: Path) -> dict[str, float]:
    """locust's «Aggregated» row: requests, failures, p95 (ms)."""
    for row in csv.DictReader(path.open(encoding="utf-8")):
        if row["Name"] == "Aggregated":
            return {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p95": float(row["95%"]),
            }
    return {"requests": 0, "failures": 0, "p95": float("inf")}


def target(text: str, met: bool) -> str:
    """One line of a benchmark's verdict: the target and whether it is met."""
    return f"- {text}: {'выполнено' if met else '**не выполнено**'}"
