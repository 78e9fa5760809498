from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.models import Report


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид отчёта"), choices=[])
    fmt = forms.ChoiceField(label=_("Формат"), choices=Report.Format.choices, initial="pdf")
    round = forms.TypedChoiceField(
        label=_("Раунд мониторинга (для квартального отчёта)"), required=False, coerce=int, empty_value=None
    )
    municipality = forms.TypedChoiceField(
        label=_("Муниципалитет (для сводной информации)"), required=False, coerce=int, empty_value=None
    )
    start = forms.DateField(
        label=_("Период с"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "ДД.ММ.ГГГГ"}),
    )
    end = forms.DateField(
        label=_("по"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "ДД.ММ.ГГГГ"}),
    )
    school = forms.TypedChoiceField(
        label=_("Школа (для карточки школы)"), required=False, coerce=int, empty_value=None
    )

    questionnaire = forms.TypedChoiceField(
        label=_("Анкета (для аналитической справки)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, kinds, rounds, municipalities, schools, questionnaires, **kwargs):
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

    REQUIRED = {
        "quarterly": ["round"],
        "municipal": ["municipality", "start", "end"],
        "school": ["school"],
        "questionnaire": ["questionnaire"],
    }

    def clean(self):
        data = super().clean()
        for name in self.REQUIRED.get(data.get("kind"), []):
            if not data.get(name):
                self.add_error(name, _("Заполните для выбранного вида отчёта."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Конец периода раньше начала."))
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
        return {"questionnaire": d["questionnaire"]}


class OpenRoundForm(forms.Form):
    roadmap = forms.TypedChoiceField(label=_("Дорожная карта"), coerce=int)
    quarter = forms.ChoiceField(label=_("Квартал"))
    deadline = forms.DateField(
        label=_("Срок сбора отчётов"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("По умолчанию — через 15 дней после конца квартала."),
    )

    def __init__(self, *args, roadmaps, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].choices = [(r.pk, f"{r.owner.short_name}: {r.title[:80]}") for r in roadmaps]
        self.fields["quarter"].choices = quarters
