"""The reports' XLSX layout: which sheets and columns each report kind has, over the project's
one writer (``core.xlsx``: text never becomes a formula, numbers and dates stay typed)."""

from core.xlsx import Sheet, xlsx_bytes

PCT = [
    ("Ожидалось", 12),
    ("Отправлено", 12),
    ("В срок", 10),
    ("Принято", 10),
    ("Полнота, %", 12),
    ("Своевременность, %", 16),
]


def _figures(d: dict) -> list:
    return [d["expected"], d["submitted"], d["on_time"], d["accepted"], d["completeness"], d["timeliness"]]


def render_xlsx_report(data: dict) -> bytes:
    kind = data["kind"]
    if kind == "questionnaire":
        return data["xlsx_bytes"]  # the questionnaire's own export: a row per school
    heading = [data["title"], data["region"]]
    t = data["totals"]
    summary = Sheet(
        title="Итоги",
        columns=[("Показатель", 40), ("Значение", 14)],
        heading=heading,
        rows=[
            ["Ожидалось отчётов", t["expected"]],
            ["Отправлено", t["submitted"]],
            ["Отправлено в срок", t["on_time"]],
            ["Принято", t["accepted"]],
            ["На доработке", t["returned"]],
            ["Не отправлено", t["missing"]],
            ["Полнота, %", t["completeness"]],
            ["Своевременность, %", t["timeliness"]],
        ],
    )
    sheets = [summary]
    if kind == "quarterly":
        if data.get("previous"):
            p = data["previous"]
            summary.rows += [
                [f"Полнота в прошлом раунде ({p['quarter']}), %", p["completeness"]],
                ["Принято в прошлом раунде, %", p["acceptance"]],
            ]
        sheets += [
            Sheet(
                "Разделы", [("Раздел", 50), *PCT], rows=[[s["title"], *_figures(s)] for s in data["sections"]]
            ),
            Sheet(
                "Мероприятия",
                [("№", 8), ("Мероприятие", 70), *PCT],
                rows=[[i["number"], i["text"], *_figures(i)] for i in data["items"]],
            ),
            Sheet(
                "Исполнители",
                [("Исполнитель", 36), ("Муниципалитет", 28), *PCT],
                rows=[[e["name"], e["municipality"], *_figures(e)] for e in data["executors"]],
            ),
            Sheet(
                "Показатели",
                [
                    ("№", 8),
                    ("Мероприятие", 60),
                    ("План", 12),
                    ("Единица", 20),
                    ("Факт (сумма)", 14),
                    ("Отчитались", 12),
                    ("Ожидалось", 12),
                ],
                rows=[
                    [
                        i["number"],
                        i["text"],
                        i["target"],
                        i["unit"],
                        i["fact_total"],
                        i["reported"],
                        i["expected"],
                    ]
                    for i in data["indicators"]
                ],
            ),
            Sheet(
                "Не отправлено",
                [("№", 8), ("Мероприятие", 60), ("Исполнитель", 30), ("Муниципалитет", 26), ("Срок", 12)],
                rows=[
                    [r["number"], r["text"], r["executor"], r["municipality"], r["due"]]
                    for r in data["overdue"]
                ],
            ),
            Sheet(
                "На доработке",
                [("№", 8), ("Мероприятие", 60), ("Исполнитель", 30), ("Муниципалитет", 26), ("Срок", 12)],
                rows=[
                    [r["number"], r["text"], r["executor"], r["municipality"], r["due"]]
                    for r in data["returned"]
                ],
            ),
        ]
    elif kind == "municipal":
        sheets += [
            Sheet(
                "Исполнители",
                [("Исполнитель", 40), *PCT],
                rows=[[e["name"], *_figures(e)] for e in data["executors"]],
            ),
            Sheet(
                "Мероприятия",
                [
                    ("Дорожная карта", 40),
                    ("№", 8),
                    ("Мероприятие", 60),
                    ("Исполнитель", 30),
                    ("Срок", 12),
                    ("Исполнение", 18),
                    ("Проверка", 18),
                    ("С опозданием", 12),
                    ("Подтверждений", 12),
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
                        "да" if r["late"] else "",
                        r["evidence"],
                    ]
                    for r in data["rows"]
                ],
            ),
        ]
    elif kind == "school":
        sheets += [
            Sheet(
                "Статусы",
                [("Год", 8), ("Категория", 30), ("Уровень", 16), ("Основание", 60)],
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
                "Дорожные карты",
                [("Дорожная карта", 60), *PCT],
                rows=[[r["title"], *_figures(r)] for r in data["roadmaps"]],
            ),
        ]
        for n, a in enumerate(data.get("answers", []), start=1):
            sheets.append(
                Sheet(
                    f"Анкета {n}",
                    [("№", 8), ("Вопрос", 70), ("Ответ", 70)],
                    heading=[a["title"]],
                    rows=[[r["number"], r["text"], r["answer"]] for r in a["rows"]],
                )
            )
    return xlsx_bytes(sheets)
