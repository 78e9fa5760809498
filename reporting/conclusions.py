"""«Выводы» of an analytical note, written from the report's own figures: who is furthest behind,
what changed since the last round, which measures nobody reports on, what waits for revision.

Pure: a builder's data in, sentences out (the PDF lists them, the XLSX puts them on their own
sheet), so every figure in a sentence is one the report's tables show.
"""

from typing import Any

from django.utils.translation import gettext as _

BEHIND = 3  # executors named as furthest behind
NOBODY = 5  # measures named as reported by nobody (the rest are counted)


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _short(text: str, n: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def overall(t: dict) -> str:
    return _(
        "Ожидалось отчётов об исполнении: %(n)s. Отправлено: %(s)s (%(sp)s %%), из них в срок: "
        "%(o)s (%(op)s %% от ожидаемых); принято: %(a)s (%(ap)s %%)."
    ) % {
        "n": t["expected"],
        "s": t["submitted"],
        "sp": _pct(t["completeness"]),
        "o": t["on_time"],
        "op": _pct(t["timeliness"]),
        "a": t["accepted"],
        "ap": _pct(t["acceptance"]),
    }


def behind(executors: list[dict]) -> str:
    lagging = [e for e in executors if e["missing"] or e["returned"]]
    lagging.sort(key=lambda e: (-(e["missing"] + e["returned"]), e["completeness"], e["name"]))
    if not lagging:
        return _("Все исполнители отправили отчёты, возвращённых на доработку нет.")
    named = []
    for e in lagging[:BEHIND]:
        where = f" ({e['municipality']})" if e.get("municipality") else ""
        text = _("%(name)s%(where)s — не отправлено %(m)s из %(n)s") % {
            "name": e["name"],
            "where": where,
            "m": e["missing"],
            "n": e["expected"],
        }
        if e["returned"]:
            text += _(", на доработке %(r)s") % {"r": e["returned"]}
        named.append(text)
    sentence = _("Дальше всех отстают: %(list)s.") % {"list": "; ".join(named)}
    if len(lagging) > BEHIND:
        sentence += " " + _("Всего отстающих исполнителей: %(n)s из %(total)s.") % {
            "n": len(lagging),
            "total": len(executors),
        }
    return sentence


def change(totals: dict, previous: dict | None) -> str:
    if not previous:
        return _("Закрытого раунда мониторинга для сравнения нет: изменение оценить не по чему.")
    now, then = totals["timeliness"], previous["timeliness"]
    delta = round(now - then, 1)
    if delta > 0:
        how = _("выросла на %(d)s п. п.") % {"d": _pct(delta)}
    elif delta < 0:
        how = _("снизилась на %(d)s п. п.") % {"d": _pct(-delta)}
    else:
        how = _("не изменилась")
    return _(
        "По сравнению с последним закрытым раундом мониторинга (%(round)s) доля отчётов, отправленных в срок, %(how)s "
        "(%(then)s %% → %(now)s %%); полнота отчётности: %(c0)s %% → %(c1)s %%."
    ) % {
        "round": previous["quarter"],
        "how": how,
        "then": _pct(then),
        "now": _pct(now),
        "c0": _pct(previous["completeness"]),
        "c1": _pct(totals["completeness"]),
    }


def nobody_reports(items: list[dict]) -> str:
    silent = [i for i in items if i["expected"] and not i["submitted"]]
    if not silent:
        return _("По каждому мероприятию отчитался хотя бы один исполнитель.")
    named = ", ".join(
        _("п. %(number)s «%(text)s»") % {"number": i["number"], "text": _short(i["text"])}
        for i in silent[:NOBODY]
    )
    sentence = _("Ни один исполнитель не отчитался по мероприятиям (%(n)s): %(list)s") % {
        "n": len(silent),
        "list": named,
    }
    if len(silent) > NOBODY:
        sentence += " " + _("и ещё %(n)s") % {"n": len(silent) - NOBODY}
    return sentence + "."


def returned(totals: dict) -> str | None:
    if not totals["returned"]:
        return None
    return _(
        "Возвращено на доработку отчётов: %(n)s — исполнителям нужно устранить замечания и отправить их повторно."
    ) % {"n": totals["returned"]}


LAGGING = 50  # completeness, %, below which a school with high risks is named as needing support first


def results(section: dict | None) -> str | None:
    """What «Результаты и исполнение» says in one sentence: where support is needed first."""
    if not section or not section["schools"]:
        return None
    rows = section["schools"]
    risky = [r for r in rows if r["high"]]
    lagging = [r for r in risky if r["completeness"] is not None and r["completeness"] < LAGGING]
    text = _(
        "Результаты и исполнение: школ в разделе — %(n)s, с высокими рисками — %(h)s, из них с полнотой "
        "исполнения ниже %(p)s %% — %(l)s: им поддержка нужна прежде всего. Доля «2» по ВПР снижается "
        "в школах: %(down)s, растёт: %(up)s."
    ) % {
        "n": len(rows),
        "h": len(risky),
        "p": LAGGING,
        "l": len(lagging),
        "down": sum(1 for r in rows if r["trend"] == _("снижается")),
        "up": sum(1 for r in rows if r["trend"] == _("растёт")),
    }
    return f"{text} {section['note']}"


def write(data: dict[str, Any]) -> list[str]:
    """The conclusions of a quarterly or municipal report, in the order a reader asks them."""
    t = data["totals"]
    if not t["expected"]:
        return [_("За отчётный период отчётов об исполнении не ожидалось.")]
    lines = [
        overall(t),
        behind(data["executors"]),
        change(t, data.get("previous")),
        nobody_reports(data["items"]),
    ]
    for extra in (returned(t), results(data.get("results"))):
        if extra:
            lines.append(extra)
    return lines
