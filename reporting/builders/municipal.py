"""«Сводная информация выполнения плана мероприятий» for one municipality over a period."""

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import ExecutionReport, Obligation, RoundEntry
from monitoring.overview import compared_rounds
from monitoring.tally import tally_by, total
from reporting import conclusions
from reporting.builders import results
from reporting.builders.common import Progress, signature
from reporting.charts import hbar_chart
from schools.access import Requester
from schools.models import Municipality, Organization

STATUS_LABELS = dict(ExecutionReport.Status.choices)
REVIEW_LABELS = dict(ExecutionReport.Review.choices)


class Row:
    """An obligation flattened for tallying, like a round entry."""

    def __init__(self, o: Obligation) -> None:
        report = getattr(o, "report", None)
        self.roadmap = o.roadmap.title
        self.item_number, self.item_text, self.item_position = o.item.number, o.item.text, o.item.position
        self.executor_name = o.executor.short_name
        self.due_date = o.due_date
        self.review_state = report.review_state if report else "draft"
        self.status = report.status if report else "not_started"
        self.submitted_at = report.submitted_at if report else None
        self.is_late = bool(report and report.is_late)
        self.evidence = o.n_evidence


def build(
    municipality: Municipality,
    requester: Requester,
    *,
    start: dt.date,
    end: dt.date,
    roadmap_id: int | None = None,
    progress: Progress = lambda p, m="": None,
) -> dict:
    """The municipality's obligations over the period that ``requester`` may see."""
    qs = (
        Obligation.objects.visible_to(requester)
        .filter(executor__municipality=municipality, cancelled=False, due_date__gte=start, due_date__lte=end)
        .select_related("item", "roadmap", "executor", "report")
        .annotate(n_evidence=Count("report__evidence"))
        .order_by("roadmap__title", "item__position", "executor__short_name", "due_date")
    )
    if roadmap_id:
        qs = qs.filter(roadmap_id=roadmap_id)
    rows = [Row(o) for o in qs]
    progress(50, _("Подсчёт по исполнителям"))
    by_executor = tally_by(rows, lambda r: r.executor_name)
    by_roadmap = tally_by(rows, lambda r: r.roadmap)
    executors = [{"name": name, **t.as_dict()} for name, t in sorted(by_executor.items())]
    by_item = tally_by(rows, lambda r: (r.roadmap, r.item_position, r.item_number, r.item_text))
    data = {
        "kind": "municipal",
        "title": _("Сводная информация выполнения плана мероприятий: %(name)s") % {"name": municipality.name},
        "region": municipality.region.name,
        "municipality": municipality.name,
        "period": (start, end),
        "generated": timezone.localtime(timezone=municipality.region.tzinfo),
        "totals": total(rows).as_dict(),
        "roadmaps": [{"title": title, **t.as_dict()} for title, t in by_roadmap.items()],
        "executors": executors,
        "rows": [
            {
                "roadmap": r.roadmap,
                "number": r.item_number,
                "text": r.item_text,
                "executor": r.executor_name,
                "due": r.due_date,
                "status": STATUS_LABELS.get(r.status, r.status),
                "review": REVIEW_LABELS.get(r.review_state, r.review_state),
                "late": r.is_late,
                "evidence": r.evidence,
            }
            for r in rows
        ],
        "chart": hbar_chart([(e["name"], e["completeness"]) for e in executors]),
        "items": [
            {"number": number, "text": text, **t.as_dict()}
            for (_roadmap, _pos, number, text), t in sorted(by_item.items(), key=lambda kv: kv[0][:2])
        ],
        "previous": _previous(municipality, requester, end=end, roadmap_id=roadmap_id),
        "signature": signature(municipality.region, requester),
        "results": results.section(
            requester,
            Organization.objects.visible_to(requester)
            .filter(municipality=municipality, kind=Organization.Kind.SCHOOL)
            .values_list("pk", flat=True),
            today=end,
        ),
    }
    data["conclusions"] = conclusions.write(data)
    return data


def _previous(
    municipality: Municipality, requester: Requester, *, end: dt.date, roadmap_id: int | None
) -> dict | None:
    """The municipality's figures at the latest closed round of each roadmap that ended by ``end``
    (frozen entries, through the gate), to say what changed since."""
    rounds = compared_rounds(requester, roadmap_id=roadmap_id, period=None, today=end + dt.timedelta(days=1))
    entries = list(
        RoundEntry.objects.visible_to(requester).filter(
            round__in=rounds, executor__municipality_id=municipality.pk
        )
    )
    if not entries:
        return None
    labels = sorted({r.label for r in rounds if any(e.round_id == r.pk for e in entries)})
    return {"quarter": ", ".join(labels), **total(entries).as_dict()}
