"""Demo diagnostics for the living demo: three years of self-diagnosis, risk profiles and
assessment results for every demo school with a programme status, consistent with the statuses;
a starter catalogue of measures per region drawn from the region's roadmap items; and links from
the demo school roadmaps' items to the deficits they address (some covered, some left as gaps).

Deterministic (each school's numbers come from a generator seeded by its pk) and idempotent: a
re-run replaces only rows marked ``demo`` (and the deficit links of the living demo's roadmaps,
``Roadmap.demo_anchor``), never imported ones. The years are the living demo's current year and
the two before (``reporting/living_demo.py`` copies the plans into the current year).

This is diagnosis for targeted support, not a rating of schools or teachers.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diagnostics.models import (
    AssessmentResult,
    DirectionScore,
    ItemDeficit,
    Measure,
    RiskLevel,
    SelfDiagnosis,
)
from diagnostics.selectors import WEAK_DIRECTION_SHARE
from diagnostics.vocabulary import DIRECTIONS, RISK_FACTORS
from roadmaps.models import Item, Roadmap
from schools.models import Region, SchoolStatus

# The demo regions (the living demo's: reporting/living_demo.py DEMO_SETS).
DEMO_REGIONS = ("70", "68")
YEARS_BACK = 2
Level = RiskLevel.Level
Category = SchoolStatus.Category
SDLevel = SchoolStatus.Level

# The model's maximum points per direction (rounded from the 2023 self-diagnosis form).
MAX_POINTS = {
    "knowledge": 49,
    "upbringing": 31,
    "health": 31,
    "creativity": 35,
    "career": 21,
    "teacher": 29,
    "climate": 17,
    "environment": 14,
}
# Share of the maximum a school of a level scores outside its weak directions, and how many weak
# directions (below half of the maximum: deficits the coverage check counts) it has.
LEVEL_SHARES = {
    SDLevel.BELOW_BASIC: (0.5, 0.65),
    SDLevel.BASIC: (0.55, 0.75),
    SDLevel.MEDIUM: (0.65, 0.85),
    SDLevel.FULL: (0.8, 0.98),
}
WEAK_COUNT = {
    SDLevel.BELOW_BASIC: (2, 3),
    SDLevel.BASIC: (1, 2),
    SDLevel.MEDIUM: (0, 1),
    SDLevel.FULL: (0, 0),
}
CRITICAL = [
    "нет школьного театра",
    "нет школьного спортивного клуба",
    "не реализуется профориентационный минимум",
    "нет педагога-психолога",
    "не организовано дополнительное образование",
]
# Risk factors typical of each status (the rest stay low).
SHNOR_POOL = [
    "learning_difficulties",
    "motivation",
    "teacher_competence",
    "staff_shortage",
    "material_base",
    "parents",
    "grading",
    "training_system",
]
SHNSU_POOL = ["parents", "special_needs", "language_barriers", "school_environment", "material_base"]
RISK_POOL = ["motivation", "learning_difficulties", "teacher_competence", "discipline", "parents"]
SUBJECTS = [
    ("vpr", "Русский язык", 5),
    ("vpr", "Математика", 5),
    ("vpr", "Русский язык", 7),
    ("vpr", "Математика", 7),
    ("oge", "Русский язык", None),
    ("oge", "Математика", None),
    ("ege", "Русский язык", None),
    ("ege", "Математика (профильный уровень)", None),
]
# Words of a roadmap item that say which deficit it addresses.
KEYWORDS = {
    "teacher_competence": ("компетенц", "методическ", "взаимопосещ", "наставни", "образовательных маршрут"),
    "training_system": ("повышения квалификации", "кпк", "курсах"),
    "staff_shortage": ("кадр", "молодых педагог", "ваканс"),
    "learning_difficulties": ("группы риска", "неуспеш", "консультаци", "низкими результат"),
    "grading": ("объективн", "оценки качества", "всоко"),
    "parents": ("родител",),
    "material_base": ("оснащ", "оборудован", "материально"),
    "motivation": ("мотивац", "олимпиад"),
    "school_environment": ("воспитат", "климат"),
    "social_conditions": ("индекса социального", "социально-психолог", "семьям"),
    "special_needs": ("овз", "инклюзив"),
    "career": ("профориент",),
    "knowledge": ("впр", "гиа"),
    "teacher": ("компетенц", "повышения квалификации", "взаимопосещ"),
    "upbringing": ("воспитат",),
    "health": ("здоров", "спортив"),
    "creativity": ("творч", "театр"),
    "climate": ("климат", "психолог"),
}
# Measures written by the coordinator where no roadmap item fits.
WRITTEN = {
    "social_conditions": gettext_lazy(
        "Программа работы с семьями в трудной жизненной ситуации (с органами соцзащиты)"
    ),
    "special_needs": gettext_lazy(
        "Сопровождение обучающихся с ОВЗ: тьютор и педагог-психолог, адаптированные программы"
    ),
    "language_barriers": gettext_lazy("Занятия по русскому языку как неродному для детей-инофонов"),
    "discipline": gettext_lazy("Единые правила поведения и медиация конфликтов в классах"),
    "motivation": gettext_lazy("Проектная и олимпиадная деятельность для обучающихся основной школы"),
    "material_base": gettext_lazy("Заявка на оснащение кабинетов по региональной программе «Цифровая школа»"),
    "career": gettext_lazy("Профориентационный минимум: профессиональные пробы с колледжами района"),
    "upbringing": gettext_lazy("Советник директора по воспитанию и школьные объединения обучающихся"),
    "staff_shortage": gettext_lazy("Привлечение молодых педагогов: «Земский учитель», целевое обучение"),
}
MEASURES_PER_DEFICIT = 3


@dataclass
class Profile:
    categories: set[str]
    minpros_level: str


def region_today(region: Region) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(region.timezone)).date()


def demo_years(today: dt.date) -> list[int]:
    """The living demo's current year and the two before."""
    return list(range(today.year - YEARS_BACK, today.year + 1))


