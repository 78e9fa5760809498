"""Questionnaire exports: results as XLSX (one row per school, Kobo-style option columns) and a
school's submitted answers as PDF (A4, Cyrillic, page numbers)."""

from collections.abc import Iterator, Sequence

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import html_to_pdf
from core.xlsx import Sheet, xlsx_bytes
from questionnaires import selectors
from questionnaires.formatting import answer_text, answer_value
from questionnaires.models import Assignment, Question, Questionnaire, Response
from schools.access import Requester


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def results_xlsx(user: Requester, questionnaire: Questionnaire) -> bytes:
    questions = list(questionnaire.questions.prefetch_related("options").order_by("position", "pk"))
    rows_qs = selectors.tracking_rows(user, questionnaire)
    assignments = list(rows_qs)
    submitted = {
        a.response.pk: a
        for a in assignments
        if getattr(a, "response", None) and a.response.status == Response.Status.SUBMITTED
    }
    answers = selectors.answers_by_response(list(submitted))
    columns = [(_("Школа"), 36), (_("Муниципалитет"), 22), (_("Состояние"), 12), (_("Отправлено"), 16)]
    for q in questions:
        columns.append((f"{q.number} {_short(q.text)}", 40))
        if q.kind == Question.Kind.MULTIPLE:
            for o in q.options.all():
                columns.append((f"{q.number}/{o.label or o.position} {_short(o.text, 50)}", 14))
            if any(o.is_other for o in q.options.all()):
                columns.append((_("%(number)s/другое — текст") % {"number": q.number}, 30))
    rows = []
    for a in assignments:
        response = getattr(a, "response", None)
        done = response is not None and response.status == Response.Status.SUBMITTED
        row = [
            a.school.short_name,
            a.school.municipality.name if a.school.municipality else "",
            selectors.STATES[a.state],
            timezone.localtime(response.submitted_at, a.region.tzinfo) if done else None,
        ]
        by_q = answers.get(response.pk, {}) if done else {}
        for q in questions:
            ans = by_q.get(q.pk)
            row.append(answer_value(q, ans))
            if q.kind == Question.Kind.MULTIPLE:
                chosen = {o.pk for o in ans.selected_options.all()} if ans else set()
                for o in q.options.all():
                    row.append((1 if o.pk in chosen else 0) if done else None)
                if any(o.is_other for o in q.options.all()):
                    row.append(ans.other_text if ans else "")
        rows.append(row)
    heading = [questionnaire.title, f"{questionnaire.period_label}. {questionnaire.owner.short_name}"]
    summary = selectors.results(user, questionnaire)
    summary_rows = []
    for entry in summary["questions"]:
        q = entry["question"]
        for o in entry["options"]:
            summary_rows.append([q.number, _short(q.text, 120), o["option"].text, o["count"], o["share"]])
    sheets = [
        Sheet(title=_("Ответы школ"), columns=columns, rows=rows, heading=heading),
        Sheet(
            title=_("Сводка"),
            columns=[("№", 6), (_("Вопрос"), 50), (_("Вариант"), 50), (_("Школ"), 8), (_("Доля, %"), 9)],
            rows=summary_rows,
            heading=[questionnaire.title, _("Отправили ответы: %(n)s") % {"n": summary["responses"]}],
        ),
    ]
    return xlsx_bytes(sheets)


def response_context(assignment: Assignment, response: Response) -> dict:
    questions = list(
        assignment.questionnaire.questions.prefetch_related("options").order_by("position", "pk")
    )
    answers = selectors.answers_by_response([response.pk]).get(response.pk, {})
    items = []
    for q in questions:
        ans = answers.get(q.pk)
        if q.show_if_question_id and ans is None:
            continue  # a question the school did not see
        chosen = {o.pk for o in ans.selected_options.all()} if ans else set()
        items.append({"q": q, "answer": ans, "text": answer_text(q, ans), "chosen": chosen})
    tz = assignment.region.tzinfo
    return {
        "assignment": assignment,
        "questionnaire": assignment.questionnaire,
        "school": assignment.school,
        "response": response,
        "items": items,
        "submitted_at": timezone.localtime(response.submitted_at, tz),
        "generated": timezone.localtime(timezone.now(), tz),
    }


def response_pdf(assignment: Assignment, response: Response) -> bytes:
    return html_to_pdf(
        render_to_string("questionnaires/response_pdf.html", response_context(assignment, response))
    )


def filename(questionnaire: Questionnaire, ext: str) -> str:
    name = _("Анкета %(period)s — ответы школ") % {"period": questionnaire.period_label}
    return f"{name}.{ext}".replace("/", "-").replace('"', "")


def response_filename(assignment: Assignment) -> str:
    name = _("Ответы %(school)s — %(period)s") % {
        "school": assignment.school.short_name,
        "period": assignment.questionnaire.period_label,
    }
    return f"{name}.pdf".replace("/", "-").replace('"', "")


def tracking_xlsx(
    rows: QuerySet, questionnaire: Questionnaire, *, filters: Sequence[tuple[str, str]]
) -> bytes:
    """«Кто ответил» as the page lists it (the same filters): a row per assigned school."""
    tz = questionnaire.region.tzinfo
    shown = "; ".join(f"{k}: {v}" for k, v in filters) or _("все назначенные школы")
    heading = [
        _("Кто ответил: %(title)s — %(period)s")
        % {"title": questionnaire.title, "period": questionnaire.period_label},
        _("Отбор: %(filters)s") % {"filters": shown},
        _("Сформировано %(date)s") % {"date": timezone.localdate().strftime("%d.%m.%Y")},
    ]
    columns = [
        (_("Школа"), 44),
        (_("Муниципалитет"), 26),
        (_("Срок"), 12),
        (_("Закрытие ответов"), 14),
        (_("Состояние"), 14),
        (_("Отправлено"), 18),
        (_("Кем"), 28),
    ]

    def lines() -> Iterator[list]:
        for a in rows.iterator(chunk_size=500):
            response = getattr(a, "response", None) if hasattr(a, "response") else None
            sent = response.submitted_at if response and response.submitted_at else None
            who = response.submitted_by if response else None
            yield [
                a.school.short_name,
                a.school.municipality.name if a.school.municipality else "",
                a.deadline,
                a.lock_date,
                selectors.STATES.get(a.state, a.state),
                timezone.localtime(sent, tz) if sent else None,
                (who.display_name if who else ""),
            ]

    return xlsx_bytes([Sheet(title=_("Кто ответил"), columns=columns, rows=lines(), heading=heading)])
