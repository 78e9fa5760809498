"""Reading a director's answers from a posted form: parsing, show-if conditions, validation.

No writes here: ``services`` stores what this module parsed. Field names of the answer form:
``q<id>`` (value; repeated for multiple choice, option ids for choices), ``q<id>_other`` (the
text of an «Другое» option), ``q<id>_clear`` (drop the stored file).
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from core.uploads import UploadRejected, check_upload
from questionnaires.models import Question

SHORT_TEXT_MAX = 1000
LONG_TEXT_MAX = 20000
REQUIRED = _("Ответьте на этот вопрос — он обязательный.")


@dataclass
class Value:
    text: str = ""
    number: Decimal | None = None
    date: dt.date | None = None
    option_ids: list[int] = field(default_factory=list)
    other_text: str = ""
    upload: object | None = None  # an UploadedFile
    upload_name: str = ""  # its cleaned display name
    clear_file: bool = False

    def is_empty(self) -> bool:
        return not (
            self.text
            or self.number is not None
            or self.date
            or self.option_ids
            or self.other_text
            or self.upload
        )


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def parse_number(raw: str) -> Decimal:
    cleaned = re.sub(r"[\s\u00a0]", "", raw).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(_("Введите число, например 12 или 3,5.")) from exc
    if not value.is_finite() or abs(value) >= Decimal(10) ** 10:
        raise ValueError(_("Число слишком большое."))
    return value.quantize(Decimal("0.0001"))


def parse_date(raw: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Введите дату в формате ДД.ММ.ГГГГ."))


def check_file(upload: UploadedFile) -> str:
    """The one upload check (content, size, name, archive limits); returns the display name."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        return check_upload(upload.name or "", data).display_name
    except UploadRejected as exc:
        raise ValidationError(str(exc)) from exc


def parse(
    questions: list[Question], data: MultiValueDict, files: Mapping[str, Any]
) -> tuple[dict[int, Value], dict[int, str]]:
    """The posted form → a value per question, plus format errors (not «required» ones)."""
    values: dict[int, Value] = {}
    errors: dict[int, str] = {}
    for q in questions:
        name = field_name(q)
        v = Value()
        raw = (data.get(name) or "").strip()
        try:
            if q.kind in Question.CHOICE_KINDS:
                options = {o.pk: o for o in q.options.all()}
                chosen = []
                for item in data.getlist(name):
                    if str(item).isdigit() and int(item) in options and int(item) not in chosen:
                        chosen.append(int(item))
                if q.kind == Question.Kind.SINGLE:
                    chosen = chosen[:1]
                v.option_ids = chosen
                other = (data.get(f"{name}_other") or "").strip()
                if any(options[i].is_other for i in chosen):
                    v.other_text = other[:2000]
            elif q.kind == Question.Kind.SHORT_TEXT:
                if len(raw) > SHORT_TEXT_MAX:
                    raise ValueError(_("Слишком длинный ответ: не больше 1000 знаков."))
                v.text = raw
            elif q.kind == Question.Kind.LONG_TEXT:
                text = (data.get(name) or "").strip()
                if len(text) > LONG_TEXT_MAX:
                    raise ValueError(_("Слишком длинный ответ: не больше 20 000 знаков."))
                v.text = text
            elif q.kind == Question.Kind.NUMBER:
                v.number = parse_number(raw) if raw else None
            elif q.kind == Question.Kind.DATE:
                v.date = parse_date(raw) if raw else None
            elif q.kind == Question.Kind.FILE:
                upload = files.get(name) if files else None
                if upload:
                    v.upload_name = check_file(upload)
                    v.upload = upload
                v.clear_file = bool(data.get(f"{name}_clear"))
        except ValueError as exc:
            errors[q.pk] = str(exc)
        except ValidationError as exc:
            errors[q.pk] = " ".join(exc.messages)
        values[q.pk] = v
    return values, errors


def visible_ids(questions: list[Question], selected: dict[int, set[int]]) -> set[int]:
    """Questions shown given the chosen options: a condition needs its question shown and one of
    its options chosen. Conditions point to earlier questions, so one pass in order suffices."""
    shown: set[int] = set()
    for q in questions:
        if q.show_if_question_id is None:
            shown.add(q.pk)
            continue
        wanted = {o.pk for o in q.show_if_options.all()}
        if q.show_if_question_id in shown and wanted & selected.get(q.show_if_question_id, set()):
            shown.add(q.pk)
    return shown


def completeness_errors(
    questions: list[Question], values: dict[int, Value], shown: set[int], has_file: set[int]
) -> dict[int, str]:
    """What a submission still lacks: required answers and the text of a chosen «Другое»."""
    errors: dict[int, str] = {}
    for q in questions:
        if q.pk not in shown:
            continue
        v = values.get(q.pk) or Value()
        if q.kind in Question.CHOICE_KINDS:
            other_chosen = [o for o in q.options.all() if o.is_other and o.pk in v.option_ids]
            if other_chosen and not v.other_text:
                errors[q.pk] = _("Вы выбрали «%(option)s» — напишите свой ответ.") % {
                    "option": other_chosen[0].text
                }
                continue
        if not q.required:
            continue
        if q.kind == Question.Kind.FILE:
            if not v.upload and (q.pk not in has_file or v.clear_file):
                errors[q.pk] = _("Приложите файл — вопрос обязательный.")
        elif v.is_empty():
            errors[q.pk] = REQUIRED
    return errors
