from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Журнал событий"

    def ready(self) -> None:
        from audit import receivers, rules  # noqa: F401 - receivers connect on import

        rules.register()
