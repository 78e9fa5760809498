from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Отчёты"

    def ready(self) -> None:
        from reporting import rules

        rules.register()

    def load_demo(self) -> str:
        from reporting.demo import load_demo

        return load_demo()
