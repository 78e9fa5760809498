"""Locust users for bench/bench_burst.py: the deadline evening. Each user is one school director
who opened the questionnaire earlier in the day (a session prepared by the bench), reads the form
and submits it once, then stays idle. BURST_PLAN names a JSON-lines file: session, assignment,
answers; BURST_SECONDS spreads the directors' arrivals evenly over that many seconds.

The arrivals follow their own timetable (director i arrives i × BURST_SECONDS / N seconds after
the first), not locust's spawn rate: locust keeps the number of *live* users at its ramp-up
target, so users who leave after one submission were replaced at once and the whole plan arrived
four or five times faster than asked. Here every director stays alive after submitting, the bench
spawns them all quickly, and each one waits for its own arrival time.
"""

import json
import os
import random
import re
import threading
import time

import gevent
from locust import HttpUser, constant, events, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
with open(os.environ["BURST_PLAN"], encoding="utf-8") as plan_file:
    PLAN = [json.loads(line) for line in plan_file]
INTERVAL = float(os.environ.get("BURST_SECONDS", "180")) / max(len(PLAN), 1)
THINK = (1.0, 5.0)  # reading the form before pressing «Отправить»
_lock = threading.Lock()
_taken = 0
_done = 0
_start: float | None = None
_last_arrival = 0.0


class Director(HttpUser):
    wait_time = constant(3600)  # one submission each; afterwards the user only waits for the end

    def on_start(self) -> None:
        global _taken, _start
        with _lock:
            index = _taken
            _taken += 1
            if _start is None:
                _start = time.monotonic()
            arrival = _start + index * INTERVAL
        self.plan = PLAN[index] if index < len(PLAN) else None
        if self.plan is None:
            return  # locust started one more user than there are directors: it stays idle
        gevent.sleep(max(0.0, arrival - time.monotonic()))
        global _last_arrival
        _last_arrival = max(_last_arrival, time.monotonic() - _start)
        self.client.cookies.set("sessionid", self.plan["session"])
        self.url = f"/questionnaires/assignments/{self.plan['assignment']}/"
        page = self.client.get(self.url, name="открыть анкету")
        match = CSRF.search(page.text)
        self.token = match.group(1) if match else ""

    @task
    def submit(self) -> None:
        global _done
        if self.plan is None or self.plan.get("sent"):
            return
        gevent.sleep(random.uniform(*THINK))
        data = {**self.plan["answers"], "action": "submit", "csrfmiddlewaretoken": self.token}
        with self.client.post(
            self.url,
            data=data,
            headers={"Referer": f"{self.host}{self.url}"},
            name="отправить анкету",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"ответ {response.status_code}")
        self.plan["sent"] = True
        with _lock:
            _done += 1
            finished = _done >= len(PLAN)
        if finished:  # the last submission: let the others' figures arrive, then stop locust
            gevent.spawn_later(2, self.environment.runner.quit)


@events.test_stop.add_listener
def _report(**_kwargs: object) -> None:
    """What really happened, for the bench to print beside locust's figures."""
    summary = {"submitted": _done, "planned": len(PLAN), "arrivals_seconds": round(_last_arrival, 1)}
    if os.environ.get("BURST_REPORT"):
        with open(os.environ["BURST_REPORT"], "w", encoding="utf-8") as out:
            json.dump(summary, out)
