"""Optimistic concurrency for forms that edit shared state.

A row that two people may edit at once carries ``version`` (an integer the service raises on
every save). The form sends back the version it was drawn from (``VersionField``, hidden); the
service, holding the row locked, compares (``check_version``): a stale save is refused with
``StaleEdit``, which names the fields that changed meanwhile and their current values. The page
(``core.forms.add_errors``) shows it above the form, keeps everything the user typed and moves
the hidden version on, so a second «Сохранить» — after reading what changed — goes through.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VersionField(forms.IntegerField):
    """The hidden version a form was drawn from (empty: no check, e.g. a script's plain POST)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("label", gettext_lazy("Версия"))
        super().__init__(**kwargs)


class StaleEdit(ValidationError):
    """Somebody saved the row after this form was drawn."""

    def __init__(self, *, current_version: int, changed: list[tuple[str, str]]) -> None:
        self.current_version = current_version
        self.changed = changed
        text = _(
            "Пока вы редактировали, эту запись сохранил кто-то другой. Ваши изменения не сохранены — "
            "они остались в форме."
        )
        if changed:
            text += " " + _("Сейчас сохранено: %(changes)s.") % {
                "changes": "; ".join(f"{label} — «{_short(value)}»" for label, value in changed)
            }
        text += " " + _("Сравните и нажмите «Сохранить» ещё раз, если ваш вариант верен.")
        super().__init__(text, code="stale")


def _short(value: object) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 120 else text[:117] + "…"


def check_version(
    obj: Model,
    version: int | None,
    *,
    submitted: Mapping[str, Any] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Refuse a save drawn from an older version of ``obj`` (which the caller holds locked).

    ``submitted`` (field → value the user sent) and ``labels`` (field → its label) let the
    refusal say which fields now hold something other than what the user sent.
    """
    current = obj.version
    if version is None or version == current:
        return
    changed = []
    for field, value in (submitted or {}).items():
        now = getattr(obj, field, None)
        if _norm(now) != _norm(value):
            label = (labels or {}).get(field) or _label(obj, field)
            changed.append((str(label), _display(obj, field, now)))
    raise StaleEdit(current_version=current, changed=changed)


def _label(obj: Model, field: str) -> str:
    try:
        return capfirst(str(obj._meta.get_field(field).verbose_name))
    except Exception:  # noqa: BLE001 — not a model field: its name will do
        return field


def _norm(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


def _display(obj: Model, field: str, value: object) -> str:
    if value is None or value == "":
        return _("пусто")
    choices = getattr(obj, f"get_{field}_display", None)
    if choices is not None:
        return str(choices())
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return _norm(value)
    return str(value)


def bump(obj: Model) -> None:
    """Call before saving a versioned row (locked by the caller)."""
    obj.version = (obj.version or 0) + 1


def labels_of(form_class: type[forms.Form], fields: Iterable[str]) -> dict[str, str]:
    base = form_class.base_fields
    return {f: str(base[f].label) for f in fields if f in base and base[f].label}
