"""The published schema is good enough for a standard generator: a newcomer with the schema and a
token generates a client with openapi-python-client at its default settings and runs the whole
integrator journey with it — without touching the schema and without writing raw HTTP.

The generator is the installed package (the ``dev`` extras), run offline on the schema served by
the live test server; the generated package is imported from a temporary folder.
"""

import importlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import validate

from monitoring.demo import tiny_pdf
from schools import tokens
from schools.models import User

PACKAGE = "roadmaps_portal_api_client"
BIN = Path(sys.executable).parent


@pytest.fixture
def generated(live_server, committed_demo, tmp_path):
    """The live server's schema → a generated client package, imported; the module is returned."""
    # The schema is read without a token, as a newcomer does before asking for one.
    schema = (
        httpx.get(f"{live_server.url}/api/v1/schema/", params={"format": "json"}).raise_for_status().json()
    )
    validate(schema)  # openapi-spec-validator: a valid OpenAPI 3 document
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(schema, ensure_ascii=False))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff hooks
    run = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(path),
            "--output-path",
            str(tmp_path / "client"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    # Every operation made it into the client: the generator warns about each one it drops.
    assert "Warning" not in output and "WARNING" not in output, output
    # ASCII names throughout: the package, every model and enum class, every module.
    names = [p.name for p in (tmp_path / "client").rglob("*.py")]
    assert names and all(name.isascii() for name in names), [n for n in names if not n.isascii()]
    sys.path.insert(0, str(tmp_path / "client"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path / "client"))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _client(package, live_server, username: str):
    _row, secret = tokens.do_create_api_token(user=User.objects.get(username=username), name="клиент")
    return package.AuthenticatedClient(
        base_url=live_server.url, token=secret, raise_on_unexpected_status=True
    )


def _op(name: str):
    group, operation = name.split(".")
    return importlib.import_module(f"{PACKAGE}.api.{group}.{operation}")


def test_the_generated_client_runs_the_integrator_journey(generated, live_server):
    from roadmaps_portal_api_client import models
    from roadmaps_portal_api_client.types import File

    executor = _client(generated, live_server, "zyryanka-municipal")
    reviewer = _client(generated, live_server, "tomsk-coordinator")

    # 1. My overdue obligations (typed filters: booleans, integers).
    mine = _op("obligations.obligations_list").sync(
        client=executor, overdue=True, fileable=True, page_size=200, ordering="due_date"
    )
    assert isinstance(mine, models.PaginatedObligationList) and mine.count > 0
    obligation = next(o for o in mine.results if o.report is None)
    assert obligation.overdue is True and isinstance(obligation.id, int)

    # 2. File a report (JSON body).
    saved = _op("obligations.obligations_report_create").sync(
        obligation.id,
        client=executor,
        body=models.ReportFieldsRequest(
            execution_status=models.ExecutionStatusEnum.DONE, comment="Совещание проведено"
        ),
    )
    assert isinstance(saved, models.ObligationDetail), saved
    assert saved.report.execution_status == models.ExecutionStatusEnum.DONE

    # 3. Upload a file (multipart).
    evidence = _op("obligations.obligations_evidence_create").sync(
        obligation.id,
        client=executor,
        body=models.EvidenceInputRequest(
            file=File(
                payload=io.BytesIO(tiny_pdf("Приказ")), file_name="приказ.pdf", mime_type="application/pdf"
            ),
            description="Приказ о проведении",
        ),
    )
    assert isinstance(evidence, models.Evidence), evidence
    assert evidence.kind == models.EvidenceKindEnum.FILE and len(evidence.sha256) == 64
    file = _op("evidence.evidence_download_retrieve").sync(evidence.id, client=executor)
    assert file.payload.read()[:5] == b"%PDF-"

    # 4. Submit.
    submitted = _op("obligations.obligations_submit_create").sync(
        obligation.id, client=executor, body=models.SubmitRequest()
    )
    assert isinstance(submitted, models.ObligationDetail), submitted
    assert submitted.report.review_state == models.ReviewStateEnum.SUBMITTED
    # Submitting again is a conflict the client can branch on.
    again = _op("obligations.obligations_submit_create").sync_detailed(
        obligation.id, client=executor, body=models.SubmitRequest()
    )
    assert again.status_code == 409 and again.parsed.code == models.ErrorCodeEnum.CONFLICT

    # 5. The reviewer accepts.
    accepted = _op("execution_reports.execution_reports_accept_create").sync(
        submitted.report.id, client=reviewer, body=models.CommentRequest(comment="Принято")
    )
    assert isinstance(accepted, models.ExecutionReport), accepted
    assert accepted.review_state == models.ReviewStateEnum.ACCEPTED

    # A questionnaire's responses come back typed (no clash with the client's own Response).
    responses = _op("responses.responses_list").sync(client=reviewer, page_size=1)
    one = _op("responses.responses_retrieve").sync(responses.results[0].id, client=reviewer)
    assert isinstance(one, models.QuestionnaireResponse) and one.id == responses.results[0].id

    # 6. A quarterly report: the round comes from /rounds/; request, poll, download.
    rounds = _op("rounds.rounds_list").sync(client=reviewer, state=models.RoundStateEnum.CLOSED)
    assert rounds.count > 0
    ordered = _op("reports.reports_create").sync(
        client=reviewer,
        body=models.QuarterlyReportRequest(
            kind=models.QuarterlyReportKindEnum.QUARTERLY,
            round_=rounds.results[0].id,
            fmt=models.ReportFormatEnum.XLSX,
        ),
    )
    assert isinstance(ordered, models.Report), ordered
    report = ordered
    for _attempt in range(120):
        report = _op("reports.reports_retrieve").sync(ordered.id, client=reviewer)
        if report.finished:
            break
        time.sleep(0.5)
    assert report.status == models.ReportStatusEnum.DONE, report.message
    assert report.download.startswith(live_server.url)  # absolute, like ``next`` in lists
    downloaded = _op("reports.reports_download_retrieve").sync(report.id, client=reviewer)
    assert downloaded.payload.read()[:2] == b"PK"  # an XLSX (zip) file
