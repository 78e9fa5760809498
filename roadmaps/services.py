"""Writes for roadmaps: import, item edits with history, approval, revisions.

Each write is one transaction and checks the gate itself, so a view, a command or a task cannot
skip it. An import is all or nothing: an error leaves no roadmap, section or item behind.
"""

import datetime as dt
import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import uploads
from roadmaps import rules
from roadmaps.importing.analysis import analyse, parse_manual_dates
from roadmaps.importing.executors import AliasTarget, resolve_executors
from roadmaps.importing.structure import parse_tables
from roadmaps.importing.tables import read_tables
from roadmaps.indicators import parse_indicator
from roadmaps.models import (
    ControlDate,
    ImportDraft,
    Item,
    ItemExecutor,
    ItemHistory,
    Revision,
    Roadmap,
    Section,
)
from roadmaps.schedule import parse_schedule
from schools import access
from schools.models import ExecutorAlias, Organization, Region, User

# Called (inside the transaction) after an approved roadmap's items or status change; execution
# tracking registers here to regenerate obligations, so roadmaps need not know about it.
ON_ROADMAP_CHANGED: list = []


def _roadmap_changed(roadmap: Roadmap) -> None:
    for hook in ON_ROADMAP_CHANGED:
        hook(roadmap)


# Who the items reach is execution tracking's knowledge; it registers one function here taking a
# roadmap and returning {"obligations": n, "executors": n, "unmatched": {item_id: [executor text]}}.
ASSIGNMENT_PREVIEW: list = []


def assignment_preview(roadmap: Roadmap, with_counts: bool = True) -> dict | None:
    """What approving (or having approved) the roadmap assigns: obligations and executors
    (``with_counts``), and items whose group executor («руководители ШНОР») matches no
    organization in its years."""
    return ASSIGNMENT_PREVIEW[0](roadmap, with_counts=with_counts) if ASSIGNMENT_PREVIEW else None


def region_aliases(region: Region) -> list[AliasTarget]:
    """The region's executor aliases plus every organization's own short and full name."""
    rows = ExecutorAlias.objects.filter(region=region).select_related("organization")
    targets = [
        AliasTarget(
            alias=a.alias,
            organization_id=a.organization_id,
            organization=a.organization.short_name if a.organization else "",
            group=a.group,
        )
        for a in rows
    ]
    known = {ExecutorAlias.normalize(t.alias) for t in targets}
    for org in (
        Organization.objects.filter(region=region)
        .exclude(kind=Organization.Kind.SCHOOL)
        .only("pk", "short_name", "name")
    ):
        for name in (org.short_name, org.name):
            if ExecutorAlias.normalize(name) not in known:
                known.add(ExecutorAlias.normalize(name))
                targets.append(AliasTarget(alias=name, organization_id=org.pk, organization=org.short_name))
    return targets


def own_target(level: str, owner: Organization | None) -> AliasTarget | None:
    if level == Roadmap.Level.SCHOOL and owner is not None:
        return AliasTarget(alias=owner.short_name, organization_id=owner.pk, organization=owner.short_name)
    return None


def parse_document(data: bytes) -> dict:
    """DOCX/XLSX bytes → the plan's structure as a dict; ``ReadError`` with a Russian message."""
    return parse_tables(read_tables(data)).to_dict()


def default_period(parsed: dict) -> tuple[dt.date, dt.date] | None:
    if parsed.get("period"):
        start, end = parsed["period"]
        return dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return None


def guess_level(parsed: dict) -> str:
    title = (parsed.get("title") or "").lower()
    if "школьн" in title:
        return Roadmap.Level.SCHOOL
    if "муниципальн" in title and "региональн" not in title:
        return Roadmap.Level.MUNICIPAL
    return Roadmap.Level.REGIONAL


