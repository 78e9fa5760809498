"""Fault scenarios against the production shape on loopback (README «Сценарии отказов»).

Starts its own stack — a throwaway PostgreSQL cluster (initdb of Debian's binaries, own port), a
throwaway redis-server (own port), gunicorn, a Celery worker and beat, all on 127.0.0.1 — loads
the demo, then breaks things and prints what it saw as a table: PASS/FAIL with figures. It never
touches the machine's shared PostgreSQL or Redis and asserts nothing (exit code 0 either way).

    .venv/bin/python bench/faults/run.py [--only worker_kill,broker_down,...] [--wait 300]

``--wait`` is how long a scenario waits for recovery (the issue's bar is 5 minutes).
"""

import argparse
import html.parser
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
PASSWORD = "demo-portal-2026"
Row = tuple[str, str, str, str]  # scenario, check, figures, PASS/FAIL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        sys.exit("Нет серверных программ PostgreSQL (/usr/lib/postgresql/*/bin): apt-get install postgresql")
    return found[-1].parent


def as_postgres(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


class Stack:
    """The production shape on loopback, every process ours and on its own port."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="roadmaps-faults-"))
        os.chmod(self.base, 0o755)
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.procs: dict[str, subprocess.Popen] = {}
        self.media = self.base / "media"
        self.tmp = self.base / "tmp"
        self.media.mkdir()
        self.tmp.mkdir()
        self.env = os.environ | {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/roadmaps",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DJANGO_SETTINGS_MODULE": "config.settings_test",  # production with plain HTTP
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_MEDIA_ROOT": str(self.media),
            "TMPDIR": str(self.tmp),
            "DJANGO_SECRET_KEY": "faults-only-" + "x" * 50,
        }
        self.env.pop("DJANGO_DEBUG", None)
        self.url = f"http://127.0.0.1:{self.web_port}"

    # --- processes ---------------------------------------------------------------------------

    def start_postgres(self) -> None:
        data = self.base / "pg"
        bindir = pg_bindir()
        if not data.exists():
            data.mkdir()
            shutil.chown(data, "postgres") if os.geteuid() == 0 else None
            as_postgres(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "--auth=trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--no-locale",
                ]
            )
        as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(data / "server.log"),
                "-w",
                "-o",
                f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {data}",
                "start",
            ]
        )

    def stop_postgres(self, mode: str = "fast") -> None:
        as_postgres([str(pg_bindir() / "pg_ctl"), "-D", str(self.base / "pg"), "-m", mode, "-w", "stop"])

    def start_redis(self) -> None:
        self.procs["redis"] = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _can_connect(self.redis_port), 10)

    def stop_redis(self) -> None:
        proc = self.procs.pop("redis")
        proc.terminate()
        proc.wait(10)

    def spawn(self, name: str, cmd: list[str]) -> None:
        log = open(self.base / f"{name}.log", "a")  # noqa: SIM115 - lives as long as the process
        self.procs[name] = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_web(self) -> None:
        self.spawn(
            "web",
            [
                str(BIN / "gunicorn"),
                "-c",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "config.wsgi",
                "-b",
                f"127.0.0.1:{self.web_port}",
                "-w",
                "3",
                "--timeout",
                "60",
            ],
        )
        wait_for(lambda: _can_connect(self.web_port), 30)

    def start_worker(self) -> None:
        self.spawn(
            "worker",
            [str(BIN / "celery"), "-A", "config", "worker", "-l", "INFO", "-c", "2", "-n", "faults@%h"],
        )

    def start_beat(self) -> None:
        self.spawn(
            "beat", [str(BIN / "celery"), "-A", "config", "beat", "-l", "INFO", "-s", str(self.base / "beat")]
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """The whole process group (a Celery worker and its pool children, gunicorn and its workers)."""
        proc = self.procs.pop(name)
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(30)

    def manage(self, *args: str, **env: str) -> str:
        done = subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env | env, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(done.stderr[-2000:])
        return done.stdout

    def up(self) -> None:
        self.start_postgres()
        subprocess.run(
            [
                str(pg_bindir() / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.pg_port),
                "-U",
                "postgres",
                "roadmaps",
            ],
            check=True,
        )
        self.start_redis()
        self.manage("migrate", "--noinput")
        # The demo's own tasks (obligations, its reports) run in-process, not on the broker.
        self.manage("seed_demo", "--quiet", CELERY_BROKER_URL="", REDIS_URL="")
        self.start_web()
        self.start_worker()
        self.start_beat()

    def down(self) -> None:
        for name in list(self.procs):
            if name == "redis":
                self.stop_redis()
            else:
                self.kill(name, signal.SIGTERM)
        try:
            self.stop_postgres("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.base, ignore_errors=True)

    # --- the database, read by the harness itself ------------------------------------------------

    def sql(self, query: str) -> list[tuple]:
        done = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.pg_port),
                "-U",
                "postgres",
                "-d",
                "roadmaps",
                "-tAF",
                "\t",
                "-c",
                query,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return [tuple(line.split("\t")) for line in done.stdout.splitlines() if line]


def _can_connect(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_for(check: Callable[[], Any], timeout: float, step: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception:  # noqa: BLE001 - a service still starting
            value = None
        if value:
            return value
        time.sleep(step)
    return None


# --- HTTP as a person ------------------------------------------------------------------------------


class FormParser(html.parser.HTMLParser):
    """The fields of the first form with a csrf token (name → value), as a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.forms = 0
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms += 1
        if self.forms > 2:
            return
        if (
            tag == "input"
            and a.get("name")
            and a.get("type") not in ("submit", "button", "file", "checkbox", "radio")
        ):
            self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a and a.get("name"):
            self.fields.setdefault(a["name"], a.get("value", "on"))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields.setdefault(a["name"], "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.setdefault(self._select, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def form_of(html_text: str) -> dict[str, str]:
    parser = FormParser()
    parser.feed(html_text)
    return parser.fields


def login(stack: Stack, username: str) -> requests.Session:
    s = requests.Session()
    page = s.get(f"{stack.url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = s.post(
        f"{stack.url}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": f"{stack.url}/accounts/login/"},
        timeout=30,
    )
    if "sessionid" not in s.cookies:
        raise RuntimeError(f"login as {username} failed: {r.status_code}")
    return s


def post_form(s: requests.Session, url: str, data: dict[str, str], timeout: float = 60) -> requests.Response:
    return s.post(url, data=data, headers={"Referer": url}, timeout=timeout, allow_redirects=False)


# --- Scenarios ------------------------------------------------------------------------------------


def request_report(stack: Stack, s: requests.Session) -> requests.Response:
    page = s.get(f"{stack.url}/reports/", timeout=30)
    fields = form_of(page.text)
    round_id = re.search(r'name="round"[^>]*>.*?<option value="(\d+)"', page.text, re.S)
    fields.update({"kind": "quarterly", "fmt": "pdf", "round": round_id.group(1) if round_id else ""})
    return post_form(s, f"{stack.url}/reports/", fields)


def report_state(stack: Stack, report_id: str) -> tuple[str, str, str]:
    row = stack.sql(f"select status, progress, attempts from reporting_report where id = {int(report_id)}")
    return row[0] if row else ("?", "?", "?")


def report_files(stack: Stack) -> int:
    folder = stack.media / "reports"
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def scenario_worker_kill(stack: Stack, wait: float) -> list[Row]:
    s = login(stack, "tomsk-coordinator")
    files_before = report_files(stack)
    r = request_report(stack, s)
    match = re.search(r"/reports/(\d+)/", r.headers.get("Location", ""))
    if not match:
        return [("worker kill", "report requested", f"HTTP {r.status_code}", "FAIL")]
    rid = match.group(1)
    running = wait_for(lambda: report_state(stack, rid)[0] == "running", 120, 0.1)
    state = report_state(stack, rid)
    stack.kill("worker")  # the whole process group: main process and pool children
    killed_at = time.monotonic()
    time.sleep(2)
    stack.start_worker()
    done = wait_for(lambda: report_state(stack, rid)[0] in ("done", "failed"), wait, 1)
    elapsed = time.monotonic() - killed_at
    final = report_state(stack, rid)
    files = report_files(stack) - files_before
    return [
        (
            "worker kill",
            "killed while building",
            f"status {state[0]} {state[1]}%" if running else "never running",
            "PASS" if running else "FAIL",
        ),
        (
            "worker kill",
            f"finished within {wait:.0f} s of the restart",
            f"{final[0]} {final[1]}% after {elapsed:.0f} s, attempts {final[2]}",
            "PASS" if done and final[0] == "done" else "FAIL",
        ),
        (
            "worker kill",
            "built exactly once",
            f"report files on disk: {files}",
            "PASS" if done and files <= 1 else "FAIL",
        ),
    ]


def scenario_broker_down(stack: Stack, wait: float) -> list[Row]:
    s = login(stack, "tomsk-coordinator")
    before = stack.sql("select count(*) from reporting_report")[0][0]
    stack.stop_redis()
    try:
        r = request_report(stack, s)
        answer = f"HTTP {r.status_code}"
        ok_answer = r.status_code in (302, 200) and r.status_code != 500
        page = (
            s.get(f"{stack.url}{r.headers['Location']}", timeout=30).text if r.status_code == 302 else r.text
        )
        false_claim = "ничего не сохранено" in page
    except requests.RequestException as exc:
        answer, ok_answer, false_claim = f"no answer: {type(exc).__name__}", False, False
    after = stack.sql("select count(*) from reporting_report")[0][0]
    rid = stack.sql("select max(id) from reporting_report")[0][0]
    stack.start_redis()
    back = time.monotonic()
    done = wait_for(lambda: report_state(stack, rid)[0] == "done", wait, 1)
    final = report_state(stack, rid)
    return [
        ("broker down", "request answered", answer, "PASS" if ok_answer else "FAIL"),
        (
            "broker down",
            "page tells the truth",
            "claims «ничего не сохранено»" if false_claim else "no false claim",
            "FAIL" if false_claim else "PASS",
        ),
        (
            "broker down",
            "request recorded",
            f"reports {before} → {after}",
            "PASS" if int(after) > int(before) else "FAIL",
        ),
        (
            "broker down",
            f"built within {wait:.0f} s of the broker's return",
            f"{final[0]} {final[1]}% after {time.monotonic() - back:.0f} s",
            "PASS" if done else "FAIL",
        ),
    ]


def scenario_db_restart(stack: Stack, wait: float) -> list[Row]:
    sessions = [login(stack, u) for u in ("tomsk-coordinator", "tomsk-director", "tambov-coordinator")]
    urls = ["/", "/tasks/", "/roadmaps/", "/execution/"]
    log: list[tuple[float, int]] = []
    stop = threading.Event()

    def load(s: requests.Session) -> None:
        i = 0
        while not stop.is_set():
            try:
                code = s.get(f"{stack.url}{urls[i % len(urls)]}", timeout=30).status_code
            except requests.RequestException:
                code = 0
            log.append((time.monotonic(), code))
            i += 1

    threads = [threading.Thread(target=load, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    time.sleep(5)
    down = time.monotonic()
    stack.stop_postgres("fast")
    time.sleep(5)
    stack.start_postgres()
    up = time.monotonic()
    time.sleep(15)
    stop.set()
    for t in threads:
        t.join()
    before = Counter(c for ts, c in log if ts < down)
    during = Counter(c for ts, c in log if down <= ts < up + 1)
    after = Counter(c for ts, c in log if ts >= up + 1)
    first_ok = next((ts - up for ts, c in log if ts >= up and c == 200), None)
    bad_after = sum(n for c, n in after.items() if c != 200)
    return [
        ("database restart", "requests before", _codes(before), "PASS" if set(before) == {200} else "FAIL"),
        ("database restart", "requests while down (5 s)", _codes(during), "PASS"),
        (
            "database restart",
            "first 200 after restart",
            f"{first_ok:.1f} s" if first_ok is not None else "never",
            "PASS" if first_ok is not None and first_ok < 10 else "FAIL",
        ),
        (
            "database restart",
            "errors after recovery",
            f"{bad_after} of {sum(after.values())} ({_codes(after)})",
            "PASS" if bad_after == 0 else "FAIL",
        ),
    ]


def _codes(counter: Counter) -> str:
    return ", ".join(f"{code or 'no answer'}×{n}" for code, n in sorted(counter.items())) or "none"


def scenario_concurrent_edits(stack: Stack, wait: float) -> list[Row]:
    item_id = stack.sql(
        "select i.id from roadmaps_item i join roadmaps_roadmap r on r.id = i.roadmap_id "
        "join schools_region g on g.id = r.region_id where g.code = '70' and r.deleted_at is null order by i.id limit 1"
    )[0][0]
    a, b = login(stack, "tomsk-coordinator"), login(stack, "tomsk-coordinator")
    url = f"{stack.url}/roadmaps/items/{item_id}/edit/"
    form_a, form_b = form_of(a.get(url, timeout=30).text), form_of(b.get(url, timeout=30).text)
    form_a["text"] = form_a.get("text", "") + " [правка A]"
    form_b["indicator_text"] = form_b.get("indicator_text", "") + " [правка B]"
    ra, rb = post_form(a, url, form_a), post_form(b, url, form_b)
    text, indicator = stack.sql(f"select text, indicator_text from roadmaps_item where id = {int(item_id)}")[
        0
    ]
    both_told_saved = ra.status_code == 302 and rb.status_code == 302
    lost = both_told_saved and ("[правка A]" not in text or "[правка B]" not in indicator)
    return [
        ("concurrent edits", "answers to the two saves", f"A {ra.status_code}, B {rb.status_code}", "PASS"),
        (
            "concurrent edits",
            "no change silently lost",
            f"A kept: {'[правка A]' in text}, B kept: {'[правка B]' in indicator}",
            "FAIL" if lost else "PASS",
        ),
    ]


def scenario_killed_upload(stack: Stack, wait: float) -> list[Row]:
    obligation = stack.sql(
        "select o.id from monitoring_obligation o join schools_organization e on e.id = o.executor_id "
        "left join monitoring_executionreport r on r.obligation_id = o.id "
        "where e.short_name = 'УО Зырянского района' and r.id is null order by o.id limit 1"
    )[0][0]
    s = login(stack, "zyryanka-municipal")
    url = f"{stack.url}/obligations/{obligation}/evidence/"
    page = s.get(f"{stack.url}/obligations/{obligation}/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    media_before = {p for p in stack.media.rglob("*") if p.is_file()}
    rows_before = stack.sql("select count(*) from monitoring_evidence")[0][0]
    tmp_before = set(stack.tmp.rglob("*"))
    # A 15 MB PDF whose request stops half-way, then the gunicorn workers are killed.
    boundary = "faultsboundary"
    body_head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()
    total = len(body_head) + 15 * 2**20
    cookies = "; ".join(f"{k}={v}" for k, v in s.cookies.items())
    sock = socket.create_connection(("127.0.0.1", stack.web_port))
    sock.sendall(
        (
            f"POST /obligations/{obligation}/evidence/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookies}\r\n"
            f"Referer: {url}\r\nX-CSRFToken: {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {total}\r\n\r\n"
        ).encode()
        + body_head
    )
    chunk = b"0" * 2**20
    for _ in range(8):
        sock.sendall(chunk)
    time.sleep(1)
    web_pids = [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(stack.procs["web"].pid)], capture_output=True, text=True
        ).stdout.split()
    ]
    for pid in web_pids:  # the gunicorn workers, one of them mid-upload
        os.kill(pid, signal.SIGKILL)
    sock.close()
    time.sleep(3)
    orphans = {p for p in stack.media.rglob("*") if p.is_file()} - media_before
    rows_after = stack.sql("select count(*) from monitoring_evidence")[0][0]
    tmp_left = [p for p in set(stack.tmp.rglob("*")) - tmp_before if p.is_file()]
    alive = wait_for(lambda: s.get(f"{stack.url}/", timeout=5).status_code == 200, 30)
    return [
        (
            "killed upload",
            "evidence rows",
            f"{rows_before} → {rows_after}",
            "PASS" if rows_before == rows_after else "FAIL",
        ),
        ("killed upload", "orphan files in MEDIA_ROOT", str(len(orphans)), "PASS" if not orphans else "FAIL"),
        (
            "killed upload",
            "temporary uploads left",
            f"{len(tmp_left)} ({sum(p.stat().st_size for p in tmp_left) // 2**20} MB)",
            "PASS" if not tmp_left else "FAIL",
        ),
        ("killed upload", "site serves again", "yes" if alive else "no", "PASS" if alive else "FAIL"),
    ]


SCENARIOS: dict[str, Callable[[Stack, float], list[Row]]] = {
    "worker_kill": scenario_worker_kill,
    "broker_down": scenario_broker_down,
    "db_restart": scenario_db_restart,
    "concurrent_edits": scenario_concurrent_edits,
    "killed_upload": scenario_killed_upload,
}


def print_table(rows: list[Row]) -> None:
    head = ("scenario", "check", "what it saw", "result")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print(line)
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    print(line)
    passed = sum(1 for r in rows if r[3] == "PASS")
    print(f"{passed} PASS, {len(rows) - passed} FAIL")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenario names")
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for recovery")
    args = parser.parse_args()
    stack = Stack()
    rows: list[Row] = []
    try:
        print(f"starting the stack in {stack.base} …", flush=True)
        stack.up()
        for name in args.only.split(","):
            print(f"scenario {name} …", flush=True)
            try:
                rows += SCENARIOS[name](stack, args.wait)
            except Exception as exc:  # noqa: BLE001 - a scenario that could not run is reported
                rows.append((name, "scenario ran", f"{type(exc).__name__}: {str(exc)[:120]}", "FAIL"))
            # Each scenario leaves the stack whole for the next one.
            if "redis" not in stack.procs:
                stack.start_redis()
            if "worker" not in stack.procs:
                stack.start_worker()
    finally:
        print_table(rows)
        stack.down()


if __name__ == "__main__":
    main()
