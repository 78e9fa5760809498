"""Accessibility (ГОСТ Р 52872-2019 / WCAG 2.1 AA) of every role's main pages, measured in the browser.

One live server, one browser, one crawl: each role logs in once and opens its main pages at
1366 px and at 390 px. On each page and width axe-core (bundled in axe-playwright-python, injected
from the local package — no network) checks WCAG 2.0/2.1 A and AA rules; a script checks that every
`aria-describedby` / `aria-labelledby` names an element that exists; at 390 px the document must
not be wider than the screen. The tests below each read one kind of finding from that crawl, so a
failure names the role, the page, the width and what was found.
"""

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests import demo_snapshot
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
SCREENSHOTS = os.environ.get("A11Y_SCREENSHOTS") == "1"
ROLES = [
    "tomsk-coordinator",
    "tomsk-department",
    "tomsk-municipal",
    "tomsk-director",
    "tomsk-curator",
]
# The federal viewer (every region, read-only) has no membership: its own short list of pages.
FEDERAL = "federal-viewer"
FEDERAL_PAGES = [
    "/",
    "/reports/",
    "/execution/overview/",
    "/execution/",
    "/diagnostics/",
    "/roadmaps/",
    "/help/",
]

# Every id named by aria-describedby / aria-labelledby must exist on the page.
DANGLING_REFS_JS = """() => {
  const out = [];
  for (const attr of ["aria-describedby", "aria-labelledby"]) {
    document.querySelectorAll("[" + attr + "]").forEach((el) => {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) out.push(attr + "=" + id + " on <" + el.tagName.toLowerCase()
          + (el.id ? " id=" + el.id : "") + (el.name ? " name=" + el.name : "") + ">");
      }
    });
  }
  return out;
}"""

# Data tables: a caption (or a label), header cells with a scope, and a region label on scroll wrappers.
TABLES_JS = """() => {
  const out = [];
  document.querySelectorAll("main table").forEach((t, i) => {
    const name = "table#" + (i + 1);
    if (!t.querySelector("caption") && !t.getAttribute("aria-label")) out.push(name + " без подписи (caption)");
    const bare = t.querySelectorAll("thead th:not([scope])").length;
    if (bare) out.push(name + ": " + bare + " заголовков столбцов без scope");
  });
  document.querySelectorAll(".table-wrap").forEach((w) => {
    if (w.getAttribute("tabindex") !== "0" || w.getAttribute("role") !== "region"
        || !(w.getAttribute("aria-label") || w.getAttribute("aria-labelledby")))
      out.push("div.table-wrap без tabindex=0 / role=region / подписи");
  });
  return out;
}"""

# What sticks out past the right edge at phone width, to name the culprit in a failure.
WIDE_ELEMENTS_JS = """() => Array.from(document.querySelectorAll("body *"))
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                 && !e.closest(".table-wrap"))
  .slice(0, 5).map((e) => e.tagName.toLowerCase() + "." + e.className)"""


@dataclass
class Finding:
    role: str
    url: str
    width: str
    axe: list[str] = field(default_factory=list)
    minor: list[str] = field(default_factory=list)  # moderate and minor: reported, not failed
    dangling: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    scroll_width: int = 0
    wide: list[str] = field(default_factory=list)
    status: int = 200
    csp: list[str] = field(default_factory=list)
    seconds: dict = field(default_factory=dict)

    def where(self) -> str:
        return f"{self.role} {self.url} @{self.width}"


def _first_pk(qs) -> int:
    obj = qs.first()
    assert obj is not None, f"в демо-данных нет объекта для проверки: {qs.model.__name__}"
    return obj.pk


