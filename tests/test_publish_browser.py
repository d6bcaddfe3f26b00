"""The published site in a real browser: Debian's chromium-headless-shell through Playwright,
on a plain web server on 127.0.0.1; every kind of page passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser_support import axe_violations, chromium_executable
from dagsorden.publish import publish
from site_support import copy_example, free_port, serve

pytestmark = pytest.mark.skipif(
    chromium_executable() is None,
    reason="chromium-headless-shell mangler (scripts/install-system-packages.sh installerer den)",
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_example(tmp_path_factory.mktemp("projekt") / "p", git=False)
    port = free_port()
    out = root.parent / "websted"
    publish(root, out, base_url=f"http://127.0.0.1:{port}/", pdf=True)
    with serve(out, port) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_executable())
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="da-DK")
    yield context.new_page()
    context.close()


def test_front_page_to_committee_to_meeting_to_item_to_pdf(base: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(base)
    expect(page.locator("h1")).to_have_text("Norddjurs Kommune: udvalg og møder")
    page.get_by_role("link", name="Kommunalbestyrelsen", exact=True).click()
    expect(page.locator("h1")).to_have_text("Kommunalbestyrelsen")
    page.get_by_role("link", name="Kommunalbestyrelsen, Tirsdag den 13. december 2022").click()
    expect(page.locator("h1")).to_have_text("Kommunalbestyrelsen tirsdag den 13. december 2022")
    expect(page.get_by_text("Lukket punkt: Salg af byggegrund")).to_be_visible()
    page.get_by_role("link", name="Endelig vedtagelse af lokalplan 112-702", exact=False).click()
    expect(page.locator("h1")).to_contain_text("3. Endelig vedtagelse af lokalplan 112-702")
    expect(page.get_by_text("For stemte", exact=False)).to_be_visible()
    page.get_by_role("link", name="Til mødet").click()
    link = page.get_by_role("link", name="Beslutningsprotokol")
    answer = page.request.get(page.url.rsplit("/", 1)[0] + "/" + link.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF")


def test_search_finds_a_case_by_its_title(base: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(base)
    page.get_by_role("searchbox", name="Søg i møder og sager").fill("Sygefravær og arbejdsmiljø")
    page.get_by_role("button", name="Søg").click()
    results = page.locator("#resultater li a")
    expect(results.first).to_contain_text("Sygefravær og arbejdsmiljø 2022")
    results.first.click()
    expect(page.locator("h1")).to_have_text("2. Sygefravær og arbejdsmiljø 2022")


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "udvalg/hu/index.html",
        "moeder/2022-12-13-kb/index.html",
        "moeder/2022-12-13-kb/sag-22-7315.html",
        "moeder/2022-12-13-kb/lukket-punkt-salg-af-byggegrund.html",
        "moeder/2023-03-23-hu/index.html",
        "soeg/index.html?q=udmøntningsplan",
        "kalender/index.html",
    ],
)
def test_every_kind_of_page_passes_wcag_2_1_aa(base: str, page: Any, path: str) -> None:
    page.goto(base + path)
    if "?q=" in path:
        page.locator("#resultater li").first.wait_for()
    assert axe_violations(page) == []


def test_pages_fit_a_phone(base: str, page: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("index.html", "moeder/2023-03-02-hu/sag-22-291.html", "soeg/index.html"):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} er {width} px bred"


def test_the_accessibility_check_can_fail(page: Any) -> None:
    page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
    assert {v["id"] for v in axe_violations(page)} >= {"image-alt", "html-has-lang", "link-name"}
