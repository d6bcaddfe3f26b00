"""The workplace in the browser, through Starlette's test client: who may use it, and that
every form writes the meeting's file through the library, as the commands do."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from conftest import ROOT, copy_example
from dagsorden.web import create_app
from test_record import HU_AGENDA

MEETING = "2023-03-02-hu"
FILE = f"agenda/{MEETING}.yaml"
TOKEN = "en-hemmelig-noegle"
ORIGIN = {"origin": "http://127.0.0.1:8017"}
HTMX = Path(__file__).resolve().parents[1] / "src/dagsorden/web/static/htmx.min.js"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The example municipality with the HU meeting as its agenda was sent out, in git."""
    root = copy_example(tmp_path / "projekt")
    (root / FILE).write_text(HU_AGENDA, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Eksempelkommunen")
    return root


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@localhost", *args],
        cwd=root,
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    with TestClient(create_app(project, token=TOKEN), base_url="http://127.0.0.1:8017") as c:
        assert c.get(f"/?token={TOKEN}").status_code == 200
        yield c


def text(root: Path) -> str:
    return (root / FILE).read_text(encoding="utf-8")


def alerts(page: str) -> list[str]:
    found = re.findall(r'role="alert"[^>]*>(.*?)</div>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", a)).strip() for a in found]


def test_the_vendored_htmx_is_the_npm_package_file() -> None:
    digest = hashlib.sha256(HTMX.read_bytes()).hexdigest()
    assert digest == "a0abb04f2f45a1f89d1d4844023245537e5e6014c87b144553e0607b4cc32130"
    licence = (HTMX.parent / "htmx-LICENSE.txt").read_text(encoding="utf-8")
    assert licence.startswith("Zero-Clause BSD")


def test_without_the_token_nothing_is_shown(project: Path) -> None:
    with TestClient(create_app(project, token=TOKEN), base_url="http://127.0.0.1:8017") as c:
        refused = c.get("/")
        assert refused.status_code == 403
        assert "Åbn adressen med adgangsnøglen" in refused.text
        assert c.get("/?token=forkert").status_code == 403
        opened = c.get(f"/moede/{MEETING}?token={TOKEN}", follow_redirects=False)
        assert opened.status_code == 303
        assert opened.headers["location"] == f"/moede/{MEETING}"
        cookie = opened.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert c.get(f"/moede/{MEETING}").status_code == 200


def test_another_host_name_is_refused(client: TestClient) -> None:
    answer = client.get("/", headers={"host": "angriber.example:8017"})
    assert answer.status_code == 400
    assert "127.0.0.1 eller localhost" in answer.text


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "same-site", "origin": "http://127.0.0.1:9999"},
        {"sec-fetch-site": "cross-site", "origin": "http://angriber.example"},
        {"origin": "http://127.0.0.1:9999"},
        {},
    ],
)
def test_a_change_from_another_page_is_refused_and_nothing_written(
    client: TestClient, project: Path, headers: dict[str, str]
) -> None:
    before = (project / FILE).read_bytes()
    answer = client.post(
        f"/moede/{MEETING}/afbud", data={"navn": "Christian Bertelsen"}, headers=headers
    )
    assert answer.status_code == 403
    assert "kom fra en anden side" in answer.text
    assert (project / FILE).read_bytes() == before


def test_the_overview_shows_the_year_per_body_and_what_needs_doing(client: TestClient) -> None:
    page = client.get("/?aar=2023").text
    assert "<h1>Møder 2023 – Norddjurs Kommune</h1>" in page
    assert f'<a href="/moede/{MEETING}">02-03-2023</a>' in page
    # The HU meeting is planned and past: its decisions are what comes next.
    assert "Skriv beslutningerne fra HU 02-03-2023 og sæt status afholdt" in page
    page_2022 = client.get("/?aar=2022").text
    assert "Økonomiudvalget (ØK)" in page_2022 and "Kommunalbestyrelsen (KB)" in page_2022


def test_the_meeting_page_shows_items_access_and_status_steps(client: TestClient) -> None:
    page = client.get(f"/moede/{MEETING}").text
    assert "1. Udmøntningsplan 2023-2026" in page
    assert "3. Meddelelser" in page
    assert page.count(">Åben</span>") == 3
    assert "Dagsordenen fryses, som den er; ændringer bagefter bliver en tillægsdagsorden." in page
    assert "Mødelokale 1, Rådhuset, Grenaa" in page


