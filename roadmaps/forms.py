from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionField
from roadmaps.models import Roadmap
from schools.models import Organization

ITEM_FIELDS = [
    "number",
    "text",
    "schedule_text",
    "manual_dates",
    "indicator_text",
    "result_text",
    "executors_text",
]


class _ItemTextForm(forms.Form):
    """The columns of a plan's row, as written; the item forms add what is theirs."""

    number = forms.CharField(label=_("Номер"), max_length=20, required=False)
    text = forms.CharField(label=_("Мероприятие"), widget=forms.Textarea(attrs={"rows": 3}))
    indicator_text = forms.CharField(
        label=_("Показатель"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result_text = forms.CharField(
        label=_("Результат"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    executors_text = forms.CharField(
        label=_("Исполнители"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ItemForm(_ItemTextForm):
    version = VersionField()
    schedule_text = forms.CharField(
        label=_("Сроки (как в документе)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    manual_dates = forms.CharField(
        label=_("Контрольные даты вручную"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "31.03.2023\n01.10.2023–31.10.2023"}),
        help_text=_(
            "По одной на строке: ДД.ММ.ГГГГ или период ДД.ММ.ГГГГ–ДД.ММ.ГГГГ. Оставьте пустым, чтобы даты считались из срока."
        ),
    )
    revision = forms.ModelChoiceField(
        label=_("По редакции (изменяющему акту)"), required=False, queryset=None
    )
    comment = forms.CharField(label=_("Комментарий к изменению"), required=False, max_length=500)
    field_order = [*ITEM_FIELDS, "revision", "comment"]

    def __init__(self, *args: Any, revisions: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].queryset = revisions


class RevisionForm(forms.Form):
    act_kind = forms.CharField(label=_("Вид акта"), max_length=50, initial=_("приказ"))
    act_number = forms.CharField(label=_("Номер"), max_length=50)
    act_date = forms.DateField(
        label=_("Дата"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": _("ДД.ММ.ГГГГ")}),
    )
    act_issuer = forms.CharField(label=_("Кто издал"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Что изменено"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    added_numbers = forms.CharField(
        label=_("Добавленные пункты"), required=False, help_text=_("Номера через запятую, например: 9, 10")
    )


class AmendmentActForm(forms.Form):
    """The act that amends the plan («в редакции приказа от … № …»)."""

    act_kind = forms.CharField(label=_("Вид акта"), max_length=50, initial=_("приказ"))
    act_number = forms.CharField(label=_("Номер"), max_length=50)
    act_date = forms.DateField(
        label=_("Дата"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": _("ДД.ММ.ГГГГ")}),
    )
    act_issuer = forms.CharField(label=_("Кто издал"), max_length=300, required=False)


class ItemRemoveForm(forms.Form):
    comment = forms.CharField(
        label=_("Почему исключено"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Файл дорожной карты (DOCX, XLSX или PDF с текстом)"))


class ImportSettingsForm(forms.Form):
    title = forms.CharField(label=_("Название"), widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ChoiceField(label=_("Уровень"), choices=Roadmap.Level.choices)
    owner = forms.ModelChoiceField(label=_("Владелец"), queryset=Organization.objects.none())
    parent = forms.ModelChoiceField(
        label=_("Реализует дорожную карту"), queryset=Roadmap.objects.none(), required=False
    )
    period_start = forms.DateField(label=_("Начало периода"), input_formats=["%d.%m.%Y", "%Y-%m-%d"])
    period_end = forms.DateField(label=_("Конец периода"), input_formats=["%d.%m.%Y", "%Y-%m-%d"])
    act_kind = forms.CharField(label=_("Утверждена: вид акта"), max_length=50, required=False)
    act_number = forms.CharField(label=_("номер"), max_length=50, required=False)
    act_date = forms.DateField(label=_("дата"), input_formats=["%d.%m.%Y", "%Y-%m-%d"], required=False)
    act_issuer = forms.CharField(label=_("кто издал"), max_length=300, required=False)

    def __init__(self, *args: Any, owners: QuerySet, parents: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["parent"].queryset = parents

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Конец периода раньше начала."))
        owner, level = data.get("owner"), data.get("level")
        if owner and level and owner.kind not in Roadmap.OWNER_KINDS[level]:
            self.add_error("owner", _("Эта организация не может владеть дорожной картой такого уровня."))
        return data


class NewItemForm(_ItemTextForm):
    section = forms.ModelChoiceField(
        label=_("Раздел"), queryset=None, required=False, empty_label=_("— без раздела —")
    )
    parent = forms.ModelChoiceField(
        label=_("Подпункт к пункту"),
        queryset=None,
        required=False,
        empty_label=_("— самостоятельный пункт —"),
    )
    schedule_text = forms.CharField(
        label=_("Сроки"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    manual_dates = forms.CharField(
        label=_("Контрольные даты вручную"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Если срок словами не распознаётся: ДД.ММ.ГГГГ или ДД.ММ.ГГГГ–ДД.ММ.ГГГГ, по одной на строке."
        ),
    )
    revision = forms.ModelChoiceField(label=_("Добавлен редакцией"), queryset=None, required=False)
    field_order = ["section", "parent", *ITEM_FIELDS, "revision"]

    def __init__(self, *args: Any, roadmap: Roadmap, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = roadmap.sections.all()
        self.fields["parent"].queryset = roadmap.items.filter(parent__isnull=True)
        self.fields["revision"].queryset = roadmap.revisions.all()
