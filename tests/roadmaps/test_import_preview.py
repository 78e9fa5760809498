"""The import preview: owner read from the document, required fields marked, a refused confirm
shown where the user looks, and a warning when the plan was imported already."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps.models import ImportDraft, Roadmap

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
USERS = {"70": "tomsk-coordinator", "68": "tambov-coordinator"}


def upload(client, region: str, path: Path) -> ImportDraft:
    response = client.post(
        f"/regions/{region}/roadmaps/import/", {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportDraft.objects.latest("created_at")


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_the_owner_is_preselected_from_the_issuer_of_every_shipped_plan(client_for, entry):
    client = client_for(USERS[entry["region"]])
    draft = upload(client, entry["region"], FIXTURES / entry["file"])
    page = client.get(f"/roadmaps/imports/{draft.pk}/")
    form = page.context["settings_form"]
    owner = form.fields["owner"].queryset.get(pk=draft.settings["owner"])
    assert owner.short_name == entry["owner"]
    assert draft.settings["level"] == entry["level"]
    body = page.content.decode()
    assert f'<option value="{owner.pk}" selected>' in body
    # The seed is imported already (same file): the preview says so, with a link to it.
    existing = Roadmap.objects.get(source_name=entry["file"], demo_anchor__isnull=True)
    assert page.context["duplicates"] == [existing]
    assert "уже загружена" in body and f'href="/roadmaps/{existing.pk}/"' in body and "тот же файл" in body


def test_the_same_act_in_another_file_is_recognised_too(client_for):
    client = client_for("tomsk-coordinator")
    draft = upload(client, "70", FIXTURES / "awkward" / "columns-other-words.xlsx")
    assert client.get(f"/roadmaps/imports/{draft.pk}/").context["duplicates"] == []
    seed = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")
    draft.settings["act"] = {
        "kind": "распоряжение",
        "number": seed.act_number,
        "date": seed.act_date.isoformat(),
    }
    draft.save()
    body = client.get(f"/roadmaps/imports/{draft.pk}/").content.decode()
    assert "тот же акт: Распоряжение от 13.03.2023 № 352-р" in body


def test_confirm_without_an_owner_shows_the_error_on_the_owner_field_focused(client_for):
    client = client_for("tomsk-coordinator")
    draft = upload(client, "70", FIXTURES / "awkward" / "columns-other-words.xlsx")
    assert draft.settings["owner"] is None  # the file names no issuer
    before = Roadmap.objects.count()
    response = client.post(f"/roadmaps/imports/{draft.pk}/", {"action": "confirm"})
    assert response.status_code == 200 and Roadmap.objects.count() == before
    body = response.content.decode()
    owner_select = body[body.index('<select name="owner"') :].split(">", 1)[0]
    assert "autofocus" in owner_select and 'aria-describedby="confirm-error"' in owner_select
    error = body[body.index('id="confirm-error"') :][:300]
    assert "Выберите организацию — владельца дорожной карты." in error
    # …right after the owner field, and again beside the button with a link to the field.
    assert body.index('<select name="owner"') < body.index('id="confirm-error"') < body.index('name="parent"')
    assert 'href="#id_owner"' in body
    # Required fields are marked.
    label = body[body.index('<label for="id_owner">') :][:200]
    assert 'class="required-mark"' in label
