"""Zip bombs and XML tricks are refused wherever a file comes in — the roadmap import, evidence
and questionnaire answers — quickly, with a Russian message and in little memory.

Memory is measured with tracemalloc (peak of Python allocations, which include every inflated
byte); time is not asserted here — ``bench/bench_hostile_files.py`` prints it.
"""

import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import UploadRejected
from monitoring import services as monitoring_services
from monitoring.models import Evidence
from questionnaires.answering import check_file
from roadmaps import services as roadmap_services
from roadmaps.importing.tables import ReadError
from roadmaps.models import ImportDraft, Roadmap
from tests import hostile_files
from tests.monitoring.test_pages import open_obligation

pytestmark = pytest.mark.django_db

MB = 2**20
BOMB = "распаковывается в 2\u00a0049 МБ — это больше допустимого (100 МБ); проверьте файл или сохраните его заново."


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {"план.docx": hostile_files.docx_bomb(), "план.xlsx": hostile_files.xlsx_bomb()}


class Peak:
    def __enter__(self):
        tracemalloc.start()
        return self

    def __exit__(self, *exc):
        self.bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


@pytest.mark.parametrize("name", ["план.docx", "план.xlsx"])
def test_the_import_page_refuses_a_zip_bomb_in_little_memory(client_for, bombs, name):
    data = bombs[name]
    assert len(data) < 5 * MB  # small on disk, 2 GiB unpacked
    client = client_for("tomsk-coordinator")
    before = (ImportDraft.objects.count(), Roadmap.objects.count())
    with Peak() as peak:
        response = client.post("/regions/70/roadmaps/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert f"Файл «{name}» {BOMB}" in response.content.decode()
    assert (ImportDraft.objects.count(), Roadmap.objects.count()) == before
    assert peak.bytes < 200 * MB, f"peak {peak.bytes // MB} MB"


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: hostile_files.xlsx_lying_about_size(unpacked_mib=512), "Документ повреждён"),
        (
            lambda: hostile_files.xlsx_lying_about_size(
                unpacked_mib=512, declared=300_000, matching_crc=True
            ),
            "Документ повреждён",
        ),
        (hostile_files.docx_with_entities, "недопустимые XML-конструкции"),
        (hostile_files.xlsx_with_entities, "недопустимые XML-конструкции"),
    ],
    ids=["lying-size", "lying-size-and-crc", "docx-entities", "xlsx-entities"],
)
def test_the_import_refuses_files_that_lie_or_expand(build, message):
    data = build()
    with Peak() as peak, pytest.raises(ReadError, match=message):
        roadmap_services.parse_document(data)
    assert peak.bytes < 200 * MB, f"peak {peak.bytes // MB} MB"


def test_the_import_command_path_refuses_a_bomb_by_its_directory(bombs):
    with pytest.raises(ValidationError) as refused:
        roadmap_services.check_upload("план.xlsx", bombs["план.xlsx"])
    assert BOMB in " ".join(refused.value.messages)


def test_evidence_refuses_a_zip_bomb_and_saves_nothing(client_for, bombs):
    client = client_for("zyryanka-municipal")
    obligation = open_obligation("УО Зырянского района")
    with Peak() as peak:
        response = client.post(
            f"/obligations/{obligation.pk}/evidence/",
            {"file": SimpleUploadedFile("отчёт.docx", bombs["план.docx"])},
            follow=True,
        )
    assert f"Файл «отчёт.docx» {BOMB}" in response.content.decode()
    assert not Evidence.objects.filter(report__obligation=obligation).exists()
    assert peak.bytes < 200 * MB


def test_evidence_service_refuses_a_bomb(cast, bombs):
    obligation = open_obligation("УО Зырянского района")
    with pytest.raises(UploadRejected, match="распаковывается"):
        monitoring_services.do_add_file(
            actor=cast["zyryanka-municipal"], obligation=obligation, name="свод.xlsx", data=bombs["план.xlsx"]
        )


def test_a_questionnaire_file_answer_refuses_a_bomb(bombs):
    with pytest.raises(ValidationError) as refused:
        check_file(SimpleUploadedFile("отчёт.xlsx", bombs["план.xlsx"]))
    assert f"Файл «отчёт.xlsx» {BOMB}" in refused.value.messages
