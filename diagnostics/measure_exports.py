"""The catalogue of measures by deficit as XLSX: the groups the page shows, through the one writer
(``core.xlsx``), with the filters it was cut by in the heading."""

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.xlsx import Section, Sheet, xlsx_bytes
from diagnostics.catalogue import is_risk_factor
from diagnostics.models import Measure

COLUMNS = [
    (gettext_lazy("Дефицит"), 40),
    (gettext_lazy("Вид дефицита"), 22),
    (gettext_lazy("Мероприятие"), 60),
    (gettext_lazy("Пояснение"), 40),
    (gettext_lazy("Из дорожной карты"), 40),
]


def _rows(groups: Sequence[tuple[str, str, list[Measure]]]) -> Iterator[Any]:
    for code, name, measures in groups:
        kind = _("фактор риска") if is_risk_factor(code) else _("направление самодиагностики")
        yield Section(f"{name} ({kind})")
        for m in measures:
            item = m.source_item
            source = (
                f"{item.roadmap.owner.short_name}, п. {item.number}: {item.roadmap.title}" if item else ""
            )
            yield [name, kind, m.title, m.description, source]


def measures_xlsx(
    groups: Sequence[tuple[str, str, list[Measure]]], *, title: str, filters: Sequence[tuple[str, str]]
) -> bytes:
    heading = [title, _("Диагностика и поддержка школ, не рейтинг школ и учителей.")]
    if filters:
        heading.append(_("Отбор: %(filters)s") % {"filters": "; ".join(f"{k}: {v}" for k, v in filters)})
    heading.append(_("Сформировано %(date)s") % {"date": timezone.localdate().strftime("%d.%m.%Y")})
    return xlsx_bytes([Sheet(title=title, columns=COLUMNS, rows=_rows(groups), heading=heading)])
