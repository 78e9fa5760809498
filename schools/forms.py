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