def load(today: dt.date | None = None) -> str:
    schools = 0
    for region in Region.objects.filter(code__in=DEMO_REGIONS).order_by("code"):
        schools += build(region, today or region_today(region))
    return _("школ с демонстрационной диагностикой: %(n)s") % {"n": schools}


@transaction.atomic
def build(region: Region, today: dt.date) -> int:
    """Replaces the region's demo diagnostics and catalogue; returns the number of schools."""
    years = demo_years(today)
    for model in (SelfDiagnosis, RiskLevel, AssessmentResult):
        model.objects.filter(region=region, demo=True).delete()
    profiles = _profiles(region)
    # Schools with a plan of their own improve (the demo's story); of the others, about half.
    planned = set(
        Roadmap.objects.filter(region=region, level=Roadmap.Level.SCHOOL).values_list("owner_id", flat=True)
    )
    scores: list[tuple[SelfDiagnosis, list[DirectionScore]]] = []
    risks: list[RiskLevel] = []
    results: list[AssessmentResult] = []
    for school_id, profile in sorted(profiles.items()):
        rng = random.Random(school_id)
        factors = _risk_plan(profile, rng)
        improving = rng.random() < 0.5 or school_id in planned
        base_share = _lowest_share(profile, rng)
        size = rng.randint(18, 75)
        level = _sd_level(profile, rng)
        weak = set(rng.sample([t.code for t in DIRECTIONS], rng.randint(*WEAK_COUNT[level])))
        for n, year in enumerate(years):
            levels = _levels_of(factors, n if improving else 0)
            risks += [
                RiskLevel(region=region, school_id=school_id, year=year, factor=f, level=lvl, demo=True)
                for f, lvl in levels.items()
            ]
            if (
                improving
                and n == len(years) - 1
                and level == SDLevel.BELOW_BASIC
                and not profile.minpros_level
            ):
                level = SDLevel.BASIC
            diagnosis, parts = _self_diagnosis(region, school_id, year, level, weak, rng)
            scores.append((diagnosis, parts))
            trend = -n * rng.uniform(1.5, 3.5) if improving else n * rng.uniform(-1.0, 1.5)
            results += _results(region, school_id, year, profile, base_share + trend, size, rng)
    # A school-year with imported rows of a kind keeps them: the demo adds nothing there.
    real = {
        model: set(model.objects.filter(region=region, demo=False).values_list("school_id", "year"))
        for model in (SelfDiagnosis, RiskLevel, AssessmentResult)
    }
    scores = [(d, parts) for d, parts in scores if (d.school_id, d.year) not in real[SelfDiagnosis]]
    SelfDiagnosis.objects.bulk_create([d for d, _parts in scores])
    risks = [r for r in risks if (r.school_id, r.year) not in real[RiskLevel]]
    results = [r for r in results if (r.school_id, r.year) not in real[AssessmentResult]]
    direction_scores = []
    for diagnosis, parts in scores:
        for part in parts:
            part.diagnosis = diagnosis
            direction_scores.append(part)
    DirectionScore.objects.bulk_create(direction_scores, batch_size=1000)
    RiskLevel.objects.bulk_create(risks, batch_size=1000)
    AssessmentResult.objects.bulk_create(results, batch_size=1000)
    _catalogue(region)
    link_items(region)
    return len(profiles)


