"""Time zones named as people in the region say them."""

import datetime as dt

import pytest
from django.utils import translation

from core.timezones import utc_offset, zone_label
from schools.templatetags.ru_text import number_ru, zone_ru

WINTER = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


@pytest.mark.parametrize(
    "zone, label",
    [
        ("Asia/Tomsk", "время томское (UTC+7)"),
        ("Europe/Moscow", "время московское (UTC+3)"),
        ("Europe/Kaliningrad", "время калининградское (UTC+2)"),
        ("Asia/Kamchatka", "время камчатское (UTC+12)"),
        ("Europe/Berlin", "Europe/Berlin (UTC+1)"),  # outside Russia: the name stays
        ("Mars/Olympus", "Mars/Olympus"),  # unknown: shown as given, no error
    ],
)
def test_zone_label(zone, label):
    assert zone_label(zone, WINTER) == label


def test_offsets_follow_the_zone_database():
    assert utc_offset("Asia/Kolkata", WINTER) == "UTC+5:30"
    assert utc_offset("America/New_York", WINTER) == "UTC−5"
    assert utc_offset("America/New_York", dt.datetime(2026, 7, 1, tzinfo=dt.UTC)) == "UTC−4"


def test_filter_takes_a_tzinfo_too():
    from zoneinfo import ZoneInfo

    assert zone_ru(ZoneInfo("Asia/Tomsk")).startswith("время томское (UTC+")


@pytest.mark.parametrize(
    "value, text",
    [("2.00", "2"), ("2.50", "2,5"), ("1234.50", "1234,5"), ("100", "100"), ("0.00", "0"), (None, "")],
)
def test_numbers_read_without_trailing_zeros(value, text):
    from decimal import Decimal

    assert number_ru(Decimal(value) if value is not None else None) == text
