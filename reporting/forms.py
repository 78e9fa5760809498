from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from monitoring.models import MonitoringRound
from questionnaires.models import Questionnaire
from reporting.models import Report
from schools.models import Municipality, Organization


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Вид отчёта"),
        choices=[],
        error_messages={
            "invalid_choice": _("Этот вид отчёта вашей роли недоступен. Выберите вид из списка.")
        },
    )
    fmt = forms.ChoiceField(label=_("Формат"), choices=Report.Format.choices, initial="pdf")
    round = forms.TypedChoiceField(
        label=_("Раунд мониторинга (для квартального отчёта)"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Выберите раунд мониторинга из списка.")},
    )
    municipality = forms.TypedChoiceField(
        label=_("Муниципалитет (для сводной информации)"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Выберите муниципалитет из списка доступных вам.")},
    )
    start = forms.DateField(
        label=_("Период с"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": _("ДД.ММ.ГГГГ")}),
    )
    end = forms.DateField(
        label=_("по"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": _("ДД.ММ.ГГГГ")}),
    )
    school = forms.TypedChoiceField(
        label=_("Школа (для карточки школы)"),
        required=False,
        coerce=int,
        empty_value=None,
        # The list holds only schools the user reaches: anything else (another kind of
        # organization, a school out of reach) is refused here, under the field.
        error_messages={
            "invalid_choice": _("Карточка строится только для школы из списка доступных вам. Выберите школу.")
        },
    )
    questionnaire = forms.TypedChoiceField(
        label=_("Анкета (для аналитической справки)"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Выберите анкету из списка.")},
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        rounds: Iterable[MonitoringRound],
        municipalities: Iterable[Municipality],
        schools: Iterable[Organization],
        questionnaires: Iterable[Questionnaire],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["round"].choices = [
            ("", "—"),
            *[(r.pk, f"{r.label}: {r.roadmap.owner.short_name} — {r.roadmap.title[:60]}") for r in rounds],
        ]
        self.fields["municipality"].choices = [("", "—"), *[(m.pk, m.name) for m in municipalities]]
        self.fields["school"].choices = [("", "—"), *[(s.pk, s.short_name) for s in schools]]
        self.fields["questionnaire"].choices = [
            ("", "—"),
            *[(q.pk, f"{q.title[:80]} ({q.period_label})") for q in questionnaires],
        ]
        # static/js/report_form.js shows only the chosen kind's fields (all are shown without it).
        for name in {n for names in self.REQUIRED.values() for n in names}:
            kinds = [k for k, names in self.REQUIRED.items() if name in names]
            self.fields[name].widget.attrs["data-for-kinds"] = " ".join(kinds)

    REQUIRED = {
        "quarterly": ["round"],
        "municipal": ["municipality", "start", "end"],
        "school": ["school"],
        "questionnaire": ["questionnaire"],
        "national": [],  # the whole country: nothing to choose, XLSX only
    }

    MISSING = {
        "round": _("Выберите раунд мониторинга: квартальный отчёт строится по раунду."),
        "municipality": _("Выберите муниципалитет."),
        "start": _("Укажите начало периода (ДД.ММ.ГГГГ)."),
        "end": _("Укажите конец периода (ДД.ММ.ГГГГ)."),
        "school": _("Выберите школу."),
        "questionnaire": _("Выберите анкету."),
    }
    NAMES = {
        "round": _("раунд мониторинга"),
        "municipality": pgettext_lazy("поле заказа отчёта", "муниципалитет"),
        "start": _("начало периода"),
        "end": _("конец периода"),
        "school": _("школа"),
        "questionnaire": _("анкета"),
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        missing = [n for n in self.REQUIRED.get(kind, []) if not data.get(n) and n not in self.errors]
        for name in missing:
            self.add_error(name, self.MISSING[name])
        if missing:
            self.add_error(
                None,
                _("Для отчёта «%(kind)s» не заполнено: %(fields)s.")
                % {
                    "kind": dict(Report.Kind.choices)[kind],
                    "fields": ", ".join(str(self.NAMES[n]) for n in missing),
                },
            )
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Конец периода раньше начала."))
        if kind == "national" and data.get("fmt") == "pdf":
            self.add_error(
                "fmt", _("Выгрузка всех обязательств по стране строится только в XLSX: выберите XLSX.")
            )
        return data

    def params(self) -> dict:
        d = self.cleaned_data
        kind = d["kind"]
        if kind == "quarterly":
            return {"round": d["round"]}
        if kind == "municipal":
            return {
                "municipality": d["municipality"],
                "start": d["start"].isoformat(),
                "end": d["end"].isoformat(),
            }
        if kind == "school":
            return {"school": d["school"]}
        if kind == "national":
            return {}
        return {"questionnaire": d["questionnaire"]}
