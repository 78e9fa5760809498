import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = _("Анкеты (полугодовой опрос школ)")

    def ready(self) -> None:
        from questionnaires import rules

        rules.register()

    def load_demo(self, today: dt.date | None = None) -> str:
        from django.conf import settings

        from questionnaires.demo import load_demo

        count = load_demo(settings.BASE_DIR / "fixtures" / "questionnaires", today=today)
        return _("анкет: %(n)s") % {"n": count}
