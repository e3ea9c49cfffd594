"""axe-core (from npm, node_modules/axe-core, `make test` installs it) run on the
page a test has open: every rule axe runs by default plus the WCAG 2.2 AA and
best-practice tags, and every impact counts."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def _source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `make install-test` (npm ci) first")
    return AXE_JS.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now. The script goes in through the
    DevTools protocol (page.evaluate), which the page's CSP does not govern: the
    page itself keeps its policy without unsafe-inline."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_source() + "\n;true")
    result: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
                // Experimental in axe, and the very check issue #17 names.
                rules: {"label-content-name-mismatch": {enabled: true}},
            });
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ") + " — " + n.failureSummary),
            }));
        }""",
        TAGS,
    )
    return result


def describe(found: dict[str, list[dict[str, Any]]]) -> str:
    lines = []
    for state, items in found.items():
        for v in items:
            lines.append(f"{state}: {v['id']} ({v['impact']}) {v['help']}")
            lines.extend(f"    {node}" for node in v["nodes"][:5])
    return "\n".join(lines)
