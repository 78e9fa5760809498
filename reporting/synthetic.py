"""Synthetic national data: regions of the national shape for load tests and benchmarks.

The shape follows the measured national database (87 regions, ~2,300 municipalities, ~39,000
schools, ~10,000 roadmaps, ~270 k items, ~2 M obligations, ~1.1 M execution reports, ~550 k
evidence): per region on average ~27 municipalities and ~460 schools, ~95 of them in a programme
(ШНОР / ШНСУ / группа риска), a regional roadmap, a municipal roadmap per municipality with
programme schools and a school roadmap per programme school, a year of obligations with reports,
reviews and evidence, and one questionnaire answered by most programme schools.

Rows are computed in Python and written with ``bulk_create`` (one transaction per region), never
through the per-row services: those are right for one user's action and far too slow for a
country. Obligations are exactly what ``monitoring.services.desired_obligations`` would derive from
the generated control dates and executors, so a later regeneration changes nothing.

It lives in ``reporting`` because it writes every lower app's models (schools → roadmaps →
monitoring / questionnaires), and only the top domain layer may import them all.
"""

import csv
import datetime as dt
import io
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models import NOT_PROVIDED, Model
from django.utils import timezone

from monitoring.models import Evidence, ExecutionReport, Obligation, ReportEvent
from questionnaires.models import Answer, Assignment, Option, Question, Questionnaire, Response
from roadmaps.models import ControlDate, Item, ItemExecutor, Roadmap, Section
from schools.models import Membership, Municipality, Organization, Region, SchoolStatus, User

PASSWORD = "demo-portal-2026"
BATCH = 5000
# Region codes 101… cannot collide with the real two-digit codes the demo uses (70, 68).
FIRST_CODE = 101
ROLES = ("coordinator", "curator", "municipal", "director", "department")
FILERS = ("coordinator", "municipal", "director")
# Relative region sizes: mean 1.0, from a small republic to a large krai.
SIZE_FACTORS = (0.3, 0.5, 0.7, 0.9, 1.1, 1.4, 2.1)
TIMEZONES = (
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Tomsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
)
REGION_STEMS = (
    "Северо-Озёрск",
    "Приречн",
    "Заволжск",
    "Верхнекамск",
    "Лесогорск",
    "Светлоярск",
    "Каменноборск",
    "Новоуральск",
    "Среднегорск",
    "Белоречск",
    "Южноморск",
    "Кедровск",
    "Сосновск",
    "Таёжн",
    "Степн",
    "Приозёрн",
    "Холмогорск",
    "Краснопольск",
    "Ясногорск",
    "Дальнереченск",
    "Зеленодольск",
    "Снежногорск",
    "Тихоречн",
    "Ладожск",
    "Беловодск",
    "Медногорск",
    "Полесск",
    "Ольховск",
    "Рябинск",
    "Черноярск",
)
REGION_KINDS = ("ая область", "ая республика", "ая автономная область")
DISTRICTS = (
    "Берёзовский",
    "Ольховский",
    "Сосновоборский",
    "Каменский",
    "Ключевской",
    "Озёрский",
    "Заречный",
    "Покровский",
    "Никольский",
    "Михайловский",
    "Воскресенский",
    "Троицкий",
    "Богородский",
    "Успенский",
    "Рождественский",
    "Вознесенский",
    "Знаменский",
    "Петровский",
    "Александровский",
    "Ивановский",
    "Белогорский",
    "Светлогорский",
    "Тополевский",
    "Дубровский",
    "Калиновский",
    "Малиновский",
    "Рыбинский",
    "Соколовский",
    "Кедровский",
    "Луговской",
)
SURNAMES = ("Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов")
INITIALS = ("А.А.", "Е.В.", "Н.Л.", "О.С.", "И.П.", "Т.Н.", "С.М.", "В.Г.")
MEASURES = (
    "Проведение методического семинара для педагогов",
    "Организация курсов повышения квалификации учителей",
    "Анализ результатов оценочных процедур",
    "Проведение заседания рабочей группы",
    "Размещение информации о ходе реализации программы на сайте",
    "Организация наставничества для молодых педагогов",
    "Мониторинг выполнения плана мероприятий",
    "Проведение родительского собрания",
    "Участие в региональном вебинаре",
    "Посещение уроков с последующим анализом",
    "Корректировка рабочих программ по предметам",
    "Диагностика профессиональных дефицитов педагогов",
)
INDICATORS = ("Проведено не менее 2 мероприятий", "Доля педагогов не менее 80%", "Приказ, протокол", "")
RETURN_COMMENTS = (
    "Приложите приказ с подписью и номером, а не проект.",
    "Ссылка не открывается — проверьте адрес страницы на сайте.",
    "Нет списка участников, указанного в плане как результат.",
)

