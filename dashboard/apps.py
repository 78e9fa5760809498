from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The home page: it gathers from every app, so it sits above them all."""

    name = "dashboard"
    verbose_name = "Главная страница"
