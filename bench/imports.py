"""Which of Huddle's apps import each other (docs/ARCHITECTURE.md, "Layers"):
every pair of apps with imports both ways, with each import site, lazy imports
(inside functions) included; and the apps caught in a cycle.

    python -m bench.imports
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "huddle"


def import_sites() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> "path:line module" of each import."""
    sites: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or len(parts) < 2:
            continue
        app = parts[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module == "huddle":
                modules = [f"huddle.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                names = module.split(".")
                if names[0] == "huddle" and len(names) > 1 and names[1] != app:
                    where = f"huddle/{'/'.join(parts)}:{node.lineno} {module}"
                    sites[(app, names[1])].append(where)
    return sites


def cycles(sites: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for app, target in sites:
        graph[app].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for target in graph.get(app, ()):
            if target not in index:
                visit(target)
                low[app] = min(low[app], low[target])
            elif target in stack:
                low[app] = min(low[app], index[target])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    return found


def main() -> None:
    sites = import_sites()
    pairs = sorted((a, b) for a, b in sites if a < b and (b, a) in sites)
    for a, b in pairs:
        print(f"{a} <-> {b}")
        for where in [*sites[(a, b)], *sites[(b, a)]]:
            print(f"    {where}")
    print(f"{len(pairs)} pairs of apps import each other")
    for group in cycles(sites):
        print("in one cycle:", ", ".join(group))


if __name__ == "__main__":
    main()