def test_one_click_afbud_writes_the_meeting_file_keeping_comments_and_commits(
    client: TestClient, project: Path
) -> None:
    answer = client.post(
        f"/moede/{MEETING}/afbud",
        data={"navn": "Christian Bertelsen", "side": "optag"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/moede/{MEETING}/optag?punkt=1&gjort=Afbud")
    written = text(project)
    assert "afbud:\n  - Christian Bertelsen\n" in written
    assert "  - sag: 22/291  # udmøntningsplanen fra ØK og KB\n" in written
    log = git(project, "log", "--format=%s", "-n1")
    assert log.strip() == f"{MEETING}: Afbud skrevet: Christian Bertelsen."
    shown = client.get(answer.headers["location"]).text
    assert "Afbud skrevet: Christian Bertelsen." in shown
    assert 'aria-label="Fortryd afbud for Christian Bertelsen"' in shown


def test_a_refused_recording_shows_the_commands_sentence_at_the_form_and_keeps_the_text(
    client: TestClient, project: Path
) -> None:
    before = text(project)
    answer = client.post(
        f"/moede/{MEETING}/afbud",
        data={
            "navn": "Christian Bertelsen",
            "stedfortraeder": "Anne-Marie Bentsen",
            "side": "optag",
        },
        headers=ORIGIN,
    )
    assert answer.status_code == 422
    assert alerts(answer.text) == [
        "Ikke skrevet: agenda/2023-03-02-hu.yaml: fejl: ukendt person 'Anne-Marie Bentsen';"
        " mente du 'Anne-Marie Bentzen'?"
    ]
    assert text(project) == before
    typed = "Godkendt med den ændring, at planen\n\nsendes i høring."
    answer = client.post(
        f"/moede/{MEETING}/punkt/7/beslut",
        data={"tekst": typed, "side": "optag"},
        headers=ORIGIN,
    )
    assert answer.status_code == 404 or answer.status_code == 422
    answer = client.post(
        f"/moede/{MEETING}/punkt/2/beslut?punkt=2",
        data={"tekst": "   ", "side": "optag"},
        headers=ORIGIN,
    )
    assert answer.status_code == 422
    assert "beslutningen er tom; skriv teksten eller brug --standard" in alerts(answer.text)[0]


def test_decisions_votes_notes_and_non_participation_through_the_forms(
    client: TestClient, project: Path
) -> None:
    def post(path: str, **data: str) -> None:
        answer = client.post(
            f"/moede/{MEETING}/punkt/2/{path}",
            data={"side": "optag", **data},
            headers=ORIGIN,
            follow_redirects=False,
        )
        assert answer.status_code == 303, alerts(answer.text)

    post("beslut", standard="godkendt")
    post("deltog-ikke", navn="Jakob Vedsted Agerbo", aarsag="inhabil")
    post("afstem", **{"stemme:Lone Damsgaard Krogh": "for", "stemme:Jan Hove Ebbesen": "imod"})
    post("bemaerk", tekst="Medarbejdersiden tog forbehold.")
    written = text(project)
    assert "    beslutning: Godkendt.\n" in written
    assert (
        "    deltog_ikke:\n      - navn: Jakob Vedsted Agerbo\n        årsag: inhabil\n" in written
    )
    assert (
        "    afstemning:\n      for: [Lone Damsgaard Krogh]\n      imod: [Jan Hove Ebbesen]\n"
        in written
    )
    assert "    protokolbemærkninger:\n      - Medarbejdersiden tog forbehold.\n" in written
    page = client.get(f"/moede/{MEETING}/optag?punkt=2").text
    assert "Jakob Vedsted Agerbo (inhabil)" in page
    assert "Skrevet: for: Lone Damsgaard Krogh; imod: Jan Hove Ebbesen" in page
    # The vote was checked against who was present: not everyone voted, and the check says so.


def test_an_error_at_one_item_does_not_block_recording_another(
    client: TestClient, project: Path
) -> None:
    path = project / FILE
    path.write_text(
        text(project).replace(
            "  - sag: 23/1532\n",
            "  - sag: 23/1532\n    deltog_ikke:\n      - navn: Ukendt Person\n",
        ),
        encoding="utf-8",
    )
    page = client.get(f"/moede/{MEETING}/optag?punkt=2").text
    assert "ukendt person &#39;Ukendt Person&#39;" in page
    assert "<code>agenda/2023-03-02-hu.yaml:13:15</code>" in page
    answer = client.post(
        f"/moede/{MEETING}/punkt/3/beslut",
        data={"standard": "efterretning", "side": "optag"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "    beslutning: Taget til efterretning.\n" in text(project)


def test_a_form_made_from_an_older_file_is_refused_and_the_text_kept(
    client: TestClient, project: Path
) -> None:
    page = client.get(f"/moede/{MEETING}/optag?punkt=1").text
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page)
    assert digest is not None
    # Meanwhile, in an editor:
    edited = text(project).replace("sted: Mødelokale 1", "sted: Byrådssalen")
    (project / FILE).write_text(edited, encoding="utf-8")
    typed = "Hovedudvalget havde en dialog om planen."
    answer = client.post(
        f"/moede/{MEETING}/punkt/1/beslut",
        data={"tekst": typed, "digest": digest[1], "side": "optag"},
        headers=ORIGIN,
    )
    assert answer.status_code == 409
    assert "Mødefilen er ændret i mellemtiden" in alerts(answer.text)[0]
    assert f">{typed}</textarea>" in answer.text
    assert text(project) == edited
    assert "Byrådssalen" in client.get(f"/moede/{MEETING}").text
    assert client.get(f"/moede/{MEETING}/aendret?digest={digest[1]}").status_code == 200
    fresh = re.search(r'name="digest" value="([0-9a-f]+)"', answer.text)
    assert fresh is not None
    assert client.get(f"/moede/{MEETING}/aendret?digest={fresh[1]}").status_code == 204


def test_history_lists_the_changes_and_undoes_the_last(client: TestClient, project: Path) -> None:
    for person in ("Christian Bertelsen", "Anne-Marie Bentzen"):
        client.post(
            f"/moede/{MEETING}/afbud", data={"navn": person}, headers=ORIGIN
        ).raise_for_status()
    page = client.get(f"/moede/{MEETING}/historik").text
    assert page.index("Afbud skrevet: Anne-Marie Bentzen.") < page.index(
        "Afbud skrevet: Christian Bertelsen."
    )
    answer = client.post(f"/moede/{MEETING}/fortryd", headers=ORIGIN)
    assert answer.status_code == 200
    assert "Fortrudt: 2023-03-02-hu: Afbud skrevet: Anne-Marie Bentzen." in answer.text
    assert "afbud:\n  - Christian Bertelsen\npunkter:" in text(project)
    # An edit git has not seen is never thrown away by an undo.
    (project / FILE).write_text(text(project) + "# min egen note\n", encoding="utf-8")
    refused = client.post(f"/moede/{MEETING}/fortryd", headers=ORIGIN)
    assert refused.status_code == 422
    assert "er ændret, siden git sidst gemte den" in alerts(refused.text)[0]
    assert text(project).endswith("# min egen note\n")


def test_approval_needs_its_confirmation(client: TestClient, project: Path) -> None:
    before = text(project)
    answer = client.post(f"/moede/{MEETING}/godkend", data={}, headers=ORIGIN)
    assert answer.status_code == 422
    assert "sæt kryds ved, at protokollen er godkendt på mødet" in alerts(answer.text)[0]
    assert text(project) == before


def test_the_preview_shows_the_text_as_the_minutes_will_and_writes_nothing(
    client: TestClient, project: Path
) -> None:
    before = text(project)
    typed = "Godkendt med disse ændringer:\n\n- planen *sendes* i høring\n- **ny** frist"
    answer = client.post(
        f"/moede/{MEETING}/punkt/1/forhaandsvis",
        data={"tekst": typed, "side": "optag"},
        headers=ORIGIN,
    )
    assert answer.status_code == 200
    assert (
        "<p>Godkendt med disse ændringer:</p><ul><li>planen <em>sendes</em> i høring</li>"
        "<li><strong>ny</strong> frist</li></ul>"
    ) in answer.text
    assert f">{typed}</textarea>" in answer.text
    assert text(project) == before


def test_a_busy_port_is_a_danish_sentence(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    from dagsorden.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["web", "--projekt", str(project), "--port", str(port), "--uden-browser"])
    assert code == 1
    assert capsys.readouterr().err == (
        f"fejl: porten {port} på 127.0.0.1 er optaget; vælg en anden med --port N\n"
    )


def test_items_are_added_moved_and_closed_from_the_meeting_page(
    client: TestClient, project: Path
) -> None:
    def post(path: str, **data: str) -> str:
        answer = client.post(
            f"/moede/{MEETING}/{path}", data={"side": "moede", **data}, headers=ORIGIN
        )
        assert answer.status_code == 200, alerts(answer.text)
        return answer.text

    post("punkter", titel="Eventuelt")
    post("punkt/4/flyt", til="3")
    page = post("punkt/3/adgang", adgang="Lukket")
    assert page.index("3. Eventuelt") < page.index("4. Meddelelser")
    written = text(project)
    assert "  - titel: Eventuelt\n    adgang: Lukket\n  - titel: Meddelelser\n" in written
    refused = client.post(
        f"/moede/{MEETING}/punkter", data={"sag": "22/2911", "side": "moede"}, headers=ORIGIN
    )
    assert refused.status_code == 422
    assert alerts(refused.text) == [
        "Ikke skrevet: agenda/2023-03-02-hu.yaml: fejl: ukendt sag '22/2911'; mente du '22/291'?"
    ]
    assert 'value="22/2911"' in refused.text


def test_a_case_section_is_previewed_then_saved_and_a_bilag_uploaded(
    client: TestClient, project: Path
) -> None:
    case = project / "cases" / "23-1532.yaml"
    before = case.read_text(encoding="utf-8")
    heading = "Økonomiske konsekvenser"
    typed = "Ingen.\n\n- Forløbene holdes inden for **HR's** ramme."
    shown = client.post(
        "/sag/23-1532/afsnit",
        data={"overskrift": heading, "tekst": typed, "handling": "forhaandsvis"},
        headers=ORIGIN,
    )
    assert shown.status_code == 200
    assert "<p>Ingen.</p><ul><li>Forløbene holdes inden for <strong>HR&#39;s</strong>" in shown.text
    assert case.read_text(encoding="utf-8") == before
    saved = client.post(
        "/sag/23-1532/afsnit", data={"overskrift": heading, "tekst": typed}, headers=ORIGIN
    )
    assert saved.status_code == 200
    assert "Afsnittet &#39;Økonomiske konsekvenser&#39; er gemt." in saved.text
    written = case.read_text(encoding="utf-8")
    assert (
        "  Økonomiske konsekvenser: |\n    Ingen.\n\n    - Forløbene holdes inden for **HR's**"
        " ramme.\nindstilling:" in written
    )
    pdf = (ROOT / "bilag" / "22-291-1.pdf").read_bytes()
    uploaded = client.post(
        "/sag/23-1532/bilag",
        data={"titel": "Fraværsstatistik 2022", "id": "3400001", "adgang": "Åben"},
        files={"fil": ("Fravær 2022.pdf", pdf, "application/pdf")},
        headers=ORIGIN,
    )
    assert uploaded.status_code == 200
    assert (project / "bilag" / "23-1532-fravær-2022.pdf").read_bytes() == pdf
    assert (
        "  - id: 3400001\n    titel: Fraværsstatistik 2022\n    fil: bilag/23-1532-fravær-2022.pdf"
        in case.read_text(encoding="utf-8")
    )
    log = git(project, "log", "--format=%s", "-n1").strip()
    assert log == "Sag 23/1532: Bilaget er gemt som bilag/23-1532-fravær-2022.pdf."
    refused = client.post(
        "/sag/23-1532/bilag",
        data={"titel": "Noter", "id": "1"},
        files={"fil": ("noter.exe", b"MZ", "application/octet-stream")},
        headers=ORIGIN,
    )
    assert refused.status_code == 422
    assert "'noter.exe' kan ikke bruges som bilag" in alerts(refused.text)[0]


def test_approved_minutes_take_only_a_dated_correction(client: TestClient, project: Path) -> None:
    from dagsorden import record

    record.set_status(project, MEETING, "afholdt", pdf=False)
    record.decide(project, MEETING, 3, "Taget til efterretning.")
    record.approve(project, MEETING, pdf=False)
    page = client.get(f"/moede/{MEETING}").text
    assert "Dateret rettelse til den godkendte protokol" in page
    assert "Godkend protokollen" not in page
    refused = client.post(
        f"/moede/{MEETING}/punkt/3/beslut", data={"standard": "godkendt"}, headers=ORIGIN
    )
    assert refused.status_code == 422
    assert "protokollen for 2023-03-02-hu er godkendt den" in alerts(refused.text)[0]
    assert 'id="forside-formular"' not in page and "Tekst og indstilling til" not in page
    facts = {"start": "14:00", "slut": "", "sted": "Byrådssalen"}
    refused = client.post(f"/moede/{MEETING}/forside", data=facts, headers=ORIGIN)
    assert refused.status_code == 422
    assert "protokollen for 2023-03-02-hu er godkendt den" in alerts(refused.text)[0]
    assert "start: 13:00\n" in text(project)
    answer = client.post(
        f"/moede/{MEETING}/ret",
        data={"tekst": "Punkt 3 blev taget til efterretning med tak.", "rettelse_punkt": "3"},
        headers=ORIGIN,
    )
    assert answer.status_code == 200
    assert "Rettelse skrevet ved punkt 3." in answer.text
    assert "rettelser:" in text(project)
    assert (project / "arkiv" / MEETING / "rettelse-1.json").is_file()


def test_a_build_with_pdf_runs_in_the_background_and_the_pdf_opens_in_the_browser(
    client: TestClient,
) -> None:
    started = client.post(f"/moede/{MEETING}/byg", data={}, headers=ORIGIN, follow_redirects=False)
    assert started.status_code == 303
    job = started.headers["location"]
    # The server answers other pages while LibreOffice works.
    assert client.get(f"/moede/{MEETING}").status_code == 200
    for _ in range(600):
        page = client.get(job).text
        if 'class="besked"' in page or "fejlbesked" in page:
            break
        time.sleep(0.5)
    assert "Færdig." in page, alerts(page)
    assert f'href="/moede/{MEETING}/filer/dagsorden-intern.pdf"' in page
    pdf = client.get(f"/moede/{MEETING}/filer/dagsorden-intern.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    assert pdf.content.startswith(b"%PDF-")
    assert client.get(f"/moede/{MEETING}/filer/..%2Forganisation.yaml").status_code == 404


def test_an_item_is_taken_off_after_a_confirmation_that_says_what_it_means(
    client: TestClient, project: Path
) -> None:
    from dagsorden import record

    record.set_status(project, MEETING, "udsendt", pdf=False)
    git(project, "commit", "-qam", "Udsendt")
    before = text(project)
    asked = client.post(f"/moede/{MEETING}/punkt/2/fjern", data={"side": "moede"}, headers=ORIGIN)
    assert asked.status_code == 200
    box = re.search(r'<div class="bekraeft"[^>]*>(.*?)</div>', asked.text, re.S)
    assert box is not None
    assert " ".join(re.sub(r"<[^>]+>", " ", box[1]).split()) == (
        "Tag punkt 2 (sag 23/1532) af dagsordenen? Punktet står på den udsendte dagsorden;"
        " det kommer på tillægsdagsordenen som taget af. Ja, tag punkt 2 af dagsordenen"
        " Nej, behold punktet"
    )
    assert text(project) == before
    assert 'id="fjern-1"' in asked.text
    done = client.post(
        f"/moede/{MEETING}/punkt/2/fjern",
        data={"side": "moede", "bekraeft": "ja"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "23/1532" not in text(project)
    log = git(project, "log", "--format=%s", "-n1").strip()
    assert log == (
        f"{MEETING}: Punkt 2 (sag 23/1532) er taget af dagsordenen. Punktet står på den"
        " udsendte dagsorden; det kommer på tillægsdagsordenen som taget af."
    )
    page = client.get(done.headers["location"]).text
    assert "2. Meddelelser" in page and "Sygefravær" not in page
    # The history's undo puts it back.
    assert client.post(f"/moede/{MEETING}/fortryd", headers=ORIGIN).status_code == 200
    assert text(project) == before


def test_an_item_of_a_held_meeting_is_not_taken_off(client: TestClient, project: Path) -> None:
    from dagsorden import record

    record.set_status(project, MEETING, "afholdt", pdf=False)
    before = text(project)
    refused = client.post(f"/moede/{MEETING}/punkt/1/fjern", data={"side": "moede"}, headers=ORIGIN)
    assert refused.status_code == 422
    assert alerts(refused.text) == [
        "Ikke skrevet: agenda/2023-03-02-hu.yaml: fejl: mødet 2023-03-02-hu er afholdt, så"
        " punkt 1 (sag 22/291) kan ikke tages af dagsordenen; skriv i stedet beslutningen"
        " (fx 'Udsat.')"
    ]
    confirmed = client.post(
        f"/moede/{MEETING}/punkt/1/fjern",
        data={"side": "moede", "bekraeft": "ja"},
        headers=ORIGIN,
    )
    assert confirmed.status_code == 422
    assert text(project) == before
    assert 'id="fjern-1"' not in client.get(f"/moede/{MEETING}").text


def between(page: str, start: str, end: str) -> str:
    """The part of a page from `start` to `end` (both as they stand in its HTML)."""
    return page[page.index(start) : page.index(end, page.index(start))]


def problem_texts(part: str) -> list[str]:
    found = re.findall(r'<ul class="problemer">(.*?)</ul>', part, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", f)).split()) for f in found]


def test_a_cases_facts_are_edited_and_a_refusal_is_shown_at_its_field_with_the_text_kept(
    client: TestClient, project: Path
) -> None:
    case = project / "cases" / "23-1532.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("adgang: Åben\n", "adgang: Åben  # som HU\n"),
        encoding="utf-8",
    )
    before = case.read_text(encoding="utf-8")
    typed = {"formular": "oplysninger", "titel": "Sygefravær 2022", "kle": "85.02.02P15"}
    refused = client.post(
        "/sag/23-1532/oplysninger",
        data={**typed, "adgang": "Åben", "sagsgang": "HU, ØU"},
        headers=ORIGIN,
    )
    assert refused.status_code == 422
    field = between(refused.text, 'for="sag-sagsgang"', "</div>")
    assert 'value="HU, ØU"' in field
    assert alerts(field + "</div>") == [
        "Ikke skrevet: cases/23-1532.yaml:5:16: fejl: ukendt udvalg 'ØU' i sagsgangen"
        " (kendte: ØK, KB, HU)"
    ]
    assert 'id="sag-titel" name="titel" value="Sygefravær 2022"' in refused.text
    assert case.read_text(encoding="utf-8") == before
    saved = client.post(
        "/sag/23-1532/oplysninger",
        data={**typed, "kle": "", "adgang": "Lukket", "sagsgang": "HU"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert case.read_text(encoding="utf-8").startswith(
        "sagsnr: 23/1532\ntitel: Sygefravær 2022\nadgang: Lukket # som HU\nsagsgang: [HU]\n"
    )
    assert git(project, "log", "--format=%s", "-n1").strip() == (
        "Sag 23/1532: Sagens oplysninger er gemt."
    )
    page = client.get(f"/moede/{MEETING}").text
    assert '2. Sygefravær 2022\n    <span class="adgang lukket">Lukket</span>' in page


def test_a_sensitive_title_needs_a_public_title_and_both_are_written(
    client: TestClient, project: Path
) -> None:
    case = project / "cases" / "23-1532.yaml"
    before = case.read_text(encoding="utf-8")
    typed = {
        "formular": "oplysninger",
        "titel": "Sygefravær hos Jens Hansen",
        "kle": "",
        "adgang": "Lukket",
        "sagsgang": "HU",
        "titel_foelsom": "ja",
        "offentlig_titel": "",
    }
    refused = client.post("/sag/23-1532/oplysninger", data=typed, headers=ORIGIN)
    assert refused.status_code == 422
    assert case.read_text(encoding="utf-8") == before
    assert 'id="sag-titel-foelsom" name="titel_foelsom" value="ja" checked' in refused.text
    assert (
        "agenda/2023-03-02-hu.yaml:11:5: fejl: punkt 2 er lukket, og sagen 23/1532 har en følsom"
        " titel, men ingen offentlig_titel; skriv den titel, offentligheden må se, i sagen"
    ) in " ".join(alerts(refused.text))
    saved = client.post(
        "/sag/23-1532/oplysninger",
        data={**typed, "offentlig_titel": "Personalesag"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert saved.status_code == 303
    text = case.read_text(encoding="utf-8")
    assert (
        "titel: Sygefravær hos Jens Hansen\ntitel_følsom: ja\noffentlig_titel: Personalesag\n"
        in text
    )
    page = client.get("/sag/23-1532").text
    assert 'value="Personalesag"' in page
    assert 'name="titel_foelsom" value="ja" checked' in page
    cleared = {**typed, "offentlig_titel": "", "titel": "Sygefravær 2022"}
    del cleared["titel_foelsom"]
    assert (
        client.post(
            "/sag/23-1532/oplysninger", data=cleared, headers=ORIGIN, follow_redirects=False
        ).status_code
        == 303
    )
    text = case.read_text(encoding="utf-8")
    assert "titel_følsom" not in text and "offentlig_titel" not in text


def test_a_bilags_title_numbers_and_access_are_edited_and_the_bilag_reordered(
    client: TestClient, project: Path
) -> None:
    case = project / "cases" / "22-291.yaml"
    before = case.read_text(encoding="utf-8")
    typed = {"formular": "bilag:2", "titel": "Strategisk plan", "id": "3383530", "adgang": "Lukket"}
    refused = client.post(
        "/sag/22-291/bilag/2", data={**typed, "dokumentnr": "146522-22"}, headers=ORIGIN
    )
    assert refused.status_code == 422
    entry = between(refused.text, 'id="bilag-2"', "</li>")
    assert alerts(entry) == [
        "Ikke skrevet: cases/22-291.yaml:50:17: fejl: dokumentnummeret '146522-22' har ikke"
        " formen løbenummer/ÅÅ (fx 151433/22)"
    ]
    assert 'name="dokumentnr" value="146522-22"' in entry
    assert 'name="titel" value="Strategisk plan"' in entry
    assert case.read_text(encoding="utf-8") == before
    client.post(
        "/sag/22-291/bilag/2", data={**typed, "dokumentnr": "146522/22"}, headers=ORIGIN
    ).raise_for_status()
    moved = client.post("/sag/22-291/bilag/2/flyt", data={"til": "1"}, headers=ORIGIN)
    assert moved.status_code == 200
    assert "Bilag 2 er flyttet til bilag 1." in moved.text
    assert moved.text.index("Bilag 1: Strategisk plan") < moved.text.index(
        "Bilag 2: Udmøntningsplan 2023-2026 til ØK og KB i december"
    )
    written = case.read_text(encoding="utf-8").split("bilag:\n")[1]
    assert written.startswith(
        "  - id: 3383530\n    fil: bilag/22-291-2.pdf\n    titel: Strategisk plan\n"
        "    dokumentnr: 146522/22\n    adgang: Lukket\n  - id: 3389825\n"
    )


def test_problems_in_a_case_are_shown_beside_the_section_they_concern(
    client: TestClient, project: Path
) -> None:
    case = project / "cases" / "23-1532.yaml"
    written = case.read_text(encoding="utf-8")
    case.write_text(
        written.replace(
            "    Ingen. Forløbene", "    ![](billeder/kort.png)\n\n    Ingen. Forløbene"
        ),
        encoding="utf-8",
    )
    page = client.get("/sag/23-1532").text
    (picture,) = problem_texts(between(page, 'id="afsnit-3"', 'id="bilag"'))
    assert picture.startswith("Fejl: billedet mangler en billedtekst")
    assert picture.endswith("cases/23-1532.yaml:24:5")
    assert problem_texts(between(page, "<h1>", 'id="afsnit-3"')) == []
    # The CPR guard reads the public editions once the data has no other error.
    case.write_text(
        written.replace("omfatter hele 2022.", "omfatter hele 2022, jf. 010203-1235."),
        encoding="utf-8",
    )
    page = client.get("/sag/23-1532").text
    (cpr,) = problem_texts(between(page, 'id="afsnit-1"', 'id="afsnit-2"'))
    assert cpr.startswith("Fejl: her står noget, der ligner et CPR-nummer")
    assert cpr.endswith("cases/23-1532.yaml:8:149")
    assert problem_texts(between(page, "<h1>", 'id="afsnit-1"')) == []
    assert problem_texts(between(page, 'id="afsnit-2"', "</body>")) == []
    # The meeting treating the case shows them at its item, with the file and line.
    meeting = client.get(f"/moede/{MEETING}").text
    (item,) = problem_texts(between(meeting, 'id="punkt-2"', 'id="punkt-3"'))
    assert item == cpr


def test_problems_in_a_meeting_file_are_shown_at_the_fact_and_the_item_they_concern(
    client: TestClient, project: Path
) -> None:
    (project / FILE).write_text(
        text(project)
        .replace("start: 13:00", "start: 25:00")
        .replace("punkter:\n", "afbud:\n  - Ukendt Medlem\npunkter:\n")
        .replace(
            "  - sag: 23/1532\n",
            "  - sag: 23/1532\n    beslutning: Godkendt.\n"
            "    deltog_ikke:\n      - navn: Jens Ukendt\n",
        ),
        encoding="utf-8",
    )
    page = client.get(f"/moede/{MEETING}").text
    assert problem_texts(between(page, "<dt>Tid</dt>", "</dd>")) == [
        "Fejl: starttidspunktet '25:00' er ikke et klokkeslæt (timer 0-23, minutter 0-59)"
        " agenda/2023-03-02-hu.yaml:4:8"
    ]
    assert problem_texts(between(page, "<dt>Fremmøde</dt>", "</dd>")) == [
        "Fejl: ukendt person 'Ukendt Medlem' agenda/2023-03-02-hu.yaml:8:5"
    ]
    item = between(page, 'id="punkt-2"', 'id="punkt-3"')
    away = between(item, "<p>Deltog ikke: Jens Ukendt</p>", "</ul>")
    assert problem_texts(away + "</ul>") == [
        "Fejl: ukendt person 'Jens Ukendt' agenda/2023-03-02-hu.yaml:16:15"
    ]
    assert problem_texts(between(page, "<h1>", 'id="forside"')) == []


def test_a_meeting_is_planned_from_the_overview_and_a_refusal_keeps_what_was_typed(
    client: TestClient, project: Path
) -> None:
    form = between(client.get("/?aar=2023").text, 'id="nyt-moede"', "</form>")
    assert '<option value="HU">Hovedudvalget (HU)</option>' in form
    assert '<option value="ØK">' in form and '<option value="KB">' in form
    typed = {"udvalg": "HU", "dato": "2023-4-13", "start": "", "sted": "Byrådssalen"}
    refused = client.post("/moeder", data=typed, headers=ORIGIN)
    assert refused.status_code == 422
    assert alerts(refused.text) == [
        "Ikke skrevet: '2023-4-13' er ikke en dato på formen ÅÅÅÅ-MM-DD (fx 2023-04-13)"
    ]
    assert 'id="nyt-dato" name="dato"' in refused.text and 'value="2023-4-13"' in refused.text
    assert 'value="Byrådssalen"' in refused.text
    assert '<option value="HU" selected>' in refused.text
    assert not (project / "agenda" / "2023-04-13-hu.yaml").exists()
    exists = client.post("/moeder", data={**typed, "dato": "2023-03-02"}, headers=ORIGIN)
    assert alerts(exists.text) == [
        "Ikke skrevet: agenda/2023-03-02-hu.yaml: fejl: mødefilen findes allerede; intet er skrevet"
    ]
    # Start and place left empty: those of HU's latest earlier meeting.
    made = client.post(
        "/moeder",
        data={"udvalg": "HU", "dato": "2023-04-13", "start": "", "sted": ""},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert made.headers["location"].startswith("/moede/2023-04-13-hu?gjort=M%C3%B8det%20er")
    said = "Mødet er oprettet: Hovedudvalget 13-04-2023 kl. 13:00, Mødelokale 1, Rådhuset, Grenaa."
    assert (project / "agenda" / "2023-04-13-hu.yaml").read_text(encoding="utf-8") == (
        "udvalg: HU\ndato: 2023-04-13\nstart: 13:00\nsted: Mødelokale 1, Rådhuset, Grenaa\n"
        "status: planlagt\npunkter: []\n"
    )
    assert git(project, "log", "--format=%s", "-n1").strip() == f"2023-04-13-hu: {said}"
    page = client.get(made.headers["location"]).text
    assert f'<p class="besked" role="status">{html.escape(said, quote=False)}</p>' in page
    assert "Mødet har ingen punkter endnu. Sæt dem på nedenfor" in page


def test_time_and_place_are_edited_and_tjeks_message_stands_at_the_field(
    client: TestClient, project: Path
) -> None:
    before = text(project)
    typed = {"start": "25:00", "slut": "15:30", "sted": "Byrådssalen", "side": "moede"}
    refused = client.post(f"/moede/{MEETING}/forside", data=typed, headers=ORIGIN)
    assert refused.status_code == 422
    field = between(refused.text, 'for="forside-start"', "</div>")
    assert alerts(field + "</div>") == [
        "Ikke skrevet: agenda/2023-03-02-hu.yaml:4:8: fejl: starttidspunktet '25:00' er ikke et"
        " klokkeslæt (timer 0-23, minutter 0-59)"
    ]
    assert 'value="25:00"' in field
    assert 'id="forside-slut" name="slut" value="15:30"' in refused.text
    assert 'id="forside-sted" name="sted" value="Byrådssalen"' in refused.text
    assert text(project) == before
    saved = client.post(
        f"/moede/{MEETING}/forside",
        data={**typed, "start": "13.30", "slut": "", "sted": " Byrådssalen,  Rådhuset "},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert saved.status_code == 303, alerts(saved.text)
    assert text(project) == before.replace(
        "start: 13:00\nslut: 15:00\nsted: Mødelokale 1, Rådhuset, Grenaa\n",
        "start: 13.30\nsted: Byrådssalen, Rådhuset\n",
    )
    assert git(project, "log", "--format=%s", "-n1").strip() == (
        f"{MEETING}: Forsidens oplysninger er gemt."
    )
    page = client.get(saved.headers["location"]).text
    assert "<dt>Tid</dt><dd>kl. 13:30" in page and "<dd>Byrådssalen, Rådhuset" in page


def test_an_items_own_text_and_recommendation_are_written_and_emptied(
    client: TestClient, project: Path
) -> None:
    def post(number: int, **data: str) -> Any:
        return client.post(
            f"/moede/{MEETING}/punkt/{number}/tekst",
            data={"side": "moede", **data},
            headers=ORIGIN,
            follow_redirects=False,
        )

    page = client.get(f"/moede/{MEETING}").text
    item_3 = between(page, 'id="punkt-3"', "</details>")
    assert "<summary>Tekst og indstilling til punkt 3</summary>" in item_3
    assert ">- Orientering om status på rekrutteringen" in item_3
    assert 'name="tekst"' not in between(page, 'id="punkt-1"', "</details>")
    saved = post(
        3,
        tekst="Nye medarbejdere:\r\n\r\n- Anna\r\n- Bo",
        indstilling="Orienteringen tages til efterretning.",
    )
    assert saved.status_code == 303
    assert git(project, "log", "--format=%s", "-n1").strip() == (
        f"{MEETING}: Punkt 3: teksten og indstillingen er gemt."
    )
    assert text(project).endswith(
        "  - titel: Meddelelser\n    tekst: |\n      Nye medarbejdere:\n\n"
        "      - Anna\n      - Bo\n    indstilling: Orienteringen tages til efterretning.\n"
    )
    # Item 1's own recommendation goes; its case's applies again. The comment stays.
    assert post(1, indstilling="  ").status_code == 303
    assert "  - sag: 22/291  # udmøntningsplanen fra ØK og KB\n  - sag: 23/1532\n" in text(project)
    before = text(project)
    refused = post(2, tekst="Sagens tekst her", indstilling="Godkendes.")
    assert refused.status_code == 422
    assert alerts(refused.text) == [
        "Ikke skrevet: agenda/2023-03-02-hu.yaml: fejl: punkt 2 (sag 23/1532) har en sag; dens"
        " tekst skrives i sagens afsnit"
    ]
    item_2 = between(refused.text, 'id="punkt-2"', "</details>")
    assert '<details id="punkt-tekst" open>' in item_2
    assert ">Godkendes.</textarea>" in item_2
    assert text(project) == before
