"""Imports run one way: each package of `generator` imports only packages below it in
`ORDER`, and no modules import each other in a circle. Imports made only for type
checking count too: they tie the code together all the same."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator"
ORDER = ("core", "deckfile", "survey", "i18n", "charts", "plan", "layout", "slides", "output",
         "run", "cli", "__main__")
"""From the bottom up: `core` (errors, theme, geometry) to the command line."""


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.with_suffix("").relative_to(ROOT).parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(known: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the generator modules it imports (at any depth of its code)."""
    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join([*package.split(".")[:len(package.split(".")) - node.level + 1],
                                     *([base] if base else [])])
                wanted = [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in wanted:
                found = resolve(target) if target.startswith("generator") else None
                if found and found != name:
                    edges.setdefault(name, set()).add(found)
    return edges


def layer(module: str) -> int | None:
    parts = module.split(".")
    return ORDER.index(parts[1]) if len(parts) > 1 and parts[1] in ORDER else None


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_package_has_its_place_in_the_order():
    packages = {name.split(".")[1] for name in modules() if name.count(".") >= 1}
    assert packages - set(ORDER) == set()


def test_no_modules_import_each_other_in_a_circle():
    assert circles(imports(modules())) == []


def test_no_package_imports_one_above_it():
    upward = sorted(f"{a} -> {b}" for a, targets in imports(modules()).items()
                    for b in targets if (layer(b) or 0) > (layer(a) or 0))
    assert upward == []


def test_the_checks_find_a_circle_and_an_upward_import():
    edges = {"generator.plan.a": {"generator.plan.b"}, "generator.plan.b": {"generator.plan.a"},
             "generator.core.x": {"generator.run.y"}}
    assert circles(edges) == [["generator.plan.a", "generator.plan.b"]]
    assert layer("generator.run.y") > layer("generator.core.x")


def test_no_module_is_longer_than_450_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 450}
    assert long == {}
