"""Translation done properly: every user-facing string is marked, the Russian catalog holds every
message of the code, and plurals read right («1 муниципалитет», «4 мероприятия», «151 отчёт»).

The code is written in Russian, so a singular message needs no translation (an empty msgstr
falls back to the msgid). Plurals do: without the catalog Django applies the source language's
rule (n != 1) and prints «4 мероприятий». The catalog's Plural-Forms header and the three hand-
written forms of every plural entry are what make them right, so they are checked here.
"""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation
from django.utils.translation import ngettext

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "schools", "audit", "roadmaps", "monitoring", "questionnaires", "reporting", "dashboard"]
PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
MARKERS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "gettext_noop",
}

# Russian literals that are not shown to anybody, so they stay unmarked. Keep this list small:
# a new entry needs a reason a reviewer agrees with.
NOT_USER_FACING_FILES = {
    "roadmaps/schedule.py": "the schedule parser's vocabulary: words it reads in «Сроки» cells",
    "roadmaps/indicators.py": "the indicator parser's vocabulary: units and comparators it reads",
    "schools/school_calendar.py": "pure module (no Django): names the bad entry of a region's calendar JSON; "
    "the admin sees it inside the translated message of schools.models.validate_school_calendar",
    "roadmaps/importing/structure.py": "column-header synonyms the importer recognises in documents",
    "roadmaps/importing/executors.py": "group words the importer recognises in «Исполнители» cells",
    "monitoring/demo.py": "demo data (names of the demo regions' organizations and texts)",
    "reporting/demo.py": "demo data",
    "reporting/living_demo.py": "demo data (the current-period copies: labels, review comments)",
    "reporting/synthetic.py": "generated benchmark data (Russian names) and progress lines for its operator",
    "roadmaps/demo.py": "demo data",
    "schools/management/commands/seed_demo.py": "demo data for the demo regions",
    "schools/vocabulary.py": "header synonyms and cell words the region's spreadsheet readers recognise",
}
NOT_USER_FACING_LITERALS = {
    ("schools/models.py", "ё"): "search normalisation (ё → е), not text",
    ("schools/models.py", "е"): "search normalisation (ё → е), not text",
    ("roadmaps/importing/analysis.py", "по"): "words the manual-date parser accepts between two dates",
    ("roadmaps/importing/analysis.py", "до"): "words the manual-date parser accepts between two dates",
    ("roadmaps/services.py", "школьн"): "word stems that tell a roadmap's level from its title",
    ("roadmaps/services.py", "муниципальн"): "word stems that tell a roadmap's level from its title",
    ("roadmaps/services.py", "региональн"): "word stems that tell a roadmap's level from its title",
    ("monitoring/services.py", "Минпросвещения"): "matches the federal project's name in a roadmap title",
    (
        "questionnaires/periods.py",
        r"([12])\s*-?\s*е\s+полугодие\s+(\d{4})\s*[–—-]\s*(\d{4})",
    ): "regex that reads a period label back",
    ("core/schema.py", "[А-Яа-яЁё]"): "regex that tells a Russian field label from DRF's English default",
    (
        "monitoring/api.py",
        "Приказ УО Зырянского района от 12.04.2023 № 87 о назначении координатора",
    ): "demo data in a schema example, not a message",
    ("monitoring/api.py", "Принять можно только отчёт, отправленный на проверку."): (
        "a schema example quoting the service's (translated) message"
    ),
    ("reporting/api.py", "Мониторинг исполнения: 2 квартал 2023"): "demo data in a schema example",
}


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def unmarked_literals(source: str) -> list[tuple[int, str]]:
    """Cyrillic string constants that are neither a translation call's argument nor a docstring
    (f-strings count: a Cyrillic f-string is an unmarked message with its parts glued in)."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) in MARKERS:
            for arg in node.args:
                skip.update(id(sub) for sub in ast.walk(arg))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CYRILLIC.search(node.value)
        and id(node) not in skip
    )


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path


def test_it_finds_an_unmarked_literal_and_ignores_marked_ones_and_docstrings():
    source = '''"""Модуль."""
from django.utils.translation import gettext as _
def f(n):
    """Документация."""
    ok = _("Сохранено.")
    also = _("%(n)s школ") % {"n": n}
    return "Не размечено", f"Отчёт {n}"
'''
    assert [text for _line, text in unmarked_literals(source)] == ["Не размечено", "Отчёт "]


def test_it_has_no_unmarked_russian_literal_in_the_apps():
    found = []
    for rel, path in _python_files():
        if rel in NOT_USER_FACING_FILES:
            continue
        for line, text in unmarked_literals(path.read_text(encoding="utf-8")):
            if (rel, text) not in NOT_USER_FACING_LITERALS:
                found.append(f"{rel}:{line}: {text[:70]!r}")
    assert not found, "Не размеченные для перевода строки (оберните в gettext/ngettext):\n" + "\n".join(found)


def test_it_keeps_the_exclusion_list_true():
    """An exclusion whose file or literal is gone would hide the next unmarked string there."""
    for rel in NOT_USER_FACING_FILES:
        assert (ROOT / rel).exists(), rel
    for rel, text in NOT_USER_FACING_LITERALS:
        assert text in [t for _line, t in unmarked_literals((ROOT / rel).read_text(encoding="utf-8"))], (
            rel,
            text,
        )


_TEMPLATE_MARKED = [
    re.compile(r"\{%\s*blocktranslate.*?%\}.*?\{%\s*endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*translate\s+(\"[^\"]*\"|'[^']*').*?%\}"),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),
]


def test_it_has_no_unmarked_russian_text_in_the_templates():
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in _TEMPLATE_MARKED:  # blank out what is marked, keeping line numbers
            text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
        for number, line in enumerate(text.splitlines(), start=1):
            if CYRILLIC.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not found, "Русский текст вне {% translate %}/{% blocktranslate %}:\n" + "\n".join(found)


# --- plurals -------------------------------------------------------------------------------------

COUNTS = (1, 3, 5, 11, 21, 151)


@pytest.fixture
def russian():
    with translation.override("ru"):
        yield


@pytest.mark.parametrize(
    "n, expected",
    list(
        zip(
            COUNTS,
            [
                "Дорожная карта загружена: 1 мероприятие.",
                "Дорожная карта загружена: 3 мероприятия.",
                "Дорожная карта загружена: 5 мероприятий.",
                "Дорожная карта загружена: 11 мероприятий.",
                "Дорожная карта загружена: 21 мероприятие.",
                "Дорожная карта загружена: 151 мероприятие.",
            ],
            strict=True,
        )
    ),
)
def test_it_counts_imported_items_in_russian(russian, n, expected):
    # the message roadmaps.views shows after an import
    message = ngettext(
        "Дорожная карта загружена: %(n)s мероприятие.", "Дорожная карта загружена: %(n)s мероприятий.", n
    )
    assert message % {"n": n} == expected


@pytest.mark.parametrize(
    "n, expected",
    list(
        zip(COUNTS, ["1 минуту", "3 минуты", "5 минут", "11 минут", "21 минуту", "151 минуту"], strict=True)
    ),
)
def test_it_counts_lockout_minutes_in_russian(russian, rf, monkeypatch, n, expected):
    from django.contrib.auth.models import AnonymousUser

    from schools import accounts

    monkeypatch.setattr(accounts, "lockout_minutes", lambda request=None: n)
    request = rf.get("/accounts/login/")
    request.user = AnonymousUser()
    page = accounts.lockout_response(request).content.decode()
    assert f"Попробуйте снова через {expected} или обратитесь к администратору." in page


HOME_OVERDUE = "{{ n }} отчёт просрочен{% plural %}{{ n }} отчётов просрочено"


@pytest.mark.parametrize(
    "n, expected",
    list(
        zip(
            COUNTS,
            [
                "1 отчёт просрочен",
                "3 отчёта просрочено",
                "5 отчётов просрочено",
                "11 отчётов просрочено",
                "21 отчёт просрочен",
                "151 отчёт просрочен",
            ],
            strict=True,
        )
    ),
)
def test_it_counts_overdue_reports_on_the_home_page(russian, n, expected):
    # the line of dashboard/home.html, rendered on its own (the page needs a user with n overdue)
    assert HOME_OVERDUE in (ROOT / "templates" / "dashboard" / "home.html").read_text(encoding="utf-8")
    line = "{% load i18n %}{% blocktranslate count n=n %}" + HOME_OVERDUE + "{% endblocktranslate %}"
    assert Template(line).render(Context({"n": n})) == expected


@pytest.mark.parametrize(
    "n, expected",
    list(
        zip(
            COUNTS,
            [
                "Дорожные карты: 1 просроченный отчёт",
                "Дорожные карты: 3 просроченных отчёта",
                "Дорожные карты: 5 просроченных отчётов",
                "Дорожные карты: 11 просроченных отчётов",
                "Дорожные карты: 21 просроченный отчёт",
                "Дорожные карты: 151 просроченный отчёт",
            ],
            strict=True,
        )
    ),
)
def test_it_counts_overdue_reports_in_the_digest_subject(russian, n, expected):
    assert render_to_string("monitoring/email/digest_subject.txt", {"overdue_total": n}).strip() == expected


@pytest.mark.parametrize(
    "n, expected",
    list(
        zip(
            COUNTS,
            [
                "отчёт ожидался",
                "отчёта ожидалось",
                "отчётов ожидалось",
                "отчётов ожидалось",
                "отчёт ожидался",
                "отчёт ожидался",
            ],
            strict=True,
        )
    ),
)
def test_it_counts_expected_reports_in_the_report_kpis(russian, n, expected):
    html = render_to_string("reporting/_kpis.html", {"t": {"expected": n}})
    assert f"<b>{n}</b>{expected}</span>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["tomsk-municipal", "tomsk-coordinator"])
def test_it_counts_the_reach_on_the_home_page_in_russian(client_for, username):
    """The line once read «1 муниципалитетов»."""
    response = client_for(username).get("/")
    municipalities = response.context["municipality_count"]
    organizations = response.context["organization_count"]
    html = " ".join(response.content.decode().split())
    assert (
        f"<strong>{municipalities}</strong> {_ru(municipalities, 'муниципалитет', 'муниципалитета', 'муниципалитетов')}"
        in html
    )
    assert (
        f"{organizations}</span> {_ru(organizations, 'организация', 'организации', 'организаций')}," in html
    )


def _ru(n: int, one: str, few: str, many: str) -> str:
    """The Russian rule spelt out, for counts taken from the demo data."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


