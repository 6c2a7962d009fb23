"""axe-core in the page: the serious and critical accessibility violations of what is on screen now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

_AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """[] when the view is clean; else each violation's id and where, readable in an assertion's report."""
    # Evaluated, not injected as a <script>: the app's CSP (script-src 'self') rightly refuses inline scripts.
    page.evaluate(_AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => (await axe.run(document, { resultTypes: ['violations'] })).violations")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    return [{"id": v["id"], "nodes": [(n["target"], n["failureSummary"]) for n in v["nodes"][:4]]} for v in serious]
