"""Spreadsheets for the onboarding tests, written with the project's own XLSX writer."""

from core.xlsx import Sheet, xlsx_bytes

ORG_HEADER = [
    "Код",
    "Вид",
    "Полное название",
    "Краткое название",
    "Муниципалитет",
    "Вид муниципалитета",
    "Организационно-правовая форма",
    "Код головной организации",
    "Сельская",
    "Малокомплектная",
    "Руководитель",
    "Адрес",
    "Сайт",
    "E-mail",
    "Телефон",
]


def org_row(
    code,
    short,
    municipality="Новоград",
    *,
    kind="школа",
    mkind="городской округ",
    parent="",
    rural="нет",
    director="Иванова М. П.",
    email="",
    name=None,
):
    return [
        code,
        kind,
        name or f"Полное название {short}",
        short,
        municipality,
        mkind,
        "МАОУ",
        parent,
        rural,
        "нет",
        director,
        "ул. Школьная, 1",
        "",
        email,
        "",
    ]


def xlsx(header, rows, title="Лист"):
    return xlsx_bytes([Sheet(title=title, columns=[(h, 20) for h in header], rows=rows)])


def csv_text(header, rows, sep=";"):
    lines = [sep.join(header)] + [sep.join(str(c) for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
