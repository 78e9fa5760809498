from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from schools.models import SchoolStatus, User

phone_validator = RegexValidator(
    r"^[0-9+()\-\s]{5,30}$", _("Телефон: цифры, пробелы, скобки, «+» и «-», например 8 (3822) 90-20-31.")
)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("ФИО"), max_length=200)
    position = forms.CharField(label=_("Должность"), max_length=200, required=False)
    phone = forms.CharField(label=_("Телефон"), max_length=30, required=False, validators=[phone_validator])
    email = forms.EmailField(label=_("E-mail"), required=False)
    email_reminders = forms.BooleanField(label=_("Получать напоминания о сроках по e-mail"), required=False)


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Поиск по названию"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Категория"),
        required=False,
        choices=[("", _("Все категории")), *SchoolStatus.Category.choices],
    )
    year = forms.TypedChoiceField(label=_("Год"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Все годы")), *[(y, str(y)) for y in years]]


class OrganizationFilterForm(SchoolFilterForm):
    kind = forms.ChoiceField(label=_("Вид"), required=False)
    municipality = forms.TypedChoiceField(
        label=_("Муниципалитет"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, municipalities, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Все виды")), *kinds]
        self.fields["municipality"].choices = [
            ("", _("Все муниципалитеты")),
            *[(m.pk, m.name) for m in municipalities],
        ]


class CuratorAssignForm(forms.Form):
    curator = forms.ModelChoiceField(label=_("Куратор"), queryset=User.objects.none())
    action = forms.ChoiceField(
        choices=[("assign", "assign"), ("unassign", "unassign")], widget=forms.HiddenInput
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = candidates
