"""The report order form: only the chosen kind's fields (with a script), and a missing field named."""

import re

import pytest

from reporting.models import Report

pytestmark = pytest.mark.django_db


def test_each_kind_specific_field_says_which_kind_it_is_for(client_for):
    body = client_for("tomsk-coordinator").get("/reports/").content.decode()
    kinds = {
        name: re.search(
            rf'name="{name}"[^>]*data-for-kinds="([^"]+)"|data-for-kinds="([^"]+)"[^>]*name="{name}"', body
        )
        for name in ("round", "municipality", "start", "end", "school", "questionnaire")
    }
    found = {name: next(g for g in m.groups() if g) for name, m in kinds.items() if m}
    assert found == {
        "round": "quarterly",
        "municipality": "municipal",
        "start": "municipal",
        "end": "municipal",
        "school": "school",
        "questionnaire": "questionnaire",
    }
    assert 'src="/static/js/report_form.js"' in body and "<script>" not in body  # CSP: no inline script


def test_a_missing_field_is_named_under_it_and_above_the_form(client_for):
    before = Report.objects.count()
    response = client_for("tomsk-coordinator").post("/reports/", {"kind": "municipal", "fmt": "pdf"})
    assert response.status_code == 200 and Report.objects.count() == before
    body = response.content.decode()
    assert (
        "Для отчёта «Сводная информация по муниципалитету» не заполнено: муниципалитет, начало периода, конец периода."
        in body
    )
    assert "Выберите муниципалитет." in body and "Укажите начало периода (ДД.ММ.ГГГГ)." in body
    assert "Заполните для выбранного вида отчёта" not in body
    form = response.context["form"]
    assert set(form.errors) == {"__all__", "municipality", "start", "end"}  # not the other kinds' fields


def test_the_quarterly_kind_needs_only_its_round(client_for):
    response = client_for("tomsk-department").post("/reports/", {"kind": "quarterly", "fmt": "xlsx"})
    assert set(response.context["form"].errors) == {"__all__", "round"}
    assert "Выберите раунд мониторинга" in response.content.decode()
