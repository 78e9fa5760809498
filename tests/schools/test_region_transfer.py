"""A region leaves with its data: `export_region` then `import_region` gives back every row (by
content, since ids are remapped) and every file (by checksum); a region already present is
refused with nothing changed.

The round trip runs in one database: the demo region 70 is exported, then every row it owns (and
the users who belong to it alone) is deleted, then the archive is imported. Rows are compared by a
fingerprint that follows foreign keys to the fingerprint of the row they point at, so a remapped id
compares equal and a wrong link does not. Region 68 must not change at all.
"""

import hashlib
import json
import zipfile
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from audit.models import AuditEvent
from schools.models import Membership, Region, User
from schools.region_transfer import JSON_REFERENCES, USER_FIELDS, region_models


class Fingerprints:
    """Content hashes of rows, with ids replaced by the hashes of the rows they name."""

    def __init__(self) -> None:
        self.memo: dict[tuple[str, Any], str] = {}

    def of(self, model: type[models.Model], pk: Any) -> str:
        label = model._meta.label_lower
        if pk is None:
            return "-"
        key = (label, pk)
        if key not in self.memo:
            self.memo[key] = "…"  # a self reference cannot recurse forever
            self.memo[key] = self._compute(model, model._base_manager.get(pk=pk))
        return self.memo[key]

    def _compute(self, model: type[models.Model], obj: models.Model) -> str:
        label = model._meta.label_lower
        if model is User:
            return "user:" + json.dumps([str(getattr(obj, f)) for f in USER_FIELDS if f != "last_login"])
        out: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            value = getattr(obj, f.attname)
            if f.is_relation:
                out[f.name] = self.of(f.related_model, value)
            elif isinstance(f, models.FileField):
                out[f.name] = hashlib.sha256(value.read()).hexdigest() if value else ""
                if value:
                    value.close()
            else:
                out[f.name] = value
        for (ref_label, json_field), keys in JSON_REFERENCES.items():
            if ref_label == label and isinstance(out.get(json_field), dict):
                from django.apps import apps

                out[json_field] = {
                    k: self.of(apps.get_model(keys[k]), int(v))
                    if k in keys and v and apps.get_model(keys[k])._base_manager.filter(pk=int(v)).exists()
                    else (None if k in keys else v)
                    for k, v in out[json_field].items()
                }
        if label == "audit.auditevent" and obj.object_type and obj.object_id.isdigit():
            from django.apps import apps

            target = apps.get_model(obj.object_type)
            if target._base_manager.filter(pk=int(obj.object_id)).exists():
                out["object_id"] = self.of(target, int(obj.object_id))
        for f in model._meta.many_to_many:
            out[f.name] = sorted(
                self.of(f.related_model, pk) for pk in getattr(obj, f.name).values_list("pk", flat=True)
            )
        return hashlib.sha256(json.dumps(out, sort_keys=True, default=str).encode()).hexdigest()


def region_content(code: str) -> dict[str, list[str]]:
    region = Region.objects.get(code=code)
    prints = Fingerprints()
    content: dict[str, list[str]] = {}
    for model in region_models():
        qs = (
            model._base_manager.filter(pk=region.pk)
            if model is Region
            else model._base_manager.filter(region=region)
        )
        content[model._meta.label_lower] = sorted(
            prints.of(model, pk) for pk in qs.values_list("pk", flat=True)
        )
    members = Membership.objects.filter(region=region).values_list("user_id", flat=True)
    content["members"] = sorted(prints.of(User, pk) for pk in set(members))
    from guardian.models import UserObjectPermission

    grants = []
    for grant in UserObjectPermission.objects.select_related("content_type", "permission"):
        target = grant.content_type.model_class()
        obj = target._base_manager.filter(pk=int(grant.object_pk)).first()
        if obj is not None and getattr(obj, "region_id", None) == region.pk:
            grants.append(
                f"{prints.of(User, grant.user_id)} {grant.permission.codename} {prints.of(target, obj.pk)}"
            )
    content["grants"] = sorted(grants)
    return content