def _pages_of(username: str) -> list[str]:
    """The main pages of a role: what its menu leads to and the objects it works on."""
    from monitoring.models import MonitoringRound, Obligation
    from questionnaires.models import Assignment, Questionnaire
    from roadmaps.models import Roadmap
    from schools.models import Membership, Organization, User

    user = User.objects.get(username=username)
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    roadmaps = Roadmap.objects.visible_to(user).filter(status="approved").order_by("level", "pk")
    roadmap = _first_pk(roadmaps)
    obligations = Obligation.objects.visible_to(user).order_by("due_date", "pk")
    with_evidence = obligations.filter(report__evidence__isnull=False)
    pages = [
        "/",
        "/roadmaps/",
        f"/roadmaps/{roadmap}/",
        "/roadmaps/due/",
        "/questionnaires/",
        "/execution/",
        "/execution/matrix/",
        "/reports/",
        "/rounds/",
        "/organizations/",
        f"/organizations/{membership.organization_id}/",
        "/profile/",
        "/accounts/password_change/",
        "/help/",
    ]
    pages.append("/diagnostics/measures/")
    school_roadmaps = Roadmap.objects.visible_to(user).filter(level="school").order_by("pk")
    if school_roadmaps.exists():
        pages.append(f"/diagnostics/roadmaps/{_first_pk(school_roadmaps)}/coverage/")
    if obligations.exists():  # a curator's schools may have no obligations in the demo
        pages.append(f"/obligations/{_first_pk(with_evidence if with_evidence.exists() else obligations)}/")
    questionnaires = Questionnaire.objects.visible_to(user).filter(is_template=False).order_by("pk")
    if questionnaires.exists():
        pages.append(f"/questionnaires/{_first_pk(questionnaires)}/")
    rounds = MonitoringRound.objects.visible_to(user).order_by("pk")
    if rounds.exists():
        pages.append(f"/rounds/{_first_pk(rounds)}/")
    role = membership.role
    if role != "department":
        pages.append("/tasks/")
    if role in ("coordinator", "curator"):
        pages.append("/reviews/")
    if role in ("coordinator", "municipal"):
        q = _first_pk(questionnaires)
        pages += [f"/questionnaires/{q}/tracking/", f"/questionnaires/{q}/results/"]
    if role == "municipal" and membership.organization.municipality_id:
        pages.append(f"/municipalities/{membership.organization.municipality_id}/")
    if role == "director":
        assignment = _first_pk(Assignment.objects.visible_to(user).order_by("pk"))
        pages.append(f"/questionnaires/assignments/{assignment}/")
    if role in ("coordinator", "department", "municipal"):
        pages.append("/execution/overview/")
    # «Результаты и исполнение»: the region view and the card of a school the role reaches.
    pages.append("/diagnostics/")
    card_school = (
        Organization.objects.visible_to(user).filter(kind="school").order_by("-statuses__year", "pk")
    )
    pages.append(f"/diagnostics/schools/{_first_pk(card_school)}/")
    if role == "coordinator":
        code = membership.region.code
        pages += ["/trash/", f"/regions/{code}/setup/", f"/regions/{code}/setup/people/"]
        pages += [f"/regions/{code}/setup/aliases/"]
        pages += [f"/diagnostics/import/{code}/", f"/diagnostics/import/{code}/self-diagnosis/"]
        pages += _coordinator_pages(user, roadmap)
    return pages


def _coordinator_pages(user, roadmap: int) -> list[str]:
    """The builder's forms: import upload and preview, item and revision forms, the question form."""
    from questionnaires.models import Questionnaire
    from roadmaps import services
    from roadmaps.models import Item, Roadmap

    region = Roadmap.objects.get(pk=roadmap).region
    source = (
        Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps" / "070-zyryansky-municipal-2023.docx"
    )
    draft = services.do_create_import_draft(
        actor=user, region=region, name=source.name, data=source.read_bytes()
    )
    item = _first_pk(Item.objects.visible_to(user).filter(roadmap_id=roadmap).order_by("pk"))
    # The regional template is the questionnaire a coordinator builds on.
    template = _first_pk(Questionnaire.objects.visible_to(user).filter(is_template=True).order_by("pk"))
    return [
        "/audit/",
        f"/regions/{region.code}/roadmaps/import/",
        f"/roadmaps/imports/{draft.pk}/",
        f"/roadmaps/items/{item}/edit/",
        f"/roadmaps/{roadmap}/items/new/",
        f"/roadmaps/{roadmap}/revisions/new/",
        f"/questionnaires/{template}/questions/new/",
        f"/questionnaires/{template}/",
        f"/diagnostics/regions/{region.code}/measures/new/",
        f"/diagnostics/regions/{region.code}/measures/from-roadmap/",
        f"/diagnostics/items/{item}/deficits/",
    ]


def _check(page, axe, finding: Finding) -> None:
    results = axe.run(page, options=AXE_OPTIONS).response
    for v in results["violations"]:
        targets = ", ".join(str(n["target"][0]) for n in v["nodes"][:3])
        text = f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {targets}"
        (finding.axe if v["impact"] in BLOCKING else finding.minor).append(text)
    finding.dangling = page.evaluate(DANGLING_REFS_JS)
    finding.tables = page.evaluate(TABLES_JS)
    if finding.width == "phone":
        finding.scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if finding.scroll_width > WIDTHS["phone"][0]:
            finding.wide = page.evaluate(WIDE_ELEMENTS_JS)


