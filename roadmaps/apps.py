from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self) -> None:
        from roadmaps import rules

        rules.register()