Review = ExecutionReport.Review
Status = ExecutionReport.Status
Kind = Organization.Kind


@dataclass(frozen=True)
class Schedule:
    text: str
    kind: str
    windows: Callable[[int], list[tuple[dt.date, dt.date]]]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


MONTHLY = Schedule(
    "Ежемесячно", "recurring", lambda y: [(dt.date(y, m, 1), _month_end(y, m)) for m in range(1, 13)]
)
QUARTERLY = Schedule(
    "1 раз в квартал",
    "recurring",
    lambda y: [(dt.date(y, m, 1), _month_end(y, m + 2)) for m in (1, 4, 7, 10)],
)
HALF_YEARLY = Schedule(
    "Не реже 1 раза в полугодие",
    "recurring",
    lambda y: [(dt.date(y, 1, 1), dt.date(y, 6, 30)), (dt.date(y, 7, 1), dt.date(y, 12, 31))],
)
ONCE_MARCH = Schedule("Март", "once", lambda y: [(dt.date(y, 3, 1), dt.date(y, 3, 31))])
ONCE_OCTOBER = Schedule("Октябрь", "once", lambda y: [(dt.date(y, 10, 1), dt.date(y, 10, 31))])


@dataclass
class Stats:
    regions: int = 0
    municipalities: int = 0
    schools: int = 0
    roadmaps: int = 0
    items: int = 0
    obligations: int = 0
    reports: int = 0
    evidence: int = 0
    responses: int = 0
    skipped: list[str] = field(default_factory=list)
    # Seconds per step, summed over regions (the commit is its own step: deferred checks run there).
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, other: "Stats") -> None:
        for name in ("regions", "municipalities", "schools", "roadmaps", "items", "obligations"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reports += other.reports
        self.evidence += other.evidence
        self.responses += other.responses
        for step, seconds in other.seconds.items():
            self.seconds[step] = self.seconds.get(step, 0.0) + seconds


def _unlisted_defaults(model: type[Model], columns: tuple[str, ...]) -> dict[str, object]:
    """The model's default for every NOT NULL column the rows leave out."""
    defaults = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.null or f.column in columns or f.db_default is not NOT_PROVIDED:
            continue
        value = f.get_default()
        if value is None:
            raise ValueError(f"copy_rows({model.__name__}): column {f.column} needs a value")
        defaults[f.column] = f.get_db_prep_save(value, connection)
    return defaults


def copy_rows(model: type[Model], columns: tuple[str, ...], rows: list[tuple]) -> list[int]:
    """Insert plain tuples (``columns`` order) and return their new ids, in order.

    On PostgreSQL the ids are taken from the table's sequence and the rows sent with COPY in CSV
    written by the C ``csv`` module: an order of magnitude faster than ``bulk_create`` for
    millions of rows, since no model instance is built and no value is formatted in Python.
    NOT NULL columns left out get the field's default. An empty value is NULL in a nullable
    column and an empty string in a NOT NULL one (so ``None`` and ``""`` must not be told apart
    in one column). Elsewhere (the SQLite demo) it falls back to ``bulk_create``.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=BATCH)
        return [o.pk for o in objs]
    quote = connection.ops.quote_name
    defaults = _unlisted_defaults(model, columns)
    names = ("id", *columns, *defaults)
    not_null = [quote(f.column) for f in model._meta.concrete_fields if not f.null and f.column in names]
    sql = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, names))}) FROM STDIN "
        f"WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(not_null)}))"
    )
    tail = tuple(defaults.values())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, len(rows)],
        )
        ids = [r[0] for r in cursor.fetchall()]
        for start in range(0, len(rows), 50_000):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(
                (pk, *row, *tail)
                for pk, row in zip(ids[start : start + 50_000], rows[start : start + 50_000], strict=True)
            )
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)
    return ids


def format_seconds(seconds: dict[str, float]) -> str:
    """«школы 0.4 с, карты 2.1 с, …»: where a region's time went."""
    return ", ".join(f"{step} {value:.1f} с" for step, value in seconds.items())


def _skip_reference_checks() -> bool:
    """Let this transaction's rows go without PostgreSQL's per-row foreign key checks, if allowed.

    Django's foreign keys are checked at commit by a trigger per inserted row — a third of the
    generation time. Every row here references a row made just before it (ids from the rows' own
    COPY), so a superuser session skips them with ``session_replication_role = replica`` (SET
    LOCAL: this transaction only; the project has no triggers of its own that it would silence).
    ``tests/reporting/test_generate_synthetic.py`` checks every foreign key of the result.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def region_code(number: int) -> str:
    return str(FIRST_CODE + number - 1)


def region_name(number: int) -> str:
    stem = REGION_STEMS[(number - 1) % len(REGION_STEMS)]
    kind = REGION_KINDS[(number - 1) // len(REGION_STEMS) % len(REGION_KINDS)]
    return f"{stem}{kind}"


def generate(
    *,
    regions: int,
    scale: float = 1.0,
    seed: int = 1,
    year: int,
    today: dt.date | None = None,
    jobs: int = 1,
    first: int = 1,
    school_items: int = 0,
    progress: Callable[[str], None] = lambda line: None,
) -> Stats:
    """Create ``regions`` synthetic regions (numbers ``first``…``first + regions - 1``); a region
    already there is skipped.

    ``school_items`` adds that many quarterly measures to each regional roadmap executed by every
    programme school («руководители ШНОР»): the round of a large region's roadmap then holds
    ~10,000 obligations (``--scale 5 --school-items 15``), as the quarterly report benchmark needs.

    Regions are independent, so with ``jobs`` > 1 worker processes build one region at a time
    each on their own connection: Python builds rows while PostgreSQL writes another region's.
    Planner statistics are refreshed at the end (``analyze``).
    """
    today = today or dt.date.today()
    password = make_password(PASSWORD)  # hashed once: the slow hasher would dominate otherwise
    numbers = list(range(first, first + regions))
    args = (first + regions - 1, scale, seed, year, today, password, school_items)
    if jobs <= 1:
        total = _generate(numbers, *args, progress=progress)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        connections.close_all()  # forked workers must open their own connections
        total = Stats()
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            # One region per task: a worker that drew small regions takes the next one.
            futures = [pool.submit(_generate_in_worker, [number], *args) for number in numbers]
            for future in futures:
                stats = future.result()
                total.add(stats)
                total.skipped += stats.skipped
        total.skipped.sort()
    if total.regions:
        started = time.perf_counter()
        analyze()
        total.seconds["ANALYZE"] = time.perf_counter() - started
    return total


TABLES = (
    Region, Municipality, Organization, SchoolStatus, User, Membership,
    Roadmap, Section, Item, ItemExecutor, ControlDate,
    Obligation, ExecutionReport, Evidence, ReportEvent,
    Questionnaire, Question, Option, Assignment, Response, Answer,
)  # fmt: skip


def analyze() -> None:
    """Fresh planner statistics for the tables just filled (autovacuum may be off or late)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _generate_in_worker(numbers: list[int], *args: Any) -> Stats:
    try:
        return _generate(numbers, *args, progress=lambda line: print(line, file=sys.stderr, flush=True))
    finally:
        connections.close_all()


def _generate(
    numbers: list[int],
    regions: int,
    scale: float,
    seed: int,
    year: int,
    today: dt.date,
    password: str,
    school_items: int,
    *,
    progress: Callable[[str], None],
) -> Stats:
    total = Stats()
    for number in numbers:
        code = region_code(number)
        if Region.objects.filter(code=code).exists():
            total.skipped.append(code)
            progress(f"регион {code}: уже есть, пропущен")
            continue
        rng = random.Random(f"{seed}:{number}")
        size = rng.choice(SIZE_FACTORS) * scale
        stats = _RegionBuilder(
            number, rng=rng, size=size, year=year, today=today, password=password, school_items=school_items
        ).build()
        total.add(stats)
        progress(
            f"регион {code} ({number}/{regions}): школ {stats.schools}, карт {stats.roadmaps}, "
            f"обязательств {stats.obligations}, отчётов {stats.reports} ({format_seconds(stats.seconds)})"
        )
    return total


class _RegionBuilder:
    def __init__(
        self,
        number: int,
        *,
        rng: random.Random,
        size: float,
        year: int,
        today: dt.date,
        password: str,
        school_items: int = 0,
    ) -> None:
        self.number, self.rng, self.size, self.year, self.today = number, rng, size, year, today
        self.password, self.school_items = password, school_items
        self.stats = Stats(regions=1)
        self.now = timezone.now()

    def count(self, average: float, minimum: int = 1) -> int:
        return max(minimum, round(average * self.size))

    def build(self) -> Stats:
        with transaction.atomic():
            unchecked = _skip_reference_checks()
            self.region = Region.objects.create(
                code=region_code(self.number),
                name=region_name(self.number),
                short_name=region_name(self.number).split()[0],
                timezone=self.rng.choice(TIMEZONES),
            )
            self.tz = ZoneInfo(self.region.timezone)
            self._timed("школы", self._hierarchy)
            self._timed("пользователи", self._users)
            self._timed("карты", self._roadmaps)
            self._timed("исполнение", self._execution)
            self._timed("анкета", self._questionnaire)
            if unchecked:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            started = time.perf_counter()
        self.stats.seconds["фиксация"] = time.perf_counter() - started
        return self.stats

    def _timed(self, step: str, build: Callable[[], None]) -> None:
        started = time.perf_counter()
        build()
        self.stats.seconds[step] = time.perf_counter() - started

    # --- schools ---------------------------------------------------------------------------

    def _hierarchy(self) -> None:
        region, rng = self.region, self.rng
        short = region.short_name
        self.department, self.institute, _centre = Organization.objects.bulk_create(
            [
                Organization(
                    region=region,
                    kind=Kind.DEPARTMENT,
                    name=f"Департамент образования {short}",
                    short_name=f"ДО {short[:12]}",
                ),
                Organization(
                    region=region,
                    kind=Kind.INSTITUTE,
                    name=f"Институт развития образования {short}",
                    short_name=f"ИРО {short[:12]}",
                ),
                Organization(
                    region=region,
                    kind=Kind.ASSESSMENT_CENTRE,
                    name=f"Центр оценки качества образования {short}",
                    short_name=f"ЦОКО {short[:12]}",
                ),
            ]
        )
        n_munis = self.count(27, minimum=2)
        munis = []
        for i in range(n_munis):
            name = DISTRICTS[i % len(DISTRICTS)]
            suffix = f" {i // len(DISTRICTS) + 1}-й" if i >= len(DISTRICTS) else ""
            if i % 4 == 0:
                kind, label = Municipality.Kind.CITY_DISTRICT, "городской округ"
            else:
                kind, label = Municipality.Kind.MUNICIPAL_DISTRICT, "муниципальный район"
            munis.append(Municipality(region=region, name=f"{name}{suffix} {label}", kind=kind))
        self.munis = Municipality.objects.bulk_create(munis)
        self.stats.municipalities = len(self.munis)
        authorities = Organization.objects.bulk_create(
            [
                Organization(
                    region=region,
                    municipality=m,
                    kind=Kind.MUNICIPAL_AUTHORITY,
                    name=f"Управление образования: {m.name}",
                    short_name=f"УО {m.name}",
                )
                for m in self.munis
            ]
        )
        self.authority_of = {a.municipality_id: a for a in authorities}
        # Schools: cities get more of them; about a fifth are in a programme.
        n_schools = self.count(460, minimum=n_munis * 2)
        weights = [3.0 if m.kind == Municipality.Kind.CITY_DISTRICT else 1.0 for m in self.munis]
        schools = []
        for k in range(n_schools):
            muni = self.munis[k] if k < n_munis else rng.choices(self.munis, weights)[0]
            rural = muni.kind != Municipality.Kind.CITY_DISTRICT
            schools.append(
                Organization(
                    region=region,
                    municipality=muni,
                    kind=Kind.SCHOOL,
                    legal_form=rng.choice(("МБОУ", "МАОУ", "МКОУ")),
                    name=f"Средняя общеобразовательная школа № {k + 1} ({muni.name})",
                    short_name=f"СОШ № {k + 1}",
                    is_rural=rural,
                    is_small=rural and rng.random() < 0.3,
                    director_name=f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}",
                )
            )
        self.schools = Organization.objects.bulk_create(schools, batch_size=BATCH)
        self.stats.schools = len(self.schools)
        n_programme = min(len(self.schools), self.count(95, minimum=2))
        self.programme = rng.sample(self.schools, n_programme)
        categories = ("shnor", "shnor", "shnsu", "risk")
        SchoolStatus.objects.bulk_create(
            [
                SchoolStatus(region=region, school=s, year=self.year, category=rng.choice(categories))
                for s in self.programme
            ],
            batch_size=BATCH,
        )
        self.programme_by_muni: dict[int, list[Organization]] = {}
        for s in self.programme:
            self.programme_by_muni.setdefault(s.municipality_id, []).append(s)

    def _users(self) -> None:
        nn = f"{self.number:02d}"
        first_muni = next(m for m in self.munis if m.pk in self.programme_by_muni)
        director_school = self.programme_by_muni[first_muni.pk][0]
        orgs = {
            "coordinator": self.institute,
            "curator": self.institute,
            "municipal": self.authority_of[first_muni.pk],
            "director": director_school,
            "department": self.department,
        }
        users = User.objects.bulk_create(
            [
                User(
                    username=f"synth{nn}-{role}",
                    password=self.password,
                    full_name=f"{self.rng.choice(SURNAMES)} {self.rng.choice(INITIALS)}",
                )
                for role in ROLES
            ]
        )
        self.users = dict(zip(ROLES, users, strict=True))
        self.member_orgs = {r: orgs[r].pk for r in ROLES}
        Membership.objects.bulk_create(
            [Membership(region=self.region, user=self.users[r], organization=orgs[r], role=r) for r in ROLES]
        )
        # The curator is granted a handful of programme schools (guardian object permissions).
        from guardian.models import UserObjectPermission

        permission = Permission.objects.get(codename="curate_school", content_type__app_label="schools")
        content_type = ContentType.objects.get_for_model(Organization)
        curated = self.programme[: min(8, len(self.programme))]
        UserObjectPermission.objects.bulk_create(
            [
                UserObjectPermission(
                    user=self.users["curator"],
                    permission=permission,
                    content_type=content_type,
                    object_pk=str(s.pk),
                )
                for s in curated
            ]
        )
        self.curated = curated

    # --- roadmaps --------------------------------------------------------------------------

    def _roadmaps(self) -> None:
        region, year = self.region, self.year
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        approved = Roadmap.Status.APPROVED
        regional = Roadmap.objects.create(
            region=region,
            level=Roadmap.Level.REGIONAL,
            owner=self.department,
            title=f"Региональная дорожная карта поддержки школ с низкими результатами, {year} год",
            period_start=start,
            period_end=end,
            status=approved,
            act_kind="распоряжение",
            act_number=f"{self.rng.randint(100, 999)}-р",
            act_date=dt.date(year - 1, 12, 20),
        )
        municipal = Roadmap.objects.bulk_create(
            [
                Roadmap(
                    region=region,
                    level=Roadmap.Level.MUNICIPAL,
                    owner=self.authority_of[m.pk],
                    parent=regional,
                    title=f"Дорожная карта муниципалитета «{m.name}» на {year} год",
                    period_start=start,
                    period_end=end,
                    status=approved,
                )
                for m in self.munis
                if m.pk in self.programme_by_muni
            ]
        )
        municipal_of = {r.owner.municipality_id: r for r in municipal}
        school = Roadmap.objects.bulk_create(
            [
                Roadmap(
                    region=region,
                    level=Roadmap.Level.SCHOOL,
                    owner=s,
                    parent=municipal_of[s.municipality_id],
                    title=f"Дорожная карта {s.legal_form} «{s.short_name}» на {year} год",
                    period_start=start,
                    period_end=end,
                    status=approved,
                )
                for s in self.programme
            ],
            batch_size=BATCH,
        )
        self.stats.roadmaps = 1 + len(municipal) + len(school)
        regional_bodies = [self.department, self.institute]
        all_authorities = list(self.authority_of.values())
        # Per roadmap: (schedule, executor ids, group or organization for ItemExecutor) per item.
        plans: list[tuple[Roadmap, list[tuple[Schedule, list[int], str, Organization | None]]]] = []
        plan = []
        for i in range(40):
            if i < 25:
                body = regional_bodies[i % 2]
                plan.append((QUARTERLY if i % 3 else MONTHLY, [body.pk], "", body))
            else:
                plan.append((HALF_YEARLY, [a.pk for a in all_authorities], "municipal_authorities", None))
        # Optional (0 by default, so the national shape is unchanged): measures of every programme school.
        programme_ids = [s.pk for s in self.programme]
        plan += [(QUARTERLY, programme_ids, "schools", None) for _i in range(self.school_items)]
        plans.append((regional, plan))
        for r in municipal:
            schools = [s.pk for s in self.programme_by_muni[r.owner.municipality_id]]
            plan = []
            for i in range(30):
                if i < 20:
                    plan.append((QUARTERLY if i % 2 else HALF_YEARLY, [r.owner_id], "", r.owner))
                else:
                    plan.append((QUARTERLY, schools, "schools", None))
            plans.append((r, plan))
        for r in school:
            plan = []
            for i in range(25):
                sched = (
                    MONTHLY if i < 10 else QUARTERLY if i < 20 else (ONCE_MARCH if i % 2 else ONCE_OCTOBER)
                )
                plan.append((sched, [r.owner_id], "", r.owner))
            plans.append((r, plan))
        self._items(plans)

    def _items(self, plans: list[Any]) -> None:
        region_id, rng, now = self.region.pk, self.rng, self.now
        titles = ("Организационные мероприятия", "Работа с педагогами", "Мониторинг")
        section_ids = copy_rows(
            Section,
            ("region_id", "roadmap_id", "position", "title"),
            [(region_id, roadmap.pk, p, t) for roadmap, _plan in plans for p, t in enumerate(titles, 1)],
        )
        items = []
        for n, (roadmap, plan) in enumerate(plans):
            sections = section_ids[3 * n : 3 * n + 3]
            for position, (schedule, _execs, _group, _org) in enumerate(plan, 1):
                items.append(
                    (
                        region_id,
                        roadmap.pk,
                        sections[(position - 1) * 3 // len(plan)],
                        position,
                        f"{position}.",
                        rng.choice(MEASURES),
                        schedule.text,
                        schedule.kind,
                        True,
                        rng.choice(INDICATORS),
                        "Приказ, информация на сайте",
                    )
                )
        item_ids = copy_rows(
            Item,
            (
                "region_id",
                "roadmap_id",
                "section_id",
                "position",
                "number",
                "text",
                "schedule_text",
                "schedule_kind",
                "schedule_understood",
                "indicator_text",
                "result_text",
            ),
            items,
        )
        self.stats.items = len(item_ids)
        dates, executors, obligations = [], [], []
        flat = [(roadmap, entry) for roadmap, plan in plans for entry in plan]
        for item_id, (roadmap, (schedule, execs, group, org)) in zip(item_ids, flat, strict=True):
            text = org.short_name if org else ("МОУО" if group == "municipal_authorities" else "ОО")
            executors.append((region_id, item_id, 0, text, group, org.pk if org else None))
            for start, due in schedule.windows(self.year):
                dates.append((region_id, item_id, start, due))
                for executor_id in execs:
                    obligations.append((region_id, roadmap.pk, item_id, executor_id, start, due, False, now))
        copy_rows(
            ItemExecutor, ("region_id", "item_id", "position", "text", "group", "organization_id"), executors
        )
        copy_rows(ControlDate, ("region_id", "item_id", "window_start", "due_date"), dates)
        ids = copy_rows(
            Obligation,
            (
                "region_id",
                "roadmap_id",
                "item_id",
                "executor_id",
                "window_start",
                "due_date",
                "cancelled",
                "created_at",
            ),
            obligations,
        )
        # (id, executor id, due date) is all the execution step needs.
        self.obligations = [(pk, row[3], row[5]) for pk, row in zip(ids, obligations, strict=True)]
        self.stats.obligations = len(self.obligations)

    # --- execution -------------------------------------------------------------------------

    def _execution(self) -> None:
        region_id, rng, tz, now = self.region.pk, self.rng, self.tz, self.now
        reviewer = self.users["coordinator"].pk
        # Who files for whom: the generated users for their organizations, nobody named elsewhere.
        filer = {org_id: self.users[role].pk for role, org_id in self.member_orgs.items() if role in FILERS}
        reports, meta = [], []
        for obligation_id, executor_id, due_date in self.obligations:
            if due_date >= self.today:
                continue
            roll = rng.random()
            if roll < 0.38:
                continue  # nothing filed: overdue
            due = dt.datetime.combine(due_date, dt.time(12), tzinfo=tz)
            late = rng.random() < 0.12
            submitted_at = (
                due + dt.timedelta(days=rng.randint(1, 20))
                if late
                else due - dt.timedelta(days=rng.randint(0, 10))
            )
            reviewed_at = None
            if roll < 0.41:
                state, submitted_at, late = Review.DRAFT, None, False
            elif roll < 0.85:
                state, reviewed_at = Review.ACCEPTED, submitted_at + dt.timedelta(days=rng.randint(1, 7))
            elif roll < 0.92:
                state, reviewed_at = Review.RETURNED, submitted_at + dt.timedelta(days=2)
            else:
                state = Review.SUBMITTED
            if state == Review.DRAFT:
                status = Status.IN_PROGRESS
            else:
                status = Status.DONE if rng.random() > 0.1 else Status.PARTIAL
            author = filer.get(executor_id) if submitted_at else None
            reports.append(
                (
                    region_id,
                    obligation_id,
                    status,
                    "Мероприятие проведено, материалы размещены на сайте." if rng.random() < 0.4 else "",
                    due_date - dt.timedelta(days=rng.randint(0, 5)) if state != Review.DRAFT else None,
                    state,
                    submitted_at,
                    author,
                    late,
                    reviewed_at,
                    reviewer if reviewed_at else None,
                    rng.choice(RETURN_COMMENTS) if state == Review.RETURNED else "",
                    reviewed_at or submitted_at or now,
                )
            )
            meta.append((executor_id, obligation_id))
        ids = copy_rows(
            ExecutionReport,
            (
                "region_id",
                "obligation_id",
                "status",
                "comment",
                "done_on",
                "review_state",
                "submitted_at",
                "submitted_by_id",
                "is_late",
                "reviewed_at",
                "reviewed_by_id",
                "review_comment",
                "updated_at",
            ),
            reports,
        )
        self.stats.reports = len(ids)
        evidence, events = [], []
        descriptions = ("Публикация на сайте", "Приказ", "Протокол заседания")
        for pk, row, (executor_id, obligation_id) in zip(ids, reports, meta, strict=True):
            status, state, submitted_at, author, reviewed_at, comment = (
                row[2],
                row[5],
                row[6],
                row[7],
                row[9],
                row[11],
            )
            if state != Review.DRAFT and rng.random() < 0.55:
                url = f"https://school-{executor_id}.edu.ru/shnor/{obligation_id}"
                evidence.append(
                    (
                        region_id,
                        pk,
                        Evidence.Kind.LINK,
                        "",
                        "",
                        "",
                        0,
                        "",
                        url,
                        rng.choice(descriptions),
                        author,
                        submitted_at,
                    )
                )
            if submitted_at:
                events.append((region_id, pk, author, submitted_at, "submitted", status, "submitted", ""))
            if reviewed_at:
                events.append((region_id, pk, reviewer, reviewed_at, state, status, state, comment))
        copy_rows(
            Evidence,
            (
                "region_id",
                "report_id",
                "kind",
                "file",
                "original_name",
                "content_type",
                "size",
                "sha256",
                "url",
                "description",
                "uploaded_by_id",
                "uploaded_at",
            ),
            evidence,
        )
        copy_rows(
            ReportEvent,
            ("region_id", "report_id", "user_id", "at", "action", "status", "review_state", "comment"),
            events,
        )
        self.stats.evidence = len(evidence)

    # --- questionnaire ---------------------------------------------------------------------

    def _questionnaire(self) -> None:
        region, rng, year = self.region, self.rng, self.year
        q = Questionnaire.objects.create(
            region=region,
            owner=self.institute,
            title="Анкета руководителя о реализации дорожной карты",
            period_label=f"1-е полугодие {year}",
            status=Questionnaire.Status.PUBLISHED,
            created_by=self.users["coordinator"],
        )
        choice = Question.objects.create(
            region=region,
            questionnaire=q,
            position=1,
            number="1.",
            text="Какие мероприятия дорожной карты выполнены?",
            kind=Question.Kind.MULTIPLE,
        )
        number = Question.objects.create(
            region=region,
            questionnaire=q,
            position=2,
            number="2.",
            text="Сколько педагогов прошли курсы повышения квалификации?",
            kind=Question.Kind.NUMBER,
        )
        text = Question.objects.create(
            region=region,
            questionnaire=q,
            position=3,
            number="3.",
            text="Какие трудности возникли?",
            kind=Question.Kind.LONG_TEXT,
            required=False,
        )
        options = Option.objects.bulk_create(
            [
                Option(region=region, question=choice, position=p, label=f"{p}.", text=t)
                for p, t in enumerate(("Семинары", "Курсы", "Наставничество", "Мониторинг"), 1)
            ]
        )
        deadline = dt.date(year, 6, 20)
        assignments = Assignment.objects.bulk_create(
            [Assignment(region=region, questionnaire=q, school=s, deadline=deadline) for s in self.programme],
            batch_size=BATCH,
        )
        submitted = dt.datetime.combine(deadline, dt.time(18), tzinfo=self.tz)
        responses = Response.objects.bulk_create(
            [
                Response(
                    region=region,
                    assignment=a,
                    status=Response.Status.SUBMITTED,
                    submitted_at=submitted - dt.timedelta(hours=rng.randint(0, 240)),
                )
                for a in assignments
                if rng.random() < 0.85
            ],
            batch_size=BATCH,
        )
        answers = []
        for r in responses:
            answers.append(Answer(region=region, response=r, question=choice))
            answers.append(Answer(region=region, response=r, question=number, number=rng.randint(0, 30)))
            if rng.random() < 0.5:
                answers.append(Answer(region=region, response=r, question=text, text="Нехватка кадров."))
        answers = Answer.objects.bulk_create(answers, batch_size=BATCH)
        through = Answer.selected_options.through
        through.objects.bulk_create(
            [
                through(answer_id=a.pk, option_id=o.pk)
                for a in answers
                if a.question_id == choice.pk
                for o in rng.sample(options, rng.randint(1, len(options)))
            ],
            batch_size=BATCH,
        )
        self.stats.responses = len(responses)
