"""Beyond one machine: no local state in the web and worker tiers.

Files go through Django's storage API (here a real S3-compatible server, moto's, on loopback);
report builds read from a replica when one is configured (here a second real PostgreSQL
connection, as a streaming standby would be, to the same data).
"""

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core.replica import REPLICA, reads_from_replica
from monitoring.demo import tiny_pdf
from monitoring.models import Evidence, Obligation
from reporting import services
from reporting.models import Report
from schools.models import Organization

BUCKET = "portal-files"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3():
    """An S3-compatible server on loopback and the portal's default storage pointed at it."""
    boto3 = pytest.importorskip("boto3")  # a dependency of django-storages[s3]
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    keys = {"aws_access_key_id": "portal", "aws_secret_access_key": "portal-secret"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    client.create_bucket(Bucket=BUCKET)
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": keys["aws_access_key_id"],
            "secret_key": keys["aws_secret_access_key"],
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield client
    server.stop()


@pytest.mark.django_db
def test_evidence_goes_to_the_object_store_and_comes_back_through_the_gate(
    s3, cast, client_for, media_in_tmp
):
    director = client_for("cherdaty-director")
    obligation = (
        Obligation.objects.filter(
            executor__short_name="МБОУ «Чердатская СОШ»", roadmap__source_name="071-cherdaty-school-2023.docx"
        )
        .exclude(report__review_state__in=["submitted", "accepted"])
        .first()
    )
    body = tiny_pdf("Протокол заседания методического совета")
    upload = SimpleUploadedFile("протокол.pdf", body, content_type="application/pdf")
    response = director.post(f"/obligations/{obligation.pk}/evidence/", {"kind": "file", "file": upload})
    assert response.status_code in (200, 302), response.content[:500]
    evidence = Evidence.objects.filter(report__obligation=obligation).latest("pk")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [evidence.file.name]
    assert not (media_in_tmp / evidence.file.name).exists(), "nothing is written to the local disk"
    download = director.get(f"/evidence/{evidence.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == body
    # Another region's director gets nothing, whatever the storage is.
    assert client_for("tambov-director").get(f"/evidence/{evidence.pk}/download/").status_code == 404


@pytest.fixture
def replica(settings):
    """Reads routed to the "replica" alias: a second real connection (config/settings_test.py)."""
    settings.READ_FROM_REPLICA = True
    yield connections[REPLICA]
    connections[REPLICA].close()


@pytest.mark.django_db(databases=["default", REPLICA])
def test_reads_go_to_the_replica_only_inside_the_block(replica):
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connection) as on_primary:
        assert Organization.objects.filter(short_name__contains="СОШ").exists()
    assert len(on_replica) == 0 and len(on_primary) == 1
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connection) as on_primary:
        with reads_from_replica():
            assert Organization.objects.filter(short_name__contains="СОШ").exists()
    assert len(on_replica) == 1 and len(on_primary) == 0


@pytest.mark.django_db(databases=["default", REPLICA])
def test_a_report_build_reads_the_replica_and_writes_the_primary(replica, cast):
    school = Organization.objects.get(short_name="МБОУ «Михайловская СОШ»")
    report = services.do_request_report(
        actor=cast["tomsk-coordinator"], kind="school", fmt="xlsx", params={"school": school.pk}
    )
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connection) as on_primary:
        assert services.build(report.pk) == "done"
    read = [q["sql"] for q in on_replica.captured_queries]
    assert any("monitoring_obligation" in sql for sql in read), "the builder's data came from the replica"
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in read), "nothing is written to a replica"
    assert any(q["sql"].startswith("UPDATE") for q in on_primary.captured_queries)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.file
