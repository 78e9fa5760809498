"""Every function and method in the apps carries type hints (STYLE.md, convention 10).

The house style asks for hints on parameters and returns; this test keeps it so rather than
memory. It reads the source with ``ast`` (nothing is imported) and lists every function with an
unannotated parameter (other than ``self``/``cls`` of a method) or no return annotation.
Migrations are generated code and are left out.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "config",
    "core",
    "schools",
    "audit",
    "roadmaps",
    "monitoring",
    "questionnaires",
    "reporting",
    "dashboard",
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def python_files(root: Path = ROOT) -> list[Path]:
    files = []
    for package in PACKAGES:
        if (root / package).is_dir():
            files.extend(p for p in sorted((root / package).rglob("*.py")) if "migrations" not in p.parts)
    return files


def _missing_in_function(node: FunctionNode, is_method: bool) -> list[str]:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
    if is_method and not static and positional and positional[0].arg in ("self", "cls"):
        positional = positional[1:]
    params = [*positional, *args.kwonlyargs]
    if args.vararg:
        params.append(args.vararg)
    if args.kwarg:
        params.append(args.kwarg)
    missing = [p.arg for p in params if p.annotation is None]
    if node.returns is None:
        missing.append("return")
    return missing


def unannotated(source: str, filename: str) -> list[str]:
    """``filename:line name (what is missing)`` for each function lacking hints in ``source``."""
    found = []

    def visit(parent: ast.AST, in_class: bool) -> None:
        for child in ast.iter_child_nodes(parent):
            if isinstance(child, FunctionNode):
                missing = _missing_in_function(child, is_method=in_class)
                if missing:
                    found.append(f"{filename}:{child.lineno} {child.name} (no hint on: {', '.join(missing)})")
                visit(child, in_class=False)
            elif isinstance(child, ast.ClassDef):
                visit(child, in_class=True)
            else:
                visit(child, in_class=in_class)

    visit(ast.parse(source, filename), in_class=False)
    return found


def unannotated_in_apps(root: Path = ROOT) -> list[str]:
    found = []
    for path in python_files(root):
        found.extend(unannotated(path.read_text(), str(path.relative_to(root))))
    return found


def test_it_finds_hints_on_every_function_of_the_apps():
    missing = unannotated_in_apps()
    assert missing == [], "Functions without type hints:\n" + "\n".join(missing)


def test_it_would_catch_a_function_without_hints():
    source = """
def plain(a, b: int):
    return a

def typed(a: int, *args: str, **kwargs: object) -> int:
    def inner(x):
        return x
    return a

class View:
    def get(self, request, *args, **kwargs) -> None:
        pass

    @classmethod
    def build(cls) -> "View":
        return cls()

    @staticmethod
    def helper(self):
        pass

    async def fetch(self, key: str):
        pass
"""
    assert unannotated(source, "x.py") == [
        "x.py:2 plain (no hint on: a, return)",
        "x.py:6 inner (no hint on: x, return)",
        "x.py:11 get (no hint on: request, args, kwargs)",
        "x.py:19 helper (no hint on: self, return)",
        "x.py:22 fetch (no hint on: return)",
    ]


def test_it_walks_every_app_and_skips_migrations(tmp_path):
    (tmp_path / "schools" / "migrations").mkdir(parents=True)
    (tmp_path / "schools" / "migrations" / "0001_initial.py").write_text(
        "def forwards(apps, schema_editor):\n    pass\n"
    )
    (tmp_path / "schools" / "views.py").write_text("def page(request):\n    pass\n")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "urls.py").write_text("def ok() -> None:\n    pass\n")
    assert unannotated_in_apps(tmp_path) == ["schools/views.py:1 page (no hint on: request, return)"]
