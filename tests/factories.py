"""Small builders for tests that need objects the demo seed does not have."""

import datetime as dt

from roadmaps import services
from roadmaps.importing.analysis import analyse
from roadmaps.models import ImportDraft, Revision, Roadmap
from schools.models import Organization, Region, User

SIMPLE_ITEMS = [
    (
        "1.",
        "Вебинар для муниципальных координаторов",
        "Март 2023г.",
        "Проведен вебинар",
        "Письмо, список участников",
        "ТОИПКРО",
    ),
    (
        "2.",
        "Информационное сопровождение ШНОР",
        "Ежемесячно",
        "не менее 2 новостей в месяц",
        "Ссылки",
        "МОУО",
    ),
    (
        "3.",
        "Анализ результатов",
        "когда получится",
        "Аналитическая справка",
        "Справка",
        "ТОИПКРО, Неизвестный отдел",
    ),
]


def parsed_plan(items=SIMPLE_ITEMS, title="Тестовая дорожная карта на 2023 год") -> dict:
    return {
        "title": title,
        "period": ["2023-01-01", "2023-12-31"],
        "act": {},
        "sections": [
            {
                "title": "Организационная деятельность",
                "items": [
                    {
                        "key": str(n),
                        "number": number,
                        "text": text,
                        "schedule": schedule,
                        "indicator": indicator,
                        "result": result,
                        "executors": executors,
                        "row": n + 1,
                        "children": [],
                    }
                    for n, (number, text, schedule, indicator, result, executors) in enumerate(items, start=1)
                ],
            }
        ],
        "notes": [],
        "warnings": [],
    }


def make_roadmap(
    region_code: str,
    *,
    owner: str | None = None,
    level: str = "regional",
    status: str = "draft",
    items=SIMPLE_ITEMS,
) -> Roadmap:
    region = Region.objects.get(code=region_code)
    if owner:
        org = Organization.objects.get(region=region, short_name=owner)
    else:
        org = Organization.objects.filter(region=region, kind=Organization.Kind.DEPARTMENT).first()
    analysis = analyse(
        parsed_plan(items),
        period=(dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        aliases=services.region_aliases(region),
    )
    return services.create_roadmap(
        actor=None, region=region, analysis=analysis, level=level, owner=org, status=status
    )


def make_revision(roadmap: Roadmap) -> Revision:
    return Revision.objects.create(
        region=roadmap.region,
        roadmap=roadmap,
        act_kind="приказ",
        act_number="1",
        act_date=dt.date(2023, 6, 1),
    )


def make_draft(region_code: str) -> ImportDraft:
    region = Region.objects.get(code=region_code)
    user = User.objects.filter(memberships__region=region, memberships__role="coordinator").first()
    return ImportDraft.objects.create(
        region=region,
        created_by=user,
        source_name="plan.docx",
        source_checksum="0" * 64,
        parsed=parsed_plan(),
        settings={"period": ["2023-01-01", "2023-12-31"], "manual_dates": {}},
    )


def ensure_objects(region_code: str) -> None:
    """One object of every roadmap model the URL walk needs, in the given region."""
    roadmap = Roadmap.objects.filter(region__code=region_code).first() or make_roadmap(region_code)
    if not Revision.objects.filter(region__code=region_code).exists():
        make_revision(roadmap)
    if not ImportDraft.objects.filter(region__code=region_code).exists():
        make_draft(region_code)