OWNER_LEVEL = {
    Organization.Kind.DEPARTMENT: Roadmap.Level.REGIONAL,
    Organization.Kind.INSTITUTE: Roadmap.Level.REGIONAL,
    Organization.Kind.MUNICIPAL_AUTHORITY: Roadmap.Level.MUNICIPAL,
    Organization.Kind.METHODICAL_CENTRE: Roadmap.Level.MUNICIPAL,
    Organization.Kind.SCHOOL: Roadmap.Level.SCHOOL,
}


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", ExecutorAlias.normalize(text or "")))


def guess_owner(region: Region, act: dict) -> Organization | None:
    """The organization that issued the approving act, read from the document: «Департамент
    общего образования Томской области» → ДОО ТО, «МАОУ СОШ № 44» → МАОУ СОШ № 44 г. Томска.
    An exact name or alias wins; otherwise the one organization whose name holds every word of
    the issuer. None when nothing or more than one matches — the coordinator then chooses."""
    issuer = (act or {}).get("issuer") or ""
    words = _words(issuer)
    if not words:
        return None
    alias = (
        ExecutorAlias.objects.filter(region=region, normalized=ExecutorAlias.normalize(issuer))
        .exclude(organization=None)
        .select_related("organization")
        .first()
    )
    if alias:
        return alias.organization
    candidates = []
    for org in Organization.objects.filter(region=region, kind__in=list(OWNER_LEVEL)):
        names = [_words(org.short_name), _words(org.name)]
        if words in names:
            return org
        if any(words <= n for n in names):
            candidates.append(org)
    return candidates[0] if len(candidates) == 1 else None


def import_duplicates(draft: ImportDraft, user: User) -> list[Roadmap]:
    """Roadmaps the user can see that this upload repeats: the same file, or the same approving
    act (number and date) in the region."""
    act = draft.settings.get("act") or {}
    same = Q(source_checksum=draft.source_checksum)
    if act.get("number") and act.get("date"):
        same |= Q(act_number=act["number"], act_date=act["date"])
    return list(Roadmap.objects.visible_to(user).filter(same, region=draft.region).order_by("pk"))


def check_upload(name: str, data: bytes) -> None:
    """The one upload check (size, name, archive limits, content), narrowed to DOCX and XLSX."""
    try:
        uploads.check_upload(name, data, kinds=uploads.OFFICE_KINDS)
    except uploads.UploadRejected as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def do_create_import_draft(*, actor: User, region: Region, name: str, data: bytes) -> ImportDraft:
    access.require(actor, rules.IMPORT_ROADMAP, region)
    check_upload(name, data)
    parsed = parse_document(data)  # ReadError propagates: nothing is saved
    period = default_period(parsed)
    level = guess_level(parsed)
    owner = guess_owner(region, parsed.get("act") or {})
    if owner is not None and owner.kind not in Roadmap.OWNER_KINDS[level]:
        level = OWNER_LEVEL[owner.kind]  # the issuer knows better than the title's wording
    settings = {
        "level": level,
        "period": [period[0].isoformat(), period[1].isoformat()] if period else None,
        "title": parsed.get("title", ""),
        "act": parsed.get("act") or {},
        "owner": owner.pk if owner else None,
        "parent": None,
        "manual_dates": {},
    }
    return ImportDraft.objects.create(
        region=region,
        created_by=actor,
        source_name=name[:255],
        source_checksum=hashlib.sha256(data).hexdigest(),
        parsed=parsed,
        settings=settings,
    )


def draft_analysis(draft: ImportDraft) -> dict | None:
    period = draft.settings.get("period")
    if not period:
        return None
    owner_id = draft.settings.get("owner")
    owner = Organization.objects.filter(region=draft.region, pk=owner_id).first() if owner_id else None
    return analyse(
        draft.parsed,
        period=(dt.date.fromisoformat(period[0]), dt.date.fromisoformat(period[1])),
        aliases=region_aliases(draft.region),
        manual_dates=draft.settings.get("manual_dates", {}),
        own_organization=own_target(draft.settings.get("level", ""), owner),
    )


