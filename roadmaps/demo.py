"""The shipped roadmaps (fixtures/roadmaps/manifest.json) imported into the demo regions.

Each document goes through the same reader, parser and ``create_roadmap`` as an upload does; a
document already imported (same region and checksum) is skipped, so the seed can run again.
"""

import datetime as dt
import hashlib
import json
from pathlib import Path

from django.db import transaction

from roadmaps import services
from roadmaps.importing.analysis import analyse
from roadmaps.models import Item, ItemHistory, Revision, Roadmap
from schools.models import Organization, Region


@transaction.atomic
def load_manifest(directory: Path) -> list[Roadmap]:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    by_file: dict[str, Roadmap] = {}
    for entry in manifest:
        data = (directory / entry["file"]).read_bytes()
        checksum = hashlib.sha256(data).hexdigest()
        region = Region.objects.get(code=entry["region"])
        existing = Roadmap.objects.filter(region=region, source_checksum=checksum).first()
        if existing:
            by_file[entry["file"]] = existing
            continue
        parsed = services.parse_document(data)
        owner = Organization.objects.get(region=region, short_name=entry["owner"])
        period = tuple(dt.date.fromisoformat(d) for d in entry["period"])
        analysis = analyse(
            parsed,
            period=period,
            aliases=services.region_aliases(region),
            own_organization=services.own_target(entry["level"], owner),
            school_calendar=region.calendar,
        )
        roadmap = services.create_roadmap(
            actor=None,
            region=region,
            analysis=analysis,
            level=entry["level"],
            owner=owner,
            parent=by_file.get(entry.get("parent_file") or ""),
            act=entry.get("act") or parsed.get("act"),
            status=entry.get("status", Roadmap.Status.DRAFT),
            source_name=entry["file"],
            source_checksum=checksum,
        )
        for rev in entry.get("revisions", []):
            _add_revision(roadmap, rev)
        by_file[entry["file"]] = roadmap
    return list(by_file.values())


def _add_revision(roadmap: Roadmap, rev: dict) -> None:
    revision = Revision.objects.create(
        region=roadmap.region,
        roadmap=roadmap,
        act_kind=rev["kind"],
        act_number=rev["number"],
        act_date=dt.date.fromisoformat(rev["date"]),
        act_issuer=rev.get("issuer", ""),
        summary=rev.get("summary", ""),
    )
    top = Item.objects.filter(roadmap=roadmap, parent__isnull=True)
    Item.objects.filter(pk__in=top.filter(number__in=rev.get("added_items", [])).values("pk")).update(
        added_by=revision
    )
    for item in top.filter(number__in=rev.get("changed_items", [])):
        # The published text is the amended one; what it replaced is not in the document.
        ItemHistory.objects.create(
            region=roadmap.region,
            item=item,
            revision=revision,
            action="changed",
            changes={},
            comment="Пункт изложен в новой редакции",
        )
