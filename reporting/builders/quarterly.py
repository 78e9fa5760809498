"""The quarterly monitoring report of a roadmap («Мониторинг реализации мероприятий Дорожной карты»)."""

from collections import OrderedDict
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring import rounds
from monitoring.models import ExecutionReport, MonitoringRound, RoundEntry
from monitoring.tally import tally_by, total
from reporting import conclusions
from reporting.builders import results
from reporting.builders.common import Progress, department_name, signature
from reporting.charts import hbar_chart
from schools.access import Requester

STATUS_LABELS = dict(ExecutionReport.Status.choices)
REVIEW_LABELS = dict(ExecutionReport.Review.choices)

# A round of up to this many rows keeps every list in the PDF, as it always has. A larger one
# (a big region's regional roadmap: ~10,000 rows) gets a summary PDF — totals, sections,
# municipalities, measures, the executors furthest behind, the first rows of each list and the
# conclusions — and the lists in full in the XLSX (WeasyPrint lays a 135-page table out in
# minutes and hundreds of MB: bench/bench_quarterly.py).
PDF_FULL_LISTS_UP_TO = 1000
# How many rows of each list the summary PDF shows.
PDF_LIST_ROWS = 40


def build(
    round_: MonitoringRound, requester: Requester, progress: Progress = lambda pct, msg="": None
) -> dict:
    """The round's figures over the rows ``requester`` may see (the whole region for the
    automatic reports, built as the region's system requester)."""
    roadmap = round_.roadmap
    rows = rounds.entries_of(round_, requester=requester)
    progress(30, _("Подсчёт по разделам"))
    totals = total(rows)
    by_section = tally_by(rows, lambda r: r.section or _("Без раздела"))
    by_item = tally_by(rows, lambda r: (r.item_position, r.item_number, r.item_text))
    by_executor = tally_by(rows, lambda r: (r.executor_name, r.municipality_name))
    by_municipality = tally_by(rows, lambda r: r.municipality_name)
    progress(55, _("Списки и показатели"))
    overdue = [r for r in rows if r.submitted_at is None]
    returned = [r for r in rows if r.review_state == "returned"]
    # The plan of an item is each executor's target, so facts are compared executor by executor;
    # adding them up over executors and setting the sum against one executor's plan means nothing.
    indicators = OrderedDict()
    indicator_rows = []
    for r in rows:
        if r.target_value is None:
            continue
        key = (r.item_position, r.item_number, r.item_text)
        entry = indicators.setdefault(
            key,
            {
                "target": r.target_value,
                "comparator": r.target_comparator,
                "unit": r.target_unit,
                "facts": [],
                "met": 0,
                "expected": 0,
                "executors": set(),
            },
        )
        met = target_met(r.actual_value, r.target_comparator, r.target_value)
        entry["expected"] += 1
        entry["executors"].add(r.executor_name)
        if r.actual_value is not None:
            entry["facts"].append(r.actual_value)
            entry["met"] += bool(met)
        indicator_rows.append(
            {
                **_row(r),
                "target": r.target_value,
                "comparator": r.target_comparator,
                "unit": r.target_unit,
                "fact": r.actual_value,
                "met": met,
            }
        )
    previous = rounds.previous_round(round_)
    previous_totals = total(rounds.entries_of(previous, requester=requester)) if previous else None
    sections = [{"title": title, **t.as_dict()} for title, t in by_section.items()]
    progress(75, _("Диаграммы"))
    executors = [
        {"name": name, "municipality": municipality, **t.as_dict()}
        for (name, municipality), t in sorted(by_executor.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
    summary_only = len(rows) > PDF_FULL_LISTS_UP_TO
    overdue_rows, returned_rows = [_row(r) for r in overdue], [_row(r) for r in returned]
    data = {
        "kind": "quarterly",
        "title": _("Мониторинг реализации мероприятий дорожной карты: %(round)s") % {"round": round_.label},
        "region": round_.region.name,
        "department": department_name(round_.region, requester),
        "roadmap": roadmap.title,
        "owner": roadmap.owner.name,
        "act": roadmap.act_label,
        "quarter": round_.label,
        "period": (round_.period_start, round_.period_end),
        "deadline": round_.deadline,
        "frozen": round_.state == MonitoringRound.State.CLOSED,
        "closed_at": round_.closed_at,
        "generated": timezone.localtime(timezone=round_.region.tzinfo),
        "totals": totals.as_dict(),
        "previous": {"quarter": previous.label, **previous_totals.as_dict()} if previous else None,
        "sections": sections,
        "items": [
            {"number": number, "text": text, **t.as_dict()}
            for (_pos, number, text), t in sorted(by_item.items(), key=lambda kv: kv[0][0])
        ],
        "executors": executors,
        "municipalities": [
            {"name": name or _("Региональный уровень"), **t.as_dict()}
            for name, t in sorted(by_municipality.items(), key=lambda kv: (bool(kv[0]), kv[0]))
        ],
        "overdue": overdue_rows,
        "returned": returned_rows,
        # Every row of the round, for the XLSX («Все строки раунда»); the PDF never lists them.
        "entries": rows,
        "entries_count": len(rows),
        # The PDF of a large round: a summary; whatever it leaves out, the XLSX has.
        "summary_only": summary_only,
        "pdf_list_rows": PDF_LIST_ROWS,
        "pdf_executors": _furthest_behind(executors) if summary_only else executors,
        "pdf_overdue": _earliest(overdue_rows) if summary_only else overdue_rows,
        "pdf_returned": _earliest(returned_rows) if summary_only else returned_rows,
        "indicators": [
            {
                "number": number,
                "text": text,
                "target": v["target"],
                "comparator": v["comparator"],
                "unit": v["unit"],
                "reported": len(v["facts"]),
                "expected": v["expected"],
                "met": v["met"],
                # A total only where it means something: one executor's facts against its plan.
                "fact_total": sum(v["facts"]) if v["facts"] and len(v["executors"]) == 1 else None,
            }
            for (_pos, number, text), v in sorted(indicators.items(), key=lambda kv: kv[0][0])
        ],
        "indicator_rows": indicator_rows,
        "chart": hbar_chart([(s["title"], s["completeness"]) for s in sections]),
        "signature": signature(round_.region, requester),
        "results": _results(rows, requester, round_),
    }
    data["conclusions"] = conclusions.write(data)
    return data


def _results(rows: list[RoundEntry], requester: Requester, round_: MonitoringRound) -> dict | None:
    """«Результаты и исполнение» for the schools among the round's executors, with their
    execution in this round."""
    by_school = tally_by([r for r in rows if r.executor_id], lambda r: r.executor_id)
    execution = {
        pk: {"expected": t.expected, "completeness": t.completeness, "timeliness": t.timeliness}
        for pk, t in by_school.items()
    }
    return results.section(requester, list(by_school), today=round_.period_end, execution=execution)
def _furthest_behind(executors: list[dict]) -> list[dict]:
    """The executors with the most reports missing or returned, for the summary PDF."""
    lagging = [e for e in executors if e["missing"] or e["returned"]]
    lagging.sort(key=lambda e: (-(e["missing"] + e["returned"]), e["completeness"], e["name"]))
    return lagging[:PDF_LIST_ROWS]


def _earliest(rows: list[dict]) -> list[dict]:
    """The rows of a list with the earliest due dates (longest behind), for the summary PDF."""
    return sorted(rows, key=lambda r: r["due"])[:PDF_LIST_ROWS]


def _row(r: RoundEntry) -> dict:
    return {
        "number": r.item_number,
        "text": r.item_text,
        "executor": r.executor_name,
        "municipality": r.municipality_name,
        "due": r.due_date,
        "status": STATUS_LABELS.get(r.status, r.status),
        "review": REVIEW_LABELS.get(r.review_state, r.review_state),
    }


def target_met(fact: Decimal | None, comparator: str, target: Decimal) -> bool | None:
    """Whether a reported value reaches the plan («≥ 2» and 3 → yes); None when nothing was reported."""
    if fact is None:
        return None
    return {
        ">=": fact >= target,
        ">": fact > target,
        "<=": fact <= target,
        "<": fact < target,
    }.get(comparator, fact == target)
