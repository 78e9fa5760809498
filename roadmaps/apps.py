import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = _("Дорожные карты")

    def ready(self) -> None:
        from roadmaps import rules

        rules.register()

    def load_demo(self, today: dt.date | None = None) -> str:
        from django.conf import settings

        from roadmaps.demo import load_manifest

        roadmaps = load_manifest(settings.BASE_DIR / "fixtures" / "roadmaps")
        return _("дорожных карт: %(n)s") % {"n": len(roadmaps)}
