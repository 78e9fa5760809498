"""A questionnaire answer as people read it: one formatting for every page, the response PDF, the
results page and XLSX export, and the reports built from answers.

Choices are the chosen options joined by «; », «Другое» with the school's own text after a colon;
numbers without trailing zeros and with a decimal comma («12,5»); dates as ДД.ММ.ГГГГ; files by
the name the director uploaded. Pure: no queries beyond the answer's prefetched options.
"""

import datetime as dt
from decimal import Decimal

from questionnaires.models import Answer, Question


def format_number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def format_date(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def value_text(
    kind: str,
    *,
    text: str = "",
    number: Decimal | None = None,
    date: dt.date | None = None,
    file_name: str = "",
) -> str:
    """The non-choice part of an answer as text; also serves rows read with ``.values()``."""
    if kind == Question.Kind.NUMBER and number is not None:
        return format_number(number)
    if kind == Question.Kind.DATE and date:
        return format_date(date)
    if kind == Question.Kind.FILE:
        return file_name
    return text


def answer_text(question: Question, answer: Answer | None) -> str:
    """An answer as one line of text (empty when there is none)."""
    if answer is None:
        return ""
    if question.is_choice:
        parts = []
        for o in answer.selected_options.all():
            parts.append(f"{o.text}: {answer.other_text}" if o.is_other and answer.other_text else o.text)
        return "; ".join(parts)
    return value_text(
        question.kind, text=answer.text, number=answer.number, date=answer.date, file_name=answer.file_name
    )


def answer_value(question: Question, answer: Answer | None) -> str | Decimal | dt.date:
    """An answer for a spreadsheet cell: a number or a date where the question asks for one (so
    the cell sums and sorts), the text of :func:`answer_text` otherwise."""
    if answer is not None and question.kind == Question.Kind.NUMBER and answer.number is not None:
        return answer.number
    if answer is not None and question.kind == Question.Kind.DATE and answer.date:
        return answer.date
    return answer_text(question, answer)


def input_value(answer: Answer | None) -> str:
    """What the answer form's text, number or date field starts with (a date input wants ISO)."""
    if answer is None:
        return ""
    return (
        answer.text
        or (format_number(answer.number) if answer.number is not None else "")
        or (answer.date.isoformat() if answer.date else "")
    )
