"""The workplace in a real browser: Debian's chromium-headless-shell driven by Playwright.

A secretary plans the HU meeting of 02-03-2023 from nothing, records it live and approves it,
and the minutes equal the golden ones; the recording page works with the keyboard alone; every
page passes axe-core at WCAG 2.1 AA.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from browser_support import axe_violations, chromium_executable
from conftest import copy_example
from dagsorden.build import build
from docxdump import dump
from test_record import HU_AGENDA, HU_DECISION_1, HU_DECISION_2

HU_RECOMMENDATION = (
    "Formanden indstiller, at Hovedudvalget har en dialog om Udmøntningsplan 2023-2026."
)
HU_NEWS = (
    "- Orientering om status på rekrutteringen af social- og sundhedspersonale.\n"
    "- Orientering om MED-uddannelsen for nye medlemmer af de lokale MED-udvalg i foråret 2023.\n"
    "- Orientering om tidsplanen for trivselsmålingen i efteråret 2023."
)

playwright_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

MEETING = "2023-03-02-hu"
GOLDEN = Path(__file__).parent / "golden"
TOKEN = "browser-test-noegle"
EXECUTABLE = chromium_executable()
pytestmark = pytest.mark.skipif(
    EXECUTABLE is None,
    reason="chromium-headless-shell mangler (scripts/install-system-packages.sh)",
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_example(tmp_path / "projekt")
    (root / "agenda" / f"{MEETING}.yaml").write_text(HU_AGENDA, encoding="utf-8")
    return root


@pytest.fixture
def server(project: Path) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, in a thread, as `dagsorden web` runs it."""
    from dagsorden.web import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(project, token=TOKEN, commit=False)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert running.started
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=EXECUTABLE)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(locale="da-DK", base_url=server)
    opened = context.new_page()
    opened.goto(f"/?token={TOKEN}")
    yield opened
    context.close()


def accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def wait_for_job(page: Any) -> None:
    """A status change or build runs in the background; its page reports when it is done."""
    expect = playwright_api.expect
    expect(page.locator("#arbejde .besked, #arbejde .fejlbesked")).to_be_visible(timeout=120_000)
    expect(page.locator("#arbejde .besked")).to_have_text("Færdig.")


def set_status(page: Any, value: str) -> None:
    page.goto(f"/moede/{MEETING}")
    page.get_by_label(value.capitalize(), exact=True).check()
    page.locator("#status-formular").get_by_label("Kun Word (uden PDF)").check()
    page.get_by_role("button", name="Sæt status").click()
    wait_for_job(page)


def plan_the_hu_meeting(page: Any, project: Path) -> None:
    """The HU meeting of 02-03-2023 planned in the browser from nothing, as the example's
    agenda/2023-03-02-hu.yaml stood before anything was recorded."""
    expect = playwright_api.expect
    (project / "agenda" / f"{MEETING}.yaml").unlink()
    page.goto("/?aar=2023")
    form = page.locator("#nyt-moede")
    form.get_by_label("Udvalg").select_option("HU")
    form.get_by_label("Dato (ÅÅÅÅ-MM-DD)").fill("2023-03-02")
    form.get_by_label("Start (TT:MM)").fill("13:00")
    form.get_by_label("Sted").fill("Mødelokale 1, Rådhuset, Grenaa")
    accessible(page)
    form.get_by_role("button", name="Opret mødet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hovedudvalget 02-03-2023")
    expect(page.locator(".besked")).to_have_text(
        "Mødet er oprettet: Hovedudvalget 02-03-2023 kl. 13:00, Mødelokale 1, Rådhuset, Grenaa."
    )
    page.get_by_label("Slut (TT:MM, kan stå tom)").fill("15:00")
    page.get_by_role("button", name="Gem tid og sted").click()
    expect(page.locator(".besked")).to_have_text("Forsidens oplysninger er gemt.")
    expect(page.locator("dl.fakta")).to_contain_text("kl. 13:00–15:00")
    for number, case in ((1, "22/291"), (2, "23/1532")):
        page.get_by_label("Sæt en sag på (sagsnummer)").fill(case)
        page.get_by_role("button", name="Sæt sagen på").click()
        expect(page.locator(".besked")).to_have_text(f"Punkt {number} sat på: sag {case}.")
    page.get_by_label("Punkt uden sag (titel)").fill("Meddelelser")
    page.get_by_role("button", name="Tilføj punktet").click()
    expect(page.locator(".besked")).to_have_text("Punkt 3 sat på: Meddelelser.")
    page.get_by_text("Tekst og indstilling til punkt 3").click()
    page.get_by_label("Tekst til punkt 3").fill(HU_NEWS)
    page.get_by_role("button", name="Gem punkt 3s tekst").click()
    expect(page.locator(".besked")).to_have_text("Punkt 3: teksten og indstillingen er gemt.")
    page.get_by_text("Indstilling til punkt 1", exact=True).click()
    page.get_by_label("Indstilling til punkt 1 (tom: sagens indstilling)").fill(HU_RECOMMENDATION)
    accessible(page)
    page.get_by_role("button", name="Gem punkt 1s tekst").click()
    expect(page.locator(".besked")).to_have_text("Punkt 1: teksten og indstillingen er gemt.")
    planned = yaml.safe_load((project / "agenda" / f"{MEETING}.yaml").read_text(encoding="utf-8"))
    example = yaml.safe_load(HU_AGENDA)
    # One line is written plain, where the example has a `|` block: the same text.
    example["punkter"][0]["indstilling"] = HU_RECOMMENDATION
    assert planned == {**example, "status": "planlagt"}


