"""The questionnaire's analytical report («аналитическая справка»): response rate, per-question
distributions by municipality, «Другое» texts — within the requester's scope."""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from questionnaires import exports
from questionnaires import selectors as q_selectors
from questionnaires.models import Questionnaire
from reporting.builders.common import Progress, department_name
from reporting.charts import hbar_chart
from schools.access import Requester


def build(questionnaire: Questionnaire, user: Requester, progress: Progress = lambda p, m="": None) -> dict:
    rows, counts = q_selectors.tracking_rows(user, questionnaire), q_selectors.tracking_counts(user, questionnaire)
    by_municipality: dict[str, dict[str, int]] = defaultdict(
        lambda: {"assigned": 0, "submitted": 0, "draft": 0}
    )
    for a in rows:
        m = by_municipality[a.school.municipality.name]
        m["assigned"] += 1
        if a.state == "submitted":
            m["submitted"] += 1
        elif a.state == "draft":
            m["draft"] += 1
    assigned = sum(counts.values())
    progress(40, _("Распределение ответов"))
    results = q_selectors.results(user, questionnaire)
    questions = []
    for entry in results["questions"]:
        q = entry["question"]
        questions.append(
            {
                "number": q.number,
                "text": q.text,
                "answered": entry["answered"],
                "options": [
                    {
                        "label": o["option"].text,
                        "count": o["count"],
                        "share": o["share"],
                        "by_municipality": o["by_municipality"],
                    }
                    for o in entry["options"]
                ],
                "chart": hbar_chart([(o["option"].text, o["share"]) for o in entry["options"]])
                if entry["options"]
                else "",
                "others": [
                    {"school": t["school"].short_name, "text": t["other_text"]} for t in entry["others"]
                ],
                "texts": [
                    {
                        "school": t["school"].short_name,
                        "text": t["display"],
                    }
                    for t in entry["texts"]
                ],
            }
        )
    progress(70, _("Таблица по школам"))
    region = questionnaire.region
    return {
        "kind": "questionnaire",
        "title": _("Аналитическая справка по анкетированию: %(title)s") % {"title": questionnaire.title},
        "questionnaire": questionnaire.title,
        "period_label": questionnaire.period_label,
        "region": region.name,
        "department": department_name(region, user),
        "generated": timezone.localtime(timezone=region.tzinfo),
        "assigned": assigned,
        "submitted": counts.get("submitted", 0),
        "draft": counts.get("draft", 0),
        "response_rate": round(100 * counts.get("submitted", 0) / assigned, 1) if assigned else 0.0,
        "municipalities": [
            {
                "name": name,
                **m,
                "rate": round(100 * m["submitted"] / m["assigned"], 1) if m["assigned"] else 0.0,
            }
            for name, m in sorted(by_municipality.items())
        ],
        "municipality_names": results["municipalities"],
        "questions": questions,
        "not_submitted": [a.school.short_name for a in rows if a.state != "submitted"],
        "xlsx_bytes": exports.results_xlsx(user, questionnaire),
    }
