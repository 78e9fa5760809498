"""Forms of the catalogue of measures by deficit and of marking an item's deficits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.models import DEFICIT_CHOICES

REQUIRED = {"required": _("Заполните это поле.")}


class MeasureFilterForm(forms.Form):
    search = forms.CharField(
        label=_("Поиск"), required=False, max_length=200, help_text=_("Часть названия или пояснения")
    )
    deficit = forms.ChoiceField(
        label=_("Дефицит"), required=False, choices=[("", _("Все дефициты")), *DEFICIT_CHOICES]
    )

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"search": "", "deficit": ""}
        return {"search": self.cleaned_data["search"].strip(), "deficit": self.cleaned_data["deficit"]}


class MeasureForm(forms.Form):
    deficit = forms.ChoiceField(
        label=_("Дефицит"),
        choices=[("", _("— выберите фактор риска или направление —")), *DEFICIT_CHOICES],
        error_messages={
            "required": _("Выберите дефицит: фактор риска или направление самодиагностики."),
            "invalid_choice": _("Выберите дефицит из списка."),
        },
        help_text=_("На какой фактор риска или направление самодиагностики направлено мероприятие"),
    )
    title = forms.CharField(
        label=_("Мероприятие"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Напишите мероприятие или возьмите его из дорожной карты."),
            "max_length": _("Мероприятие длиннее %(limit_value)d знаков; сократите формулировку."),
        },
    )
    description = forms.CharField(
        label=_("Пояснение"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Для кого и как проводить, чем поможет школе (необязательно)"),
    )
    source_item = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ItemSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Текст мероприятия"),
        required=False,
        max_length=200,
        help_text=_("Слова из текста пункта дорожной карты региона"),
    )


class ItemDeficitsForm(forms.Form):
    deficits = forms.MultipleChoiceField(
        label=_("На какие дефициты направлено мероприятие"),
        required=False,
        choices=DEFICIT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Выберите дефициты из списка.")},
        help_text=_(
            "Отметьте факторы риска и направления самодиагностики, которые мероприятие помогает "
            "преодолеть; по этим отметкам проверяется, все ли дефициты школы учтены в её карте."
        ),
    )
