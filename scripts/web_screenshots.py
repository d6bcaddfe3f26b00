"""Screenshots of the web app's main pages for docs/web.md, from a copy of the example project
with the HU meeting half recorded: python scripts/web_screenshots.py [OUT_DIR]"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import chromium_executable  # noqa: E402
from conftest import copy_example  # noqa: E402
from dagsorden import record  # noqa: E402
from dagsorden.web import create_app  # noqa: E402

MEETING = "2023-03-02-hu"
PAGES = [
    ("oversigt", "/?aar=2023"),
    ("moede", f"/moede/{MEETING}"),
    ("optag", f"/moede/{MEETING}/optag?punkt=2"),
    ("sag", "/sag/22-291"),
]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "web"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        root = copy_example(Path(folder) / "projekt")
        path = root / "agenda" / f"{MEETING}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.split("    beslutning: |\n      Hovedudvalget drøftede")[0]
            + "  - titel: Meddelelser\n",
            encoding="utf-8",
        )
        record.withdraw_absence(root, MEETING, "Anne-Marie Bentzen")
        record.not_taking_part(root, MEETING, 2, "Jakob Vedsted Agerbo", reason="inhabil")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(root, token="t", commit=False), port=port, log_level="warning"
            )
        )
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_executable())
            page = browser.new_page(locale="da-DK", viewport={"width": 1100, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/?token=t")
            for name, url in PAGES:
                page.goto(f"http://127.0.0.1:{port}{url}")
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            # Taking an item off the agenda asks first, saying what it means.
            page.goto(f"http://127.0.0.1:{port}/moede/{MEETING}")
            page.get_by_role("button", name="Tag punkt 3 af dagsordenen").click()
            page.locator("#punkt-3 .bekraeft").wait_for()
            page.locator("#punkt-3").screenshot(path=str(out / "fjern.png"))
            # Planning: a new meeting from the overview; an item's own text and recommendation.
            page.goto(f"http://127.0.0.1:{port}/?aar=2023")
            page.locator("#nyt-moede").screenshot(path=str(out / "nyt-moede.png"))
            page.goto(f"http://127.0.0.1:{port}/moede/{MEETING}")
            page.get_by_text("Tekst og indstilling til punkt 3").click()
            page.locator("#punkt-3").screenshot(path=str(out / "punkttekst.png"))
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
