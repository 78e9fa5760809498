"""The deadline evening: N school directors submit the questionnaire within a few minutes.

Prepares the bench database (BENCH_DATABASE, default roadmaps_bench, as bench/bench_national.py
leaves it): N open assignments of the generated questionnaire across the synthetic regions get
their answers cleared and a deadline next week, and each school a director who opened the form
earlier that day (a signed-in session — the bench measures the submission, not N password
checks). Then gunicorn on loopback and locust (bench/locust/burst.py): the directors arrive evenly
over ``--minutes`` (each at its own time, not at locust's spawn rate), open the form, think 1–5 s and submit once. Prints the table and how many
questionnaires the database holds as submitted afterwards; asserts nothing.

    python bench/bench_burst.py [--directors 2000] [--minutes 3] [--workers 3]
"""

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _portal import bench_database_url, gunicorn, locust, production_env, stats_table, target, totals  # noqa: E402

TITLE = "Анкета руководителя о реализации дорожной карты"  # the generated questionnaire


def prepare(count: int, plan_path: Path) -> list[int]:
    """Open ``count`` assignments again and give each school a signed-in director; write the plan."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from questionnaires.answering import field_name
    from questionnaires.models import Assignment, Question, Questionnaire, Response
    from schools.models import Membership, User

    assignments = list(
        Assignment.objects.filter(questionnaire__title=TITLE)
        .select_related("school", "questionnaire")
        .order_by("region_id", "pk")[:count]
    )
    if not assignments:
        sys.exit("bench_burst: no generated questionnaire — run bench/bench_national.py first")
    ids = [a.pk for a in assignments]
    with transaction.atomic():
        Response.objects.filter(assignment_id__in=ids).delete()
        Assignment.objects.filter(pk__in=ids).update(
            deadline=dt.date.today() + dt.timedelta(days=7), lock_date=None
        )
        Questionnaire.objects.filter(assignments__in=ids).update(status=Questionnaire.Status.PUBLISHED)
        users = {u.username: u for u in User.objects.filter(username__startswith="burst-")}
        new = [
            User(username=f"burst-{a.pk}", full_name=f"Директор {a.school.short_name}"[:150])
            for a in assignments
            if f"burst-{a.pk}" not in users
        ]
        for user in new:
            user.set_unusable_password()
        User.objects.bulk_create(new)
        users = {u.username: u for u in User.objects.filter(username__startswith="burst-")}
        Membership.objects.filter(user__in=users.values()).delete()
        Membership.objects.bulk_create(
            Membership(
                user=users[f"burst-{a.pk}"],
                role=Membership.Role.DIRECTOR,
                organization=a.school,
                region_id=a.region_id,
            )
            for a in assignments
        )
    answers_of: dict[int, dict] = {}
    with plan_path.open("w", encoding="utf-8") as plan:
        for a in assignments:
            if a.questionnaire_id not in answers_of:
                answers = {}
                for q in Question.objects.filter(questionnaire=a.questionnaire).prefetch_related("options"):
                    if q.kind == Question.Kind.NUMBER:
                        answers[field_name(q)] = "12"
                    elif q.kind in (Question.Kind.MULTIPLE, Question.Kind.SINGLE):
                        answers[field_name(q)] = [str(o.pk) for o in q.options.all()[:2]]
                    else:
                        answers[field_name(q)] = "Нехватка кадров, курсы пройдены."
                answers_of[a.questionnaire_id] = answers
            user = users[f"burst-{a.pk}"]
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            line = {
                "session": session.session_key,
                "assignment": a.pk,
                "answers": answers_of[a.questionnaire_id],
            }
            plan.write(json.dumps(line, ensure_ascii=False) + "\n")
    return ids


def submitted(ids: list[int]) -> int:
    from questionnaires.models import Response

    return Response.objects.filter(assignment_id__in=ids, status=Response.Status.SUBMITTED).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directors", type=int, default=2000)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    url = bench_database_url()
    env = production_env(url)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY")})
    os.environ.setdefault("DJANGO_DEBUG", "0")
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan.jsonl"
        ids = prepare(args.directors, plan)
        env["BURST_PLAN"] = str(plan)
        env["BURST_SECONDS"] = str(args.minutes * 60)
        env["BURST_REPORT"] = str(Path(tmp) / "report.json")
        seconds = int(args.minutes * 60) + 120  # arrivals over --minutes, then time to finish
        with gunicorn(env, args.workers) as host:
            prefix = Path(tmp) / "burst"
            problems = locust(
                "burst.py",
                host,
                env,
                prefix,
                users=len(ids),
                # Spawned quickly: each director then waits for its own arrival time (burst.py).
                rate=max(50.0, len(ids) / 20),
                seconds=seconds,
            )
            report = json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))
            print(
                f"Вечер срока: {len(ids)} директоров приходят за {args.minutes:g} мин, открывают анкету, "
                f"думают 1–5 с и отправляют её; gunicorn, {args.workers} процесса, DEBUG выключен.\n"
            )
            print(stats_table(Path(f"{prefix}_stats.csv"), args.minutes * 60, lambda name: name))
            print(
                f"\nПоследний директор пришёл через {report['arrivals_seconds']:g} с после первого "
                f"(план — {args.minutes * 60:g} с)."
            )
            sent = submitted(ids)
            print(f"\nОтправлено анкет в базе: {sent} из {len(ids)}.")
            got = totals(Path(f"{prefix}_stats.csv"))
            print("\nЦели:")
            print(target(f"p95 меньше 500 мс (сейчас {got['p95']:.0f} мс)", got["p95"] < 500))
            print(target(f"ошибок нет (сейчас {got['failures']})", got["failures"] == 0))
            print(target("все анкеты отправлены", sent == len(ids)))
            if problems:
                print("\nОшибки нагрузчика (первые 5):\n" + "\n".join(problems[:5]))


if __name__ == "__main__":
    main()