def test_the_spelt_out_rule_agrees_with_the_hand_written_cases():
    assert [_ru(n, "a", "b", "c") for n in (*COUNTS, 2, 4, 12, 14, 22, 100, 101, 111, 112)] == list(
        "abccaa"
    ) + list("bbccbcacc")


# --- the catalog ---------------------------------------------------------------------------------


def parse_po(text: str) -> list[dict]:
    """The entries of a .po file (header and obsolete entries left out)."""
    entries: list[dict] = []
    current: dict | None = None
    field: tuple = ()
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue
        if line.startswith("msgid "):
            if current and current["msgid"]:
                entries.append(current)
            current = {"msgid": ast.literal_eval(line[6:]), "msgid_plural": None, "msgstr": {}}
            field = ("msgid",)
        elif line.startswith("msgid_plural "):
            current["msgid_plural"] = ast.literal_eval(line[13:])
            field = ("msgid_plural",)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            current["msgstr"][index] = ast.literal_eval(line[line.index("]") + 2 :])
            field = ("msgstr", index)
        elif line.startswith("msgstr "):
            current["msgstr"][0] = ast.literal_eval(line[7:])
            field = ("msgstr", 0)
        elif line.startswith('"') and current is not None:
            if field[0] == "msgstr":
                current["msgstr"][field[1]] += ast.literal_eval(line)
            else:
                current[field[0]] += ast.literal_eval(line)
    if current and current["msgid"]:
        entries.append(current)
    return entries


