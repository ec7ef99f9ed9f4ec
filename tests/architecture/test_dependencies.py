"""The apps' imports point one way, none reaches the tools, and docs/architecture.md draws them as they are."""

from __future__ import annotations

import ast
from graphlib import TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every top-level package is an app of the product except the tools and the tests: a new one joins the graph by existing.
APPS = sorted(path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name not in {"tools", "tests"})
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- dependencies: begin -->", "<!-- dependencies: end -->"


def imported_modules(app: str) -> set[str]:
    """Every module that a module of `app` imports, at the top or inside a function."""
    modules = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module)
            elif isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
    return modules


def app_graph() -> dict[str, set[str]]:
    """Each app and the other apps it imports."""
    return {app: {module.split(".")[0] for module in imported_modules(app)} & set(APPS) - {app} for app in APPS}


def diagram(graph: dict[str, set[str]]) -> str:
    """Draw the graph in layers, each app above everything it imports, then its arrows."""
    layer: dict[str, int] = {}
    for app in TopologicalSorter(graph).static_order():
        layer[app] = 1 + max((layer[needed] for needed in graph[app]), default=-1)
    rows = [
        "  ".join(sorted(app for app in APPS if layer[app] == level)) for level in range(max(layer.values()), -1, -1)
    ]
    arrows = [f"{app} → {', '.join(sorted(graph[app]))}" for app in sorted(graph) if graph[app]]
    return "\n".join(["```text", *rows, "", *arrows, "```"])


def test_users_never_imports_notes():
    assert "notes" not in app_graph()["users"]


def test_no_app_imports_the_tools_or_the_tests():
    leaks = {app: sorted(m for m in imported_modules(app) if m.split(".")[0] in {"tools", "tests"}) for app in APPS}

    assert {app: modules for app, modules in leaks.items() if modules} == {}


def test_the_apps_import_each_other_without_a_cycle():
    TopologicalSorter(app_graph()).prepare()  # raises CycleError


def test_docs_architecture_draws_the_graph_as_it_is():
    text = DOC.read_text()
    drawn = text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip()

    assert drawn == diagram(app_graph()), (
        f"docs/architecture.md is stale; between its markers put:\n{diagram(app_graph())}"
    )