def _visit(page, axe, role: str, url: str, shots: Path) -> list[Finding]:
    out = []
    for width, (w, h) in WIDTHS.items():
        page.set_viewport_size({"width": w, "height": h})
        finding = Finding(role=role, url=url, width=width)
        t0 = time.monotonic()
        response = page.goto(url)
        finding.seconds["load"] = round(time.monotonic() - t0, 1)
        finding.status = response.status if response else 0
        if not page.url.endswith(url):  # a redirect (to the login page, say) is not the page
            finding.status = -1
        if finding.status == 200:
            t0 = time.monotonic()
            _check(page, axe, finding)
            finding.seconds["check"] = round(time.monotonic() - t0, 1)
        name = re.sub(r"[^a-z0-9]+", "-", f"{role}{url}").strip("-") or "root"
        if SCREENSHOTS:  # A11Y_SCREENSHOTS=1: a full-page PNG of every page at both widths
            page.screenshot(path=str(shots / f"{name}-{w}.png"), full_page=True)
        out.append(finding)
    return out


def _browse(browser, base_url: str, plan: dict[str, list[str]], shots: Path) -> list[Finding]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    findings: list[Finding] = []
    context = browser.new_context(locale="ru-RU", base_url=base_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    for url in ["/accounts/login/", "/accounts/password_reset/"]:
        findings += _visit(page, axe, "anonymous", url, shots)
    for role, urls in plan.items():
        page.goto("/accounts/login/")
        page.get_by_label("Имя пользователя").fill(role)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        expect(page.get_by_role("button", name=re.compile(r"^Выйти"))).to_be_visible()
        for url in urls:
            csp.clear()
            visited = _visit(page, axe, role, url, shots)
            visited[-1].csp = list(csp)
            findings += visited
        context.clear_cookies()
    context.close()
    return findings


@pytest.fixture(scope="module")
def crawl(browser, live_server, django_db_setup, django_db_blocker) -> list[Finding]:
    shots = ARTIFACTS / "a11y"
    shots.mkdir(parents=True, exist_ok=True)
    # The live server's thread reads the committed demo data (put back from the session's seeding:
    # tests/demo_snapshot.py); the database is left empty after, as a test that commits leaves it.
    with django_db_blocker.unblock():
        try:
            demo_snapshot.restore()
            plan = {role: _pages_of(role) for role in ROLES} | {FEDERAL: FEDERAL_PAGES}
            findings = _browse(browser, live_server.url, plan, shots)
        finally:
            call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    (shots / "findings.txt").write_text(
        "\n".join(
            f"{f.where()} HTTP {f.status} {f.scroll_width}px axe={f.axe} minor={f.minor} "
            f"dangling={f.dangling} tables={f.tables} wide={f.wide} csp={f.csp} seconds={f.seconds}"
            for f in findings
        ),
        encoding="utf-8",
    )
    return findings


def _report(findings: list[Finding], attr: str) -> str:
    lines = []
    for f in findings:
        value = getattr(f, attr)
        if value:
            lines.append(f"{f.where()}: " + "; ".join(value))
    return "\n".join(lines)


def test_every_main_page_of_every_role_opens(crawl):
    roles = {f.role for f in crawl}
    assert roles == {"anonymous", *ROLES, FEDERAL}
    broken = [f"{f.where()}: HTTP {f.status}" for f in crawl if f.status != 200]
    assert not broken, "\n".join(broken)
    blocked = _report(crawl, "csp")
    assert not blocked, blocked


def test_axe_finds_no_serious_or_critical_violation_at_1366_and_390(crawl):
    assert len(crawl) > 100  # every role's pages at both widths were measured
    report = _report(crawl, "axe")
    assert not report, "axe-core (WCAG 2.1 A/AA), серьёзные и критические нарушения:\n" + report


def test_aria_describedby_and_labelledby_never_point_at_nothing(crawl):
    report = _report(crawl, "dangling")
    assert not report, "ссылки aria-* на несуществующие элементы:\n" + report


def test_tables_have_captions_column_scopes_and_reachable_scroll_regions(crawl):
    report = _report(crawl, "tables")
    assert not report, "таблицы без подписи, scope или доступной области прокрутки:\n" + report


def test_no_page_scrolls_sideways_on_a_390px_phone(crawl):
    wide = [
        f"{f.where()}: ширина документа {f.scroll_width}px; выходят за край: {f.wide}"
        for f in crawl
        if f.width == "phone" and f.scroll_width > WIDTHS["phone"][0]
    ]
    assert not wide, "\n".join(wide)
    assert all(f.scroll_width > 0 for f in crawl if f.width == "phone" and f.status == 200)