def _require_open(draft: ImportDraft) -> None:
    if draft.roadmap_id:
        raise ValidationError(_("Этот импорт уже подтверждён: дорожная карта создана."))


@transaction.atomic
def do_update_import_settings(*, actor: User, draft: ImportDraft, values: dict) -> ImportDraft:
    access.require(actor, rules.IMPORT_ROADMAP, draft.region)
    _require_open(draft)
    draft.settings.update(values)
    draft.save(update_fields=["settings"])
    return draft


@transaction.atomic
def do_set_manual_dates(*, actor: User, draft: ImportDraft, key: str, text: str) -> ImportDraft:
    access.require(actor, rules.IMPORT_ROADMAP, draft.region)
    _require_open(draft)
    keys = {
        i["key"]
        for s in draft.parsed["sections"]
        for top in s["items"]
        for i in [top, *top.get("children", [])]
    }
    if key not in keys:
        raise ValidationError(_("Такого мероприятия нет в загруженном плане."))
    manual = draft.settings.setdefault("manual_dates", {})
    if text.strip():
        manual[key] = [list(w) for w in parse_manual_dates(text)]  # ManualDatesError is a ValueError
    else:
        manual.pop(key, None)
    draft.save(update_fields=["settings"])
    return draft


@transaction.atomic
def do_confirm_import(*, actor: User, draft: ImportDraft) -> Roadmap:
    access.require(actor, rules.IMPORT_ROADMAP, draft.region)
    _require_open(draft)
    s = draft.settings
    if not s.get("period"):
        raise ValidationError(_("Укажите период дорожной карты."))
    if not s.get("owner"):
        raise ValidationError(_("Выберите организацию — владельца дорожной карты."))
    owner = Organization.objects.filter(region=draft.region, pk=s["owner"]).first()
    parent = Roadmap.objects.filter(region=draft.region, pk=s["parent"]).first() if s.get("parent") else None
    analysis = draft_analysis(draft)
    roadmap = create_roadmap(
        actor=actor,
        region=draft.region,
        analysis=analysis,
        level=s["level"],
        owner=owner,
        parent=parent,
        title=s.get("title") or analysis["title"],
        act=s.get("act") or {},
        source_name=draft.source_name,
        source_checksum=draft.source_checksum,
    )
    draft.roadmap = roadmap
    draft.save(update_fields=["roadmap"])
    return roadmap


def _act_date(act: dict) -> dt.date | None:
    return dt.date.fromisoformat(act["date"]) if act.get("date") else None


@transaction.atomic
def create_roadmap(
    *,
    actor: User | None,
    region: Region,
    analysis: dict,
    level: str,
    owner: Organization | None,
    parent: Roadmap | None = None,
    title: str = "",
    act: dict | None = None,
    status: str = Roadmap.Status.DRAFT,
    source_name: str = "",
    source_checksum: str = "",
) -> Roadmap:
    """Save an analysed plan as a roadmap with its sections, items, dates and executors."""
    act = act or {}
    start, end = (dt.date.fromisoformat(d) for d in analysis["period"])
    if owner is None:
        raise ValidationError({"owner": _("Выберите организацию — владельца дорожной карты.")})
    roadmap = Roadmap(
        region=region,
        level=level,
        owner=owner,
        parent=parent,
        title=(title or analysis["title"] or _("Дорожная карта")).strip(),
        period_start=start,
        period_end=end,
        status=status,
        act_kind=act.get("kind", ""),
        act_number=act.get("number", ""),
        act_date=_act_date(act),
        act_issuer=act.get("issuer", ""),
        source_name=source_name,
        source_checksum=source_checksum,
        created_by=actor,
    )
    if status == Roadmap.Status.APPROVED:
        roadmap.approved_at, roadmap.approved_by = timezone.now(), actor
    roadmap.full_clean()
    roadmap.save()
    position = 0
    dates, executors, history = [], [], []
    for s_pos, section_data in enumerate(analysis["sections"], start=1):
        section = Section.objects.create(
            region=region, roadmap=roadmap, position=s_pos, title=section_data["title"]
        )
        for top in section_data["items"]:
            for data, parent_item in [(top, None)] + [(c, "top") for c in top["children"]]:
                position += 1
                item = _new_item(roadmap, section, data, position)
                if parent_item is None:
                    top_item = item
                else:
                    item.parent = top_item
                item.save()
                dates += _control_dates(item, data["schedule"]["windows"])
                executors += _executors(item, data["executors"])
                history.append(
                    ItemHistory(region=region, item=item, user=actor, action="created", changes={})
                )
    ControlDate.objects.bulk_create(dates)
    ItemExecutor.objects.bulk_create(executors)
    ItemHistory.objects.bulk_create(history)
    if status == Roadmap.Status.APPROVED:
        _roadmap_changed(roadmap)
    return roadmap


