"""Reads for questionnaire pages. Every queryset starts from the access gate; the tracking and
results pages use a fixed number of queries however many schools answer."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from questionnaires.formatting import value_text
from questionnaires.models import Answer, Assignment, Option, Question, Questionnaire, Response
from schools import access
from schools.access import Requester
from schools.models import User

NOT_STARTED = "not_started"
STATES = {
    NOT_STARTED: gettext_lazy("не начата"),
    Response.Status.DRAFT: gettext_lazy("черновик"),
    Response.Status.SUBMITTED: gettext_lazy("отправлена"),
}


def with_counts(qs: QuerySet) -> QuerySet:
    """Questionnaires for the list: owner joined, questions and assignments counted, templates last."""
    return (
        qs.select_related("owner")
        .annotate(
            question_count=Count("questions", distinct=True),
            assignment_count=Count("assignments", distinct=True),
        )
        .order_by("is_template", "-created_at", "-pk")
    )


def my_assignments(user: User) -> QuerySet:
    """The director's own assignments (published questionnaires of their schools)."""
    scope = access.get_scope(user)
    return (
        Assignment.objects.visible_to(user)
        .filter(school_id__in=scope.school_ids)
        .exclude(questionnaire__status=Questionnaire.Status.DRAFT)
        .select_related("questionnaire", "school", "region", "response")
        .order_by("deadline", "pk")
    )


@dataclass
class Task:
    """A line of the dashboard's «Мои задачи» card."""

    title: str
    url: str
    due: dt.date | None = None
    note: str = ""

    def __str__(self) -> str:
        return self.title


def pending_tasks(user: User) -> list[Task]:
    tasks = []
    now = timezone.now()
    for a in my_assignments(user).exclude(response__status=Response.Status.SUBMITTED)[:20]:
        if a.is_locked(now):
            continue
        response = getattr(a, "response", None)
        note = _("черновик сохранён") if response else _("не начата")
        if a.is_overdue(now):
            note += _(", срок прошёл")
        tasks.append(
            Task(
                title=_("Анкета: %(title)s (%(period)s)")
                % {"title": a.questionnaire.title, "period": a.questionnaire.period_label},
                url=reverse("questionnaire-answer", args=[a.pk]),
                due=a.deadline,
                note=note,
            )
        )
    return tasks


def with_state(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        state=Case(
            When(response__status=Response.Status.SUBMITTED, then=Value(Response.Status.SUBMITTED)),
            When(response__status=Response.Status.DRAFT, then=Value(Response.Status.DRAFT)),
            default=Value(NOT_STARTED),
            output_field=CharField(),
        )
    )


def tracking_rows(user: Requester, questionnaire: Questionnaire) -> QuerySet:
    """The assignments of ``questionnaire`` the user sees, each with its state, for tracking."""
    return (
        with_state(Assignment.objects.visible_to(user).filter(questionnaire=questionnaire))
        .select_related(
            "school", "school__municipality", "response", "response__submitted_by", "region", "questionnaire"
        )
        .order_by("school__municipality__name", "school__short_name")
    )


def tracking_counts(user: Requester, questionnaire: Questionnaire) -> dict[str, int]:
    """How many of those assignments are in each state (one query)."""
    base = with_state(Assignment.objects.visible_to(user).filter(questionnaire=questionnaire))
    counts = {key: 0 for key in STATES}
    for row in base.values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


def submitted_responses(user: User, questionnaire: Questionnaire) -> QuerySet:
    return (
        Response.objects.visible_to(user)
        .filter(assignment__questionnaire=questionnaire, status=Response.Status.SUBMITTED)
        .select_related("assignment__school__municipality")
        .order_by("assignment__school__municipality__name", "assignment__school__short_name")
    )


