"""«Справка»: per-role help, reachable from every page, for logged-in users only."""

import pytest

from monitoring.models import ExecutionReport
from schools.models import Membership

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get("/help/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "username, role, phrase",
    [
        ("tomsk-coordinator", "coordinator", "Загрузить дорожную карту"),
        ("tomsk-curator", "curator", "Проверить отчёты своих школ"),
        ("zyryanka-municipal", "municipal", "Отчитаться по мероприятиям муниципалитета"),
        ("cherdaty-director", "director", "Отчитаться по мероприятию"),
        ("tomsk-department", "department", "только просмотр"),
    ],
)
def test_each_role_finds_its_own_section_open_first(client_for, username, role, phrase):
    page = client_for(username).get("/help/").content.decode()
    label = Membership.Role(role).label
    first = page.index('<details class="card help-role"')
    assert page[first:].startswith(f'<details class="card help-role" id="role-{role}" open>')
    assert label[0].upper() + label[1:] in page and phrase in page
    # Other roles are there too, folded.
    assert page.count(" open>") == 1


def test_every_status_label_is_explained_in_its_own_vocabulary(client_for):
    from monitoring.models import MonitoringRound
    from questionnaires.models import Questionnaire
    from reporting.models import Report
    from roadmaps.models import Roadmap

    response = client_for("tomsk-director").get("/help/")
    groups = dict(response.context["statuses"])
    vocabularies = [Roadmap.Status, ExecutionReport.Review, ExecutionReport.Status, MonitoringRound.State]
    vocabularies += [Questionnaire.Status, Report.Status]
    assert len(groups) == len(vocabularies)
    for (title, rows), choices in zip(groups.items(), vocabularies, strict=True):
        assert [label for label, _text in rows] == list(choices.labels), title
    page = response.content.decode()
    for choice in ExecutionReport.Review:
        assert f"<dt>{choice.label[0].upper() + choice.label[1:]}</dt><dd>" in page, choice
    # «черновик» means one thing for a report and another for a questionnaire.
    assert "<dt>Черновик</dt><dd>исполнитель заполняет отчёт" in page
    assert "<dt>Черновик</dt><dd>анкета составляется" in page


@pytest.mark.parametrize("url", ["/", "/tasks/", "/roadmaps/", "/execution/", "/profile/"])
def test_the_help_link_is_on_every_page(client_for, url):
    assert 'href="/help/"' in client_for("tomsk-municipal").get(url).content.decode()
