from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Действие"), required=False, choices=[("", _("все"))] + list(AuditEvent.Action.choices)
    )
    user = forms.CharField(label=_("Пользователь"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("С даты"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("По дату"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("Дата «С» позже даты «По»: поменяйте их местами."))
        return data
