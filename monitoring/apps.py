from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Исполнение и мониторинг"

    def ready(self) -> None:
        from monitoring import rules

        rules.register()
        from monitoring import services
        from roadmaps import services as roadmap_services

        roadmap_services.ON_ROADMAP_CHANGED.append(services.schedule_generation)

    def load_demo(self) -> str:
        from monitoring.demo import load_demo

        return load_demo()
