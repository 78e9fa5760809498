import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = _("Диагностика школ: самодиагностика, рисковый профиль, результаты")

    def ready(self) -> None:
        from diagnostics import rules

        rules.register()
        from diagnostics import measure_views
        from roadmaps import panels

        panels.ROADMAP_PANELS.append(measure_views.roadmap_panel)
        panels.ITEM_PANELS.append(measure_views.item_panel)

    def load_demo(self, today: dt.date | None = None) -> str:
        from diagnostics.demo import load

        return load(today)
