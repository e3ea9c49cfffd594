"""The layers between apps (docs/ARCHITECTURE.md, "Layers"): core imports no app,
the events transport nothing of messaging, no app but messaging names its tables,
no app imports a composition root (huddle/api.py, huddle/urls.py), and no new
pair of apps importing each other appears (the known ones are listed, to be taken
off as they are untangled)."""

from __future__ import annotations

import re

from bench.imports import ROOT, import_sites, root_imports, roots_importing_apps

# Pairs that still import each other (2026-12-03): take a pair off once it is untangled.
KNOWN_PAIRS = {
    ("accounts", "audit"),
    ("accounts", "clients"),
    ("accounts", "practices"),
    ("accounts", "throttle"),
    ("accounts", "twofactor"),
    ("audit", "messaging"),
    ("audit", "practices"),
    ("clients", "twofactor"),
    ("practices", "twofactor"),
}


def test_core_imports_no_app_and_events_nothing_of_messaging() -> None:
    sites = import_sites()
    assert [target for app, target in sites if app == "core"] == []
    assert sites.get(("events", "messaging"), []) == []


def test_no_new_pair_of_apps_imports_each_other() -> None:
    sites = import_sites()
    pairs = {(a, b) for a, b in sites if a < b and (b, a) in sites}
    assert pairs <= KNOWN_PAIRS, pairs - KNOWN_PAIRS


def test_no_app_imports_a_composition_root() -> None:
    """huddle/api.py mounts every app's router and huddle/urls.py every app's
    pages: an app importing either would import itself back."""
    assert {"api", "urls"} <= roots_importing_apps()
    assert root_imports(import_sites()) == []


def test_availability_and_attachments_sit_below_messaging() -> None:
    sites = import_sites()
    assert sites.get(("availability", "messaging"), []) == []
    assert sites.get(("attachments", "messaging"), []) == []


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
