import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from roadmaps import services
from roadmaps.importing.analysis import analyse
from roadmaps.importing.tables import ReadError
from roadmaps.models import Roadmap
from schools.models import Organization, Region


def parse_period(value: str) -> tuple[dt.date, dt.date]:
    if re.fullmatch(r"\d{4}", value):
        year = int(value)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})", value)
    if not m:
        raise CommandError(
            _("--period: ожидается ГГГГ или ГГГГ-ММ-ДД:ГГГГ-ММ-ДД, получено «%(value)s»") % {"value": value}
        )
    start, end = dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))
    if end < start:
        raise CommandError(_("--period: конец периода раньше начала"))
    return start, end


class Command(BaseCommand):
    help = _("Импортирует дорожную карту из DOCX, XLSX или PDF (с --dry-run ничего не сохраняет).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--region", required=True, help=_("код субъекта РФ, например 70"))
        parser.add_argument("--level", choices=[c for c, _ in Roadmap.Level.choices], default=None)
        parser.add_argument("--owner", type=int, default=None, help=_("id организации-владельца"))
        parser.add_argument(
            "--parent", type=int, default=None, help=_("id дорожной карты, которую реализует эта")
        )
        parser.add_argument(
            "--period", default=None, help=_("ГГГГ или ГГГГ-ММ-ДД:ГГГГ-ММ-ДД (по умолчанию — из документа)")
        )
        parser.add_argument("--status", choices=[c for c, _ in Roadmap.Status.choices], default="draft")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--json", action="store_true", help=_("печатать разобранную дорожную карту в JSON")
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        if not path.is_file():
            raise CommandError(_("Файл не найден: %(path)s") % {"path": path})
        region = Region.objects.filter(code=opts["region"]).first()
        if region is None:
            raise CommandError(_("Регион с кодом %(code)s не найден") % {"code": opts["region"]})
        data = path.read_bytes()
        try:
            services.check_upload(path.name, data)
            parsed = services.parse_document(data)
        except (ReadError, ValidationError) as exc:
            raise CommandError(f"{path.name}: {' '.join(getattr(exc, 'messages', [str(exc)]))}") from exc
        period = parse_period(opts["period"]) if opts["period"] else services.default_period(parsed)
        if period is None:
            raise CommandError(_("Период не найден в документе: укажите --period"))
        analysis = analyse(
            parsed, period=period, aliases=services.region_aliases(region), school_calendar=region.calendar
        )
        if opts["json"]:
            self.stdout.write(json.dumps(export_json(analysis), ensure_ascii=False, indent=2))
        if opts["dry_run"]:
            if not opts["json"]:
                self._summary(analysis)
            return
        owner = (
            Organization.objects.filter(region=region, pk=opts["owner"]).first() if opts["owner"] else None
        )
        if owner is None:
            raise CommandError(_("Укажите --owner: id организации-владельца в этом регионе"))
        parent = Roadmap.objects.filter(region=region, pk=opts["parent"]).first() if opts["parent"] else None
        try:
            roadmap = services.create_roadmap(
                actor=None,
                region=region,
                analysis=analysis,
                level=opts["level"] or services.guess_level(parsed),
                owner=owner,
                parent=parent,
                act=parsed.get("act"),
                status=opts["status"],
                source_name=path.name,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if not opts["json"]:
            self._summary(analysis)
            self.stdout.write(
                self.style.SUCCESS(
                    _("Создана дорожная карта id=%(id)s: %(title)s")
                    % {"id": roadmap.pk, "title": roadmap.title}
                )
            )

    def _summary(self, analysis: dict) -> None:
        s = analysis["stats"]
        self.stdout.write(
            _(
                "%(title)s\nпериод %(start)s — %(end)s; разделов %(sections)s, мероприятий %(items)s "
                "(+%(children)s подпунктов), сроков не распознано %(unknown)s, исполнителей не найдено "
                "%(unresolved)s"
            )
            % {
                "title": analysis["title"],
                "start": analysis["period"][0],
                "end": analysis["period"][1],
                "sections": len(analysis["sections"]),
                "items": s["items"],
                "children": s["children"],
                "unknown": s["unknown_schedules"],
                "unresolved": s["unresolved_executors"],
            }
        )
        for w in analysis["warnings"]:
            self.stdout.write(_("  строка %(row)s: %(message)s") % {"row": w["row"], "message": w["message"]})


def export_json(analysis: dict) -> dict:
    """The documented --json shape: sections → items with schedule, indicator, executors."""

    def item(i: dict) -> dict:
        return {
            "number": i["number"],
            "text": i["text"],
            "schedule": {k: i["schedule"][k] for k in ("text", "kind", "due_dates", "understood", "note")},
            "indicator": {k: i["indicator"].get(k) for k in ("text", "value", "unit", "comparator", "per")},
            "result": i["result"],
            "executors": [
                {
                    "text": e["text"],
                    "organization": e["organization"] or None,
                    "group": e["group"] or None,
                    "persons": e["persons"],
                }
                for e in i["executors"]
            ],
            "children": [item(c) for c in i["children"]],
        }

    return {
        "title": analysis["title"],
        "period": analysis["period"],
        "act": analysis["act"],
        "sections": [
            {"title": s["title"], "items": [item(i) for i in s["items"]]} for s in analysis["sections"]
        ],
        "notes": analysis["notes"],
        "warnings": analysis["warnings"],
    }
