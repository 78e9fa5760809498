"""What the portal understands of a parsed plan, within a period: pure, no database.

Takes the structure from ``structure.parse_tables`` (as a dict, the form kept in the import
draft), the roadmap period, the region's aliases and the coordinator's manual dates, and adds to
every item its parsed schedule, indicator target and resolved executors, with a warning for each
thing that needs a human. The preview page shows exactly this, and the confirm step saves it.
"""

import datetime as dt
import re

from django.utils.translation import gettext as _

from core.errors import DomainError
from roadmaps.importing.executors import AliasTarget, resolve_executors
from roadmaps.indicators import parse_indicator
from roadmaps.schedule import parse_schedule

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
) -> dict:
    """``own_organization``: for a school's roadmap, executors named by position («Директор»,
    «Заместитель директора по УВР») are people of that school, so they resolve to it."""
    manual_dates = manual_dates or {}
    start, end = period
    stats = {"items": 0, "children": 0, "unknown_schedules": 0, "unresolved_executors": 0, "targets": 0}
    issues: list[dict] = []

    def item_view(item: dict, parent: dict | None, previous: dict | None = None) -> dict:
        schedule_text = item["schedule"]
        inherited_from = None
        # An empty cell under a sub-item is a vertically merged cell in the source: the dates of
        # the parent item or, failing that, of the sub-item above apply.
        if not schedule_text and parent is not None:
            source = parent if parent["schedule"] else previous
            if source is not None and source.get("schedule"):
                schedule_text, inherited_from = source["schedule"], source
        if item["key"] in manual_dates:
            windows = [{"start": s, "due": d} for s, d in manual_dates[item["key"]]]
            schedule = {
                "text": item["schedule"],
                "kind": "manual",
                "windows": windows,
                "due_dates": [w["due"] for w in windows],
                "understood": True,
                "note": _("Даты заданы вручную"),
            }
        elif not schedule_text and item.get("children"):
            # A heading item («Сбор контекстных данных:») whose sub-items carry the dates.
            schedule = {
                "text": "",
                "kind": "subitems",
                "windows": [],
                "due_dates": [],
                "understood": True,
                "note": _("Сроки — по подпунктам"),
            }
        elif not schedule_text:
            schedule = {
                "text": "",
                "kind": "unknown",
                "windows": [],
                "due_dates": [],
                "understood": False,
                "note": _("Срок не указан — задайте даты вручную"),
            }
        else:
            schedule = parse_schedule(schedule_text, start, end).to_dict()
            schedule["text"] = item["schedule"]
            if inherited_from is not None:
                schedule["note"] = _("Срок по п. %(n)s") % {"n": inherited_from["number"].rstrip(".")}
        indicator = parse_indicator(item["indicator"]).to_dict() if item["indicator"] else None
        executors_text = item["executors"]
        if not executors_text and parent is not None:
            executors_text = parent["executors"] or (previous["executors"] if previous else "")
        executors = [e.to_dict() for e in resolve_executors(executors_text, aliases)]
        if own_organization is not None:
            for e in executors:
                if not e["resolved"]:
                    e.update(
                        organization_id=own_organization.organization_id,
                        organization=own_organization.organization,
                        persons=", ".join(filter(None, [e["persons"], e["text"]])),
                        resolved=True,
                    )
        view = {
            "key": item["key"],
            "number": item["number"],
            "text": item["text"],
            "row": item["row"],
            "schedule": schedule,
            "indicator": indicator
            or {
                "text": "",
                "value": None,
                "unit": "",
                "comparator": "=",
                "per": "",
                "understood": False,
                "note": "",
            },
            "result": item["result"],
            "executors_text": item["executors"],
            "executors": executors,
            "inherits_executors": not item["executors"] and bool(executors),
            "children": [],
        }
        stats["children" if parent else "items"] += 1
        if not schedule["understood"]:
            stats["unknown_schedules"] += 1
            issues.append(
                {
                    "key": item["key"],
                    "row": item["row"],
                    "message": _("п. %(n)s: срок «%(t)s» не распознан — задайте даты вручную.")
                    % {"n": item["number"].rstrip("."), "t": schedule_text or "—"},
                }
            )
        if indicator and indicator["value"] is not None:
            stats["targets"] += 1
        unknown = [e["text"] for e in executors if not e["resolved"]]
        if unknown:
            stats["unresolved_executors"] += len(unknown)
            issues.append(
                {
                    "key": item["key"],
                    "row": item["row"],
                    "message": _("п. %(n)s: исполнитель не найден в справочнике региона: %(names)s.")
                    % {"n": item["number"].rstrip("."), "names": ", ".join(f"«{u}»" for u in unknown)},
                }
            )
        # The sub-item above, with the dates and executors it ends up with (which may be
        # inherited in turn: 5.3 under 5.2 under 5.1 all take 5.1's dates).
        previous = None
        for child in item.get("children", []):
            view["children"].append(item_view(child, item, previous))
            previous = {
                "number": child["number"] if child["schedule"] or previous is None else previous["number"],
                "schedule": child["schedule"] or (previous or {}).get("schedule", ""),
                "executors": child["executors"] or (previous or {}).get("executors", ""),
            }
        return view

    sections = [
        {"title": s["title"], "items": [item_view(i, None) for i in s["items"]]} for s in parsed["sections"]
    ]
    return {
        "title": parsed["title"],
        "period": [start.isoformat(), end.isoformat()],
        "act": parsed.get("act") or {},
        "columns": parsed.get("columns", {}),
        "sections": sections,
        "notes": parsed.get("notes", []),
        "warnings": [*parsed.get("warnings", []), *issues],
        "stats": stats,
    }
