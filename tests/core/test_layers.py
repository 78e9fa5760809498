"""core/ is infrastructure beneath every app: it imports none of them (layers point down only)."""

import ast
from pathlib import Path

import core

APPS = {"schools", "roadmaps", "monitoring", "questionnaires", "reporting"}
CORE = Path(core.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_core_imports_no_app():
    offenders = {
        f"{path.relative_to(CORE.parent)}: {name}"
        for path in CORE.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in APPS
    }
    assert not offenders, offenders


def test_core_init_is_empty():
    assert (CORE / "__init__.py").read_text() == ""


def test_the_old_upload_module_is_gone():
    assert not (CORE.parent / "monitoring" / "uploads.py").exists()
