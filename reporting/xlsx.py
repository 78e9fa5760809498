"""The reports' XLSX layout: which sheets and columns each report kind has, over the project's
one writer (``core.xlsx``: text never becomes a formula, numbers and dates stay typed)."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.xlsx import Sheet, xlsx_bytes
from monitoring.models import ExecutionReport

STATUS_WORDS = dict(ExecutionReport.Status.choices)
REVIEW_WORDS = dict(ExecutionReport.Review.choices)

PCT = [
    (gettext_lazy("Ожидалось"), 12),
    (gettext_lazy("Отправлено"), 12),
    (gettext_lazy("В срок"), 10),
    (gettext_lazy("Принято"), 10),
    (gettext_lazy("Полнота, %"), 12),
    (gettext_lazy("Своевременность, %"), 16),
]

COMPARATOR_WORDS = {
    ">=": gettext_lazy("не менее"),
    ">": gettext_lazy("более"),
    "<=": gettext_lazy("не более"),
    "<": gettext_lazy("менее"),
    "=": gettext_lazy("ровно"),
}
MET_WORDS = {True: gettext_lazy("да"), False: gettext_lazy("нет"), None: gettext_lazy("нет отчёта")}


def _figures(d: dict) -> list:
    return [d["expected"], d["submitted"], d["on_time"], d["accepted"], d["completeness"], d["timeliness"]]


def render_xlsx_report(data: dict) -> bytes:
    kind = data["kind"]
    if kind == "questionnaire":
        return data["xlsx_bytes"]  # the questionnaire's own export: a row per school
    heading = [data["title"], data["region"]]
    t = data["totals"]
    summary = Sheet(
        title=_("Итоги"),
        columns=[(_("Показатель"), 40), (_("Значение"), 14)],
        heading=heading,
        rows=[
            [_("Ожидалось отчётов"), t["expected"]],
            [_("Отправлено"), t["submitted"]],
            [_("Отправлено в срок"), t["on_time"]],
            [_("Принято"), t["accepted"]],
            [_("На доработке"), t["returned"]],
            [_("Не отправлено"), t["missing"]],
            [_("Полнота, %"), t["completeness"]],
            [_("Своевременность, %"), t["timeliness"]],
        ],
    )
    sheets = [summary]
    if data.get("conclusions"):
        sheets.append(_conclusions_sheet(data))
    if kind == "quarterly":
        if data.get("previous"):
            p = data["previous"]
            summary.rows += [
                [
                    _("Полнота в прошлом раунде (%(quarter)s), %%") % {"quarter": p["quarter"]},
                    p["completeness"],
                ],
                [_("Принято в прошлом раунде, %"), p["acceptance"]],
            ]
        sheets += [
            Sheet(
                _("Разделы"),
                [(_("Раздел"), 50), *PCT],
                rows=[[s["title"], *_figures(s)] for s in data["sections"]],
            ),
            Sheet(
                _("Мероприятия"),
                [("№", 8), (_("Мероприятие"), 70), *PCT],
                rows=[[i["number"], i["text"], *_figures(i)] for i in data["items"]],
            ),
            Sheet(
                _("Исполнители"),
                [(_("Исполнитель"), 36), (_("Муниципалитет"), 28), *PCT],
                rows=[[e["name"], e["municipality"], *_figures(e)] for e in data["executors"]],
            ),
            Sheet(
                _("Муниципалитеты"),
                [(_("Муниципалитет"), 40), *PCT],
                rows=[[m["name"], *_figures(m)] for m in data.get("municipalities", [])],
            ),
            Sheet(
                _("Показатели"),
                [
                    ("№", 8),
                    (_("Мероприятие"), 50),
                    (_("Исполнитель"), 30),
                    (_("Муниципалитет"), 24),
                    (_("Срок"), 12),
                    (_("Условие"), 12),
                    (_("План"), 10),
                    (_("Единица"), 16),
                    (_("Факт"), 10),
                    (_("План достигнут"), 14),
                ],
                rows=[
                    [
                        r["number"],
                        r["text"],
                        r["executor"],
                        r["municipality"],
                        r["due"],
                        COMPARATOR_WORDS.get(r["comparator"], ""),
                        r["target"],
                        r["unit"],
                        r["fact"],
                        MET_WORDS[r["met"]],
                    ]
                    for r in data["indicator_rows"]
                ],
            ),
            Sheet(
                _("Показатели — итоги"),
                [
                    ("№", 8),
                    (_("Мероприятие"), 60),
                    (_("План на исполнителя"), 14),
                    (_("Единица"), 16),
                    (_("Ожидалось отчётов"), 12),
                    (_("Отчитались"), 12),
                    (_("Достигли плана"), 12),
                    (_("Факт (один исполнитель)"), 14),
                ],
                rows=[
                    [
                        i["number"],
                        i["text"],
                        i["target"],
                        i["unit"],
                        i["expected"],
                        i["reported"],
                        i["met"],
                        i["fact_total"],
                    ]
                    for i in data["indicators"]
                ],
            ),
            _lagging_sheet(_("Не отправлено"), data["overdue"]),
            _lagging_sheet(_("На доработке"), data["returned"]),
        ]
        if "entries" in data:
            sheets.append(_entries_sheet(data))
    elif kind == "municipal":
        sheets += [
            Sheet(
                _("Исполнители"),
                [(_("Исполнитель"), 40), *PCT],
                rows=[[e["name"], *_figures(e)] for e in data["executors"]],
            ),
            Sheet(
                _("Мероприятия"),
                [
                    (_("Дорожная карта"), 40),
                    ("№", 8),
                    (_("Мероприятие"), 60),
                    (_("Исполнитель"), 30),
                    (_("Срок"), 12),
                    (_("Исполнение"), 18),
                    (_("Проверка"), 18),
                    (_("С опозданием"), 12),
                    (_("Подтверждений"), 12),
                ],
                rows=[
                    [
                        r["roadmap"],
                        r["number"],
                        r["text"],
                        r["executor"],
                        r["due"],
                        r["status"],
                        r["review"],
                        _("да") if r["late"] else "",
                        r["evidence"],
                    ]
                    for r in data["rows"]
                ],
            ),
        ]
    elif kind == "school":
        sheets += [
            Sheet(
                _("Статусы"),
                [(_("Год"), 8), (_("Категория"), 30), (_("Уровень"), 16), (_("Основание"), 60)],
                rows=[
                    [
                        s.year,
                        s.get_category_display(),
                        s.get_level_display() if s.level else "",
                        s.basis_document,
                    ]
                    for s in data["statuses"]
                ],
            ),
            Sheet(
                _("Дорожные карты"),
                [(_("Дорожная карта"), 60), *PCT],
                rows=[[r["title"], *_figures(r)] for r in data["roadmaps"]],
            ),
        ]
        for n, a in enumerate(data.get("answers", []), start=1):
            sheets.append(
                Sheet(
                    _("Анкета %(n)s") % {"n": n},
                    [("№", 8), (_("Вопрос"), 70), (_("Ответ"), 70)],
                    heading=[a["title"]],
                    rows=[[r["number"], r["text"], r["answer"]] for r in a["rows"]],
                )
            )
    if data.get("results"):
        sheets += _results_sheets(data)
    return xlsx_bytes(sheets)


def _results_sheets(data: dict) -> list[Sheet]:
    """«Результаты и исполнение»: every school in the report's scope, and per municipality."""
    res = data["results"]
    heading = [data["title"], _("Результаты и исполнение"), res["note"]]
    years = res["years"]
    schools = Sheet(
        _("Результаты и исполнение"),
        [
            (_("Муниципалитет"), 28),
            (_("Школа"), 40),
            (_("Статус"), 28),
            (_("Год профиля рисков"), 12),
            (_("Высоких рисков"), 10),
            (_("Средних рисков"), 10),
            (_("Высокие риски"), 60),
            (_("Самодиагностика: уровень"), 16),
            (_("Год самодиагностики"), 12),
            (_("Ожидалось отчётов"), 12),
            (_("Полнота, %"), 12),
            (_("Своевременность, %"), 14),
            *[(_("Доля «2» по ВПР, %% (%(year)s)") % {"year": y}, 14) for y in years],
            (_("Доля «2» по ВПР: динамика"), 16),
        ],
        heading=heading,
        rows=[
            [
                r["municipality"],
                r["school"],
                r["statuses"],
                r["risk_year"],
                r["high"],
                r["medium"],
                "; ".join(r["high_names"]),
                r["level"],
                r["level_year"],
                r["expected"],
                r["completeness"],
                r["timeliness"],
                *r["shares"],
                r["trend"],
            ]
            for r in res["schools"]
        ],
    )
    municipalities = Sheet(
        _("Результаты по муниципалитетам"),
        [
            (_("Муниципалитет"), 36),
            (_("Школ"), 8),
            (_("С высокими рисками"), 12),
            (_("Высоких рисков всего"), 12),
            (_("Полнота исполнения, %"), 14),
            (_("Доля «2» по ВПР снижается, школ"), 16),
            (_("Доля «2» по ВПР растёт, школ"), 16),
        ],
        heading=heading,
        rows=[
            [
                m["name"],
                m["schools"],
                m["with_high"],
                m["high"],
                m["completeness"],
                m["improving"],
                m["worsening"],
            ]
            for m in res["municipalities"]
        ],
    )
    return [schools, municipalities] if len(res["schools"]) > 1 else [schools]


