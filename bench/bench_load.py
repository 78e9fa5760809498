"""Load: many people of many regions at once, on the production shape (gunicorn, DEBUG off).

Starts gunicorn on loopback over a database with generated regions (by default the one
bench/bench_national.py leaves behind, BENCH_DATABASE=roadmaps_bench), then runs locust headless
(bench/locust/portal.py): N users of up to R regions and all five roles, 1–3 s of thought between
pages, for a fixed time. Prints throughput, p50/p95/p99 and errors per role and in total as a
Markdown table; asserts nothing.

    python bench/bench_load.py [--users 50] [--regions 50] [--seconds 120] [--arrivals 1] [--workers 3]
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _portal import bench_database_url, gunicorn, locust, production_env, stats_table, target, totals  # noqa: E402


def synthetic_regions(url: str) -> int:
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM schools_user WHERE username LIKE 'synth%%-coordinator'")
        count = cur.fetchone()[0]
        # The users log in on production settings, which know no MD5: such hashes would fail every
        # login and get the address locked out, and the run would measure the lockout page.
        cur.execute(
            "SELECT count(*) FROM schools_user WHERE username LIKE 'synth%%' AND password LIKE 'md5$%%'"
        )
        if cur.fetchone()[0]:
            sys.exit("bench_load: пароли синтетических пользователей захешированы MD5 — создайте базу заново")
        return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--regions", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    # People arrive as on a working morning, not all in one breath: each login checks a password
    # with PBKDF2 (a million rounds, ~0.5 s of a core by design), so 50 logins in 10 s would
    # measure the password hasher, not the pages.
    parser.add_argument("--arrivals", type=float, default=1.0, help="users logging in per second")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    url = bench_database_url()
    regions = min(args.regions, synthetic_regions(url))
    if not regions:
        sys.exit(
            "bench_load: no generated regions — run bench/bench_national.py (or generate_synthetic) first"
        )
    env = production_env(url, LOAD_REGIONS=str(regions))
    with gunicorn(env, args.workers) as host, tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "load"
        problems = locust(
            "portal.py",
            host,
            env,
            prefix,
            users=args.users,
            rate=args.arrivals,
            seconds=args.seconds,
        )
        print(
            f"Нагрузка: {args.users} пользователей из {regions} синтетических регионов, все пять ролей, "
            f"приходят по {args.arrivals:g} в секунду (вход с проверкой пароля), пауза 1–3 с, "
            f"{args.seconds} с; gunicorn, {args.workers} процесса, DEBUG выключен.\n"
        )

        def role(name: str) -> str | None:
            return "вход (форма и пароль)" if name.startswith("login") else name.split()[0]

        print(stats_table(Path(f"{prefix}_stats.csv"), args.seconds, role))
        got = totals(Path(f"{prefix}_stats.csv"))
        print("\nЦели:")
        print(target(f"p95 меньше 1 с (сейчас {got['p95']:.0f} мс)", got["p95"] < 1000))
        print(target(f"ошибок нет (сейчас {got['failures']})", got["failures"] == 0 and got["requests"] > 0))
        if problems:
            print("\nОшибки нагрузчика (первые 5):\n" + "\n".join(problems[:5]))


if __name__ == "__main__":
    main()
