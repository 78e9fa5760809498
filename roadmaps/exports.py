"""A roadmap as an official appendix: XLSX and PDF (A4 landscape, repeated header, page numbers)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pdf import html_to_pdf
from core.xlsx import Section, Sheet, xlsx_bytes
from roadmaps import selectors
from roadmaps.models import Roadmap

COLUMNS = [
    (gettext_lazy("№ п/п"), 8),
    (gettext_lazy("Мероприятие"), 60),
    (gettext_lazy("Сроки"), 22),
    (gettext_lazy("Контрольные даты"), 22),
    (gettext_lazy("Показатель"), 36),
    (gettext_lazy("Результат"), 36),
    (gettext_lazy("Исполнители"), 30),
]


def roadmap_table(roadmap: Roadmap) -> dict:
    sections: list[dict] = []
    current = None
    for item in selectors.items_of(roadmap):
        if current is None or current["section"] != item.section:
            current = {
                "section": item.section,
                "title": item.section.title if item.section else "",
                "items": [],
            }
            sections.append(current)
        dates = ", ".join(c.due_date.strftime("%d.%m.%Y") for c in item.control_dates.all())
        current["items"].append(
            {
                "number": item.number,
                "text": item.text,
                "child": bool(item.parent_id),
                "schedule": item.schedule_text,
                "dates": dates if item.schedule_understood else _("не распознано"),
                "indicator": item.indicator_text,
                "result": item.result_text,
                "executors": item.executors_text,
            }
        )
    return {
        "roadmap": roadmap,
        "title": roadmap.title,
        "act": roadmap.act_label,
        "region": roadmap.region.name,
        "owner": roadmap.owner.name,
        "sections": sections,
        "generated": timezone.localtime(),
    }


def roadmap_xlsx(data: dict) -> bytes:
    rows: list = []
    for section in data["sections"]:
        if section["title"]:
            rows.append(Section(section["title"]))
        for i in section["items"]:
            rows.append(
                [
                    i["number"],
                    i["text"],
                    i["schedule"],
                    i["dates"],
                    i["indicator"],
                    i["result"],
                    i["executors"],
                ]
            )
    heading = [data["title"], data["owner"]]
    if data["act"]:
        heading.append(_("Утверждена: %(act)s") % {"act": data["act"]})
    return xlsx_bytes([Sheet(title=_("Дорожная карта"), columns=COLUMNS, rows=rows, heading=heading)])


def roadmap_pdf(data: dict) -> bytes:
    html = render_to_string("roadmaps/roadmap_pdf.html", data | {"columns": [c for c, _w in COLUMNS]})
    return html_to_pdf(html)


def filename(roadmap: Roadmap, ext: str) -> str:
    year = (
        roadmap.period_start.year
        if roadmap.period_start.year == roadmap.period_end.year
        else f"{roadmap.period_start.year}-{roadmap.period_end.year}"
    )
    name = _("Дорожная карта %(owner)s %(year)s") % {"owner": roadmap.owner.short_name, "year": year}
    return f"{name}.{ext}".replace("/", "-").replace('"', "")