def test_a_secretary_records_the_hu_meeting_live_approves_it_and_gets_the_minutes(
    page: Any, project: Path, tmp_path: Path
) -> None:
    expect = playwright_api.expect
    plan_the_hu_meeting(page, project)
    page.goto("/?aar=2023")
    page.get_by_role("link", name="02-03-2023", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hovedudvalget 02-03-2023")
    set_status(page, "udsendt")

    page.goto(f"/moede/{MEETING}")
    page.get_by_role("link", name="Optag live").click()
    for member in ("Christian Bertelsen", "Anne-Marie Bentzen"):
        page.get_by_role("button", name=f"Afbud for {member}").click()
        expect(page.get_by_role("button", name=f"Fortryd afbud for {member}")).to_be_visible()
    set_status(page, "afholdt")

    page.goto(f"/moede/{MEETING}/optag?punkt=1")
    for decision in (HU_DECISION_1, HU_DECISION_2):
        page.get_by_label("Beslutning med egne ord").fill(decision)
        page.get_by_role("button", name="Gem beslutningen").click()
        expect(page.locator(".besked")).to_contain_text("Beslutning skrevet ved punkt")
        page.get_by_role("link", name="Næste punkt →").click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Punkt 3: Meddelelser"))
    ).to_be_visible()
    page.get_by_role("button", name="Taget til efterretning.").click()
    expect(page.locator(".besked")).to_contain_text("Beslutning skrevet ved punkt 3 (Meddelelser)")

    page.goto(f"/moede/{MEETING}")
    approval = page.locator("#godkend")
    approval.get_by_role("button", name="Godkend protokollen").click()
    # The confirmation is required: the browser does not send the form without it.
    expect(page).to_have_url(re.compile(f"/moede/{MEETING}$"))
    approval.get_by_label("Ja, protokollen er godkendt").check()
    approval.get_by_label("Kun Word (uden PDF)").check()
    approval.get_by_role("button", name="Godkend protokollen").click()
    wait_for_job(page)
    page.get_by_role("link", name="Tilbage til mødet").click()
    expect(page.locator("dl.fakta")).to_contain_text("godkendt")

    built, _ = build(project, [MEETING], out=tmp_path / "out")
    for edition in ("intern", "offentlig"):
        (path,) = [b.path for b in built if b.path.name == f"referat-{edition}.docx"]
        golden = (GOLDEN / MEETING / f"referat-{edition}.txt").read_text(encoding="utf-8")
        assert dump(path) == golden
    written = (project / "agenda" / f"{MEETING}.yaml").read_text(encoding="utf-8")
    assert written.startswith(
        "udvalg: HU\ndato: 2023-03-02\nstart: 13:00\nslut: 15:00\n"
        "sted: Mødelokale 1, Rådhuset, Grenaa\nafbud:\n  - Christian Bertelsen\n"
        "  - Anne-Marie Bentzen\n"
    )
    assert "\nstatus: godkendt\n" in written


