"""Page cost at national scale: every main page and API list, for each role of one synthetic
region, with 1 region of generated data and again with N regions (same user, same own data).

Per URL: queries per request, median and p95 wall time, and the database's own work for one
request — the sum of «Execution Time» and of shared buffers (hit + read) from
EXPLAIN (ANALYZE, BUFFERS) of every SELECT it ran. Prints a Markdown table; asserts nothing.

Needs PostgreSQL (DATABASE_URL, as `make bench` sets up). Works in two databases of its own —
BENCH_DATABASE (default roadmaps_bench) with N regions and BENCH_DATABASE_1 with one — which it
drops and recreates, never the test database. The N-region one is a copy of the 1-region one
(CREATE DATABASE … TEMPLATE) plus regions 2…N, so the users' own data is the same row for row.
With --reuse a database that already holds its regions is kept (85 regions take minutes to
generate) and only migrated: the pages are measured again. Ends with the targets in words (same
queries, buffers at most 1.5×, p95 under 300 ms) and the rows that miss them.

    python bench/bench_national.py --regions 85 [--scale 1] [--repeat 20] [--jobs 2] [--reuse]
"""

import argparse
import gc
import json
import logging
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROLES = ("coordinator", "curator", "municipal", "director", "department")
# Readers of the whole country (demo users): on the list pages they see one region at a time
# (schools/focus.py), by default the first by code — region 101, the synthetic users' own.
COUNTRY_READERS = {"federal": "federal-viewer", "admin": "admin"}
# Their API lists of regional rows are read for one region, region=101, as such a reader reads a
# region (the obligations, execution reports and evidence require it: a 400 without). The regions
# and their own reports are lists of the country by nature.
COUNTRY_WIDE = {"/api/v1/regions/", "/api/v1/reports/"}
PAGES = (
    "/",
    "/tasks/",
    "/execution/",
    "/reviews/",
    "/roadmaps/",
    "/roadmaps/due/",
    "/execution/matrix/",
    "/execution/overview/",
    "/diagnostics/",
    "/diagnostics/measures/",
    "/questionnaires/",
    "/reports/",
    "/organizations/",
    "/api/v1/regions/",
    "/api/v1/obligations/",
    "/api/v1/execution-reports/",
    "/api/v1/evidence/",
    "/api/v1/roadmaps/",
    "/api/v1/roadmap-items/",
    "/api/v1/reports/",
    "/api/v1/questionnaires/",
    "/api/v1/assignments/",
    "/api/v1/responses/",
    "/api/v1/organizations/",
    "/api/v1/municipalities/",
    "/api/v1/rounds/",
    "/api/v1/diagnostics/self-diagnoses/",
    "/api/v1/diagnostics/risk-levels/",
    "/api/v1/diagnostics/assessment-results/",
    "/api/v1/diagnostics/measures/",
)

# Pages a role has no access to by design (the access tests cover the 403): not measured.
NOT_FOR = {("curator", "/execution/overview/"), ("director", "/execution/overview/")}


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_national: set DATABASE_URL to PostgreSQL (make bench does)")
    parts = urlsplit(url)
    name = os.environ.get("BENCH_DATABASE", "roadmaps_bench")
    return urlunsplit(parts._replace(path=f"/{name}")), url


def recreate_database(admin_url: str, name: str, template: str | None = None) -> None:
    import psycopg2

    parts = urlsplit(admin_url)
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    conn.close()


def holds_region(admin_url: str, name: str, code: str) -> bool:
    """Whether database ``name`` exists, is migrated and already has the region ``code``."""
    import psycopg2

    try:
        conn = psycopg2.connect(urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}")))
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM schools_region WHERE code = %s", [code])
            return cur.fetchone() is not None
    except psycopg2.Error:
        return False
    finally:
        conn.close()


