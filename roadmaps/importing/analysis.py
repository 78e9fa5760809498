"""What the portal understands of a parsed plan, within a period: pure, no database.

Takes the structure from ``structure.parse_tables`` (as a dict, the form kept in the import
draft), the roadmap period, the region's aliases and the coordinator's manual dates, and adds to
every item its parsed schedule, indicator target and resolved executors, with a warning for each
thing that needs a human. The preview page shows exactly this, and the confirm step saves it.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.errors import DomainError
from roadmaps.importing.executors import AliasTarget, resolve_executors
from roadmaps.indicators import parse_indicator
from roadmaps.schedule import SchoolCalendar, parse_schedule

MANUAL_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


class ManualDatesError(DomainError):
    field = "manual_dates"


def parse_manual_dates(text: str) -> list[tuple[str, str]]:
    """«31.03.2023» or «01.03.2023–31.03.2023», one window a line (or separated by «;»)."""
    windows = []
    for n, line in enumerate(re.split(r"[\n;]+", text.strip()), start=1):
        line = line.strip()
        if not line:
            continue
        dates = []
        for d, m, y in MANUAL_DATE.findall(line):
            try:
                dates.append(dt.date(int(y), int(m), int(d)))
            except ValueError as exc:
                raise ManualDatesError(
                    _("Строка %(n)s: такой даты нет — «%(line)s».") % {"n": n, "line": line}
                ) from exc
        if len(dates) not in (1, 2) or MANUAL_DATE.sub("", line).strip(" -–—c") not in ("", "по", "до"):
            raise ManualDatesError(
                _(
                    "Строка %(n)s: «%(line)s» — укажите дату в виде ДД.ММ.ГГГГ или период ДД.ММ.ГГГГ–ДД.ММ.ГГГГ."
                )
                % {"n": n, "line": line}
            )
        start, due = (dates[0], dates[0]) if len(dates) == 1 else (dates[0], dates[1])
        if due < start:
            raise ManualDatesError(_("Строка %(n)s: конец периода раньше начала.") % {"n": n})
        windows.append((start.isoformat(), due.isoformat()))
    if not windows:
        raise ManualDatesError(_("Укажите хотя бы одну дату."))
    return sorted(set(windows))


def analyse(
    parsed: dict,
    *,
    period: tuple[dt.date, dt.date],
    aliases: list[AliasTarget],
    manual_dates: dict[str, list[list[str]]] | None = None,
    own_organization: AliasTarget | None = None,
    school_calendar: SchoolCalendar | None = None,
    act_date: dt.date | None = None,
) -> dict:
    """``own_organization``: for a school's roadmap, executors named by position («Директор»,
    «Заместитель директора по УВР») are people of that school, so they resolve to it.
    ``school_calendar``: the region's school year; ``act_date``: the approving act's date (by
    default the one found in the document), which «в двухнедельный срок после утверждения» counts from."""
    start, end = period
    if act_date is None and (parsed.get("act") or {}).get("date"):
        act_date = dt.date.fromisoformat(parsed["act"]["date"])
    analysis = _Analysis(
        period=period,
        aliases=aliases,
        manual_dates=manual_dates or {},
        own_organization=own_organization,
        school_calendar=school_calendar,
        act_date=act_date,
    )
    sections = [
        {"title": s["title"], "items": [analysis.item_view(i, None) for i in s["items"]]}
        for s in parsed["sections"]
    ]
    return {
        "title": parsed["title"],
        "period": [start.isoformat(), end.isoformat()],
        "act": parsed.get("act") or {},
        "columns": parsed.get("columns", {}),
        "sections": sections,
        "notes": parsed.get("notes", []),
        "warnings": [*parsed.get("warnings", []), *analysis.issues],
        "stats": analysis.stats,
    }


NO_INDICATOR = {
    "text": "",
    "value": None,
    "unit": "",
    "comparator": "=",
    "per": "",
    "understood": False,
    "note": "",
}


def _fixed_schedule(text: str, kind: str, windows: list[dict], *, understood: bool, note: str) -> dict:
    """A schedule the parser did not read: set by hand, carried by sub-items, or missing."""
    return {
        "text": text,
        "kind": kind,
        "windows": windows,
        "due_dates": [w["due"] for w in windows],
        "understood": understood,
        "note": note,
    }


def _schedule_source(item: dict, parent: dict | None, previous: dict | None) -> tuple[str, dict | None]:
    """The schedule text that applies to an item, and the item it is inherited from (if any).

    An empty cell under a sub-item is a vertically merged cell in the source: the dates of the
    parent item or, failing that, of the sub-item above apply."""
    if not item["schedule"] and parent is not None:
        source = parent if parent["schedule"] else previous
        if source is not None and source.get("schedule"):
            return source["schedule"], source
    return item["schedule"], None


def _next_previous(child: dict, previous: dict | None) -> dict:
    """The sub-item above the next one, with the dates and executors it ends up with (which may
    be inherited in turn: 5.3 under 5.2 under 5.1 all take 5.1's dates)."""
    return {
        "number": child["number"] if child["schedule"] or previous is None else previous["number"],
        "schedule": child["schedule"] or (previous or {}).get("schedule", ""),
        "executors": child["executors"] or (previous or {}).get("executors", ""),
    }


@dataclass
class _Analysis:
    """One run of ``analyse``: its settings, and the counts and issues found along the way."""

    period: tuple[dt.date, dt.date]
    aliases: list[AliasTarget]
    manual_dates: dict[str, list[list[str]]]
    own_organization: AliasTarget | None
    school_calendar: SchoolCalendar | None = None
    act_date: dt.date | None = None
    stats: dict[str, int] = field(
        default_factory=lambda: {
            "items": 0,
            "children": 0,
            "unknown_schedules": 0,
            "unresolved_executors": 0,
            "targets": 0,
        }
    )
    issues: list[dict] = field(default_factory=list)

    def item_view(self, item: dict, parent: dict | None, previous: dict | None = None) -> dict:
        schedule_text, inherited_from = _schedule_source(item, parent, previous)
        schedule = self._schedule(item, schedule_text, inherited_from)
        indicator = parse_indicator(item["indicator"]).to_dict() if item["indicator"] else None
        executors = self._executors(item, parent, previous)
        view = {
            "key": item["key"],
            "number": item["number"],
            "text": item["text"],
            "row": item["row"],
            "schedule": schedule,
            "indicator": indicator or dict(NO_INDICATOR),
            "result": item["result"],
            "executors_text": item["executors"],
            "executors": executors,
            "inherits_executors": not item["executors"] and bool(executors),
            "children": [],
        }
        self._count(item, parent, schedule, schedule_text, indicator, executors)
        previous = None
        for child in item.get("children", []):
            view["children"].append(self.item_view(child, item, previous))
            previous = _next_previous(child, previous)
        return view

    def _schedule(self, item: dict, schedule_text: str, inherited_from: dict | None) -> dict:
        if item["key"] in self.manual_dates:
            windows = [{"start": s, "due": d} for s, d in self.manual_dates[item["key"]]]
            return _fixed_schedule(
                item["schedule"], "manual", windows, understood=True, note=_("Даты заданы вручную")
            )
        if not schedule_text and item.get("children"):
            # A heading item («Сбор контекстных данных:») whose sub-items carry the dates.
            return _fixed_schedule("", "subitems", [], understood=True, note=_("Сроки — по подпунктам"))
        if not schedule_text:
            return _fixed_schedule(
                "", "unknown", [], understood=False, note=_("Срок не указан — задайте даты вручную")
            )
        schedule = parse_schedule(
            schedule_text, *self.period, school_calendar=self.school_calendar, act_date=self.act_date
        ).to_dict()
        schedule["text"] = item["schedule"]
        if inherited_from is not None:
            schedule["note"] = _("Срок по п. %(n)s") % {"n": inherited_from["number"].rstrip(".")}
        return schedule

    def _executors(self, item: dict, parent: dict | None, previous: dict | None) -> list[dict]:
        executors_text = item["executors"]
        if not executors_text and parent is not None:
            executors_text = parent["executors"] or (previous["executors"] if previous else "")
        executors = [e.to_dict() for e in resolve_executors(executors_text, self.aliases)]
        own = self.own_organization
        if own is not None:
            for e in executors:
                if not e["resolved"]:
                    e.update(
                        organization_id=own.organization_id,
                        organization=own.organization,
                        persons=", ".join(filter(None, [e["persons"], e["text"]])),
                        resolved=True,
                    )
        return executors

    def _count(
        self,
        item: dict,
        parent: dict | None,
        schedule: dict,
        schedule_text: str,
        indicator: dict | None,
        executors: list[dict],
    ) -> None:
        """Counts for the preview, and an issue for each thing that needs a human."""
        number = item["number"].rstrip(".")
        self.stats["children" if parent else "items"] += 1
        if not schedule["understood"]:
            self.stats["unknown_schedules"] += 1
            self._issue(
                item,
                _("п. %(n)s: срок «%(t)s» не распознан — задайте даты вручную.")
                % {"n": number, "t": schedule_text or "—"},
            )
        if indicator and indicator["value"] is not None:
            self.stats["targets"] += 1
        unknown = [e["text"] for e in executors if not e["resolved"]]
        if unknown:
            self.stats["unresolved_executors"] += len(unknown)
            self._issue(
                item,
                _("п. %(n)s: исполнитель не найден в справочнике региона: %(names)s.")
                % {"n": number, "names": ", ".join(f"«{u}»" for u in unknown)},
            )

    def _issue(self, item: dict, message: str) -> None:
        self.issues.append({"key": item["key"], "row": item["row"], "message": message})