def results(user: Requester, questionnaire: Questionnaire) -> dict:
    """Per question: counts and shares per option, overall and by municipality; «Другое» texts
    with their school; text/number/date answers listed. Five queries whatever the size."""
    responses = list(submitted_responses(user, questionnaire))
    response_ids = [r.pk for r in responses]
    school_of = {r.pk: r.assignment.school for r in responses}
    municipalities: dict[int, str] = {}
    for r in responses:
        m = r.assignment.school.municipality
        municipalities.setdefault(m.pk, m.name)
    questions = list(questionnaire.questions.prefetch_related("options").order_by("position", "pk"))
    # (option, municipality) → schools that chose it
    through = Answer.selected_options.through
    picks = through.objects.filter(answer__response_id__in=response_ids).values_list(
        "option_id", "answer__response__assignment__school__municipality_id"
    )
    by_option: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for option_id, municipality_id in picks:
        by_option[option_id][municipality_id] += 1
    answers = (
        Answer.objects.filter(response_id__in=response_ids)
        .exclude(Q(text="") & Q(other_text="") & Q(number__isnull=True) & Q(date__isnull=True) & Q(file=""))
        .values("question_id", "response_id", "text", "other_text", "number", "date", "file_name", "pk")
    )
    answered: dict[int, int] = defaultdict(int)
    answered_by_m: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for qid, mid in Answer.objects.filter(response_id__in=response_ids).values_list(
        "question_id", "response__assignment__school__municipality_id"
    ):
        answered[qid] += 1
        answered_by_m[qid][mid] += 1
    texts: dict[int, list[dict]] = defaultdict(list)
    kinds = {q.pk: q.kind for q in questions}
    for a in answers:
        display = value_text(
            kinds[a["question_id"]],
            text=a["text"],
            number=a["number"],
            date=a["date"],
            file_name=a["file_name"],
        )
        texts[a["question_id"]].append(a | {"school": school_of[a["response_id"]], "display": display})
    out = []
    for q in questions:
        total = answered[q.pk]
        entry = {"question": q, "answered": total, "options": [], "others": [], "texts": [], "stats": None}
        if q.is_choice:
            for o in q.options.all():
                per = by_option.get(o.pk, {})
                count = sum(per.values())
                entry["options"].append(
                    {
                        "option": o,
                        "count": count,
                        "share": round(100 * count / total) if total else 0,
                        "by_municipality": [
                            {
                                "count": per.get(mid, 0),
                                "share": round(100 * per.get(mid, 0) / answered_by_m[q.pk][mid])
                                if answered_by_m[q.pk][mid]
                                else 0,
                            }
                            for mid in municipalities
                        ],
                    }
                )
            entry["others"] = [t for t in texts[q.pk] if t["other_text"]]
        elif q.kind == Question.Kind.NUMBER:
            nums = [t["number"] for t in texts[q.pk] if t["number"] is not None]
            if nums:
                entry["stats"] = {"min": min(nums), "max": max(nums), "avg": sum(nums) / len(nums)}
            entry["texts"] = texts[q.pk]
        else:
            entry["texts"] = texts[q.pk]
        out.append(entry)
    return {
        "questions": out,
        "responses": len(responses),
        "municipalities": list(municipalities.values()),
        "response_list": responses,
    }


def answers_by_response(response_ids: list[int]) -> dict[int, dict[int, Answer]]:
    out: dict[int, dict[int, Answer]] = defaultdict(dict)
    for a in Answer.objects.filter(response_id__in=response_ids).prefetch_related("selected_options"):
        out[a.response_id][a.question_id] = a
    return out


def prefetch_answers(responses: list[Response]) -> None:
    """Set each response's answers, in the order of their questions, and each answer's selected
    options (two queries for a page of responses, none without answers).

    The gate is not asked again: an answer is visible exactly when its response is (the same rule
    on the same assignment), and an option it chose is one of its question's (the answering form
    takes no other), so of a questionnaire the reader sees. Asked again, the gate joined each
    answer's response and assignment one index descent at a time, and each option's question
    and questionnaire. Everything is read within the responses' own regions (an answer copies
    its region from its response, a question from its questionnaire, an option from its
    question), the options narrowed to the answered questions: PostgreSQL reads the answers and
    their questions through the region's indexes, then the few options and their choices by
    option, where by answer it descended the choices' index once per answer (257 buffers for a
    page of 128 answers at 85 regions).
    """
    if not responses:
        return
    regions = {response.region_id for response in responses}
    answers = Answer.objects.filter(region_id__in=regions, question__region_id__in=regions).order_by(
        "response_id", "question__position", "pk"
    )
    prefetch_related_objects(responses, Prefetch("answers", queryset=answers))
    listed = [answer for response in responses for answer in response.answers.all()]
    options = Option.objects.filter(
        region_id__in=regions, question_id__in={answer.question_id for answer in listed}
    ).order_by("position", "pk")
    prefetch_related_objects(listed, Prefetch("selected_options", queryset=options))
