"""A region leaves with its data: every row it owns and every file, in one zip (docs/REGION_EXPORT.md).

The export walks the model registry, not a list: a model with a ``region`` foreign key is the
region's (a new app's model travels without a change here). Users travel with the region that
refers to them; guardian's curator grants on the region's objects travel too. Ids are remapped on
import — the receiving instance has its own rows and sequences — through every foreign key, every
many-to-many, the known ids inside JSON fields (``JSON_REFERENCES``) and audit events' object ids.

Nothing here reads through the gate: this is an operator's command over a whole region, run from
the shell; it reads the base managers, so soft-deleted rows (the trash) travel as well.
"""

import datetime
import hashlib
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.translation import gettext as _

FORMAT = "roadmaps-region-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
USER_LABEL = "schools.user"
GRANTS = "guardian.userobjectpermission"
# Users carry these fields and nothing else: staff flags, groups and global permissions belong to
# the instance, not to the region (platform staff do not become staff of the receiving instance).
USER_FIELDS = (
    "username",
    "password",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "date_joined",
    "last_login",
    "full_name",
    "position",
    "phone",
    "email_reminders",
)
# Ids kept inside JSON fields: (model label, JSON field) → {key: label of the model the id is of}.
JSON_REFERENCES: dict[tuple[str, str], dict[str, str]] = {
    ("reporting.report", "params"): {
        "round": "monitoring.monitoringround",
        "municipality": "schools.municipality",
        "school": "schools.organization",
        "questionnaire": "questionnaires.questionnaire",
        "roadmap": "roadmaps.roadmap",
    },
    ("roadmaps.importdraft", "settings"): {"owner": "schools.organization", "parent": "roadmaps.roadmap"},
    ("audit.auditevent", "details"): {"organization": "schools.organization"},
}


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; an export keeps them exact."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class TransferError(Exception):
    """An export or import that cannot go on; the message is for the operator (Russian)."""


def region_models() -> list[type[models.Model]]:
    """The region and every model owning a ``region`` foreign key, parents before children."""
    region_model = apps.get_model("schools", "Region")
    owned = [
        m
        for m in apps.get_models()
        # Proxies (the trash's views) share their model's table: its rows travel once.
        if not m._meta.proxy
        and any(f.name == "region" and f.related_model is region_model for f in m._meta.concrete_fields)
    ]
    return _ordered([region_model, *owned])


def _fks(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if f.is_relation]


def _ordered(models_: list[type[models.Model]]) -> list[type[models.Model]]:
    wanted = set(models_)
    done: list[type[models.Model]] = []
    pending = list(models_)
    while pending:
        progress = False
        for model in list(pending):
            needs = {f.related_model for f in _fks(model)} & wanted - {model}
            if needs <= set(done):
                done.append(model)
                pending.remove(model)
                progress = True
        if not progress:
            raise TransferError(_("Связи моделей образуют цикл: %(models)s") % {"models": pending})
    return done


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _jsonl(records: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, cls=_Encoder, ensure_ascii=False) + "\n" for r in records).encode()


# --- Export -------------------------------------------------------------------------------------


def export_region(code: str, out: Path) -> dict[str, Any]:
    """Write the region ``code`` to the zip ``out``; return its manifest."""
    region_model = apps.get_model("schools", "Region")
    region = region_model._base_manager.filter(code=code).first()
    if region is None:
        raise TransferError(_("Региона с кодом %(code)s нет.") % {"code": code})
    user_model = get_user_model()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "region": {"code": region.code, "name": region.name},
        "models": [],
        "files": {},
    }
    user_ids: set[int] = set()
    pks: dict[str, set[Any]] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        datasets: list[tuple[str, list[dict[str, Any]]]] = []
        for model in region_models():
            qs = model._base_manager.order_by("pk")
            qs = qs.filter(pk=region.pk) if model is region_model else qs.filter(region_id=region.pk)
            records = serializers.serialize("python", qs.iterator(chunk_size=2000))
            for record in records:
                for f in _fks(model):
                    if f.related_model is user_model and record["fields"].get(f.name):
                        user_ids.add(record["fields"][f.name])
                for f in _file_fields(model):
                    name = record["fields"].get(f.name)
                    if name and f"files/{name}" not in manifest["files"]:
                        try:
                            with f.storage.open(name, "rb") as fh:
                                data = fh.read()
                        except FileNotFoundError as exc:
                            raise TransferError(
                                _("Файл %(name)s (%(model)s №%(pk)s) отсутствует в хранилище.")
                                % {"name": name, "model": model._meta.label, "pk": record["pk"]}
                            ) from exc
                        archive.writestr(f"files/{name}", data)
                        manifest["files"][f"files/{name}"] = {"sha256": _sha256(data), "size": len(data)}
            pks[model._meta.label_lower] = {r["pk"] for r in records}
            datasets.append((model._meta.label_lower, records))
        users = serializers.serialize(
            "python", user_model._base_manager.filter(pk__in=user_ids).order_by("pk"), fields=USER_FIELDS
        )
        # Platform staff and other regions' people referenced by the region's rows (who approved,
        # who reviewed) travel as names only: without a membership here they get no login there.
        members = {
            r["fields"]["user"] for _label, rs in datasets if _label == "schools.membership" for r in rs
        }
        for record in users:
            record["member"] = record["pk"] in members
        datasets.insert(1, (USER_LABEL, users))
        datasets.append((GRANTS, _grants(pks)))
        for label, records in datasets:
            data = _jsonl({k: v for k, v in r.items() if k != "model"} for r in records)
            name = f"data/{label}.jsonl"
            archive.writestr(name, data)
            manifest["models"].append(
                {"model": label, "file": name, "rows": len(records), "sha256": _sha256(data)}
            )
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def _grants(pks: dict[str, set[Any]]) -> list[dict[str, Any]]:
    """guardian object grants (curator ↔ school) on the region's objects, by natural keys."""
    from guardian.models import UserObjectPermission

    out = []
    for grant in UserObjectPermission.objects.select_related("content_type", "permission").order_by("pk"):
        label = f"{grant.content_type.app_label}.{grant.content_type.model}"
        if label in pks and int(grant.object_pk) in pks[label]:
            out.append(
                {
                    "pk": grant.pk,
                    "fields": {
                        "user": grant.user_id,
                        "permission": f"{grant.permission.content_type.app_label}.{grant.permission.codename}",
                        "model": label,
                        "object_pk": int(grant.object_pk),
                    },
                }
            )
    return out


