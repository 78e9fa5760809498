"""Demo rounds and reports: closed rounds for the seed roadmaps with the department's quarterly
reports built (in-process in the demo run). Idempotent."""

import datetime as dt

from monitoring import rounds
from monitoring.models import MonitoringRound
from roadmaps.models import Roadmap

DEMO_ROUNDS = [
    ("000-tomsk-shnor-2023.docx", [dt.date(2023, 1, 1), dt.date(2023, 4, 1)]),
    ("001-tambov-2020-2023.docx", [dt.date(2021, 1, 1)]),
    ("002-tomsk-minpros-2022-2024.xlsx", [dt.date(2022, 10, 1)]),
]


def load_demo() -> str:
    made = 0
    for source, quarters in DEMO_ROUNDS:
        roadmap = Roadmap.objects.filter(source_name=source, status=Roadmap.Status.APPROVED).first()
        if roadmap is None:
            continue
        for start in quarters:
            round_ = MonitoringRound.objects.filter(roadmap=roadmap, period_start=start).first()
            if round_ is None:
                round_ = rounds.do_open_round(actor=None, roadmap=roadmap, period_start=start)
                made += 1
            rounds.do_close_round(actor=None, round_=round_)  # queues the quarterly reports (ON_ROUND_CLOSED)
    return f"раундов мониторинга: {made}"
