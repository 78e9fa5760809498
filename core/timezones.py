"""Russian names of the country's time zones: «Asia/Tomsk» → «время томское (UTC+7)».

People in a region say «по томскому времени», not «Asia/Tomsk»; the offset is computed from the
zone database for the given moment, so a future change of a zone's offset shows correctly.
"""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext_lazy as _

# The adjective is what follows «время»: «время московское», «время томское».
ZONE_ADJECTIVES = {
    "Europe/Kaliningrad": _("калининградское"),
    "Europe/Moscow": _("московское"),
    "Europe/Simferopol": _("московское"),
    "Europe/Kirov": _("московское"),
    "Europe/Volgograd": _("волгоградское"),
    "Europe/Astrakhan": _("астраханское"),
    "Europe/Saratov": _("саратовское"),
    "Europe/Ulyanovsk": _("ульяновское"),
    "Europe/Samara": _("самарское"),
    "Asia/Yekaterinburg": _("екатеринбургское"),
    "Asia/Omsk": _("омское"),
    "Asia/Novosibirsk": _("новосибирское"),
    "Asia/Barnaul": _("барнаульское"),
    "Asia/Tomsk": _("томское"),
    "Asia/Novokuznetsk": _("новокузнецкое"),
    "Asia/Krasnoyarsk": _("красноярское"),
    "Asia/Irkutsk": _("иркутское"),
    "Asia/Chita": _("читинское"),
    "Asia/Yakutsk": _("якутское"),
    "Asia/Khandyga": _("якутское"),
    "Asia/Vladivostok": _("владивостокское"),
    "Asia/Ust-Nera": _("владивостокское"),
    "Asia/Sakhalin": _("сахалинское"),
    "Asia/Magadan": _("магаданское"),
    "Asia/Srednekolymsk": _("среднеколымское"),
    "Asia/Kamchatka": _("камчатское"),
    "Asia/Anadyr": _("анадырское"),
}


def utc_offset(zone: str, at: dt.datetime | None = None) -> str:
    """«UTC+7», «UTC+3», «UTC+5:30» for the zone at the moment given (now by default)."""
    at = at or dt.datetime.now(dt.UTC)
    offset = at.astimezone(ZoneInfo(zone)).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(zone: object, at: dt.datetime | None = None) -> str:
    """«время томское (UTC+7)»; a zone outside Russia keeps its name: «Europe/Berlin (UTC+1)»."""
    name = str(getattr(zone, "key", zone) or "")
    try:
        offset = utc_offset(name, at)
    except (ZoneInfoNotFoundError, ValueError):
        return name
    adjective = ZONE_ADJECTIVES.get(name)
    if adjective is None:
        return f"{name} ({offset})"
    return _("время %(adjective)s (%(offset)s)") % {"adjective": adjective, "offset": offset}
