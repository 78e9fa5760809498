import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Исполнение и мониторинг")

    def ready(self) -> None:
        from monitoring import rules

        rules.register()
        from monitoring import services
        from roadmaps import services as roadmap_services

        roadmap_services.ON_ROADMAP_CHANGED.append(services.schedule_generation)
        roadmap_services.ASSIGNMENT_PREVIEW.append(services.assignment_preview)

    def load_demo(self, today: dt.date | None = None) -> str:
        from monitoring.demo import load_demo

        return load_demo()