def _new_item(roadmap: Roadmap, section: Section, data: dict, position: int) -> Item:
    schedule, indicator = data["schedule"], data["indicator"]
    value = indicator.get("value")
    return Item(
        region=roadmap.region,
        roadmap=roadmap,
        section=section,
        position=position,
        number=data["number"],
        text=data["text"],
        schedule_text=schedule["text"],
        schedule_kind=schedule["kind"],
        schedule_understood=schedule["understood"],
        schedule_note=(schedule.get("note") or "")[:300],
        indicator_text=indicator.get("text", ""),
        target_value=value if value not in (None, "") else None,
        target_unit=(indicator.get("unit") or "")[:100],
        target_comparator=indicator.get("comparator") or "=",
        target_per=indicator.get("per") or "",
        result_text=data["result"],
        executors_text=data["executors_text"],
    )


def _control_dates(item: Item, windows: list[dict]) -> list[ControlDate]:
    seen, rows = set(), []
    for w in windows:
        key = (w["start"], w["due"])
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            ControlDate(
                region=item.region,
                item=item,
                window_start=dt.date.fromisoformat(w["start"]),
                due_date=dt.date.fromisoformat(w["due"]),
            )
        )
    return rows


def _executors(item: Item, executors: list[dict]) -> list[ItemExecutor]:
    return [
        ItemExecutor(
            region=item.region,
            item=item,
            position=n,
            text=e["text"][:500],
            organization_id=e.get("organization_id"),
            group=e.get("group", ""),
            persons=(e.get("persons") or "")[:300],
        )
        for n, e in enumerate(executors)
    ]


# --- Editing ----------------------------------------------------------------------------------

EDITABLE = ("number", "text", "schedule_text", "indicator_text", "result_text", "executors_text")


