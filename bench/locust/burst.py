"""Locust users for bench/bench_burst.py: the deadline evening. Each user is one school director
who opened the questionnaire earlier in the day (a session prepared by the bench), reads the form
and submits it once, then leaves. BURST_PLAN names a JSON-lines file: session, assignment, answers.
"""

import json
import os
import re
import threading

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
with open(os.environ["BURST_PLAN"], encoding="utf-8") as plan_file:
    PLAN = [json.loads(line) for line in plan_file]
_lock = threading.Lock()
_taken = 0
_done = 0


class Director(HttpUser):
    wait_time = between(1, 5)  # reading the form before pressing «Отправить»

    def on_start(self) -> None:
        global _taken
        with _lock:
            self.plan = PLAN[_taken] if _taken < len(PLAN) else None
            _taken += 1
        if self.plan is None:
            return  # locust started one more user than there are directors: it leaves at once
        self.client.cookies.set("sessionid", self.plan["session"])
        self.url = f"/questionnaires/assignments/{self.plan['assignment']}/"
        page = self.client.get(self.url, name="открыть анкету")
        self.token = CSRF.search(page.text).group(1)

    @task
    def submit(self) -> None:
        global _done
        if self.plan is None:
            raise StopUser()
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
        with _lock:
            _done += 1
            finished = _done >= len(PLAN)
        if finished:  # the last submission: let the others' figures arrive, then stop locust
            gevent.spawn_later(2, self.environment.runner.quit)
        raise StopUser()


@events.test_stop.add_listener
def _report(**_kwargs: object) -> None:
    print(f"burst: submitted {_done} of {len(PLAN)}")
