import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Отчёты")

    def ready(self) -> None:
        from reporting import rules

        rules.register()
        # Reporting reacts to monitoring's events; monitoring never imports reporting.
        from monitoring import round_views, rounds
        from reporting import services, views

        rounds.ON_ROUND_CLOSED.append(services.auto_quarterly_reports)
        round_views.ROUND_PAGE_PARTS.append(views.round_reports_part)

    def load_demo(self, today: dt.date | None = None) -> str:
        from diagnostics.demo import link_all
        from reporting import living_demo
        from reporting.demo import load_demo

        seeded = load_demo()
        made = living_demo.load(today)
        link_all()  # the rebuilt demo school roadmaps' items → their school's deficits
        return f"{seeded}; {made}"