def delete_region(code: str) -> list[str]:
    """Every row of the region, the users who belong to it alone, and grants on its objects."""
    from guardian.models import UserObjectPermission

    region = Region.objects.get(code=code)
    own_users = set(Membership.objects.filter(region=region).values_list("user_id", flat=True))
    elsewhere = set(Membership.objects.exclude(region=region).values_list("user_id", flat=True))
    alone = own_users - elsewhere
    names = list(User.objects.filter(pk__in=alone).values_list("username", flat=True))
    for model in reversed(region_models()):
        if model is Region:
            continue
        for f in model._meta.concrete_fields:  # self references first, so PROTECT does not object
            if f.is_relation and f.related_model is model and f.null:
                model._base_manager.filter(region=region).update(**{f.name: None})
        model._base_manager.filter(region=region).delete()
    UserObjectPermission.objects.filter(user_id__in=alone).delete()
    AuditEvent.objects.filter(region=region).delete()  # «роль снята» written while memberships went
    region.delete()
    User.objects.filter(pk__in=alone).delete()
    return names


def forget_generated_reports_whose_files_are_gone() -> None:
    """Built reports are files other tests of the session may have removed (retention, trash and
    storage checks); the export rightly refuses a row whose file is missing, so such rows go first."""
    from django.core.files.storage import default_storage

    from reporting.models import Report

    gone = [r.pk for r in Report._base_manager.exclude(file="") if not default_storage.exists(r.file.name)]
    Report._base_manager.filter(pk__in=gone).delete()


def test_it_brings_a_region_back_with_every_row_and_file(db, tmp_path):
    forget_generated_reports_whose_files_are_gone()
    before, other_before = region_content("70"), region_content("68")
    assert before["monitoring.evidence"] and before["roadmaps.item"] and before["questionnaires.answer"]
    assert before["grants"] and before["members"]
    archive = tmp_path / "region-70.zip"
    call_command("export_region", "70", out=str(archive))

    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["format_version"] == 1 and manifest["region"]["code"] == "70"
        assert manifest["files"], "the demo's evidence files travel with the region"
        for name, meta in manifest["files"].items():
            assert hashlib.sha256(z.read(name)).hexdigest() == meta["sha256"]

    gone = delete_region("70")
    assert gone and not Region.objects.filter(code="70").exists()
    call_command("import_region", str(archive))

    assert region_content("70") == before
    assert region_content("68") == other_before
    # The region's own people can log in again with their passwords; staff flags did not travel.
    back = User.objects.get(username=gone[0])
    assert back.is_active and back.has_usable_password() and not back.is_staff


def test_it_refuses_a_region_that_is_already_here(db, tmp_path):
    archive = tmp_path / "region-68.zip"
    call_command("export_region", "68", out=str(archive))
    rows = Membership.objects.count()
    with pytest.raises(CommandError, match="уже есть"):
        call_command("import_region", str(archive))
    assert Membership.objects.count() == rows


def test_it_refuses_an_archive_altered_after_export(db, tmp_path):
    archive = tmp_path / "region-68.zip"
    call_command("export_region", "68", out=str(archive))
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(altered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "data/roadmaps.item.jsonl":
                data = data.replace(b'"number": "1', b'"number": "9', 1)
            dst.writestr(info, data)
    delete_region("68")
    with pytest.raises(CommandError, match="roadmaps.item.jsonl"):
        call_command("import_region", str(altered))
    assert not Region.objects.filter(code="68").exists()


def test_it_rolls_back_everything_when_a_row_cannot_be_loaded(db, tmp_path):
    archive = tmp_path / "region-68.zip"
    call_command("export_region", "68", out=str(archive))
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(broken, "w") as dst:
        manifest = json.loads(src.read("manifest.json"))
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "data/monitoring.obligation.jsonl":
                first, rest = data.split(b"\n", 1)
                record = json.loads(first)
                record["fields"]["item"] = 10**9  # an item the archive does not hold
                data = json.dumps(record, ensure_ascii=False).encode() + b"\n" + rest
                entry = next(e for e in manifest["models"] if e["file"] == info.filename)
                entry["sha256"] = hashlib.sha256(data).hexdigest()
            if info.filename != "manifest.json":
                dst.writestr(info, data)
        dst.writestr("manifest.json", json.dumps(manifest))
    delete_region("68")
    with pytest.raises(CommandError, match="monitoring.obligation"):
        call_command("import_region", str(broken))
    assert not Region.objects.filter(code="68").exists()
    assert not Membership.objects.filter(organization__name__icontains="Тамбов").exists()
