"""CPU and queries of one director's questionnaire open (GET) and submit (POST).

Production settings (DEBUG off, cached templates), the bench database (``BENCH_DATABASE``, default
roadmaps_bench, as bench_national.py builds it; any database with a published questionnaire does,
e.g. the demo plus ``generate_synthetic --regions 2``). One assignment is reopened and its response
deleted before each submission. Prints CPU ms in-process (Django's test client; median of the
repeats) and SQL queries per request; ``--http`` the same two requests through one gunicorn worker
(wall time and the worker's CPU); ``--queries`` the SQL; ``--profile`` the cProfile top. The
questionnaire burst (bench/bench_burst.py) is these two requests × 2,000 directors.

    BENCH_DATABASE=roadmaps_bench python bench/bench_questionnaire_cpu.py [--repeat 30] [--http]
        [--title ''] [--assignment ID] [--queries] [--profile]
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"  # production settings, also under `make bench`
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ["DJANGO_DEBUG"] = "0"

from _portal import bench_database_url  # noqa: E402

TITLE = "Анкета руководителя о реализации дорожной карты"  # the generated one, as in bench_burst.py


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--title", default="", help="the questionnaire's title (e.g. the burst's generated one)"
    )
    parser.add_argument("--assignment", type=int, default=0, help="this assignment instead of the first")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one GET and one POST")
    parser.add_argument("--http", action="store_true", help="also through gunicorn (1 worker): wall and CPU")
    args = parser.parse_args()
    # The bench database (bench_national.py builds it): the bench reopens one assignment and
    # deletes its response over and over, which must not happen to anyone's real answers.
    os.environ["DATABASE_URL"] = bench_database_url()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from questionnaires.answering import field_name
    from questionnaires.models import Assignment, Question, Questionnaire, Response
    from schools.models import Membership, User

    a = (
        Assignment.objects.filter(questionnaire__status=Questionnaire.Status.PUBLISHED)
        .filter(**({"questionnaire__title": args.title} if args.title else {}))
        .filter(**({"pk": args.assignment} if args.assignment else {}))
        .select_related("school", "questionnaire")
        .order_by("questionnaire__pk", "pk")
        .first()
    )
    if a is None:
        sys.exit("bench_questionnaire_cpu: no published questionnaire — run seed_demo first")
    a.lock_date = None
    a.save(update_fields=["lock_date"])
    user, _ = User.objects.get_or_create(username="bench-cpu-director", defaults={"full_name": "Директор"})
    Membership.objects.filter(user=user).delete()
    Membership.objects.create(
        user=user, role=Membership.Role.DIRECTOR, organization=a.school, region_id=a.region_id
    )
    answers: dict = {}
    for q in Question.objects.filter(questionnaire=a.questionnaire).prefetch_related("options"):
        if q.kind == Question.Kind.NUMBER:
            answers[field_name(q)] = "12"
        elif q.kind == Question.Kind.DATE:
            answers[field_name(q)] = "01.12.2026"
        elif q.kind == Question.Kind.FILE:
            continue
        elif q.kind in Question.CHOICE_KINDS:
            answers[field_name(q)] = [str(o.pk) for o in q.options.all() if not o.is_other][:1]
        else:
            answers[field_name(q)] = "Нехватка кадров, курсы пройдены."
    client = Client()
    client.force_login(user)
    url = f"/questionnaires/assignments/{a.pk}/"
    data = {**answers, "action": "submit"}

    def one(method: str) -> tuple[float, int, int]:
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.process_time()
            response = (
                client.get(url, secure=True) if method == "GET" else client.post(url, data, secure=True)
            )
            cpu = time.process_time() - t0
        if args.queries:
            print(f"--- {method}")
            for query in ctx.captured_queries:
                print(" ", query["sql"][:220])
        return cpu * 1000, len(ctx.captured_queries), response.status_code

    figures: dict[str, list[tuple[float, int, int]]] = {"GET": [], "POST": []}
    for i in range(args.repeat + 3):
        Response.objects.filter(assignment=a).delete()
        for method in ("GET", "POST"):
            row = one(method)
            if i >= 3:  # warm-up: template loading, translations, first connections
                figures[method].append(row)
    Response.objects.filter(assignment=a).delete()
    questions = Question.objects.filter(questionnaire=a.questionnaire).count()
    print(f"assignment {a.pk}, {questions} questions, {args.repeat} repeats")
    print("| request | status | CPU ms (median) | CPU ms (min) | queries |")
    print("|---|---|---|---|---|")
    for method, rows in figures.items():
        cpus = [r[0] for r in rows]
        print(f"| {method} | {rows[0][2]} | {statistics.median(cpus):.1f} | {min(cpus):.1f} | {rows[0][1]} |")
    if args.http:
        http_figures(a, client.cookies["sessionid"].value, url, data, args.repeat)
    if args.profile:
        for method in ("GET", "POST"):
            Response.objects.filter(assignment=a).delete()
            if method == "POST":
                one("GET")
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(10):
                if method == "POST":
                    Response.objects.filter(assignment=a).delete()
                one(method)
            prof.disable()
            print(f"--- {method} ×10")
            pstats.Stats(prof).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(45)
        Response.objects.filter(assignment=a).delete()


def _worker_cpu(master: int) -> float:
    """CPU seconds (user + system) of the gunicorn master's workers so far."""
    total = 0.0
    with open(f"/proc/{master}/task/{master}/children") as children:
        for pid in children.read().split():
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def http_figures(assignment, session: str, url: str, data: dict, repeat: int) -> None:
    """The same two requests through gunicorn (one sync worker, as deploy/ starts it): the wall
    time the client waits and the worker's CPU per request (from /proc, all requests together)."""
    import http.cookiejar
    import re
    import subprocess
    import urllib.parse
    import urllib.request

    from _portal import gunicorn, production_env
    from django.conf import settings

    from questionnaires.models import Response

    env = production_env(os.environ["DATABASE_URL"], DJANGO_SECRET_KEY=settings.SECRET_KEY)
    with gunicorn(env, 1) as host:
        out = subprocess.run(["pgrep", "-o", "-f", f"bind={host[7:]}"], capture_output=True, text=True)
        master = int(out.stdout.split()[0])
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        jar.set_cookie(
            http.cookiejar.Cookie(
                0,
                "sessionid",
                session,
                None,
                False,
                "127.0.0.1",
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )
        )

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                return None

        opener.add_handler(NoRedirect())
        rows: dict[str, list[float]] = {"GET": [], "POST": []}
        cpu: dict[str, float] = {"GET": 0.0, "POST": 0.0}
        for i in range(repeat + 3):
            Response.objects.filter(assignment=assignment).delete()
            for method in ("GET", "POST"):
                t0, c0 = time.perf_counter(), _worker_cpu(master)
                if method == "GET":
                    page = opener.open(host + url).read().decode()
                    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
                else:
                    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
                    request = urllib.request.Request(host + url, body, headers={"Referer": host + url})
                    try:
                        opener.open(request)
                    except urllib.error.HTTPError as exc:  # the 302 (redirects not followed)
                        assert exc.code == 302, exc.code
                wall, used = time.perf_counter() - t0, _worker_cpu(master) - c0
                if i >= 3:
                    rows[method].append(wall * 1000)
                    cpu[method] += used * 1000
        Response.objects.filter(assignment=assignment).delete()
    print("| through gunicorn | wall ms (median) | worker CPU ms (mean) |")
    print("|---|---|---|")
    for method, walls in rows.items():
        print(f"| {method} | {statistics.median(walls):.1f} | {cpu[method] / len(walls):.1f} |")


if __name__ == "__main__":
    main()