# --- Import -------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    region_code: str
    rows: dict[str, int] = field(default_factory=dict)
    users_created: list[str] = field(default_factory=list)
    users_matched: list[str] = field(default_factory=list)
    files: int = 0


def _read(archive: zipfile.ZipFile) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise TransferError(
            _("В архиве нет %(name)s: это не выгрузка региона.") % {"name": MANIFEST}
        ) from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise TransferError(
            _("Неизвестный формат выгрузки (%(got)s), ожидается %(format)s версии %(version)s.")
            % {
                "got": f"{manifest.get('format')} {manifest.get('format_version')}",
                "format": FORMAT,
                "version": FORMAT_VERSION,
            }
        )
    data: dict[str, list[dict[str, Any]]] = {}
    for entry in manifest["models"]:
        try:
            raw = archive.read(entry["file"])
        except KeyError as exc:
            raise TransferError(_("В архиве нет файла %(name)s из описи.") % {"name": entry["file"]}) from exc
        if _sha256(raw) != entry["sha256"]:
            raise TransferError(
                _("Контрольная сумма %(name)s не совпадает с описью.") % {"name": entry["file"]}
            )
        data[entry["model"]] = [json.loads(line) for line in raw.decode().splitlines() if line]
    for name, meta in manifest["files"].items():
        try:
            raw = archive.read(name)
        except KeyError as exc:
            raise TransferError(_("В архиве нет файла %(name)s из описи.") % {"name": name}) from exc
        if _sha256(raw) != meta["sha256"]:
            raise TransferError(_("Контрольная сумма файла %(name)s не совпадает с описью.") % {"name": name})
    return manifest, data


