"""The shape of the code, checked: what each layer may touch, and where a feature lives.

The import rules between layers are import-linter contracts (pyproject.toml, run by
`make test`); these checks cover what import-linter cannot see.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "survey"
FEATURES = sorted(p for p in (PACKAGE / "features").iterdir() if (p / "__init__.py").exists())
ENTRY_MODULES = sorted(
    p
    for f in FEATURES
    for name in ("views", "pages", "forms", "cli")
    if (p := f / f"{name}.py").exists()
)  # they read the request (or the command line) and call services


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", ENTRY_MODULES, ids=_name)
def test_views_and_commands_run_no_queries_and_no_session_calls(path):
    problems = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            problems.append(f"line {node.lineno}: imports {node.module}")
        if isinstance(node, ast.Import) and any(
            a.name.startswith("sqlalchemy") for a in node.names
        ):
            problems.append(f"line {node.lineno}: imports sqlalchemy")
        uses_db = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        if uses_db and node.value.id == "db" and node.attr not in ("get_or_404", "first_or_404"):
            problems.append(f"line {node.lineno}: db.{node.attr} (db.session, db.select...)")
    assert not problems, f"{_name(path)} queries the database itself: {problems}"


def _is_import(node: ast.stmt) -> bool:
    if isinstance(node, ast.Import | ast.ImportFrom):
        return True
    # `if TYPE_CHECKING:` blocks hold imports for type hints only.
    return isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=_name)
def test_imports_stand_at_the_top_of_every_module(path):
    body = _tree(path).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    first_other = next((i for i, node in enumerate(body) if not _is_import(node)), len(body))
    late = [node.lineno for node in body[first_other:] if _is_import(node)]
    assert not late, f"{_name(path)}: imports below the code at lines {late}"


@pytest.mark.parametrize("feature", FEATURES, ids=lambda p: p.name)
def test_every_feature_registers_itself_and_keeps_its_templates_under_its_name(feature):
    init = _tree(feature / "__init__.py")
    assert any(
        isinstance(node, ast.FunctionDef) and node.name == "init_app" for node in init.body
    ), f"{feature.name}/__init__.py has no init_app(app)"
    templates = feature / "templates"
    if templates.exists():
        folders = {p.name for p in templates.iterdir()}
        assert folders == {feature.name}, f"{feature.name}'s templates live in {folders}"


def test_the_readme_layout_names_every_feature():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\s{4}(\w+)/", layout, re.M))
    assert named == {f.name for f in FEATURES}
