from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The home page: it gathers from every app, so it sits above them all."""

    name = "dashboard"
    verbose_name = _("Главная страница")
