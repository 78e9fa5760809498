"""The execution lists as XLSX, with the filters of the page they came from: the list of
obligations (execution, «Мои задачи», the review queue), the region matrix and the region overview.

The views build the rows through the same gate and FilterSet as the page; these functions only lay
them out (through the one writer, ``core.xlsx``). Rows are streamed from the queryset, so a region's
whole execution list costs the memory of one row at a time.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.xlsx import Sheet, xlsx_bytes
from monitoring.models import ExecutionReport, Obligation
from monitoring.overview import Overview

OBLIGATION_COLUMNS = [
    (gettext_lazy("Срок"), 12),
    (gettext_lazy("№ п/п"), 8),
    (gettext_lazy("Мероприятие"), 60),
    (gettext_lazy("Дорожная карта"), 36),
    (gettext_lazy("Исполнитель"), 36),
    (gettext_lazy("Муниципалитет"), 24),
    (gettext_lazy("Исполнение"), 18),
    (gettext_lazy("Проверка"), 20),
    (gettext_lazy("Отправлен"), 18),
    (gettext_lazy("Просрочен"), 12),
    (gettext_lazy("Подтверждений"), 14),
    (gettext_lazy("Комментарий проверяющего"), 40),
]


def heading(title: str, filters: Sequence[tuple[str, str]]) -> list[str]:
    """The title, the filters the list was cut by (so the file says what it holds), the date."""
    lines = [title]
    if filters:
        lines.append(_("Отбор: %(filters)s") % {"filters": "; ".join(f"{k}: {v}" for k, v in filters)})
    else:
        lines.append(_("Отбор: все доступные записи"))
    lines.append(_("Сформировано %(date)s") % {"date": timezone.localdate().strftime("%d.%m.%Y")})
    return lines


def _obligation_rows(obligations: Iterable[Obligation], today: dt.date) -> Iterator[list[Any]]:
    for o in obligations:
        report: ExecutionReport | None = getattr(o, "report", None) if hasattr(o, "report") else None
        sent = report.submitted_at if report else None
        review = report.review_state if report else ExecutionReport.Review.DRAFT
        overdue = o.due_date < today and review not in (
            ExecutionReport.Review.SUBMITTED,
            ExecutionReport.Review.ACCEPTED,
        )
        yield [
            o.due_date,
            o.item.number,
            o.item.text,
            f"{o.roadmap.owner.short_name}: {o.roadmap.title}",
            o.executor.short_name,
            o.executor.municipality.name if o.executor.municipality else _("региональный уровень"),
            report.get_status_display() if report else ExecutionReport.Status.NOT_STARTED.label,
            ExecutionReport.Review(review).label,
            timezone.localtime(sent, o.region.tzinfo) if sent else None,
            _("да") if overdue else _("нет"),
            getattr(o, "evidence_count", 0),
            report.review_comment if report else "",
        ]


def obligations_xlsx(qs: QuerySet, *, title: str, filters: Sequence[tuple[str, str]]) -> bytes:
    """Obligations as the execution list shows them (``qs`` from ``selectors._with_relations``)."""
    today = timezone.localdate()
    sheet = Sheet(
        title=title,
        columns=OBLIGATION_COLUMNS,
        rows=_obligation_rows(qs.select_related("region").iterator(chunk_size=500), today),
        heading=heading(title, filters),
    )
    return xlsx_bytes([sheet])


def overview_xlsx(data: Overview, *, title: str, filters: Sequence[tuple[str, str]]) -> bytes:
    first = _("Исполнитель") if data.by == "executor_id" else _("Муниципалитет")
    columns = [
        (first, 40),
        (gettext_lazy("Ожидалось"), 12),
        (gettext_lazy("Отправлено"), 12),
        (gettext_lazy("Принято"), 12),
        (gettext_lazy("Просрочено"), 12),
        (gettext_lazy("На доработке"), 14),
        (gettext_lazy("В срок, %"), 10),
        (gettext_lazy("В срок на раунде, %"), 14),
        (gettext_lazy("Изменение, п. п."), 14),
    ]
    rows = [
        [
            r.name,
            r.expected,
            r.submitted,
            r.accepted,
            r.overdue,
            r.returned,
            r.on_time_pct,
            r.previous,
            r.change,
        ]
        for r in [*data.rows, data.total]
    ]
    lines = heading(title, filters)
    if data.rounds:
        lines.append(
            _("Сравнение с раундами: %(rounds)s")
            % {"rounds": "; ".join(f"{r.label} ({r.roadmap.owner.short_name})" for r in data.rounds)}
        )
    return xlsx_bytes([Sheet(title=_("Сводка"), columns=columns, rows=rows, heading=lines)])


def matrix_xlsx(
    *,
    title: str,
    filters: Sequence[tuple[str, str]],
    column_names: Sequence[str],
    rows: Iterable[tuple[Any, Sequence[dict | None], dict]],
    column_totals: Sequence[dict],
    grand_total: dict,
) -> bytes:
    """Items × executors (or municipalities): «принято/всего (просрочено)» per cell, totals."""

    def cell(c: dict | None) -> str:
        if not c:
            return ""
        text = f"{c['accepted']}/{c['total']}"
        return text + (_(" (просрочено %(n)s)") % {"n": c["overdue"]} if c["overdue"] else "")

    columns = [
        (gettext_lazy("№ п/п"), 8),
        (gettext_lazy("Мероприятие"), 50),
        *[(name, 16) for name in column_names],
        (gettext_lazy("Итого: принято/всего"), 16),
        (gettext_lazy("Итого: просрочено"), 12),
    ]
    out: list[list[Any]] = []
    for item, cells, total in rows:
        out.append([item.number, item.text, *[cell(c) for c in cells], cell(total), total["overdue"]])
    out.append([_("Итого"), "", *[cell(c) for c in column_totals], cell(grand_total), grand_total["overdue"]])
    return xlsx_bytes([Sheet(title=_("Матрица"), columns=columns, rows=out, heading=heading(title, filters))])
