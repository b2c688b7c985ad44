"""axe-core in the browser tests: a page must have no serious or critical violation.

axe-core is vendored at a pinned version (``scripts/vendor-static.sh`` refreshes it) beside
the browser tests (``tests/browser/vendor/``: no page loads it, so the product's static files
do not ship it), and evaluated into the page by Playwright, which the page's
Content-Security-Policy does not restrict (no inline script is added to the page).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_VERSION = "4.14.1"
AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / f"axe-core-{AXE_VERSION}.min.js"
FAILING_IMPACTS = frozenset({"serious", "critical"})

_RUN = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(" ")),
    }));
}"""


def axe_violations(page: Page) -> list[str]:
    """The page's serious and critical violations, one line each (rule, impact, where)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(_RUN)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'][:5])}"
        for v in found
        if v["impact"] in FAILING_IMPACTS
    ]


def assert_no_serious_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
