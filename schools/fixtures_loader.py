"""Loads a region described in ``fixtures/regions/*.json`` (hierarchy, aliases, demo users).

Idempotent: rows are matched by their natural keys (region code, names), so running the demo
seed twice changes nothing. Everything is validated with ``full_clean`` and written in one
transaction — a broken fixture leaves the database as it was.
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm

from schools.models import ExecutorAlias, Membership, Municipality, Organization, Region, SchoolStatus, User

ORG_FIELDS = (
    "name",
    "kind",
    "legal_form",
    "is_rural",
    "is_small",
    "director_name",
    "address",
    "website",
    "email",
    "phone",
)


def read_fixture(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _save(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def load_region(data: dict, *, password: str | None = None) -> Region:
    r = data["region"]
    region = Region.objects.filter(code=r["code"]).first() or Region(code=r["code"])
    region.name, region.short_name, region.timezone = r["name"], r.get("short_name", ""), r["timezone"]
    _save(region)

    municipalities = {}
    for m in data.get("municipalities", []):
        obj = Municipality.objects.filter(region=region, name=m["name"]).first() or Municipality(
            region=region, name=m["name"]
        )
        obj.kind = m["kind"]
        municipalities[m["name"]] = _save(obj)

    organizations: dict[str, Organization] = {}

    def upsert_org(spec: dict, default_kind: str) -> Organization:
        obj = Organization.objects.filter(
            region=region, short_name=spec["short_name"]
        ).first() or Organization(region=region, short_name=spec["short_name"])
        for field in ORG_FIELDS:
            if field in spec:
                setattr(obj, field, spec[field])
        obj.kind = spec.get("kind", default_kind)
        obj.municipality = municipalities[spec["municipality"]] if spec.get("municipality") else None
        obj.parent = organizations[spec["parent"]] if spec.get("parent") else None
        organizations[spec["short_name"]] = _save(obj)
        return obj

    for spec in data.get("organizations", []):
        upsert_org(spec, default_kind=Organization.Kind.OTHER)
    for spec in data.get("schools", []):
        school = upsert_org(spec, default_kind=Organization.Kind.SCHOOL)
        for st in spec.get("statuses", []):
            status = SchoolStatus.objects.filter(
                school=school, year=st["year"], category=st["category"]
            ).first() or SchoolStatus(school=school, region=region, year=st["year"], category=st["category"])
            status.level, status.basis_document = st.get("level", ""), st.get("basis", "")
            _save(status)

    for a in data.get("aliases", []):
        normalized = ExecutorAlias.normalize(a["alias"])
        alias = ExecutorAlias.objects.filter(region=region, normalized=normalized).first() or ExecutorAlias(
            region=region
        )
        alias.alias = a["alias"]
        alias.organization = organizations[a["organization"]] if a.get("organization") else None
        alias.group = a.get("group", "")
        _save(alias)

    for u in data.get("users", []):
        user = User.objects.filter(username=u["username"]).first() or User(username=u["username"])
        user.full_name, user.position, user.email = u["full_name"], u.get("position", ""), u.get("email", "")
        if not user.pk:
            # Hashing is deliberately slow: existing users keep their password on a re-run.
            if password is not None:
                user.set_password(password)
            else:
                user.set_unusable_password()
        user.save()
        org = organizations[u["organization"]]
        membership = Membership.objects.filter(
            user=user, organization=org, role=u["role"]
        ).first() or Membership(user=user, organization=org, role=u["role"], region=region)
        membership.position = u.get("position", "")
        _save(membership)
        for school_name in u.get("curates", []):
            assign_perm("schools.curate_school", user, organizations[school_name])
    return region


def load_all(directory: Path, *, password: str | None = None) -> list[Region]:
    regions = []
    for path in sorted(directory.glob("*.json")):
        try:
            regions.append(load_region(read_fixture(path), password=password))
        except (KeyError, ValidationError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
    return regions