def import_region(path: Path) -> ImportResult:
    """Load an export into this instance, all or nothing. Refuses a region that is already here."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise TransferError(
            _("Не удалось открыть архив %(path)s: %(error)s") % {"path": path, "error": exc}
        ) from exc
    with archive:
        manifest, data = _read(archive)
        region_model = apps.get_model("schools", "Region")
        code, name = manifest["region"]["code"], manifest["region"]["name"]
        if region_model._base_manager.filter(models.Q(code=code) | models.Q(name=name)).exists():
            raise TransferError(
                _(
                    "Регион %(code)s «%(name)s» уже есть в этом экземпляре: импорт отменён, ничего не изменено."
                )
                % {"code": code, "name": name}
            )
        saved: list[tuple[Any, str]] = []
        try:
            with transaction.atomic():
                result = _load(archive, manifest, data, saved)
        except BaseException:
            for storage, stored in saved:  # the rows are rolled back: so are the files
                storage.delete(stored)
            raise
    return result


def _load(
    archive: zipfile.ZipFile, manifest: dict[str, Any], data: dict[str, list[dict[str, Any]]], saved: list
) -> ImportResult:
    result = ImportResult(region_code=manifest["region"]["code"])
    ids: dict[str, dict[Any, Any]] = defaultdict(dict)
    user_model = get_user_model()
    for record in data.get(USER_LABEL, []):
        fields = record["fields"]
        user = user_model._base_manager.filter(username=fields["username"]).first()
        if user is not None:
            result.users_matched.append(user.username)
        else:
            user = next(
                serializers.deserialize("python", [{"model": USER_LABEL, "pk": None, "fields": fields}])
            ).object
            if not record.get("member"):
                user.is_active = False
                user.set_unusable_password()
            user.save()
            result.users_created.append(user.username)
        ids[USER_LABEL][record["pk"]] = user.pk
    models_by_label = {m._meta.label_lower: m for m in region_models()}
    unknown = set(data) - set(models_by_label) - {USER_LABEL, GRANTS}
    if unknown:
        raise TransferError(
            _("В выгрузке есть неизвестные модели: %(models)s.") % {"models": ", ".join(sorted(unknown))}
        )
    # Many-to-many links are set once every row exists (a question's conditions name options
    # created after it).
    later: list[tuple[models.Model, dict[str, tuple[str, list[Any]]]]] = []
    for label, model in models_by_label.items():
        records = data.get(label, [])
        result.rows[label] = len(records)
        _load_model(archive, model, records, ids, saved, later)
    for obj, relations in later:
        for name, (target, pks) in relations.items():
            getattr(obj, name).set(
                [_remap(pk, target, ids, f"{obj._meta.label_lower} №{obj.pk}") for pk in pks]
            )
    result.files = len(saved)
    _load_grants(data.get(GRANTS, []), ids)
    return result


def _remap(value: Any, label: str, ids: dict[str, dict[Any, Any]], where: str) -> Any:
    if value is None:
        return None
    try:
        return ids[label][value]
    except KeyError as exc:
        raise TransferError(
            _("%(where)s ссылается на %(model)s №%(pk)s, которого нет в выгрузке.")
            % {"where": where, "model": label, "pk": value}
        ) from exc


def _load_model(
    archive: zipfile.ZipFile,
    model: type[models.Model],
    records: list[dict[str, Any]],
    ids: dict[str, dict[Any, Any]],
    saved: list,
    later: list[tuple[models.Model, dict[str, tuple[str, list[Any]]]]],
) -> None:
    label = model._meta.label_lower
    travelling = {m._meta.label_lower for m in region_models()} | {USER_LABEL}
    deferred: list[tuple[models.Model, str, Any]] = []  # self references, set once every row exists
    objects, old_pks = [], []
    for record in records:
        fields = dict(record["fields"])
        where = f"{label} №{record['pk']}"
        for f in _fks(model):
            target = f.related_model._meta.label_lower
            if f.name not in fields:
                continue
            if target == label:
                deferred.append((len(objects), f.attname, fields.pop(f.name)))
                continue
            if target not in travelling:
                raise TransferError(
                    _("%(where)s ссылается на %(model)s, которая не переносится.")
                    % {"where": where, "model": target}
                )
            fields[f.name] = _remap(fields[f.name], target, ids, where)
        for (ref_label, json_field), keys in JSON_REFERENCES.items():
            if ref_label == label and isinstance(fields.get(json_field), dict):
                # An id of a row that no longer exists (a removed organization in an old audit
                # event) becomes null rather than pointing at somebody else's row here.
                fields[json_field] = {
                    k: (ids[keys[k]].get(_as_int(v)) if k in keys and v not in (None, "") else v)
                    for k, v in fields[json_field].items()
                }
        if label == "audit.auditevent" and fields.get("object_type", "").lower() in ids:
            old = fields.get("object_id")
            new = ids[fields["object_type"].lower()].get(int(old)) if str(old).isdigit() else None
            fields["object_id"] = str(new) if new is not None else old
        relations = {}
        for f in model._meta.many_to_many:
            if f.name in fields:
                relations[f.name] = (f.related_model._meta.label_lower, fields.pop(f.name))
        obj = next(serializers.deserialize("python", [{"model": label, "pk": None, "fields": fields}])).object
        for f in _file_fields(model):
            name = getattr(obj, f.attname).name if getattr(obj, f.attname) else ""
            if name:
                stored = f.storage.save(name, ContentFile(archive.read(f"files/{name}")))
                saved.append((f.storage, stored))
                setattr(obj, f.attname, stored)
        objects.append(obj)
        old_pks.append(record["pk"])
        later.append((obj, relations))
    # Timestamps travel as they were: auto_now fields would stamp the moment of the import.
    stamped = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    flags = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        created = model._base_manager.bulk_create(objects, batch_size=1000)
    finally:
        for f, now, now_add in flags:
            f.auto_now, f.auto_now_add = now, now_add
    for old, obj in zip(old_pks, created, strict=True):
        ids[label][old] = obj.pk
    if deferred:
        for index, attname, old in deferred:
            setattr(created[index], attname, _remap(old, label, ids, f"{label} №{old_pks[index]}"))
        model._base_manager.bulk_update(
            created, list({attname for _i, attname, _o in deferred}), batch_size=1000
        )


def _load_grants(records: list[dict[str, Any]], ids: dict[str, dict[Any, Any]]) -> None:
    """Grants go in without signals: a curator granted long ago is not a new audit event."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    grants = []
    for record in records:
        fields = record["fields"]
        app_label, codename = fields["permission"].split(".", 1)
        model = apps.get_model(fields["model"])
        grants.append(
            UserObjectPermission(
                user_id=_remap(fields["user"], USER_LABEL, ids, GRANTS),
                permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
                content_type=ContentType.objects.get_for_model(model),
                object_pk=str(_remap(fields["object_pk"], fields["model"], ids, GRANTS)),
            )
        )
    UserObjectPermission.objects.bulk_create(grants)
