"""Locust users for bench/bench_load.py: people of several generated regions and roles, each
logging in once and then reading their main pages with 1–3 s of thought between requests.

LOAD_REGIONS (default 50) says how many synthetic regions the users come from (synth01…NN);
every locust user takes the next region and a role in turn. The password is the demo's.
"""

import itertools
import os
import re
import threading

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-portal-2026")
REGIONS = int(os.environ.get("LOAD_REGIONS", "50"))
ROLES = ("coordinator", "municipal", "director", "curator", "department")
PAGES = {
    "coordinator": ["/", "/execution/", "/reviews/", "/roadmaps/", "/roadmaps/due/", "/api/v1/obligations/"],
    "department": ["/", "/execution/", "/roadmaps/", "/execution/matrix/", "/api/v1/reports/"],
    "municipal": ["/", "/tasks/", "/execution/", "/roadmaps/due/", "/api/v1/obligations/"],
    "director": ["/", "/tasks/", "/tasks/?bucket=overdue", "/execution/", "/roadmaps/"],
    "curator": ["/", "/reviews/", "/execution/", "/tasks/", "/api/v1/evidence/"],
}
_next = itertools.count()
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PortalUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        with _lock:
            n = next(_next)
        self.role = ROLES[n % len(ROLES)]
        self.username = f"synth{n % REGIONS + 1:02d}-{self.role}"
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )
        self.pages = itertools.cycle(PAGES[self.role])

    @task
    def read_a_page(self) -> None:
        url = next(self.pages)
        self.client.get(url, name=f"{self.role} {url}")
