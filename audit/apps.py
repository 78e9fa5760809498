from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Журнал событий")

    def ready(self) -> None:
        from audit import receivers, rules  # noqa: F401 - receivers connect on import

        rules.register()
