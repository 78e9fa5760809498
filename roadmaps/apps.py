from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self) -> None:
        from roadmaps import rules

        rules.register()

    def load_demo(self) -> str:
        from django.conf import settings

        from roadmaps.demo import load_manifest

        roadmaps = load_manifest(settings.BASE_DIR / "fixtures" / "roadmaps")
        return f"дорожных карт: {len(roadmaps)}"