def test_the_documents_are_built_in_the_background_and_listed_for_download(page: Any) -> None:
    expect = playwright_api.expect
    page.goto(f"/moede/{MEETING}")
    page.locator("#byg-formular").get_by_label("Kun Word (uden PDF)").check()
    page.get_by_role("button", name="Byg dokumenterne").click()
    wait_for_job(page)
    link = page.get_by_role("link", name="dagsorden-intern.docx")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "dagsorden-intern.docx"


def test_the_recording_page_works_with_the_keyboard_alone(page: Any, project: Path) -> None:
    expect = playwright_api.expect
    page.goto(f"/moede/{MEETING}/optag?punkt=3")

    def tab_to(name: str) -> None:
        for _ in range(200):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "() => document.activeElement.getAttribute('aria-label')"
                " || document.activeElement.textContent.trim()"
                " || document.activeElement.id"
            )
            if focused == name:
                return
        raise AssertionError(f"'{name}' kan ikke nås med tabulatortasten")

    tab_to("Spring til indholdet")
    page.keyboard.press("Enter")
    tab_to("Afbud for Christian Bertelsen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Fortryd afbud for Christian Bertelsen")).to_be_visible()
    tab_to("beslutning-tekst")
    page.keyboard.type("Taget til efterretning med tak.")
    tab_to("Gem beslutningen")
    page.keyboard.press("Space")
    expect(page.locator(".besked")).to_contain_text("Beslutning skrevet ved punkt 3")
    written = (project / "agenda" / f"{MEETING}.yaml").read_text(encoding="utf-8")
    assert "afbud:\n  - Christian Bertelsen\n" in written
    assert "    beslutning: Taget til efterretning med tak.\n" in written


def test_every_page_passes_axe_at_wcag_21_aa(page: Any) -> None:
    for url in (
        "/",
        f"/moede/{MEETING}",
        f"/moede/{MEETING}/optag?punkt=1",
        f"/moede/{MEETING}/optag?punkt=3",
        f"/moede/{MEETING}/historik",
        "/sag/22-291",
        "/moede/findes-ikke",
    ):
        page.goto(url)
        accessible(page)
    # A refused recording, with its message at the form.
    page.goto(f"/moede/{MEETING}/optag?punkt=1")
    page.get_by_label("Beslutning med egne ord").fill("   ")
    page.get_by_role("button", name="Gem beslutningen").click()
    playwright_api.expect(page.locator(".fejlbesked")).to_contain_text("beslutningen er tom")
    accessible(page)
    # A refused time, with tjek's message at its field.
    page.goto(f"/moede/{MEETING}")
    page.get_by_label("Start (TT:MM)").fill("25:00")
    page.get_by_role("button", name="Gem tid og sted").click()
    playwright_api.expect(page.locator(".fejlbesked")).to_contain_text(
        "'25:00' er ikke et klokkeslæt"
    )
    accessible(page)
    # A build's progress page.
    page.goto(f"/moede/{MEETING}")
    page.locator("#byg-formular").get_by_label("Kun Word (uden PDF)").check()
    page.get_by_role("button", name="Byg dokumenterne").click()
    wait_for_job(page)
    accessible(page)


def test_the_accessibility_check_finds_what_it_should(page: Any) -> None:
    page.set_content("<html><body><img src='x.png'><input></body></html>")
    found = {v["id"] for v in axe_violations(page)}
    assert {"html-has-lang", "image-alt", "label"} <= found


def test_htmx_swaps_only_the_work_area_and_without_javascript_the_forms_still_work(
    browser: Any, server: str, project: Path
) -> None:
    expect = playwright_api.expect
    for javascript in (True, False):
        context = browser.new_context(
            locale="da-DK", base_url=server, java_script_enabled=javascript
        )
        page = context.new_page()
        page.goto(f"/?token={TOKEN}")
        page.goto(f"/moede/{MEETING}/optag?punkt=2")
        member = "Kim Bruun Nielsen" if javascript else "Helle Møllgaard Ravn"
        page.get_by_role("button", name=f"Afbud for {member}").click()
        expect(page.get_by_role("button", name=f"Fortryd afbud for {member}")).to_be_visible()
        expect(page.locator(".besked")).to_have_text(f"Afbud skrevet: {member}.")
        # With htmx the address stays; without it the form's 303 leads back to the page.
        assert ("gjort=" in page.url) is not javascript
        expect(page.get_by_role("heading", level=2, name=re.compile("^Punkt 2:"))).to_be_visible()
        context.close()
    written = (project / "agenda" / f"{MEETING}.yaml").read_text(encoding="utf-8")
    assert "afbud:\n  - Kim Bruun Nielsen\n  - Helle Møllgaard Ravn\n" in written


