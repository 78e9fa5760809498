"""Builders for audit-log tests, and the URL walk's audit events in both regions."""

from audit.models import AuditEvent
from schools.models import Organization, Region


def make_event(region_code: str, *, action: str = AuditEvent.Action.DOWNLOAD, **fields) -> AuditEvent:
    region = Region.objects.get(code=region_code)
    school = Organization.objects.filter(region=region, kind=Organization.Kind.SCHOOL).order_by("pk").first()
    # The label names a school of the region: a page leaking the event leaks the school's name.
    fields.setdefault("object_label", school.name)
    fields.setdefault("object_type", "schools.Organization")
    fields.setdefault("object_id", str(school.pk))
    fields.setdefault("username", f"walk-{region_code}")
    return AuditEvent.objects.create(region=region, action=action, **fields)


def ensure_objects(region_code: str) -> None:
    if not AuditEvent.objects.filter(region__code=region_code).exists():
        make_event(region_code)
