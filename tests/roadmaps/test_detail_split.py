"""The roadmap page reads the roadmap's executors once (roadmaps/selectors.py
``roadmap_executors``): the executor filter's options, the rows' executors and the «nobody is
assigned» flags come from that list; the sections of the rows and the owners of the roadmaps
drafted from it are read apart. For every demo user, on every roadmap and with the page's
filters, the page is the very HTML the earlier reads gave."""

import re

import pytest
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.test.utils import CaptureQueriesContext

from roadmaps import selectors, services
from roadmaps.models import ControlDate, ItemExecutor, Roadmap
from roadmaps.views import RoadmapDetailView
from schools.models import User

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _old_executor_choices(roadmap: Roadmap) -> list[tuple[str, str]]:
    rows = (
        ItemExecutor.objects.filter(item__roadmap=roadmap)
        .values("organization_id", "organization__short_name", "group")
        .distinct()
    )
    choices = {}
    for r in rows:
        if r["organization_id"]:
            choices[f"org:{r['organization_id']}"] = r["organization__short_name"]
        elif r["group"]:
            choices[f"group:{r['group']}"] = dict(ItemExecutor._meta.get_field("group").choices)[r["group"]]
    return sorted(choices.items(), key=lambda kv: kv[1].lower())


def _old_items(qs: QuerySet, roadmap: Roadmap) -> list:
    executors = ItemExecutor._base_manager.select_related("organization")
    return list(
        qs.select_related("section", "parent", "added_by")
        .prefetch_related(
            Prefetch("control_dates", queryset=ControlDate._base_manager.order_by("due_date")),
            Prefetch("executors", queryset=executors.order_by("position")),
        )
        .order_by("position")
    )


def _old_children(self, roadmap: Roadmap) -> QuerySet:
    children = Roadmap.objects.visible_to(self.request.user).filter(parent=roadmap)
    return children.select_related("owner").order_by("-period_start", "level", "title")


def _old_reads(patch) -> None:  # noqa: ANN001
    """The reads the page made before: each part queried on its own, joined."""
    preview = services.assignment_preview
    patch.setattr(selectors, "roadmap_executors", lambda roadmap: roadmap)
    patch.setattr(selectors, "executor_choices", _old_executor_choices)
    patch.setattr(selectors, "page_items", _old_items)
    patch.setattr(
        services, "assignment_preview", lambda roadmap, with_counts, items: preview(roadmap, with_counts)
    )
    patch.setattr(RoadmapDetailView, "children", _old_children)


def _html(response) -> tuple[int, str]:
    body = response.content.decode() if response.status_code == 200 else ""
    return response.status_code, CSRF.sub("", body)


def test_every_user_sees_the_html_of_the_earlier_reads(client, monkeypatch):
    User.objects.update_or_create(username="federal-viewer", defaults={"federal_viewer": True})
    roadmaps = list(Roadmap.objects.order_by("pk"))
    users = [u for u in User.objects.order_by("username") if u.is_active]
    assert len(users) > 5 and len(roadmaps) > 5
    coordinator = User.objects.get(username="tomsk-coordinator")
    shown, flagged, children = 0, 0, 0
    for user in users:
        client.force_login(user)
        for roadmap in roadmaps:
            url = f"/roadmaps/{roadmap.pk}/"
            queries: list[dict] = [{}]
            if user == coordinator:
                executor = next(
                    (k for k, _ in selectors.executor_choices(selectors.roadmap_executors(roadmap))), ""
                )
                year = roadmap.period_start.year
                queries += [{"executor": executor}, {"period": f"{year}-Q1"}, {"unrecognised": "true"}]
            for query in queries:
                new = client.get(url, query)
                with monkeypatch.context() as patch:
                    _old_reads(patch)
                    old = client.get(url, query)
                assert _html(new) == _html(old), (user.username, roadmap.source_name, query)
                if new.status_code == 200:
                    shown += new.context["shown"]
                    flagged += sum(
                        bool(i.unmatched_executors) for _s, items in new.context["sections"] for i in items
                    )
                    children += len(new.context["children"])
    assert shown > 1000 and flagged and children


def test_the_page_reads_the_executors_of_the_roadmap_once(client, cast):
    client.force_login(cast["tomsk-coordinator"])
    roadmap = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/roadmaps/{roadmap.pk}/")
    assert response.status_code == 200
    executors = [q["sql"] for q in captured.captured_queries if 'FROM "roadmaps_itemexecutor"' in q["sql"]]
    assert len(executors) == 1 and '"roadmaps_itemexecutor"."region_id" =' in executors[0]
    joined = [q["sql"] for q in captured.captured_queries if 'JOIN "roadmaps_section"' in q["sql"]]
    assert not joined
