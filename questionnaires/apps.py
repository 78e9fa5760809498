from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = "Анкеты (полугодовой опрос школ)"

    def ready(self) -> None:
        from questionnaires import rules

        rules.register()

    def load_demo(self) -> str:
        from django.conf import settings

        from questionnaires.demo import load_demo

        count = load_demo(settings.BASE_DIR / "fixtures" / "questionnaires")
        return f"анкет: {count}"
