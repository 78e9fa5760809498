from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from schools.models import User

phone_validator = RegexValidator(
    r"^[0-9+()\-\s]{5,30}$", _("Телефон: цифры, пробелы, скобки, «+» и «-», например 8 (3822) 90-20-31.")
)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("ФИО"), max_length=200)
    position = forms.CharField(label=_("Должность"), max_length=200, required=False)
    phone = forms.CharField(label=_("Телефон"), max_length=30, required=False, validators=[phone_validator])
    email = forms.EmailField(label=_("E-mail"), required=False)
    email_reminders = forms.BooleanField(label=_("Получать напоминания о сроках по e-mail"), required=False)


class CuratorAssignForm(forms.Form):
    curator = forms.ModelChoiceField(label=_("Куратор"), queryset=User.objects.none())
    action = forms.ChoiceField(
        choices=[("assign", "assign"), ("unassign", "unassign")], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, candidates: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = candidates


# --- Onboarding a region -------------------------------------------------------------------------

MONTHS = [
    (1, _("январь")),
    (2, _("февраль")),
    (3, _("март")),
    (4, _("апрель")),
    (5, _("май")),
    (6, _("июнь")),
    (7, _("июль")),
    (8, _("август")),
    (9, _("сентябрь")),
    (10, _("октябрь")),
    (11, _("ноябрь")),
    (12, _("декабрь")),
]


class RegionCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Код субъекта РФ"), max_length=3, help_text=_("Две-три цифры, например 42.")
    )
    name = forms.CharField(
        label=_("Название"), max_length=200, help_text=_("Например, Кемеровская область — Кузбасс.")
    )
    short_name = forms.CharField(label=_("Краткое название"), max_length=100, required=False)
    timezone = forms.CharField(
        label=_("Часовой пояс"),
        max_length=64,
        initial="Europe/Moscow",
        help_text=_("По базе IANA: Asia/Novokuznetsk, Europe/Moscow …"),
    )
    start_month = forms.TypedChoiceField(
        label=_("Учебный год начинается: месяц"), choices=MONTHS, coerce=int, initial=9
    )
    start_day = forms.IntegerField(label=_("день"), min_value=1, max_value=31, initial=1)
    end_month = forms.TypedChoiceField(
        label=_("Учебный год заканчивается: месяц"), choices=MONTHS, coerce=int, initial=5
    )
    end_day = forms.IntegerField(label=_("день"), min_value=1, max_value=31, initial=31)
    # The region's first people: its operator (regional institute) and a coordinator there, who
    # then brings in everybody else. Optional: both can be added later from the region's pages.
    operator_short_name = forms.CharField(
        label=_("Региональный оператор: краткое название"),
        max_length=200,
        required=False,
        help_text=_("Например, КРИПКиПРО."),
    )
    operator_name = forms.CharField(
        label=_("Региональный оператор: полное название"), max_length=500, required=False
    )
    coordinator_email = forms.EmailField(label=_("E-mail координатора"), required=False)
    coordinator_name = forms.CharField(label=_("ФИО координатора"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("coordinator_email") and not (
            data.get("operator_short_name") and data.get("coordinator_name")
        ):
            raise forms.ValidationError(
                _(
                    "Чтобы пригласить координатора, укажите его ФИО и краткое название регионального оператора."
                )
            )
        return data


class TableUploadForm(forms.Form):
    file = forms.FileField(label=_("Файл XLSX или CSV"))


class StatusUploadForm(TableUploadForm):
    year = forms.IntegerField(label=_("Год"), min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=_("Категория для всех строк"), required=False)
    basis_document = forms.CharField(
        label=_("Основание (документ)"),
        max_length=300,
        required=False,
        help_text=_("Например: приказ Департамента общего образования № 25/п от 22.01.2021"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from schools.models import SchoolStatus

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("— из столбца «Категория» —")),
            *SchoolStatus.Category.choices,
        ]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(
        label=_("ФИО"), max_length=200, required=False, help_text=_("Обязательно для нового пользователя.")
    )
    role = forms.ChoiceField(label=_("Роль"))
    organization = forms.ModelChoiceField(label=_("Организация"), queryset=User.objects.none())
    position = forms.CharField(label=_("Должность"), max_length=200, required=False)

    def __init__(self, *args: Any, roles: list, organizations: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.fields[
            "role"
        ].initial = "director"  # the most invitations by far; never a coordinator by mistake
        self.fields["organization"].queryset = organizations


class AliasForm(forms.Form):
    alias = forms.CharField(label=_("Как записан в документах"), max_length=200)
    organization = forms.ModelChoiceField(
        label=_("Организация"), queryset=User.objects.none(), required=False
    )
    group = forms.ChoiceField(label=_("или группа"), required=False)

    def __init__(self, *args: Any, organizations: QuerySet, **kwargs: Any) -> None:
        from schools.models import ExecutorAlias

        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["group"].choices = [("", "—"), *ExecutorAlias.Group.choices]