def use_database(name: str) -> None:
    """Point Django's default connection at another database (closed now, reopened on use)."""
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def vacuum() -> None:
    """What autovacuum would have done to a real database after the load (it may be off here):
    fresh statistics, and a visibility map, so index-only scans need not visit the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


ANY_LIST = re.compile(r"= ANY \('\{([^}]*)\}'")


def depth_allowance(node: dict) -> int:
    """Pages a plan may read more at N regions for the same rows: two per descent of a B-tree (a
    region's index has one or two levels, the country's three; an index scan descends once per
    loop and, for «= ANY (list)», once per value of the list) and two per scan of a small table
    read whole (the 87 regions take three pages, one region's one)."""
    loops = node.get("Actual Loops", 0)
    kind = node.get("Node Type", "")
    # An index condition «= ANY ('{…}')» descends the tree once per value of the list.
    values = ANY_LIST.search(node.get("Index Cond", ""))
    descents = loops * (values.group(1).count(",") + 1 if values else 1)
    own = 2 * descents if kind in ("Index Scan", "Index Only Scan", "Bitmap Index Scan") else 0
    if kind == "Seq Scan" and node.get("Relation Name") == "schools_region":
        own = 2 * loops
    return own + sum(depth_allowance(child) for child in node.get("Plans", []))


def explain(connection, queries: list[dict]) -> tuple[float, int, int]:
    """Database time (ms), shared buffers (hit + read) and the index-depth allowance
    (:func:`depth_allowance`) of the SELECTs one request ran."""
    total_ms, buffers, allowance = 0.0, 0, 0
    with connection.cursor() as cursor:
        for q in queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            total_ms += plan["Execution Time"]
            top = plan["Plan"]
            buffers += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
            allowance += depth_allowance(top)
    return total_ms, buffers, allowance


IDENTITY_URL = "/bench-identity-only/"  # no such page: a 404 runs the middleware and no view


def identity_buffers(client, connection) -> int:
    """Buffers of the part every request of this user pays before any view: the session, the
    user, the memberships (and a curator's grants) that make the access scope, the region of the
    time zone — measured as a request for an address that does not exist."""
    from django.test.utils import CaptureQueriesContext

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s are expected
    client.get(IDENTITY_URL)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(IDENTITY_URL)
    assert response.status_code == 404, response.status_code
    return explain(connection, captured.captured_queries)[1]


def measure(client, users: dict, repeat: int, pages: tuple[str, ...] = PAGES) -> dict[tuple[str, str], dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # As a gunicorn worker runs (deploy/gunicorn.conf.py post_worker_init): what is alive now —
    # Django, the generator's leftovers — is frozen out of the garbage collector, whose full
    # collections would otherwise walk it during the measured requests.
    gc.collect()
    gc.freeze()
    results = {}
    for role, user in users.items():
        client.force_login(user)
        identity = identity_buffers(client, connection)
        for url in pages:
            if (role, url) in NOT_FOR:
                continue
            cut = role in COUNTRY_READERS and url.startswith("/api/") and url not in COUNTRY_WIDE
            address = f"{url}?region=101" if cut else url
            client.get(address)  # warm caches and the connection
            times = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(address)
                    times.append((time.perf_counter() - start) * 1000)
            db_ms, buffers, allowance = explain(connection, captured.captured_queries)
            times.sort()
            results[(role, url)] = {
                "status": response.status_code,
                "queries": len(captured),
                "median": statistics.median(times),
                "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                "db_ms": db_ms,
                "buffers": buffers,
                "allowance": allowance,
                "identity": identity,
            }
            print(
                f"  {role:12} {url:32} {response.status_code} {len(captured):3d} q {statistics.median(times):7.1f} ms",
                file=sys.stderr,
            )
    return results


def table(small: dict, large: dict, n: int) -> str:
    lines = [
        f"| роль | адрес | запросов (1 / {n}) | медиана, мс (1 / {n}) | p95, мс (1 / {n}) "
        f"| время БД, мс (1 / {n}) | shared buffers (1 / {n}) | из них опознание (1 / {n}) | рост буферов "
        f"| допуск глубины индексов ({n}) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, a in small.items():
        b = large[key]
        status = "" if a["status"] == b["status"] == 200 else f" (HTTP {a['status']}/{b['status']})"
        lines.append(
            f"| {key[0]} | `{key[1]}`{status} | {a['queries']} / {b['queries']} "
            f"| {a['median']:.0f} / {b['median']:.0f} | {a['p95']:.0f} / {b['p95']:.0f} "
            f"| {a['db_ms']:.1f} / {b['db_ms']:.1f} | {a['buffers']} / {b['buffers']} "
            f"| {a['identity']} / {b['identity']} | {growth(a['buffers'], b['buffers'])} | {b['allowance']} |"
        )
    return "\n".join(lines)


TARGET_P95_MS = 300  # every page and API list, one user, at N regions
TARGET_GROWTH = 1.5  # buffers at N regions over those at 1
# Buffers that grow only by the depth of the country's indexes are told apart from real growth:
# a B-tree of 40,000 schools or 1.9 million obligations is a level or two deeper than one of a
# region, so each lookup by key reads a page or two more for the same row — a logarithm, not work
# that grows with the number of regions (see depth_allowance).


def verdict(small: dict, large: dict, n: int) -> str:
    """The targets of the table in words: which rows meet them and which do not."""
    same_queries = [k for k in small if small[k]["queries"] == large[k]["queries"]]
    flat = [k for k in small if large[k]["buffers"] <= TARGET_GROWTH * max(small[k]["buffers"], 1)]
    shallow = [k for k in small if large[k]["buffers"] - small[k]["buffers"] <= large[k]["allowance"]]
    fast = [k for k in large if large[k]["p95"] < TARGET_P95_MS]
    ok = [k for k in small if small[k]["status"] == large[k]["status"] == 200]
    total = len(small)

    def line(title: str, met: list, target: str) -> str:
        missed = [f"{role} `{url}`" for role, url in small if (role, url) not in set(met)]
        mark = "выполнено" if not missed else "не выполнено"
        tail = "" if not missed else ": " + ", ".join(missed)
        return f"- {title} ({target}): {len(met)} из {total} — {mark}{tail}"

    return "\n".join(
        [
            f"Цели (1 и {n} регионов, {total} адресов):",
            line("ответ 200", ok, "каждый адрес"),
            line("запросов столько же", same_queries, f"1 и {n} регионов"),
            line("рост буферов", flat, f"не больше {TARGET_GROWTH:g}×".replace(".", ",")),
            line(
                "рост буферов сверх глубины индексов",
                sorted(set(flat) | set(shallow)),
                f"не больше {TARGET_GROWTH:g}×, или не больше двух страниц на поиск по индексу".replace(
                    ".", ","
                ),
            ),
            line(f"p95 на {n} регионах", fast, f"меньше {TARGET_P95_MS} мс"),
        ]
    )


def growth(small: int, large: int) -> str:
    """Buffers at N regions over those at 1; bold above the target of 1.5×."""
    ratio = large / max(small, 1)
    text = f"{ratio:.2f}×".replace(".", ",")
    return f"**{text}**" if ratio > TARGET_GROWTH else text


def bench_users() -> dict:
    """synth01-<role> for each role of one region, then the readers of the whole country."""
    from schools.models import User

    users = {role: User.objects.get(username=f"synth01-{role}") for role in ROLES}
    users.update({role: User.objects.get(username=name) for role, name in COUNTRY_READERS.items()})
    return users


def counts() -> str:
    """Rows in the tables (base managers: no trash filter, a plain count)."""
    from monitoring.models import Evidence, ExecutionReport, Obligation
    from roadmaps.models import Item, Roadmap
    from schools.models import Municipality, Organization, Region

    def n(model) -> int:
        return model._base_manager.count()

    schools = Organization._base_manager.filter(kind="school").count()
    return (
        f"регионов {n(Region)}, муниципалитетов {n(Municipality)}, школ {schools}, карт {n(Roadmap)}, "
        f"мероприятий {n(Item)}, обязательств {n(Obligation)}, отчётов {n(ExecutionReport)}, "
        f"подтверждений {n(Evidence)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=85)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=20, help="requests per address after a warm-up")
    parser.add_argument("--jobs", type=int, default=2, help="generate_synthetic worker processes")
    parser.add_argument("--reuse", action="store_true", help="keep databases that already hold their regions")
    parser.add_argument("--pages", help="only these addresses, comma-separated (a quicker look)")
    args = parser.parse_args()

    url, admin_url = bench_database_url()
    large_name = urlsplit(url).path.lstrip("/")
    small_name = f"{large_name}_1"
    small_ready = args.reuse and holds_region(admin_url, small_name, "101")
    large_ready = args.reuse and holds_region(admin_url, large_name, str(100 + args.regions))
    if not small_ready:
        recreate_database(admin_url, small_name)
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{small_name}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client, override_settings

    from config.celery import app

    app.conf.task_always_eager = True  # the demo's reports are built in-process
    # No setup_test_environment(): it instruments every template render (a signal and a copy of
    # the context per {% include %}, which the test client stores), so pages with many small
    # templates — a matrix of cells, a select of 900 schools — measured several times slower than
    # they render in production. DJANGO_ALLOWED_HOSTS above admits the test client's host.
    generate = dict(scale=args.scale, seed=1, stdout=sys.stderr, stderr=sys.stderr)
    call_command("migrate", verbosity=0)  # a kept database gets the code's new migrations too
    if not small_ready:
        # The demo hashes a password per user: fast MD5 here. Not for the synthetic users: the
        # generator hashes once anyway, and bench_load logs them in on production settings.
        # override_settings, not an assignment: Django keeps the hashers it has built in a cache
        # that only the setting_changed signal clears — assigned and restored, the generator went
        # on hashing with MD5, which production refuses (every load-test login failed, then the
        # address was locked out).
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("seed_demo", quiet=True)
        call_command("generate_synthetic", regions=1, **generate)
    vacuum()
    client = Client()
    small_counts = counts()
    print(f"1 регион: {small_counts}", file=sys.stderr)
    users = bench_users()
    pages = tuple(args.pages.split(",")) if args.pages else PAGES
    small = measure(client, users, args.repeat, pages)

    generated = "данные из прежнего прогона, `--reuse`"
    if not large_ready:
        connections.close_all()  # a template database must have no connections
        recreate_database(admin_url, large_name, template=small_name)
    use_database(large_name)
    if large_ready:
        call_command("migrate", verbosity=0)
    else:
        started = time.monotonic()
        call_command("generate_synthetic", regions=args.regions, jobs=args.jobs, **generate)
        generated = f"генерация {(time.monotonic() - started) / 60:.1f} мин, `--jobs {args.jobs}`"
    vacuum()
    large_counts = counts()
    users = bench_users()
    large = measure(client, users, args.repeat, pages)

    print(f"Данные: демо (70, 68) + синтетические регионы, `--scale {args.scale}`.\n")
    print(f"- 1 регион: {small_counts}")
    print(f"- {args.regions} регионов: {large_counts} ({generated})\n")
    print(
        f"Пользователи synth01-<роль>, федеральный наблюдатель (federal) и администратор платформы (admin); "
        f"{args.repeat} запросов на адрес после прогрева.\n"
    )
    print(table(small, large, args.regions))
    print(
        "\n«Опознание» — буферы, которые платит каждый запрос этого пользователя до страницы: сессия, "
        "пользователь, его членства (у куратора — ещё назначенные школы), регион часового пояса; "
        "измерено запросом несуществующего адреса (404). Оно входит в «shared buffers».\n"
    )
    print(verdict(small, large, args.regions))


if __name__ == "__main__":
    main()
