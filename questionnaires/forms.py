from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionField
from questionnaires.models import Question
from questionnaires.services import OTHER_DEFAULT


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class QuestionnaireForm(forms.Form):
    version = VersionField()
    owner = forms.ModelChoiceField(label=_("От имени организации"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Название"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    period_label = forms.CharField(
        label=_("Период"), max_length=200, help_text=_("Например: 1-е полугодие 2020–2021 учебного года")
    )
    intro = forms.CharField(
        label=_("Вступление (инструкция для школ)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, owners: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners


class QuestionForm(forms.Form):
    version = VersionField()
    number = forms.CharField(
        label=_("Номер"),
        max_length=20,
        required=False,
        help_text=_("Как в форме: «1.», «4.». Пусто — следующий."),
    )
    text = forms.CharField(label=_("Вопрос"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(
        label=_("Тип ответа"), choices=Question.Kind.choices, initial=Question.Kind.MULTIPLE
    )
    required = forms.BooleanField(label=_("Обязательный вопрос"), required=False, initial=True)
    help_text = forms.CharField(
        label=_("Подсказка"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    options = forms.CharField(
        label=_("Варианты ответа"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Каждый вариант — с новой строки. Для вопросов с выбором — не меньше двух вариантов."),
    )
    other_text = forms.CharField(
        label=_("Вариант «Другое» (просит написать свой ответ)"),
        required=False,
        max_length=500,
        initial=OTHER_DEFAULT,
        help_text=_("Оставьте пустым, если такого варианта нет."),
    )
    roadmap_item = forms.ModelChoiceField(
        label=_("Мероприятие дорожной карты"), queryset=None, required=False, empty_label=_("— не связан —")
    )
    show_if_options = forms.ModelMultipleChoiceField(
        label=_("Показывать, только если выбран один из вариантов"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Варианты одного из предыдущих вопросов. Ничего не отмечено — вопрос виден всегда."),
    )

    def __init__(
        self,
        *args: Any,
        items: QuerySet | None = None,
        condition_options: QuerySet | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roadmap_item"].queryset = items
        self.fields["roadmap_item"].label_from_instance = lambda i: (
            f"{i.number} {i.text[:90]} — {i.roadmap.title[:50]}"
        )
        self.fields["show_if_options"].queryset = condition_options
        self.fields["show_if_options"].label_from_instance = lambda o: f"{o.question.number} → {o.text}"

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class AssignForm(forms.Form):
    deadline = forms.DateField(label=_("Срок (до конца дня по времени региона)"), widget=DateInput())
    lock_date = forms.DateField(
        label=_("Ответы можно менять до"),
        required=False,
        widget=DateInput(),
        help_text=_("Необязательно. После этой даты ответы закрыты; координатор может открыть их школе."),
    )


class ReopenForm(forms.Form):
    until = forms.DateField(label=_("Открыть до"), widget=DateInput())
