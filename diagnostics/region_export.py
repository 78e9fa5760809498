"""The region view «Результаты и исполнение» as XLSX: exactly the listed schools, in the page's
order, with the filters in the heading and the careful-wording notice (through ``core.xlsx``)."""

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.xlsx import Sheet, xlsx_bytes
from diagnostics.region import SchoolPlace
from diagnostics.vocabulary import RISK_FACTOR_NAMES
from monitoring.exports import heading

COLUMNS = [
    (gettext_lazy("Положение"), 30),
    (gettext_lazy("Муниципалитет"), 24),
    (gettext_lazy("Школа"), 40),
    (gettext_lazy("Статусы в году"), 24),
    (gettext_lazy("Факторов риска высокого уровня"), 14),
    (gettext_lazy("Факторы риска высокого уровня"), 50),
    (gettext_lazy("Год рискового профиля"), 12),
    (gettext_lazy("Уровень самодиагностики"), 18),
    (gettext_lazy("Год самодиагностики"), 12),
    (gettext_lazy("Ожидалось отчётов"), 12),
    (gettext_lazy("Отправлено, %"), 12),
    (gettext_lazy("В срок, %"), 12),
    (gettext_lazy("Просрочено"), 12),
    (gettext_lazy("На доработке"), 12),
    (gettext_lazy("Школьная дорожная карта"), 36),
    (gettext_lazy("Дефицитов без мероприятий"), 14),
    (gettext_lazy("Доля «2» по ВПР: первый год"), 14),
    (gettext_lazy("Доля «2» по ВПР: последний год"), 14),
    (gettext_lazy("Изменение доли «2», п. п."), 14),
]


def _rows(places: Sequence[SchoolPlace]) -> Iterator[list[Any]]:
    for p in places:
        first, last = p.lowest_first, p.lowest_last
        yield [
            p.priority_label,
            p.school.municipality.name if p.school.municipality else "",
            p.school.short_name,
            "; ".join(str(s) for s in p.statuses),
            len(p.high) if p.profile else None,
            "; ".join(str(RISK_FACTOR_NAMES[c]) for c in p.high),
            p.profile.year if p.profile else None,
            p.diagnosis.get_level_display() if p.diagnosis else "",
            p.diagnosis.year if p.diagnosis else None,
            p.figures.expected,
            p.figures.reporting_rate if p.figures.expected else None,
            p.figures.timeliness if p.figures.expected else None,
            p.overdue,
            p.figures.returned,
            p.roadmap.title if p.roadmap else _("нет"),
            len(p.gaps) if p.roadmap else None,
            f"{first[1]} ({first[0]})" if first else "",
            f"{last[1]} ({last[0]})" if last else "",
            p.lowest_change,
        ]


def region_xlsx(
    places: Sequence[SchoolPlace], *, title: str, filters: Sequence[tuple[str, str]], notice: str
) -> bytes:
    lines = heading(title, filters)
    lines.insert(1, notice)
    lines.append(
        _(
            "Порядок: сначала высокий риск и отставание в исполнении (просроченные и возвращённые "
            "отчёты); результаты оценочных процедур на порядок не влияют."
        )
    )
    sheet = Sheet(title=title, columns=COLUMNS, rows=_rows(places), heading=lines)
    return xlsx_bytes([sheet])
