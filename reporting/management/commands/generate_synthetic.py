import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting import synthetic


class Command(BaseCommand):
    help = (
        "Создаёт синтетические регионы национального масштаба (школы, дорожные карты, обязательства, "
        "отчёты, подтверждения, анкета) и пользователей synthNN-<роль> для нагрузочных проверок."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, required=True, help="Сколько регионов создать (1–800)")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Множитель размера региона (1 — как в среднем по стране)"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Зерно генератора: те же данные при том же зерне"
        )
        parser.add_argument("--year", type=int, default=None, help="Год дорожных карт (по умолчанию текущий)")
        parser.add_argument(
            "--jobs", type=int, default=1, help="Сколько процессов строят регионы параллельно (по числу ядер)"
        )

    def handle(self, *args, regions: int, scale: float, seed: int, year: int | None, jobs: int, **options):
        if not 1 <= regions <= 800:
            raise CommandError("Число регионов (--regions) должно быть от 1 до 800.")
        if not 0 < scale <= 10:
            raise CommandError(
                "Множитель размера (--scale) должен быть больше 0 и не больше 10, например 0.2."
            )
        today = timezone.localdate()
        year = year or today.year
        if not 2000 <= year <= 2100:
            raise CommandError("Год (--year) должен быть четырёхзначным, например 2026.")
        if not 1 <= jobs <= 16:
            raise CommandError("Число процессов (--jobs) должно быть от 1 до 16, например 2.")
        started = time.monotonic()

        def progress(line: str) -> None:
            self.stderr.write(f"[{time.monotonic() - started:6.1f} с] {line}")

        stats = synthetic.generate(
            regions=regions, scale=scale, seed=seed, year=year, today=today, jobs=jobs, progress=progress
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Создано регионов: {stats.regions}, муниципалитетов: {stats.municipalities}, школ: {stats.schools}, "
                f"дорожных карт: {stats.roadmaps}, мероприятий: {stats.items}, обязательств: {stats.obligations}, "
                f"отчётов: {stats.reports}, подтверждений: {stats.evidence}, анкет: {stats.responses} "
                f"за {time.monotonic() - started:.0f} с"
            )
        )
        if stats.skipped:
            self.stdout.write(f"Уже были и пропущены регионы: {', '.join(stats.skipped)}")
