"""«Выгрузка всех обязательств по стране»: every live obligation of the country, one row each.

Ordered by the platform administrator or a federal viewer (``rules.may_order_national``), built by
a worker, read through the gate as the requester. Made for ~2 million rows in bounded memory:

- regions are read one at a time, each through its region index, sorted inside the region
  (municipality, executor, roadmap, item, due date) — a sort of one region's rows, never the
  country's;
- rows come as tuples (``values_list``, no model instances) from a server-side cursor, a chunk
  at a time (``iterator(chunk_size=…)``);
- each row goes straight into the workbook on a temporary file (``core.xlsx.split_sheets`` /
  ``write_xlsx``, a bulk sheet: its body written as SpreadsheetML text, openpyxl around it):
  nothing grows with the number of rows.

``bench/bench_reports.py`` measures it against bare openpyxl writing the same rows.
"""

import datetime as dt
import zoneinfo
from collections.abc import Collection, Iterator
from typing import IO, Any

from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.xlsx import split_sheets, write_xlsx
from monitoring.models import ExecutionReport, Obligation
from reporting.builders.common import Progress
from schools.access import Requester
from schools.models import Region

COLUMNS = [
    (gettext_lazy("Регион"), 28),
    (gettext_lazy("Муниципалитет"), 26),
    (gettext_lazy("Исполнитель"), 34),
    (gettext_lazy("Дорожная карта"), 40),
    (gettext_lazy("№ п/п"), 8),
    (gettext_lazy("Мероприятие"), 60),
    (gettext_lazy("Срок"), 12),
    (gettext_lazy("Исполнение"), 18),
    (gettext_lazy("Проверка"), 20),
    (gettext_lazy("Отправлен"), 17),
    (gettext_lazy("Просрочено"), 12),
]
# An item's text is cut to two lines or so (the full text is in the roadmap's own export); the
# roadmap's title likewise.
ITEM_TEXT_CHARS = 200
ROADMAP_TITLE_CHARS = 120
CHUNK_SIZE = 5_000  # rows per fetch from the server-side cursor
PROGRESS_EVERY = 20_000  # rows between two progress updates

FIELDS = (
    "executor__municipality__name",
    "executor__short_name",
    "roadmap__owner__short_name",
    "roadmap_title",
    "item__number",
    "item_text",
    "due_date",
    "report__status",
    "report__review_state",
    "report__submitted_at",
    "report__is_late",
)


def _cut(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def obligations(requester: Requester) -> Any:
    """The live obligations ``requester`` sees: the export's rows, before they are cut by region."""
    return Obligation.objects.visible_to(requester).filter(cancelled=False)


def region_rows(requester: Requester, region_id: int) -> Any:
    """One region's rows as tuples of :data:`FIELDS`, in the file's order."""
    return (
        obligations(requester)
        .filter(region_id=region_id)
        .annotate(
            item_text=Left("item__text", ITEM_TEXT_CHARS + 1),
            roadmap_title=Left("roadmap__title", ROADMAP_TITLE_CHARS + 1),
        )
        .order_by(
            "executor__municipality__name",
            "executor__short_name",
            "roadmap_id",
            "item__position",
            "due_date",
            "pk",
        )
        .values_list(*FIELDS)
    )


def rows(
    requester: Requester,
    *,
    today: dt.date | None = None,
    on_row: Any = None,
    region_ids: Collection[int] | None = None,
) -> Iterator[list[Any]]:
    """Every row of the file, region by region; ``on_row(n)`` is told the running count.
    ``region_ids`` narrows it to some regions (the benchmark's smaller runs)."""
    today = today or timezone.localdate()
    statuses = {k: str(v) for k, v in ExecutionReport.Status.choices}
    reviews = {k: str(v) for k, v in ExecutionReport.Review.choices}
    not_started, draft = statuses[ExecutionReport.Status.NOT_STARTED], reviews[ExecutionReport.Review.DRAFT]
    sent_states = {ExecutionReport.Review.SUBMITTED, ExecutionReport.Review.ACCEPTED}
    regional, yes, no = _("региональный уровень"), _("да"), _("нет")
    count = 0
    regions = Region.objects.visible_to(requester).order_by("code")
    if region_ids is not None:
        regions = regions.filter(pk__in=region_ids)
    for region_id, region_name, tz in regions.values_list("pk", "name", "timezone"):
        tzinfo = zoneinfo.ZoneInfo(tz)
        labels: dict[tuple[str, str], str] = {}  # «owner: title» once per roadmap
        for muni, executor, owner, title, number, text, due, status, review, sent, is_late in region_rows(
            requester, region_id
        ).iterator(chunk_size=CHUNK_SIZE):
            roadmap = labels.get((owner, title))
            if roadmap is None:
                roadmap = labels[(owner, title)] = f"{owner}: {_cut(title, ROADMAP_TITLE_CHARS)}"
            late = bool(is_late) or (due < today and review not in sent_states)
            yield [
                region_name,
                muni or regional,
                executor,
                roadmap,
                number,
                _cut(text, ITEM_TEXT_CHARS),
                due,
                statuses[status] if status else not_started,
                reviews[review] if review else draft,
                sent.astimezone(tzinfo).replace(tzinfo=None) if sent else None,
                yes if late else no,
            ]
            count += 1
            if on_row is not None and count % PROGRESS_EVERY == 0:
                on_row(count)


def write(
    requester: Requester, stream: IO[bytes], progress: Progress, *, region_ids: Collection[int] | None = None
) -> int:
    """Write the export to ``stream``; returns the number of rows. Progress goes from 10 % to 95 %
    as rows are written («записано N из M»)."""
    qs = obligations(requester)
    total = (qs if region_ids is None else qs.filter(region_id__in=region_ids)).count()
    progress(10, _("Обязательств в выгрузке: %(n)s") % {"n": f"{total:,}".replace(",", " ")})

    def on_row(n: int) -> None:
        progress(
            10 + 85 * n // max(total, 1),
            _("Записано строк: %(n)s из %(total)s")
            % {"n": f"{n:,}".replace(",", " "), "total": f"{total:,}".replace(",", " ")},
        )

    counted = {"n": 0}

    def counting() -> Iterator[list[Any]]:
        for row in rows(requester, on_row=on_row, region_ids=region_ids):
            counted["n"] += 1
            yield row

    write_xlsx(split_sheets(_("Обязательства"), COLUMNS, counting()), stream)
    return counted["n"]
