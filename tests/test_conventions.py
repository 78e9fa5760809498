"""Conventions kept by tests, not by memory (docs/ARCHITECTURE.md explains them).

1. Layers point down only: core → schools → audit → roadmaps → monitoring / questionnaires →
   diagnostics → reporting → dashboard; ``config`` wires them all together and nothing imports it.
2. No page or API module reads a tenant-owned model except through the gate
   (``Model.objects.visible_to(user)`` or the view bases' ``get_queryset``/``get_object``).
3. There is one road to the gate: no app defines its own ``visible()`` helper and nothing but the
   queryset calls the gate's internal scoping function.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "core": 0,
    "schools": 1,
    "audit": 2,
    "roadmaps": 3,
    "monitoring": 4,
    "questionnaires": 4,
    "diagnostics": 5,
    "reporting": 6,
    "dashboard": 7,
}


def python_files(package: str, root: Path = ROOT):
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_packages(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module.split(".")[0]


def layer_violations(root: Path = ROOT) -> list[str]:
    found = []
    for package, rank in LAYERS.items():
        if not (root / package).is_dir():
            continue
        for path in python_files(package, root):
            for line, target in imported_packages(ast.parse(path.read_text(), str(path))):
                if target == "config" and path.name != "celery.py":
                    found.append(f"{path.relative_to(root)}:{line} imports config")
                if target not in LAYERS or target == package:
                    continue
                if LAYERS[target] >= rank:
                    found.append(f"{path.relative_to(root)}:{line} imports {target} (a layer above or beside it)")
    return found


def test_it_keeps_every_import_pointing_down_the_layers():
    assert layer_violations() == []


def test_it_would_catch_an_import_pointing_up(tmp_path):
    # The checker itself must be able to fail: plant a schools module importing monitoring.
    (tmp_path / "schools").mkdir()
    (tmp_path / "schools" / "bad.py").write_text("def f():\n    from monitoring.models import Obligation\n")
    (tmp_path / "monitoring").mkdir()
    (tmp_path / "monitoring" / "ok.py").write_text("from schools import access\n")
    assert layer_violations(tmp_path) == ["schools/bad.py:2 imports monitoring (a layer above or beside it)"]


# --- The gate ---------------------------------------------------------------------------------


def is_view_module(path: Path) -> bool:
    return path.name in ("views.py", "api.py") or path.name.endswith("_views.py") or "views" in path.parts


def gated_model_names() -> set[str]:
    from schools import access

    return {model.__name__ for model in access._SCOPERS}


def ungated_reads(paths, names: set[str], root: Path = ROOT) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            # Model.objects.<method> / Model._default_manager.<method>
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr in ("objects", "_default_manager")
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id in names
                and node.attr != "visible_to"
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.value.id}.{node.value.attr}.{node.attr}")
    return found


@pytest.mark.django_db
def test_it_reads_tenant_models_in_views_and_api_only_through_the_gate():
    paths = [p for package in LAYERS for p in python_files(package) if (ROOT / package).is_dir() and is_view_module(p)]
    assert paths, "no view modules found"
    assert ungated_reads(paths, gated_model_names()) == []


@pytest.mark.django_db
def test_it_would_catch_a_view_reading_around_the_gate(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("def get(request):\n    return Obligation.objects.filter(pk=1)\n")
    assert ungated_reads([bad], gated_model_names(), tmp_path) == ["views.py:2 Obligation.objects.filter"]


def test_it_has_one_road_to_the_gate():
    offenders = []
    for package in LAYERS:
        if not (ROOT / package).is_dir():
            continue
        for path in python_files(package):
            text = path.read_text()
            tree = ast.parse(text, str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef) and node.name in ("visible", "_visible", "scope_queryset"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} defines {node.name}()")
            if "_scope_queryset" in text and path.relative_to(ROOT).as_posix() not in (
                "schools/access.py",
                "schools/models.py",
            ):
                offenders.append(f"{path.relative_to(ROOT)} calls the gate's internals")
    assert offenders == []
