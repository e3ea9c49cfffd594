"""The layers between apps (docs/ARCHITECTURE.md, "Layers"): core imports no app,
the events transport nothing of messaging, no app but messaging names its tables,
and no new pair of apps importing each other appears (the known ones are listed,
to be taken off as they are untangled)."""

from __future__ import annotations

import re

from bench.imports import ROOT, import_sites

# Pairs that still import each other: take a pair off once it is untangled.
KNOWN_PAIRS = {
    ("attachments", "messaging"),
    ("availability", "messaging"),
}

# The identity apps, bottom to top: each imports only apps before it in this list
# (docs/ARCHITECTURE.md, "Layers"); what composes them lives above (signin, clients'
# pages, administration).
IDENTITY_STACK = ["core", "practices", "audit", "throttle", "accounts", "twofactor", "clients"]


def test_core_imports_no_app_and_events_nothing_of_messaging() -> None:
    sites = import_sites()
    assert [target for app, target in sites if app == "core"] == []
    assert sites.get(("events", "messaging"), []) == []


def test_no_new_pair_of_apps_imports_each_other() -> None:
    sites = import_sites()
    pairs = {(a, b) for a, b in sites if a < b and (b, a) in sites}
    assert pairs <= KNOWN_PAIRS, pairs - KNOWN_PAIRS


def test_the_identity_apps_form_a_stack() -> None:
    sites = import_sites()
    upward = {
        (app, target): where
        for (app, target), where in sites.items()
        if app in IDENTITY_STACK
        and target in IDENTITY_STACK
        and IDENTITY_STACK.index(target) > IDENTITY_STACK.index(app)
    }
    assert upward == {}


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
