"""Helpers for tests in a real browser: Debian's chromium-headless-shell driven by Playwright
(never a downloaded browser), and axe-core run in the page for WCAG 2.1 AA."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).parent / "vendor"
AXE = VENDOR / "axe.min.js"
# axe-core 4.14.1 from its npm package (MPL-2.0, tests/vendor/axe-core-LICENSE.txt).
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium-headless-shell",
)


def chromium_executable() -> str | None:
    """Debian's chromium-headless-shell (scripts/install-system-packages.sh installs it)."""
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium-headless-shell")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The WCAG 2.1 AA violations axe-core finds in the page as it is now: rule id, impact,
    help text and the elements concerned."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_AA,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]],
        }
        for v in result["violations"]
    ]
