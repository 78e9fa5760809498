import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting import synthetic


class Command(BaseCommand):
    help = _(
        "Создаёт синтетические регионы национального масштаба (школы, дорожные карты, обязательства, "
        "отчёты, подтверждения, анкета) и пользователей synthNN-<роль> для нагрузочных проверок."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regions", type=int, required=True, help=_("Сколько регионов создать (1–800)"))
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=_("Множитель размера региона (1 — как в среднем по стране)"),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help=_("Зерно генератора: те же данные при том же зерне")
        )
        parser.add_argument(
            "--year", type=int, default=None, help=_("Год дорожных карт (по умолчанию текущий)")
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help=_("Сколько процессов строят регионы параллельно (по числу ядер)"),
        )
        parser.add_argument(
            "--school-items",
            type=int,
            default=0,
            help=_(
                "Сколько ежеквартальных мероприятий региональной карты исполняет каждая школа программы "
                "(0 — как в среднем по стране; 15 при --scale 5 дают раунд примерно в 10 000 строк)"
            ),
        )

    def handle(
        self,
        *args: Any,
        regions: int,
        scale: float,
        seed: int,
        year: int | None,
        jobs: int,
        school_items: int = 0,
        **options: Any,
    ) -> None:
        if not 1 <= regions <= 800:
            raise CommandError(_("Число регионов (--regions) должно быть от 1 до 800."))
        if not 0 < scale <= 10:
            raise CommandError(
                _("Множитель размера (--scale) должен быть больше 0 и не больше 10, например 0.2.")
            )
        today = timezone.localdate()
        year = year or today.year
        if not 2000 <= year <= 2100:
            raise CommandError(_("Год (--year) должен быть четырёхзначным, например 2026."))
        if not 1 <= jobs <= 16:
            raise CommandError(_("Число процессов (--jobs) должно быть от 1 до 16, например 2."))
        if not 0 <= school_items <= 100:
            raise CommandError(
                _("Число мероприятий школ (--school-items) должно быть от 0 до 100, например 15.")
            )
        started = time.monotonic()

        def progress(line: str) -> None:
            self.stderr.write(_("[%(t)6.1f с] %(line)s") % {"t": time.monotonic() - started, "line": line})

        stats = synthetic.generate(
            regions=regions,
            scale=scale,
            seed=seed,
            year=year,
            today=today,
            jobs=jobs,
            school_items=school_items,
            progress=progress,
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Создано регионов: %(regions)s, муниципалитетов: %(municipalities)s, школ: %(schools)s, "
                    "дорожных карт: %(roadmaps)s, мероприятий: %(items)s, обязательств: %(obligations)s, "
                    "отчётов: %(reports)s, подтверждений: %(evidence)s, анкет: %(responses)s за %(seconds).0f с"
                )
                % {**vars(stats), "seconds": time.monotonic() - started}
            )
        )
        if stats.seconds:
            self.stderr.write(_("По шагам: %(steps)s") % {"steps": synthetic.format_seconds(stats.seconds)})
        if stats.skipped:
            self.stdout.write(
                _("Уже были и пропущены регионы: %(codes)s") % {"codes": ", ".join(stats.skipped)}
            )
