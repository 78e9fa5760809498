import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_only_the_users_region_through_the_api(client_for):
    data = client_for("tambov-director").get("/api/v1/organizations/").json()
    assert data["count"] >= 1
    assert {row["region"] for row in data["results"]} == {"68"}


def test_it_serves_statuses_with_organizations(client_for):
    data = client_for("tomsk-municipal").get("/api/v1/organizations/", {"page_size": 100}).json()
    school = next(r for r in data["results"] if r["short_name"] == "МАОУ СОШ № 44 г. Томска")
    assert {(s["year"], s["category"]) for s in school["statuses"]} >= {(2020, "shnor"), (2023, "shnor")}


def test_it_refuses_writes_on_the_read_only_api(client_for):
    response = client_for("tomsk-coordinator").post("/api/v1/regions/", {"code": "99", "name": "X"})
    assert response.status_code == 405
