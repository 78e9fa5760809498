"""Conditional requests and response headers a client can rely on: an ETag and Last-Modified that
change whenever anything in the representation does (related objects included), sent on 304
too; If-Modified-Since honoured; Vary: Authorization; rate-limit headers from the throttle."""

from email.utils import parsedate_to_datetime

import pytest

from monitoring.models import Obligation
from roadmaps import services as roadmap_services

pytestmark = pytest.mark.django_db


def test_the_etag_changes_when_a_related_items_text_changes(api, cast):
    client = api("tomsk-coordinator")
    obligation = Obligation.objects.filter(region__code="70", cancelled=False).first()
    url = f"/api/v1/obligations/{obligation.pk}/"
    listing = {"item": obligation.item_id}
    first, first_list = client.get(url), client.get("/api/v1/obligations/", listing)
    assert first["ETag"] and first["Last-Modified"] and first_list["ETag"]
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == first["ETag"] and unchanged["Last-Modified"] == first["Last-Modified"]
    assert "Authorization" in unchanged["Vary"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    roadmap_services.do_update_item(
        actor=cast["tomsk-coordinator"],
        item=obligation.item,
        values={"text": obligation.item.text + " (уточнено)"},
        manual_dates="",
        comment="текст",
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["item"]["text"].endswith("(уточнено)")
    assert changed["ETag"] != first["ETag"]
    assert parsedate_to_datetime(changed["Last-Modified"]) > parsedate_to_datetime(first["Last-Modified"])
    # A client that keeps only the date learns of the change too, even within the same second.
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
    changed_list = client.get("/api/v1/obligations/", listing, HTTP_IF_NONE_MATCH=first_list["ETag"])
    assert changed_list.status_code == 200 and changed_list["ETag"] != first_list["ETag"]


def test_it_sends_rate_limit_headers_from_the_throttle(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/minute"}}
    client = api("tomsk-director")
    answers = [client.get("/api/v1/regions/") for _ in range(4)]
    assert [r["X-RateLimit-Limit"] for r in answers] == ["3"] * 4
    assert [r["X-RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
    assert answers[3].status_code == 429 and answers[3].json()["code"] == "throttled"
    assert 0 < int(answers[3]["X-RateLimit-Reset"]) <= 60
    assert int(answers[3]["Retry-After"]) <= 60
