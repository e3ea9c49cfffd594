"""The layers between apps (docs/ARCHITECTURE.md, "Layers"): the apps form one
stack with no cycle, each importing only apps below it; core imports no app;
the events transport nothing of messaging; no app but messaging names its
tables; no app imports a composition root (huddle/api.py, huddle/urls.py)."""

from __future__ import annotations

import re

from bench.imports import ROOT, cycles, import_sites, root_imports, roots_importing_apps

# Bottom to top: an app imports only apps before it. Apps on one line sit side by
# side (neither imports the other). A new app takes its place here.
STACK = [
    ["core", "env"],
    ["practices"],
    ["audit"],
    ["throttle"],
    ["accounts"],
    ["attachments", "events", "twofactor"],
    ["clients", "signin"],
    ["availability"],
    ["messaging"],
    ["administration", "portal", "records", "search"],
    ["demo", "notifications"],
]
LEVEL = {app: level for level, apps in enumerate(STACK) for app in apps}


def test_every_app_has_its_place_in_the_stack() -> None:
    apps = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert apps - {"management"} <= set(LEVEL), apps - set(LEVEL)


def test_every_import_between_apps_points_down_the_stack() -> None:
    upward = {
        (app, target): where
        for (app, target), where in import_sites().items()
        if LEVEL.get(target, -1) >= LEVEL.get(app, -1)
    }
    assert upward == {}


def test_no_cycle_between_apps() -> None:
    assert cycles(import_sites()) == []


def test_core_imports_no_app_and_events_nothing_of_messaging() -> None:
    sites = import_sites()
    assert [target for app, target in sites if app == "core"] == []
    assert sites.get(("events", "messaging"), []) == []


def test_no_app_imports_a_composition_root() -> None:
    """huddle/api.py mounts every app's router and huddle/urls.py every app's
    pages: an app importing either would import itself back."""
    assert {"api", "urls"} <= roots_importing_apps()
    assert root_imports(import_sites()) == []


def test_only_messaging_names_its_tables() -> None:
    named = re.compile(r"\bmessaging_(thread|entry|participant|acknowledgement|draft)\b")
    outside = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] != "messaging"
        and "migrations" not in path.parts
        and named.search(path.read_text())
    ]
    assert outside == []
