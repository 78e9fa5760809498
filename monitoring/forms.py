from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionField
from core.uploads import ALLOWED_EXTENSIONS
from monitoring.models import ExecutionReport


class ReportForm(forms.Form):
    version = VersionField()
    status = forms.ChoiceField(label=_("Статус исполнения"), choices=ExecutionReport.Status.choices)
    done_on = forms.DateField(
        label=_("Дата выполнения"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": _("ДД.ММ.ГГГГ")}),
    )
    actual_value = forms.DecimalField(
        label=_("Фактическое значение показателя"), required=False, max_digits=12, decimal_places=2
    )
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Файл"),
        required=False,
        help_text=_("PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, JPG или PNG, до %(mb)s МБ."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )
    url = forms.CharField(
        label=_("или ссылка"),
        required=False,
        max_length=1000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    description = forms.CharField(label=_("Что это"), required=False, max_length=300)

    def __init__(self, *args: Any, max_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {"mb": max_mb}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("file") and not (data.get("url") or "").strip():
            raise forms.ValidationError(_("Выберите файл или укажите ссылку."))
        if data.get("file") and (data.get("url") or "").strip():
            raise forms.ValidationError(_("Добавляйте по одному: либо файл, либо ссылку."))
        return data


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