def test_the_page_says_when_the_file_changed_in_an_editor(page: Any, project: Path) -> None:
    page.goto(f"/moede/{MEETING}/optag?punkt=1")
    path = project / "agenda" / f"{MEETING}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Mødelokale 1", "Byrådssalen"), encoding="utf-8"
    )
    notice = page.locator("#aendret")
    playwright_api.expect(notice).to_contain_text(
        "Mødefilen er ændret uden for denne side", timeout=15_000
    )
    notice.get_by_role("link", name="Hent siden igen").click()
    page.goto(f"/moede/{MEETING}")
    playwright_api.expect(page.locator("dl.fakta")).to_contain_text("Byrådssalen")


def test_an_item_is_taken_off_after_a_confirmation_with_and_without_javascript(
    browser: Any, server: str, project: Path
) -> None:
    expect = playwright_api.expect
    for javascript, number, title in ((True, 3, "Meddelelser"), (False, 2, "Sygefravær")):
        context = browser.new_context(
            locale="da-DK", base_url=server, java_script_enabled=javascript
        )
        page = context.new_page()
        page.goto(f"/?token={TOKEN}")
        page.goto(f"/moede/{MEETING}")
        page.get_by_role("button", name=f"Tag punkt {number} af dagsordenen").click()
        box = page.locator(".bekraeft")
        expect(box).to_contain_text(f"Tag punkt {number} (")
        expect(box).to_contain_text("Punktet fjernes fra mødefilen.")
        if javascript:
            accessible(page)
        box.get_by_role("button", name=f"Ja, tag punkt {number} af dagsordenen").click()
        expect(page.locator(".besked")).to_contain_text(f"Punkt {number} (")
        expect(page.locator("ol.punkter")).not_to_contain_text(title)
        context.close()
    written = (project / "agenda" / f"{MEETING}.yaml").read_text(encoding="utf-8")
    assert "23/1532" not in written and "Meddelelser" not in written
    assert "  - sag: 22/291  # udmøntningsplanen fra ØK og KB\n" in written


def test_a_case_is_edited_on_its_page_and_a_refusal_stays_at_the_field(
    page: Any, project: Path
) -> None:
    expect = playwright_api.expect
    page.goto("/sag/22-291")
    page.get_by_label("Sagsgang (udvalgenes forkortelser i rækkefølge, fx ØK, KB)").fill("ØK, ØU")
    page.get_by_role("button", name="Gem oplysningerne").click()
    alert = page.locator(".felt").filter(has=page.locator("#sag-sagsgang")).get_by_role("alert")
    expect(alert).to_contain_text("ukendt udvalg 'ØU' i sagsgangen (kendte: ØK, KB, HU)")
    expect(page.locator("#sag-sagsgang")).to_have_value("ØK, ØU")
    accessible(page)
    page.locator("#sag-sagsgang").fill("ØK, KB")
    page.locator("#sag-titel").fill("Udmøntningsplan 2023-2026 (revideret)")
    page.get_by_role("button", name="Gem oplysningerne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sag 22/291: Udmøntningsplan 2023-2026 (revideret)"
    )
    page.get_by_role("button", name="Flyt bilag 2 op").click()
    expect(page.locator(".besked")).to_have_text("Bilag 2 er flyttet til bilag 1.")
    expect(page.locator("#bilag-1 h3")).to_have_text(
        "Bilag 1: Strategisk udmøntningsplan 2023-2026"
    )
    page.locator("#bilag-1-adgang").select_option("Lukket")
    page.get_by_role("button", name="Gem bilag 1").click()
    expect(page.locator("#bilag-1 .meta")).to_contain_text("Lukket")
    accessible(page)
    written = (project / "cases" / "22-291.yaml").read_text(encoding="utf-8")
    assert "titel: Udmøntningsplan 2023-2026 (revideret)\n" in written
    assert written.split("bilag:\n")[1].startswith("  - id: 3383530\n")