def _profiles(region: Region) -> dict[int, Profile]:
    """Each school's categories of its latest status year, and its «Школа Минпросвещения» level."""
    latest_year: dict[int, int] = {}
    statuses = list(SchoolStatus.objects.filter(region=region).order_by("school_id", "year"))
    for s in statuses:
        if s.category != Category.MINPROS:
            latest_year[s.school_id] = max(latest_year.get(s.school_id, 0), s.year)
    profiles: dict[int, Profile] = {}
    for s in statuses:
        profile = profiles.setdefault(s.school_id, Profile(categories=set(), minpros_level=""))
        if s.category == Category.MINPROS:
            profile.categories.add(s.category)
            profile.minpros_level = s.level or profile.minpros_level
        elif s.year == latest_year.get(s.school_id):
            profile.categories.add(s.category)
    return profiles


def _risk_plan(profile: Profile, rng: random.Random) -> dict[str, str]:
    """The first year's level of every factor."""
    plan = {t.code: Level.LOW for t in RISK_FACTORS}
    cats = profile.categories
    if Category.SHNOR in cats:
        pool = rng.sample(SHNOR_POOL, len(SHNOR_POOL))
        high = rng.randint(3, 5)
        for code in pool[:high]:
            plan[code] = Level.HIGH
        for code in pool[high : high + 2]:
            plan[code] = Level.MEDIUM
    if Category.SHNSU in cats:
        plan["social_conditions"] = Level.HIGH
        pool = rng.sample(SHNSU_POOL, len(SHNSU_POOL))
        for code in pool[: rng.randint(1, 2)]:
            plan[code] = Level.HIGH
        for code in pool[2:4]:
            plan[code] = max(plan[code], Level.MEDIUM, key=_rank)
    if Category.RISK in cats:
        for code in rng.sample(RISK_POOL, rng.randint(2, 4)):
            plan[code] = max(plan[code], Level.MEDIUM, key=_rank)
    if not cats & {Category.SHNOR, Category.SHNSU, Category.RISK} and rng.random() < 0.6:
        code = rng.choice(RISK_POOL)
        plan[code] = Level.MEDIUM
    return plan


def _rank(level: str) -> int:
    return {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}[level]


def _levels_of(plan: dict[str, str], steps: int) -> dict[str, str]:
    """An improving school's profile after ``steps`` years: one high factor a year becomes medium
    (never the social conditions, which the school does not change)."""
    levels = dict(plan)
    highs = [code for code, lvl in plan.items() if lvl == Level.HIGH and code != "social_conditions"]
    for code in highs[: min(steps, max(0, len(highs) - 2))]:
        levels[code] = Level.MEDIUM
    return levels


def _sd_level(profile: Profile, rng: random.Random) -> str:
    if profile.minpros_level:
        return profile.minpros_level
    cats = profile.categories
    if Category.SHNOR in cats:
        return rng.choice([SDLevel.BELOW_BASIC, SDLevel.BELOW_BASIC, SDLevel.BASIC])
    if cats & {Category.SHNSU, Category.RISK}:
        return SDLevel.BASIC
    return rng.choice([SDLevel.BASIC, SDLevel.MEDIUM])


def _self_diagnosis(
    region: Region, school_id: int, year: int, level: str, weak: set[str], rng: random.Random
) -> tuple[SelfDiagnosis, list[DirectionScore]]:
    parts = []
    for term in DIRECTIONS:
        maximum = MAX_POINTS[term.code]
        low, high = (0.25, 0.45) if term.code in weak else LEVEL_SHARES[level]
        points = min(maximum, round(maximum * rng.uniform(low, high) + 0.49))
        parts.append(
            DirectionScore(
                region=region, direction=term.code, points=Decimal(points), max_points=Decimal(maximum)
            )
        )
    unmet = rng.sample(CRITICAL, 2) if level == SDLevel.BELOW_BASIC else []
    diagnosis = SelfDiagnosis(
        region=region,
        school_id=school_id,
        year=year,
        level=level,
        total_points=sum((p.points for p in parts), Decimal(0)),
        critical_unmet=unmet,
        demo=True,
    )
    return diagnosis, parts


def _lowest_share(profile: Profile, rng: random.Random) -> float:
    cats = profile.categories
    if Category.SHNOR in cats:
        return rng.uniform(20, 32)
    if Category.SHNSU in cats:
        return rng.uniform(11, 19)
    if Category.RISK in cats:
        return rng.uniform(8, 15)
    return rng.uniform(2, 9)


