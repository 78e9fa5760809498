"""A school's card: statuses by year, roadmap execution, questionnaire answers."""

from django.db.models import Count
from django.utils import timezone

from monitoring.models import Obligation
from reporting.builders.common import tally_by, total
from reporting.builders.municipal import Row
from schools.models import Organization

# Questionnaire answers are added by the questionnaires app when it is installed (see
# ``EXTRA_SECTIONS``): the card does not depend on it.
EXTRA_SECTIONS: list = []


def build(school: Organization, progress=lambda p, m="": None) -> dict:
    qs = (
        Obligation.objects.filter(executor=school, cancelled=False)
        .select_related("item", "roadmap", "executor", "report")
        .annotate(n_evidence=Count("report__evidence"))
        .order_by("roadmap__title", "due_date", "item__position")
    )
    rows = [Row(o) for o in qs]
    progress(60, "Исполнение дорожных карт")
    data = {
        "kind": "school",
        "title": f"Карточка школы: {school.short_name}",
        "region": school.region.name,
        "school": school,
        "municipality": school.municipality.name if school.municipality else "",
        "generated": timezone.localtime(timezone=school.region.tzinfo),
        "statuses": list(school.statuses.order_by("-year", "category")),
        "totals": total(rows).as_dict(),
        "roadmaps": [
            {"title": t, **tally.as_dict()} for t, tally in tally_by(rows, lambda r: r.roadmap).items()
        ],
        "overdue": [r for r in rows if r.submitted_at is None][:100],
        "sections": [],
    }
    for extra in EXTRA_SECTIONS:
        data["sections"].append(extra(school))
    return data
