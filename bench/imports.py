"""Which of Huddle's apps import each other (docs/ARCHITECTURE.md, "Layers"):
every pair of apps with imports both ways, with each import site, lazy imports
(inside functions) included; the apps caught in a cycle; and any app importing
a composition root that imports apps (huddle/api.py, huddle/urls.py, ...).

    python -m bench.imports
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "huddle"

# The top-level modules that put the apps together (the URL conf, the one
# NinjaAPI with every app's router, the servers' entry points, the settings) and
# env.py, which the settings read. They are not apps: what they import is not
# counted. Any other top-level module under huddle/ counts as an app of its own.
COMPOSITION_ROOTS = frozenset({"api", "asgi", "asgi_events", "env", "settings", "urls", "wsgi"})


def _huddle_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of each import of a huddle module in `path`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "huddle":
            modules = [f"huddle.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        found += [(node.lineno, m) for m in modules if m.split(".")[0] == "huddle" and "." in m]
    return found


def import_sites() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app or top-level module) -> "path:line module" of
    each import."""
    sites: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or (path.stem == "__init__" and len(parts) < 2):
            continue
        app = parts[0] if len(parts) > 1 else path.stem
        if app in COMPOSITION_ROOTS:
            continue
        for line, module in _huddle_imports(path):
            target = module.split(".")[1]
            if target != app:
                sites[(app, target)].append(f"huddle/{'/'.join(parts)}:{line} {module}")
    return sites


def roots_importing_apps() -> set[str]:
    """The composition roots that import an app: no app may import them back."""
    return {
        name
        for name in COMPOSITION_ROOTS
        if (ROOT / f"{name}.py").exists()
        and any(
            module.split(".")[1] not in COMPOSITION_ROOTS
            for _, module in _huddle_imports(ROOT / f"{name}.py")
        )
    }


def root_imports(sites: dict[tuple[str, str], list[str]]) -> list[str]:
    """The import sites where an app imports a composition root that imports
    apps (a cycle through the root: huddle/api.py mounts every app's router)."""
    roots = roots_importing_apps()
    return [
        where
        for (_, target), wheres in sorted(sites.items())
        if target in roots
        for where in wheres
    ]


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
    through_roots = root_imports(sites)
    if through_roots:
        print("apps importing a composition root that imports apps:")
    for where in through_roots:
        print(f"    {where}")


if __name__ == "__main__":
    main()