def test_it_has_the_russian_plural_rule_in_the_catalog():
    header = PO.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header  # msgfmt drops a fuzzy header, and the plural rule with it
    assert PLURAL_FORMS in ast.literal_eval("(" + "\n".join(header.splitlines()[5:]).replace("\n", " ") + ")")


def test_it_has_three_hand_written_forms_for_every_plural_entry():
    plurals = [e for e in parse_po(PO.read_text(encoding="utf-8")) if e["msgid_plural"]]
    assert plurals
    incomplete = [
        e["msgid"] for e in plurals if sorted(e["msgstr"]) != [0, 1, 2] or not all(e["msgstr"].values())
    ]
    assert not incomplete, "Заполните три формы (один / несколько / много) для: " + "; ".join(incomplete)


def test_it_compiles_the_catalog_with_msgfmt_check(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_it_keeps_the_catalog_in_step_with_the_code(tmp_path, monkeypatch):
    """makemessages over a copy of the tree: every message of the code is in django.po and
    nothing in django.po is gone from the code. Fix: `make messages`, then fill the plurals."""
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        tree,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "tests",
            "bench",
            "scripts",
            "locale",
            "__pycache__",
            "static",
            "fixtures",
            "seeds",
            "docs",
            "media",
            "staticfiles",
            "test-artifacts",
            "*.docx",
            "*.xlsx",
            "*.pdf",
        ),
    )
    (tree / "locale").mkdir()
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[str(tree / "locale")]):
        call_command(
            "makemessages",
            locale=["ru"],
            no_location=True,
            no_obsolete=True,
            verbosity=0,
            ignore_patterns=[".venv", "tests", "bench", "scripts"],
        )
    fresh = parse_po((tree / "locale" / "ru" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    committed = parse_po(PO.read_text(encoding="utf-8"))
    key = lambda e: (e["msgid"], e["msgid_plural"])  # noqa: E731
    missing = sorted({key(e) for e in fresh} - {key(e) for e in committed})
    stale = sorted({key(e) for e in committed} - {key(e) for e in fresh})
    assert not missing, "Нет в locale/ru/LC_MESSAGES/django.po (выполните make messages): " + repr(
        missing[:20]
    )
    assert not stale, "В django.po остались сообщения, которых нет в коде (make messages): " + repr(
        stale[:20]
    )


def test_it_prints_the_help_of_every_command_of_the_apps():
    """Command help is translated eagerly: argparse cannot format a lazy string."""
    from django.core.management import load_command_class

    commands = [
        (path.parts[-4], path.stem)
        for app in APPS
        for path in sorted((ROOT / app / "management" / "commands").glob("[!_]*.py"))
    ]
    assert commands
    for app, name in commands:
        help_text = load_command_class(app, name).create_parser("manage.py", name).format_help()
        assert CYRILLIC.search(help_text), (app, name)


def test_it_keeps_russian_text_out_of_the_scripts():
    """Scripts take their messages from the page (data-msg-* rendered with {% translate %})."""
    found = []
    for path in sorted((ROOT / "static" / "js").rglob("*.js")):
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.S)
        found += [
            f"{path.name}: {s}" for s in re.findall(r"\"[^\"\n]*\"|'[^'\n]*'", code) if CYRILLIC.search(s)
        ]
    assert not found, found
