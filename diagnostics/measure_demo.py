"""Demo content of the catalogue of measures by deficit: measures a coordinator would write, one
taken from the region's regional roadmap per deficit whose words an item holds, and the marks of
which deficits a school roadmap's items address (found by the same words).

For the living demo: call :func:`load_catalogue` for a region and :func:`tag_items` for its school
roadmaps after they are copied, so a coordinator opening a ШНОР school sees its roadmap's coverage
of its risk factors. Both are idempotent and write in bulk; no access checks (a seed, not a user).
"""

from diagnostics.models import ItemDeficit, Measure
from diagnostics.vocabulary import normalize
from roadmaps.models import Item, Roadmap
from schools.models import Region

# Measures written by hand: (deficit, title, explanation).
WRITTEN: tuple[tuple[str, str, str], ...] = (
    (
        "staff_shortage",
        "Наставничество для молодых педагогов и педагогов, сменивших предмет",
        "Пары «наставник — молодой учитель» на учебный год, с планом посещения уроков",
    ),
    (
        "teacher_competence",
        "Адресные курсы повышения квалификации по результатам диагностики профессиональных дефицитов",
        "",
    ),
    (
        "motivation",
        "Клуб «Учимся учиться» для обучающихся 5–7 классов",
        "Еженедельные занятия с педагогом-психологом: цели, планирование, самопроверка",
    ),
    (
        "parents",
        "Школа для родителей: как поддержать ребёнка в учёбе",
        "Встречи раз в четверть, с консультациями",
    ),
    (
        "learning_difficulties",
        "Индивидуальные образовательные маршруты для обучающихся с рисками учебной неуспешности",
        "",
    ),
    ("grading", "Согласование критериев оценивания в методических объединениях школы", ""),
    ("knowledge", "Методический десант ИРО по математике и русскому языку", ""),
    ("climate", "Школьная служба примирения и опрос о школьном климате", ""),
)

# Word stems (after ``normalize``) by which an item addresses a deficit.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "staff_shortage": ("наставнич", "молодых педагог", "молодых учител", "вакан"),
    "teacher_competence": ("повышени квалификац", "курс", "профессиональных дефицит", "компетенц"),
    "training_system": ("методическ объединен", "внутришкольн повышени"),
    "grading": ("объективност", "оценивани"),
    "motivation": ("мотивац",),
    "parents": ("родител",),
    "learning_difficulties": ("неуспешност", "индивидуальн образовательн маршрут", "отстающ"),
    "material_base": ("оснащ", "оборудован", "материально-техническ"),
}


def _stems_in(text: str) -> list[str]:
    words = normalize(text)
    found = []
    for code, stems in KEYWORDS.items():
        for stem in stems:
            parts = stem.split()
            if all(part in words for part in parts):
                found.append(code)
                break
    return found


def load_catalogue(region: Region) -> int:
    """The region's demo catalogue (once: a region that has a catalogue keeps it). Returns how
    many measures were added."""
    if Measure.objects.filter(region=region).exists():
        return 0
    rows = [Measure(region=region, deficit=d, title=t, description=e) for d, t, e in WRITTEN]
    taken: set[str] = set()
    items = Item.objects.filter(region=region, roadmap__level=Roadmap.Level.REGIONAL, removed_at__isnull=True)
    for item in items.order_by("roadmap_id", "position").only("pk", "text", "region_id"):
        for code in _stems_in(item.text):
            if code not in taken:
                taken.add(code)
                rows.append(Measure(region=region, deficit=code, title=item.text[:500], source_item=item))
    Measure.objects.bulk_create(rows)
    return len(rows)


def tag_items(roadmap: Roadmap) -> int:
    """Mark the deficits the roadmap's items address by their words. Returns the marks added."""
    existing = set(ItemDeficit.objects.filter(item__roadmap=roadmap).values_list("item_id", "deficit"))
    rows = [
        ItemDeficit(region_id=roadmap.region_id, item_id=item.pk, deficit=code)
        for item in Item.objects.filter(roadmap=roadmap, removed_at__isnull=True).only("pk", "text")
        for code in _stems_in(item.text)
        if (item.pk, code) not in existing
    ]
    ItemDeficit.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