@transaction.atomic
def do_update_item(
    *,
    actor: User,
    item: Item,
    values: dict,
    manual_dates: str = "",
    revision: Revision | None = None,
    comment: str = "",
) -> Item:
    """Change an item, re-read what changed (dates, target, executors) and record the history."""
    access.require(actor, rules.EDIT_ROADMAP, item)
    if revision is not None and revision.roadmap_id != item.roadmap_id:
        raise ValidationError({"revision": _("Редакция относится к другой дорожной карте.")})
    item = Item.objects.select_for_update().get(pk=item.pk)
    roadmap = item.roadmap
    changes = {}
    for field in EDITABLE:
        if field in values and (values[field] or "") != getattr(item, field):
            changes[field] = [getattr(item, field), values[field] or ""]
            setattr(item, field, values[field] or "")
    if not item.text.strip():
        raise ValidationError({"text": _("Текст мероприятия не может быть пустым.")})
    old_dates = [(c.window_start.isoformat(), c.due_date.isoformat()) for c in item.control_dates.all()]
    if manual_dates.strip():
        windows = [{"start": s, "due": d} for s, d in parse_manual_dates(manual_dates)]
        item.schedule_kind, item.schedule_understood, item.schedule_note = (
            Item.ScheduleKind.MANUAL,
            True,
            _("Даты заданы вручную"),
        )
        _replace_dates(item, windows)
    elif "schedule_text" in changes or (
        item.schedule_kind == Item.ScheduleKind.MANUAL and values.get("reset_dates")
    ):
        _reparse_schedule(item)
    if "indicator_text" in changes:
        parsed = parse_indicator(item.indicator_text)
        item.target_value, item.target_unit = parsed.value, parsed.unit[:100]
        item.target_comparator, item.target_per = parsed.comparator, parsed.per
    if "executors_text" in changes:
        item.executors.all().delete()
        ItemExecutor.objects.bulk_create(
            _executors(
                item,
                [e.to_dict() for e in resolve_executors(item.executors_text, region_aliases(roadmap.region))],
            )
        )
    new_dates = [(c.window_start.isoformat(), c.due_date.isoformat()) for c in item.control_dates.all()]
    if new_dates != old_dates:
        changes["control_dates"] = [[f"{s}…{d}" for s, d in old_dates], [f"{s}…{d}" for s, d in new_dates]]
    if not changes:
        return item
    item.full_clean()
    item.save()
    ItemHistory.objects.create(
        region=item.region,
        item=item,
        revision=revision,
        user=actor,
        action="changed",
        changes=changes,
        comment=comment,
    )
    if roadmap.status == Roadmap.Status.APPROVED and ({"executors_text", "control_dates"} & changes.keys()):
        _roadmap_changed(roadmap)
    return item


@transaction.atomic
def do_create_item(
    *,
    actor: User,
    roadmap: Roadmap,
    text: str,
    number: str = "",
    section: Section | None = None,
    parent: Item | None = None,
    schedule_text: str = "",
    indicator_text: str = "",
    result_text: str = "",
    executors_text: str = "",
    manual_dates: str = "",
    revision: Revision | None = None,
) -> Item:
    """Add an item (e.g. «дополнены п.п. 9, 10») at the end of its section or parent item."""
    access.require(actor, rules.EDIT_ROADMAP, roadmap)
    if not text.strip():
        raise ValidationError({"text": _("Текст мероприятия не может быть пустым.")})
    for obj, field in ((section, "section"), (parent, "parent"), (revision, "revision")):
        if obj is not None and obj.roadmap_id != roadmap.pk:
            raise ValidationError({field: _("Относится к другой дорожной карте.")})
    if parent is not None:
        section = parent.section
        siblings = Item.objects.filter(Q(pk=parent.pk) | Q(parent=parent))
    elif section is not None:
        siblings = Item.objects.filter(roadmap=roadmap, section=section)
    else:
        siblings = Item.objects.filter(roadmap=roadmap)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    position = (siblings.aggregate(p=Max("position"))["p"] or 0) + 1
    # Make room: items after the insertion point move down by one.
    Item.objects.filter(roadmap=roadmap, position__gte=position).update(position=F("position") + 1)
    parsed_indicator = parse_indicator(indicator_text)
    item = Item(
        region=roadmap.region,
        roadmap=roadmap,
        section=section,
        parent=parent,
        position=position,
        number=number.strip(),
        text=text.strip(),
        schedule_text=schedule_text.strip(),
        indicator_text=indicator_text.strip(),
        target_value=parsed_indicator.value,
        target_unit=parsed_indicator.unit[:100],
        target_comparator=parsed_indicator.comparator,
        target_per=parsed_indicator.per,
        result_text=result_text.strip(),
        executors_text=executors_text.strip(),
        added_by=revision,
    )
    item.full_clean()
    item.save()
    if manual_dates.strip():
        windows = [{"start": s, "due": d} for s, d in parse_manual_dates(manual_dates)]
        item.schedule_kind, item.schedule_understood = Item.ScheduleKind.MANUAL, True
        item.schedule_note = _("Даты заданы вручную")
        _replace_dates(item, windows)
    else:
        _reparse_schedule(item)
    item.save()
    ItemExecutor.objects.bulk_create(
        _executors(
            item,
            [e.to_dict() for e in resolve_executors(item.executors_text, region_aliases(roadmap.region))],
        )
    )
    ItemHistory.objects.create(
        region=roadmap.region, item=item, revision=revision, user=actor, action="created", changes={}
    )
    if roadmap.status == Roadmap.Status.APPROVED:
        _roadmap_changed(roadmap)
    return item


