"""Executor aliases: a page per region, and mapping an unrecognised executor from the roadmap
import preview in one step, remembered for the region's later imports."""

import pytest

from audit.models import AuditEvent
from roadmaps import services
from schools.models import ExecutorAlias, Organization
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


def unresolved(draft) -> set[str]:
    analysis = services.draft_analysis(draft)
    return {
        e["text"]
        for s in analysis["sections"]
        for i in s["items"]
        for e in i["executors"]
        if not e["resolved"]
    }


def test_an_unknown_executor_is_mapped_from_the_preview_and_remembered(client_for):
    client = client_for("tomsk-coordinator")
    draft = make_draft("70")
    assert unresolved(draft) == {"Неизвестный отдел"}
    page = client.get(f"/roadmaps/imports/{draft.pk}/").content.decode()
    assert "Исполнители не найдены в справочнике" in page and 'value="Неизвестный отдел"' in page
    rcro = Organization.objects.get(region__code="70", short_name="РЦРО")
    response = client.post(
        f"/roadmaps/imports/{draft.pk}/",
        {"action": "alias", "alias": "Неизвестный отдел", "organization": rcro.pk},
    )
    assert response.status_code == 302
    assert unresolved(draft) == set()
    assert ExecutorAlias.objects.get(region__code="70", alias="Неизвестный отдел").organization == rcro
    # The next import of the region knows it too; another region does not.
    assert unresolved(make_draft("70")) == set()
    assert ExecutorAlias.objects.filter(region__code="68", alias="Неизвестный отдел").count() == 0
    assert AuditEvent.objects.filter(action="alias_saved", region__code="70").exists()


def test_a_group_alias_and_a_refused_mapping(client_for):
    client = client_for("tomsk-coordinator")
    draft = make_draft("70")
    client.post(
        f"/roadmaps/imports/{draft.pk}/",
        {"action": "alias", "alias": "Неизвестный отдел", "group": "schools"},
    )
    assert ExecutorAlias.objects.get(region__code="70", alias="Неизвестный отдел").group == "schools"
    tambov_org = Organization.objects.filter(region__code="68").first()
    response = client.post(
        "/regions/70/setup/aliases/", {"op": "save", "alias": "ЦЭ", "organization": tambov_org.pk}
    )
    assert "Выберите корректный вариант" in response.content.decode()  # not in the choices at all
    assert not ExecutorAlias.objects.filter(region__code="70", alias="ЦЭ").exists()


def test_the_aliases_page_adds_replaces_and_deletes(client_for):
    client = client_for("tomsk-coordinator")
    rcro = Organization.objects.get(region__code="70", short_name="РЦРО")
    client.post(
        "/regions/70/setup/aliases/", {"op": "save", "alias": "Центр оценки", "organization": rcro.pk}
    )
    client.post("/regions/70/setup/aliases/", {"op": "save", "alias": "центр  оценки", "group": "curators"})
    alias = ExecutorAlias.objects.get(region__code="70", normalized="центр оценки")
    assert alias.group == "curators" and alias.organization is None
    assert "центр  оценки" not in client.get("/regions/70/setup/aliases/").content.decode()
    client.post("/regions/70/setup/aliases/", {"op": "delete", "alias": alias.pk})
    assert not ExecutorAlias.objects.filter(pk=alias.pk).exists()


def test_only_the_coordinator_of_the_region_edits_aliases(client_for):
    assert client_for("tomsk-municipal").get("/regions/70/setup/aliases/").status_code == 403
    assert (
        client_for("tomsk-department")
        .post("/regions/70/setup/aliases/", {"alias": "x", "group": "schools"})
        .status_code
        == 403
    )
    assert client_for("tambov-coordinator").get("/regions/70/setup/aliases/").status_code == 404
