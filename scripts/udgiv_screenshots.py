"""Screenshots of the published example site for docs/udgiv.md.

Publishes a copy of the example project (with its PDFs) into a temporary folder, serves it on
127.0.0.1 and photographs each kind of page in Debian's chromium-headless-shell:

    python scripts/udgiv_screenshots.py [--ud docs/udgiv]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE.parent / "tests")]

from browser_support import chromium_executable  # noqa: E402
from dagsorden.publish import publish  # noqa: E402
from site_support import copy_example, free_port, serve  # noqa: E402

PAGES = (
    ("forside", "index.html", 1000),
    ("udvalg", "udvalg/hu/index.html", 1000),
    ("moede", "moeder/2022-12-13-kb/index.html", 1000),
    ("punkt", "moeder/2023-03-02-hu/sag-22-291.html", 1000),
    ("soegning", "soeg/index.html?q=sygefravær", 1000),
    ("mobil", "moeder/2022-12-13-kb/index.html", 390),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ud", type=Path, default=HERE.parent / "docs" / "udgiv")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.ud.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        root = copy_example(Path(work) / "p", git=False)
        port = free_port()
        site = Path(work) / "websted"
        publish(root, site, base_url=f"http://127.0.0.1:{port}/", pdf=True)
        with serve(site, port) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_executable())
            for name, path, width in PAGES:
                page = browser.new_page(viewport={"width": width, "height": 800}, locale="da-DK")
                page.goto(base + path)
                if "?q=" in path:
                    page.locator("#resultater li").first.wait_for()
                page.screenshot(path=str(args.ud / f"{name}.png"), full_page=name != "mobil")
                page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