def _replace_dates(item: Item, windows: list[dict]) -> None:
    item.control_dates.all().delete()
    ControlDate.objects.bulk_create(_control_dates(item, windows))


def _reparse_schedule(item: Item) -> None:
    roadmap = item.roadmap
    text = item.schedule_text or (item.parent.schedule_text if item.parent_id else "")
    parsed = parse_schedule(text, roadmap.period_start, roadmap.period_end)
    item.schedule_kind, item.schedule_understood = parsed.kind.value, parsed.understood
    item.schedule_note = parsed.note[:300]
    _replace_dates(item, [w.to_dict() for w in parsed.windows])


@transaction.atomic
def do_approve_roadmap(*, actor: User, roadmap: Roadmap) -> Roadmap:
    access.require(actor, rules.APPROVE_ROADMAP, roadmap)
    if roadmap.status == Roadmap.Status.APPROVED:
        raise ValidationError(_("Дорожная карта уже утверждена."))
    if roadmap.status == Roadmap.Status.ARCHIVED:
        raise ValidationError(_("Дорожная карта в архиве; утвердить её нельзя."))
    unknown = roadmap.items.filter(schedule_understood=False).count()
    if unknown:
        raise ValidationError(
            ngettext(
                "Нельзя утвердить: у %(n)s мероприятия не распознаны сроки. Задайте даты вручную.",
                "Нельзя утвердить: у %(n)s мероприятий не распознаны сроки. Задайте даты вручную.",
                unknown,
            )
            % {"n": unknown}
        )
    roadmap.status, roadmap.approved_at, roadmap.approved_by = Roadmap.Status.APPROVED, timezone.now(), actor
    roadmap.save(update_fields=["status", "approved_at", "approved_by"])
    _roadmap_changed(roadmap)
    return roadmap


@transaction.atomic
def do_archive_roadmap(*, actor: User, roadmap: Roadmap) -> Roadmap:
    access.require(actor, rules.APPROVE_ROADMAP, roadmap)
    roadmap.status = Roadmap.Status.ARCHIVED
    roadmap.save(update_fields=["status"])
    return roadmap


@transaction.atomic
def do_add_revision(
    *,
    actor: User,
    roadmap: Roadmap,
    act_kind: str,
    act_number: str,
    act_date: dt.date,
    act_issuer: str = "",
    summary: str = "",
    added_numbers: list[str] | None = None,
) -> Revision:
    """Record an amending act; items it added are marked, later item edits may cite it."""
    access.require(actor, rules.EDIT_ROADMAP, roadmap)
    revision = Revision(
        region=roadmap.region,
        roadmap=roadmap,
        act_kind=act_kind.strip(),
        act_number=act_number.strip(),
        act_date=act_date,
        act_issuer=act_issuer.strip(),
        summary=summary.strip(),
        created_by=actor,
    )
    revision.full_clean()
    revision.save()
    if added_numbers:
        wanted = {n.strip().rstrip(".") for n in added_numbers if n.strip()}
        items = [i for i in roadmap.items.all() if i.number.rstrip(".") in wanted]
        missing = wanted - {i.number.rstrip(".") for i in items}
        if missing:
            raise ValidationError(
                {
                    "added_numbers": _("В дорожной карте нет пунктов: %(n)s.")
                    % {"n": ", ".join(sorted(missing))}
                }
            )
        Item.objects.filter(pk__in=[i.pk for i in items]).update(added_by=revision)
    return revision
