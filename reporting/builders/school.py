"""A school's card: statuses by year, roadmap execution, questionnaire answers."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import Obligation
from monitoring.tally import tally_by, total
from reporting.builders import results
from reporting.builders.common import Progress
from reporting.builders.municipal import Row
from schools.access import Requester
from schools.models import Organization, SchoolStatus


def build(school: Organization, requester: Requester, progress: Progress = lambda p, m="": None) -> dict:
    """The school's card with what ``requester`` may see of it."""
    qs = (
        Obligation.objects.visible_to(requester)
        .filter(executor=school, cancelled=False)
        .select_related("item", "roadmap", "executor", "report")
        .annotate(n_evidence=Count("report__evidence"))
        .order_by("roadmap__title", "due_date", "item__position")
    )
    rows = [Row(o) for o in qs]
    progress(60, _("Исполнение дорожных карт"))
    data = {
        "kind": "school",
        "title": _("Карточка школы: %(name)s") % {"name": school.short_name},
        "region": school.region.name,
        "school": school,
        "municipality": school.municipality.name if school.municipality else "",
        "generated": timezone.localtime(timezone=school.region.tzinfo),
        "statuses": list(
            SchoolStatus.objects.visible_to(requester).filter(school=school).order_by("-year", "category")
        ),
        "totals": total(rows).as_dict(),
        "roadmaps": [
            {"title": t, **tally.as_dict()} for t, tally in tally_by(rows, lambda r: r.roadmap).items()
        ],
        "overdue": [r for r in rows if r.submitted_at is None][:100],
        "answers": _questionnaire_answers(school, requester),
        "results": results.section(
            requester, [school.pk], today=timezone.localtime(timezone=school.region.tzinfo).date()
        ),
    }
    return data


def _questionnaire_answers(school: Organization, requester: Requester) -> list[dict]:
    """The school's submitted questionnaires, question by question."""
    from questionnaires.formatting import answer_text
    from questionnaires.models import Response

    out = []
    responses = (
        Response.objects.visible_to(requester)
        .filter(assignment__school=school, status=Response.Status.SUBMITTED)
        .select_related("assignment__questionnaire")
        .prefetch_related("answers__selected_options", "assignment__questionnaire__questions__options")
        .order_by("-submitted_at")[:5]
    )
    for response in responses:
        questionnaire = response.assignment.questionnaire
        answers = {a.question_id: a for a in response.answers.all()}
        out.append(
            {
                "title": f"{questionnaire.title} ({questionnaire.period_label})",
                "submitted_at": response.submitted_at,
                "rows": [
                    {"number": q.number, "text": q.text, "answer": answer_text(q, answers.get(q.pk))}
                    for q in questionnaire.questions.all()
                ],
            }
        )
    return out
