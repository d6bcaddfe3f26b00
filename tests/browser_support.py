"""Helpers for tests in a real browser: Debian's chromium-headless-shell driven by Playwright,
and axe-core's accessibility check.

Playwright's own browser download is never used (`playwright install` needs the internet):
scripts/install-system-packages.sh installs Debian's chromium-headless-shell, and the tests
launch it by its path. axe-core is vendored in tests/vendor/ (axe.min.js, MPL-2.0, with its
licence), checked by its SHA-256.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

__all__ = ["AXE", "AXE_SHA256", "WCAG_AA", "axe_violations", "chromium_executable"]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # 4.14.1
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium-headless-shell",
)


def chromium_executable() -> str | None:
    """Debian's chromium-headless-shell, or None when it is not installed."""
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium-headless-shell")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now: rule id, impact,
    and the first offending elements."""
    source = AXE.read_bytes()
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256, "tests/vendor/axe.min.js er ændret"
    page.add_script_tag(content=source.decode("utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            }));
        }""",
        WCAG_AA,
    )
    return found
