import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from schools.fixtures_loader import load_all
from schools.models import Membership, User

DEMO_PASSWORD = "demo-portal-2026"


class Command(BaseCommand):
    help = "Загружает демонстрационные регионы из fixtures/regions/ и создаёт демо-пользователей всех ролей."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help="Пароль демо-пользователей (задаётся при их создании; у admin — при каждом запуске)",
        )
        parser.add_argument("--quiet", action="store_true", help="Не печатать список входов")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Дата, от которой считаются сроки демонстрационных данных (ГГГГ-ММ-ДД; по умолчанию — сегодня)",
        )

    def handle(self, *args: Any, password: str, quiet: bool, today: dt.date | None, **options: Any) -> None:
        try:
            regions = load_all(settings.BASE_DIR / "fixtures" / "regions", password=password)
        except ValueError as exc:
            raise CommandError(f"Демо-данные не загружены: {exc}") from exc
        loaded = []
        for app in apps.get_app_configs():
            # Apps that ship demo content (roadmaps, later monitoring) load it after the regions;
            # ``today`` (None: the region's today) anchors the living demo's dates.
            if hasattr(app, "load_demo"):
                loaded.append(app.load_demo(today=today))
        admin = User.objects.filter(username="admin").first() or User(username="admin")
        admin.full_name, admin.is_staff, admin.is_superuser = "Администратор платформы", True, True
        admin.set_password(password)
        admin.save()
        # The federal viewer: every region, read-only (aggregates and the national export).
        federal = User.objects.filter(username="federal-viewer").first()
        if federal is None:
            federal = User(username="federal-viewer", full_name="Наблюдатель федерального уровня")
            federal.set_password(password)
        federal.federal_viewer = True
        federal.save()
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Загружены регионы: {', '.join(r.name for r in regions)}; {'; '.join(loaded)}"
            )
        )
        self.stdout.write(f"Демо-входы (пароль у всех: {password}):")
        self.stdout.write(f"  {'admin':22} администратор платформы")
        self.stdout.write(f"  {'federal-viewer':22} федеральный наблюдатель — все регионы, только просмотр")
        rows = Membership.objects.filter(user__username__contains="-").select_related(
            "user", "organization", "region"
        )
        for m in rows.order_by("region__code", "role", "user__username"):
            self.stdout.write(
                f"  {m.user.username:22} {m.get_role_display()} — {m.organization.short_name} ({m.region.name})"
            )
