"""Execution-tracking objects for the URL walk and for tests."""

import datetime as dt

from monitoring.models import Evidence, ExecutionReport, Obligation
from roadmaps.models import Roadmap


def make_obligation(region_code: str) -> Obligation:
    obligation = Obligation.objects.filter(region__code=region_code).first()
    if obligation:
        return obligation
    roadmap = Roadmap.objects.filter(region__code=region_code).first()
    item = roadmap.items.first()
    executor = roadmap.owner
    return Obligation.objects.create(
        region=roadmap.region,
        roadmap=roadmap,
        item=item,
        executor=executor,
        window_start=dt.date(2023, 1, 1),
        due_date=dt.date(2023, 3, 31),
    )


def ensure_objects(region_code: str) -> None:
    if Evidence.objects.filter(region__code=region_code).exists():
        return
    obligation = make_obligation(region_code)
    report, _ = ExecutionReport.objects.get_or_create(
        obligation=obligation, defaults={"region": obligation.region}
    )
    Evidence.objects.create(
        region=obligation.region, report=report, kind="link", url="https://example.org/report"
    )