def _lagging_sheet(title: str, rows: list[dict]) -> Sheet:
    """A list of obligations behind: what was due, who owes it, by when."""
    return Sheet(
        title,
        [("№", 8), (_("Мероприятие"), 60), (_("Исполнитель"), 30), (_("Муниципалитет"), 26), (_("Срок"), 12)],
        rows=[[r["number"], r["text"], r["executor"], r["municipality"], r["due"]] for r in rows],
    )


def _entries_sheet(data: dict) -> Sheet:
    """Every row of the round, as frozen at its closure (or as it stands while it is open): the
    full list the summary PDF of a large round points to. Rows stream to the writer."""
    tz = data["generated"].tzinfo

    def rows() -> Iterator[list]:
        for r in data["entries"]:
            yield [
                r.section,
                r.item_number,
                r.item_text,
                r.executor_name,
                r.municipality_name,
                r.due_date,
                STATUS_WORDS.get(r.status, r.status),
                REVIEW_WORDS.get(r.review_state, r.review_state),
                timezone.localtime(r.submitted_at, tz) if r.submitted_at else None,
                _("да") if r.is_late else "",
                r.evidence_count,
                r.target_value,
                r.actual_value,
            ]

    return Sheet(
        _("Все строки раунда"),
        [
            (_("Раздел"), 28),
            ("№", 8),
            (_("Мероприятие"), 60),
            (_("Исполнитель"), 30),
            (_("Муниципалитет"), 26),
            (_("Срок"), 12),
            (_("Исполнение"), 18),
            (_("Проверка"), 18),
            (_("Отправлен"), 17),
            (_("С опозданием"), 12),
            (_("Подтверждений"), 13),
            (_("План"), 10),
            (_("Факт"), 10),
        ],
        rows=rows(),
    )


def _conclusions_sheet(data: dict) -> Sheet:
    """«Выводы» on their own sheet, second after the totals, closed by the signature block."""
    sig = data.get("signature") or {}
    rows: list[list] = [[n, line] for n, line in enumerate(data["conclusions"], start=1)]
    who = ", ".join(x for x in (sig.get("position"), sig.get("organization")) if x)
    rows += [
        ["", ""],
        ["", _("Подготовил: %(who)s") % {"who": who} if who else _("Подготовил:")],
        ["", _("_______________ (подпись)   %(name)s") % {"name": sig.get("name") or "_______________"}],
        ["", sig.get("date")],
    ]
    return Sheet(
        _("Выводы"), [(_("№"), 6), (_("Вывод"), 120)], rows=rows, heading=[data["title"], _("Выводы")]
    )