def _results(
    region: Region, school_id: int, year: int, profile: Profile, share: float, size: int, rng: random.Random
) -> list[AssessmentResult]:
    rows = []
    doubtful_school = Category.RISK in profile.categories and rng.random() < 0.5
    for kind, subject, grade in SUBJECTS:
        lowest = max(0.0, share + rng.uniform(-4, 4) - (6 if kind == "ege" else 0))
        if kind == "ege":
            mean = 62 - lowest * 0.9 + rng.uniform(-4, 4)
        else:
            mean = 4.3 - lowest * 0.04 + rng.uniform(-0.15, 0.15)
        participants = max(5, round(size * rng.uniform(0.8, 1.0) * (0.5 if kind == "ege" else 1)))
        rows.append(
            AssessmentResult(
                region=region,
                school_id=school_id,
                year=year,
                kind=kind,
                subject=subject,
                grade=grade,
                participants=participants,
                lowest_share=Decimal(f"{lowest:.1f}"),
                mean_score=Decimal(f"{mean:.2f}"),
                doubtful_objectivity=doubtful_school and kind == "vpr" and rng.random() < 0.4,
                demo=True,
            )
        )
    return rows


def deficits_of(text: str) -> list[str]:
    """The deficits an item's text names by its words (demo tagging only)."""
    low = text.lower()
    return [code for code, words in KEYWORDS.items() if any(w in low for w in words)]


def _catalogue(region: Region) -> None:
    """The region's starter catalogue: items of its published regional and school plans whose
    text fits a deficit (up to three per deficit), and a few measures written for the rest."""
    Measure.objects.filter(region=region, demo=True).delete()
    items = (
        Item.objects.filter(
            region=region, roadmap__demo_anchor__isnull=True, roadmap__status=Roadmap.Status.APPROVED
        )
        .exclude(text="")
        .order_by("roadmap__level", "roadmap_id", "position")
    )
    found: dict[str, list[Item]] = {}
    seen: set[str] = set()
    for item in items:
        title = item.text.strip().rstrip(":")[:300]
        if title.lower() in seen:
            continue
        for code in deficits_of(item.text):
            if len(found.setdefault(code, [])) < MEASURES_PER_DEFICIT:
                found[code].append(item)
                seen.add(title.lower())
                break
    measures = [
        Measure(region=region, deficit=code, title=i.text.strip().rstrip(":")[:300], source_item=i, demo=True)
        for code, picked in found.items()
        for i in picked
    ]
    measures += [
        Measure(
            region=region, deficit=code, title=str(title), description=_("Записано координатором"), demo=True
        )
        for code, title in WRITTEN.items()
    ]
    Measure.objects.bulk_create(measures)


def link_items(region: Region) -> int:
    """Links the living demo's school roadmaps' items to the deficits of their school: every high
    risk and weak direction an item's words fit is covered, but one of them is left as a gap. Run again after the living demo
    rebuilds its roadmaps. Returns the number of links."""
    roadmaps = list(
        Roadmap.objects.filter(region=region, level=Roadmap.Level.SCHOOL, demo_anchor__isnull=False)
    )
    ItemDeficit.objects.filter(item__roadmap__in=roadmaps).delete()
    measures: dict[str, Measure] = {}
    for m in Measure.objects.filter(region=region, demo=True).order_by("pk"):
        measures.setdefault(m.deficit, m)
    links = []
    for roadmap in roadmaps:
        rows = RiskLevel.objects.filter(school_id=roadmap.owner_id, year__lte=roadmap.period_end.year)
        latest = max(rows.values_list("year", flat=True), default=None)
        needs = sorted(rows.filter(year=latest, level=Level.HIGH).values_list("factor", flat=True))
        diagnosis = (
            SelfDiagnosis.objects.filter(school_id=roadmap.owner_id, year__lte=roadmap.period_end.year)
            .order_by("-year")
            .first()
        )
        if diagnosis is not None:
            needs += [
                s.direction
                for s in diagnosis.scores.all()
                if s.share is not None and s.share < WEAK_DIRECTION_SHARE
            ]
        items = [(item, deficits_of(item.text)) for item in Item.objects.filter(roadmap=roadmap)]
        matched = sorted({code for _item, codes in items for code in codes if code in needs})
        if matched and len(matched) == len(needs):
            matched.remove(random.Random(roadmap.owner_id).choice(matched))
        for item, codes in items:
            links += [
                ItemDeficit(region=region, item=item, deficit=code, measure=measures.get(code))
                for code in codes
                if code in matched
            ]
    ItemDeficit.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


def link_all() -> int:
    """:func:`link_items` for every demo region (after the living demo has built its roadmaps)."""
    return sum(link_items(r) for r in Region.objects.filter(code__in=DEMO_REGIONS))
