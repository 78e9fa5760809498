"""Approving a roadmap says what it assigned, and names items whose group executor matches nobody."""

import pytest

from monitoring.models import Obligation
from schools.models import SchoolStatus
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db

ITEMS = [
    ("1.", "Вебинар для муниципальных координаторов", "Март 2023г.", "", "", "ТОИПКРО"),
    ("2.", "Стажировки руководителей", "Май 2023г.", "", "", "руководители ШНОР"),
    ("3.", "Совещание с МОУО", "Апрель 2023г.", "", "", "МОУО"),
]


def test_approval_counts_obligations_and_names_the_item_nobody_gets(
    client_for, django_capture_on_commit_callbacks
):
    # No school has a ШНОР status in 2023 here: «руководители ШНОР» is nobody in the roadmap's year.
    SchoolStatus.objects.filter(region__code="70", year=2023, category="shnor").delete()
    roadmap = make_roadmap("70", items=ITEMS)
    client = client_for("tomsk-coordinator")
    with django_capture_on_commit_callbacks(execute=True):  # obligations are generated on commit
        response = client.post(f"/roadmaps/{roadmap.pk}/approve/", follow=True)
    created = Obligation.objects.filter(roadmap=roadmap)
    n, executors = created.count(), created.values("executor").distinct().count()
    assert n > 1 and not created.filter(item__number="2.").exists()
    texts = [str(m) for m in response.context["messages"]]
    assert any(t.startswith(f"Дорожная карта утверждена: назначено {n} обязательств") for t in texts), texts
    assert any(f"({executors} исполнител" in t for t in texts), texts
    warning = next(t for t in texts if "не назначен" in t)
    assert "п. 2 — «руководители ШНОР»" in warning and "п. 1 " not in warning and "п. 3 " not in warning
    # …and on the item itself, on the roadmap page.
    body = response.content.decode()
    row = body[body.index(f'id="item-{roadmap.items.get(number="2.").pk}"') :].split("</tr>", 1)[0]
    assert "Никому не назначено: «руководители ШНОР»" in row
    other = body[body.index(f'id="item-{roadmap.items.get(number="1.").pk}"') :].split("</tr>", 1)[0]
    assert "Никому не назначено" not in other


def test_a_roadmap_whose_groups_all_match_says_only_what_it_assigned(
    client_for, django_capture_on_commit_callbacks
):
    roadmap = make_roadmap("70", items=ITEMS)  # 2023 has ШНОР schools in the demo
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("tomsk-coordinator").post(f"/roadmaps/{roadmap.pk}/approve/", follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert len(texts) == 1 and "назначено" in texts[0]
    assert Obligation.objects.filter(roadmap=roadmap, item__number="2.").exists()
