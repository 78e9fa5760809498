"""The upload form of the diagnostics import: a file and the year it describes."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DiagnosticsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Файл XLSX или CSV"),
        help_text=_("Лучше всего — шаблон со списком школ региона; лишние столбцы не мешают."),
    )
    year = forms.IntegerField(
        label=_("Год"),
        min_value=2000,
        max_value=2100,
        help_text=_("Данные этого года для школ из файла будут заменены, данные других школ сохранятся."),
    )
