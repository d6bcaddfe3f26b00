"""Recording during the meeting as the secretary meets it: items by number or case number, the
list of items, taking a recording back, what a command replaced, warnings once, a new meeting
file, vote totals and how attendance prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MakeProject
from dagsorden.build import build
from dagsorden.cli import main
from docxdump import dump

MEETING = "2023-01-10-oek"
FILE = f"agenda/{MEETING}.yaml"

FILES = {
    "organisation.yaml": """\
        kommune: Testrup Kommune
        standardafsnit: [Sagsfremstilling]
        udvalg:
          ØK:
            navn: Økonomiudvalget
          KB:
            navn: Kommunalbestyrelsen
        personer:
          Anna Andersen:
            - {udvalg: ØK, parti: A, rolle: Formand, fra: 2022-01-01}
          Bo Berg:
            - {udvalg: ØK, parti: V, fra: 2022-01-01}
          Cecilie Clausen:
            - {udvalg: ØK, parti: C, fra: 2022-01-01}
          Dorte Dahl:
            - {udvalg: KB, parti: A, fra: 2022-01-01}
        """,
    "cases/22-1.yaml": """\
        sagsnr: 22/1
        titel: Budget 2023
        sagsgang: [ØK, KB]
        afsnit:
          Sagsfremstilling: Teksten.
        """,
    "cases/22-2.yaml": """\
        sagsnr: 22/2
        titel: Skolestruktur
        sagsgang: [ØK]
        afsnit:
          Sagsfremstilling: Teksten.
        """,
    FILE: """\
        # Økonomiudvalgets januarmøde
        udvalg: ØK
        dato: 2023-01-10
        start: 16:00
        slut: 18:00
        sted: Mødelokale 1
        punkter:
          - sag: 22/1  # budgettet
          - sag: 22/2
          - titel: Meddelelser
            tekst: Ingen.
        """,
}


@pytest.fixture
def root(make_project: MakeProject) -> Path:
    return make_project(FILES)


def run(root: Path, *args: str) -> int:
    return main([args[0], "--projekt", str(root), *args[1:]])


def text(root: Path, file: str = FILE) -> str:
    return (root / file).read_text(encoding="utf-8")


# -- items by number or case number -------------------------------------------------------------


def test_an_item_is_named_by_its_number_or_its_case_number(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(root, "beslut", MEETING, "22/2", "--standard", "godkendt") == 0
    assert capsys.readouterr().out == "beslutning skrevet på punkt 2 (sag 22/2)\n"
    assert run(root, "beslut", MEETING, "1", "Tiltrådt.") == 0
    assert capsys.readouterr().out == "beslutning skrevet på punkt 1 (sag 22/1)\n"
    written = text(root)
    assert "  - sag: 22/1  # budgettet\n    beslutning: Tiltrådt.\n" in written
    assert "  - sag: 22/2\n    beslutning: Godkendt.\n" in written
    assert run(root, "afstem", MEETING, "22/1", "--for", "A,V", "--imod", "C") == 0
    assert run(root, "deltog-ikke", MEETING, "22/2", "Bo Berg", "--årsag", "inhabil") == 0
    assert run(root, "bemærk", MEETING, "3", "Ingen bemærkninger.") == 0
    assert (
        run(root, "delvis", MEETING, "Anna Andersen", "--gik", "17.30", "--punkter", "22/2-3") == 1
    )
    assert capsys.readouterr().err.endswith(
        "fejl: sagen 22/2-3 står ikke på mødet 2023-01-10-oek; punkterne er 1 (sag 22/1), "
        "2 (sag 22/2) og 3 (Meddelelser); mente du '22/2'?\n"
    )
    assert run(root, "delvis", MEETING, "Anna Andersen", "--gik", "17.30", "--punkter", "2-3") == 0
    assert capsys.readouterr().out.endswith("skrevet: Anna Andersen var ikke med til punkt 2-3\n")
    assert "    gik: 17:30\n    punkter: [2, 3]\n" in text(root)


def test_an_unknown_item_is_refused_in_danish_with_the_meetings_items(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = text(root)
    items = "punkterne er 1 (sag 22/1), 2 (sag 22/2) og 3 (Meddelelser)"
    cases = [
        (
            ["beslut", MEETING, "26/1105", "Godkendt."],
            f"sagen 26/1105 står ikke på mødet {MEETING}",
        ),
        (["beslut", MEETING, "4", "Godkendt."], f"punkt 4 findes ikke på mødet {MEETING}"),
        (["afstem", MEETING, "0", "--for", "A"], f"punkt 0 findes ikke på mødet {MEETING}"),
        (
            ["deltog-ikke", MEETING, "sidste", "Bo Berg"],
            "'sidste' er hverken et punktnummer eller et sagsnummer (fx 2 eller 22/291)",
        ),
        (["videresend", MEETING, "22/9"], f"sagen 22/9 står ikke på mødet {MEETING}"),
    ]
    for args, message in cases:
        assert run(root, *args) == 1
        hint = "; mente du '22/2'?" if args[2] == "22/9" else ""
        assert capsys.readouterr().err == f"{FILE}: fejl: {message}; {items}{hint}\n"
    assert text(root) == before


def test_a_correction_names_its_item_by_case_number(root: Path, tmp_path: Path) -> None:
    assert run(root, "beslut", MEETING, "1", "Godkendt.") == 0
    assert run(root, "status", MEETING, "afholdt") == 0
    assert run(root, "godkend", MEETING, "--dato", "2023-01-20") == 0
    assert run(root, "ret", MEETING, "Beløbet er 2 mio. kr.", "--punkt", "22/1") == 0
    assert "rettelser:\n  - dato: " in text(root)
    assert "    punkt: 1\n" in text(root)


def test_an_approval_or_correction_cannot_be_dated_in_the_future_or_too_early(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A legal record's date is the day it happened: a mistyped year must not slip through.
    assert run(root, "beslut", MEETING, "1", "Godkendt.") == 0
    assert run(root, "status", MEETING, "afholdt") == 0
    capsys.readouterr()
    before = text(root)
    assert run(root, "godkend", MEETING, "--dato", "2099-01-20") == 1
    assert "godkendelsen kan ikke dateres 20-01-2099, efter i dag" in capsys.readouterr().err
    assert run(root, "godkend", MEETING, "--dato", "2022-01-20") == 1
    assert "godkendelsen kan ikke dateres 20-01-2022, før 10-01-2023" in capsys.readouterr().err
    assert text(root) == before
    assert run(root, "godkend", MEETING, "--dato", "2023-01-20") == 0
    approved = text(root)
    assert run(root, "ret", MEETING, "Beløbet er 2 mio. kr.", "--dato", "2023-01-19") == 1
    assert "rettelsen kan ikke dateres 19-01-2023, før 20-01-2023" in capsys.readouterr().err
    assert run(root, "ret", MEETING, "Beløbet er 2 mio. kr.", "--dato", "2099-01-19") == 1
    assert text(root) == approved
    assert not list((root / "arkiv" / MEETING).glob("rettelse-*"))


# -- the list of items ---------------------------------------------------------------------------


def test_punkter_lists_the_items_and_what_is_recorded(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(root, "afbud", MEETING, "Cecilie Clausen", "--stedfortræder", "Dorte Dahl") == 0
    assert run(root, "delvis", MEETING, "Bo Berg", "--ankom", "16:45", "--punkter", "1") == 0
    assert run(root, "beslut", MEETING, "1", "Godkendt.") == 0
    assert run(root, "afstem", MEETING, "1", "--for", "Anna Andersen", "--imod", "Dorte Dahl") == 0
    assert run(root, "bemærk", MEETING, "1", "En bemærkning.") == 0
    assert run(root, "bemærk", MEETING, "1", "En til.") == 0
    assert run(root, "deltog-ikke", MEETING, "2", "Anna Andersen") == 0
    capsys.readouterr()
    assert run(root, "punkter", MEETING) == 0
    assert capsys.readouterr().out == (
        "Økonomiudvalget 10-01-2023 kl. 16:00, Mødelokale 1 (2023-01-10-oek, planlagt)\n"
        "nr.  sag   titel          adgang  skrevet\n"
        "1    22/1  Budget 2023    Åben    beslutning, afstemning, 2 bemærkninger\n"
        "2    22/2  Skolestruktur  Åben    deltog ikke: Anna Andersen\n"
        "3    –     Meddelelser    Åben    –\n"
        "Afbud: Cecilie Clausen (stedfortræder: Dorte Dahl)\n"
        "Delvis: Bo Berg (ankom 16:45; ikke med til punkt 1)\n"
    )


# -- taking a recording back ---------------------------------------------------------------------


def test_every_recording_can_be_taken_back_and_leaves_no_empty_key(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = text(root)
    steps = [
        ["afbud", MEETING, "Cecilie Clausen", "--stedfortræder", "Dorte Dahl"],
        ["delvis", MEETING, "Bo Berg", "--ankom", "16:45", "--punkter", "1"],
        ["beslut", MEETING, "22/1", "Godkendt."],
        ["beslut", MEETING, "22/2", "Godkendt."],
        ["afstem", MEETING, "1", "--for", "A"],
        ["deltog-ikke", MEETING, "2", "Anna Andersen", "--årsag", "inhabil"],
        ["bemærk", MEETING, "1", "Første."],
        ["bemærk", MEETING, "1", "Anden."],
    ]
    for step in steps:
        assert run(root, *step) == 0, step
    capsys.readouterr()
    withdrawals = [
        (
            ["bemærk", MEETING, "1", "--fjern", "1"],
            "protokolbemærkning 1 fjernet fra punkt 1 (sag 22/1): 'Første.'",
        ),
        (
            ["bemærk", MEETING, "1", "--fjern", "1"],
            "protokolbemærkning 1 fjernet fra punkt 1 (sag 22/1): 'Anden.'",
        ),
        (
            ["deltog-ikke", MEETING, "22/2", "Anna Andersen", "--fjern"],
            "fjernet: Anna Andersen under deltog ikke ved punkt 2 (sag 22/2)",
        ),
        (
            ["afstem", MEETING, "1", "--fjern"],
            "afstemning fjernet fra punkt 1 (sag 22/1): for: A",
        ),
        (
            ["beslut", MEETING, "2", "--fjern"],
            "beslutning fjernet fra punkt 2 (sag 22/2): 'Godkendt.'",
        ),
        (
            ["beslut", MEETING, "1", "--fjern"],
            "beslutning fjernet fra punkt 1 (sag 22/1): 'Godkendt.'",
        ),
        (
            ["delvis", MEETING, "Bo Berg", "--fjern"],
            "delvis fjernet: Bo Berg (ankom 16:45, punkt 1)",
        ),
        (
            ["afbud", MEETING, "Cecilie Clausen", "--fjern"],
            "afbud fjernet: Cecilie Clausen og stedfortræderen Dorte Dahl",
        ),
    ]
    for args, said in withdrawals:
        assert run(root, *args) == 0, args
        assert capsys.readouterr().out.splitlines()[-1] == said
    assert text(root) == original


def test_taking_back_what_is_not_there_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(root, "bemærk", MEETING, "1", "Første.") == 0
    assert run(root, "bemærk", MEETING, "1", "Bo Berg er uenig.", "--navn", "Bo Berg") == 0
    capsys.readouterr()
    refusals = [
        (
            ["afbud", MEETING, "Bo Berg", "--fjern"],
            f"Bo Berg står ikke under afbud til mødet {MEETING} (ingen har meldt afbud)",
        ),
        (["beslut", MEETING, "2", "--fjern"], "punkt 2 (sag 22/2) har ingen beslutning"),
        (["afstem", MEETING, "3", "--fjern"], "der er ikke stemt om punkt 3 (Meddelelser)"),
        (
            ["bemærk", MEETING, "1", "--fjern", "3"],
            "punkt 1 (sag 22/1) har ingen protokolbemærkning 3; bemærkningerne er: "
            "1 'Første.'; 2 Bo Berg: 'Bo Berg er uenig.'",
        ),
        (
            ["delvis", MEETING, "Bo Berg", "--fjern"],
            f"Bo Berg står ikke under delvis på mødet {MEETING}"
            " (der er intet skrevet under delvis)",
        ),
    ]
    for args, message in refusals:
        assert run(root, *args) == 1, args
        assert capsys.readouterr().err == f"{FILE}: fejl: {message}\n"
    assert run(root, "beslut", MEETING, "1", "Godkendt.", "--fjern") == 2
    assert "--fjern kan ikke bruges sammen med TEKST" in capsys.readouterr().err
    assert run(root, "bemærk", MEETING, "1", "--fjern", "sidste") == 2
    assert capsys.readouterr().err.endswith(
        "Fejl: Ugyldig værdi for '--fjern': 'sidste' er ikke et nummer; skriv bemærkningens"
        " nummer (1 er den første)\n"
    )


def test_approved_minutes_refuse_a_withdrawal(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(root, "beslut", MEETING, "1", "Godkendt.") == 0
    assert run(root, "status", MEETING, "afholdt") == 0
    assert run(root, "godkend", MEETING, "--dato", "2023-01-20") == 0
    capsys.readouterr()
    before = text(root)
    assert run(root, "beslut", MEETING, "1", "--fjern") == 1
    assert capsys.readouterr().err == (
        f"{FILE}: fejl: protokollen for {MEETING} er godkendt den 20-01-2023 og kan ikke "
        "ændres; skriv en rettelse med 'dagsorden ret'\n"
    )
    assert text(root) == before


def test_taking_back_keeps_the_secretarys_comments(make_project: MakeProject) -> None:
    files = dict(FILES)
    files[FILE] = """\
        udvalg: ØK
        dato: 2023-01-10
        start: 16:00
        sted: Mødelokale 1
        afbud:
          - Bo Berg  # syg
          # Cecilie kommer måske
          - Cecilie Clausen
        # punkterne fra sekretariatet
        punkter:
          - sag: 22/1
        """
    root = make_project(files)
    assert run(root, "afbud", MEETING, "Bo Berg", "--fjern") == 0
    assert text(root) == (
        "udvalg: ØK\ndato: 2023-01-10\nstart: 16:00\nsted: Mødelokale 1\nafbud:\n"
        "  # Cecilie kommer måske\n  - Cecilie Clausen\n# punkterne fra sekretariatet\n"
        "punkter:\n  - sag: 22/1\n"
    )
    assert run(root, "afbud", MEETING, "Cecilie Clausen", "--fjern") == 0
    assert text(root) == (
        "udvalg: ØK\ndato: 2023-01-10\nstart: 16:00\nsted: Mødelokale 1\n"
        "# punkterne fra sekretariatet\npunkter:\n  - sag: 22/1\n"
    )


# -- saying what was replaced --------------------------------------------------------------------


def test_a_command_that_replaces_a_recording_says_what_it_replaced(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(root, "beslut", MEETING, "1", "Godkendt.") == 0
    assert run(root, "afstem", MEETING, "1", "--for", "A,V", "--imod", "C") == 0
    capsys.readouterr()
    assert run(root, "beslut", MEETING, "1", "--standard", "tiltrådt") == 0
    assert capsys.readouterr().out == (
        "beslutning skrevet på punkt 1 (sag 22/1); erstattede: 'Godkendt.'\n"
    )
    assert run(root, "afstem", MEETING, "22/1", "--for", "A,V,C") == 0
    assert capsys.readouterr().out == (
        "afstemning skrevet på punkt 1 (sag 22/1); erstattede: for: A, V; imod: C\n"
    )
    assert "    beslutning: Tiltrådt.\n    afstemning:\n      for: [A, V, C]\n" in text(root)


def test_a_stedfortraeder_is_added_to_an_afbud_and_replaced(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(root, "afbud", MEETING, "Cecilie Clausen") == 0
    assert run(root, "afbud", MEETING, "Cecilie Clausen") == 1
    assert capsys.readouterr().err.endswith(
        f"fejl: Cecilie Clausen står allerede under afbud til mødet {MEETING}\n"
    )
    assert run(root, "afbud", MEETING, "Cecilie Clausen", "--stedfortræder", "Dorte Dahl") == 0
    assert capsys.readouterr().out == "afbud skrevet: Cecilie Clausen (stedfortræder Dorte Dahl)\n"
    assert run(root, "afbud", MEETING, "Cecilie Clausen", "--stedfortræder", "Dorte Dahl") == 0
    assert capsys.readouterr().out == (
        "afbud skrevet: Cecilie Clausen (stedfortræder Dorte Dahl); erstattede: Dorte Dahl\n"
    )
    assert text(root).count("Cecilie Clausen") == 2  # once under afbud, once as 'for'


# -- warnings while recording --------------------------------------------------------------------


def test_recording_warns_about_its_own_meeting_once(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A colleague's half-written meeting for another body: not this meeting's business.
    (root / "agenda" / "2023-01-12-kb.yaml").write_text(
        "udvalg: KB\ndato: 2023-01-12\nstart: [17:00\n", encoding="utf-8"
    )
    assert run(root, "beslut", MEETING, "1", "Godkendt.") == 0
    err = capsys.readouterr().err
    assert err == (
        f"{FILE}:8:5: advarsel: sagen 22/1 er besluttet i ØK den 10-01-2023, men står ikke på et"
        " senere møde i KB, som er næste i sagsgangen (ØK, KB); brug 'dagsorden videresend"
        " 2023-01-10-oek 1'\n"
        "      - sag: 22/1  # budgettet\n"
        "        ^\n"
        f"{FILE}:10:5: advarsel: punkt 2 har ingen beslutning, men mødet har andre beslutninger;"
        " protokollen viser punktet uden beslutning\n"
        "      - sag: 22/2\n"
        "        ^\n"
        f"{FILE}:11:5: advarsel: punkt 3 har ingen beslutning, men mødet har andre beslutninger;"
        " protokollen viser punktet uden beslutning\n"
        "      - titel: Meddelelser\n"
        "        ^\n"
    )
    # Said once: the next command does not repeat what is still true.
    assert run(root, "beslut", MEETING, "2", "Godkendt.") == 0
    assert capsys.readouterr().err == ""
    # A new warning is said, once.
    assert run(root, "bemærk", MEETING, "1", "Uenig.", "--navn", "Bo Berg") == 0
    assert capsys.readouterr().err.startswith(
        f"{FILE}:11:15: advarsel: der er ikke stemt om punkt 1; en afvigende mening tilføres"
    )
    # The check still reports everything, the colleague's file included.
    assert run(root, "tjek") == 1


def test_a_broken_meeting_file_that_mentions_the_case_still_blocks(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "agenda" / "2022-12-13-oek.yaml").write_text(
        "udvalg: ØK\ndato: 2022-12-13\nstart: [17:00\npunkter:\n  - sag: 22/1\n",
        encoding="utf-8",
    )
    before = text(root)
    assert run(root, "beslut", MEETING, "1", "Godkendt.") == 1
    assert "agenda/2022-12-13-oek.yaml:" in capsys.readouterr().err
    assert text(root) == before


def test_a_colleagues_broken_meeting_file_does_not_stop_the_build_either(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "agenda" / "2023-01-12-kb.yaml").write_text(
        "udvalg: KB\ndato: 2023-01-12\nstart: [17:00\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["byg", MEETING, "--projekt", str(root), "--ud", str(out), "--uden-pdf"]) == 0
    assert capsys.readouterr().err == (
        "agenda/2023-01-12-kb.yaml:3:8: advarsel: ugyldig YAML: listen i [ ] er ikke lukket; der"
        " mangler ']' (filen bruges ikke af de møder, der bygges, så de bygges alligevel)\n"
        "    start: [17:00\n"
        "           ^\n"
    )
    assert (out / MEETING / "dagsorden-intern.docx").is_file()


# -- a new meeting -------------------------------------------------------------------------------


def test_nyt_moede_writes_a_planned_meeting_from_the_bodys_latest(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(root, "nyt-møde", "ØK", "2023-02-07") == 0
    assert capsys.readouterr().out == "skrev agenda/2023-02-07-oek.yaml\n"
    assert text(root, "agenda/2023-02-07-oek.yaml") == (
        "udvalg: ØK\ndato: 2023-02-07\nstart: 16:00\nsted: Mødelokale 1\nstatus: planlagt\n"
        "punkter: []\n"
    )
    assert run(root, "tjek") == 0
    assert run(root, "punkter", "2023-02-07-oek") == 0
    assert capsys.readouterr().out.endswith("Mødet har ingen punkter endnu.\n")
    assert run(root, "beslut", "2023-02-07-oek", "1", "Godkendt.") == 1
    assert capsys.readouterr().err == (
        "agenda/2023-02-07-oek.yaml: fejl: punkt 1 findes ikke på mødet 2023-02-07-oek "
        "(mødet har ingen punkter endnu)\n"
    )
    assert run(root, "status", "2023-02-07-oek", "udsendt", "--uden-pdf") == 0
    assert capsys.readouterr().err == (
        "agenda/2023-02-07-oek.yaml:1:1: advarsel: dagsordenen for 2023-02-07-oek er udsendt"
        " uden punkter; punkter, der skrives i mødefilen nu, kommer på en tillægsdagsorden\n"
        "    udvalg: ØK\n    ^\n"
    )
    # Exists: refused, nothing written.
    assert run(root, "nyt-møde", "øk", "2023-02-07", "--sted", "Andetsteds") == 1
    assert capsys.readouterr().err == (
        "agenda/2023-02-07-oek.yaml: fejl: mødefilen findes allerede; intet er skrevet\n"
    )
    assert "Andetsteds" not in text(root, "agenda/2023-02-07-oek.yaml")


def test_nyt_moede_for_a_body_without_meetings_needs_start_and_place(
    root: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(root, "nyt-møde", "KB", "2023-01-24") == 1
    assert capsys.readouterr().err == (
        "fejl: KB har intet tidligere møde at tage starttidspunktet fra;"
        " skriv starttidspunktet (TT:MM; i terminalen med --start)\n"
    )
    assert run(root, "nyt-møde", "KBB", "2023-01-24") == 1
    assert capsys.readouterr().err == (
        "fejl: ukendt udvalg 'KBB' (kendte: ØK, KB); mente du 'KB'?\n"
    )
    assert run(root, "nyt-møde", "KB", "24-01-2023") == 1
    assert capsys.readouterr().err == (
        "fejl: '24-01-2023' er ikke en dato på formen ÅÅÅÅ-MM-DD (fx 2023-04-13)\n"
    )
    place = "Byrådssalen: 1. sal # bag kantinen"
    assert run(root, "nyt-møde", "KB", "2023-01-24", "--start", "17.00", "--sted", place) == 0
    assert text(root, "agenda/2023-01-24-kb.yaml") == (
        "udvalg: KB\ndato: 2023-01-24\nstart: 17:00\nsted: 'Byrådssalen: 1. sal # bag kantinen'\n"
        "status: planlagt\npunkter: []\n"
    )
    # The case moves on onto the new meeting, as a block list.
    assert run(root, "beslut", MEETING, "22/1", "Godkendt.") == 0
    assert run(root, "videresend", MEETING, "22/1") == 0
    assert text(root, "agenda/2023-01-24-kb.yaml").endswith(
        "punkter:\n  - sag: 22/1  # fra 2023-01-10-oek; skriv KBs egen indstilling her\n"
    )
    built, _ = build(root, ["2023-01-24-kb"], out=tmp_path / "out")
    assert built


def test_a_meeting_may_have_no_items_key_yet(make_project: MakeProject) -> None:
    files = dict(FILES)
    files["agenda/2023-02-07-oek.yaml"] = (
        "udvalg: ØK\ndato: 2023-02-07\nstart: 16:00\nsted: Mødelokale 1\npunkter:\n"
    )
    files["agenda/2023-03-07-oek.yaml"] = (
        "udvalg: ØK\ndato: 2023-03-07\nstart: 16:00\nsted: Mødelokale 1\n"
    )
    assert run(make_project(files), "tjek") == 0


# -- vote totals ---------------------------------------------------------------------------------


def test_vote_totals_short_of_those_present_are_a_warning(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(root, "afstem", MEETING, "1", "--for", "A", "--imod", "V") == 0
    assert capsys.readouterr().err == (
        f"{FILE}:10:7: advarsel: afstemningen i punkt 1 tæller 2 stemmer (for 1, imod 1,"
        " undlod 0), men 3 deltog i punktet; skriv dem, der mangler, under for, imod eller undlod,"
        " eller ret fremmødet\n"
        "          for: [A]\n"
        "          ^\n"
    )
    assert run(root, "afbud", MEETING, "Cecilie Clausen") == 0
    assert run(root, "tjek") == 0
    assert "advarsel: afstemningen" not in capsys.readouterr().err


# -- how attendance prints -----------------------------------------------------------------------


def test_a_substitute_and_partial_attendance_print_as_danish_minutes_do(
    root: Path, tmp_path: Path
) -> None:
    assert run(root, "afbud", MEETING, "Cecilie Clausen", "--stedfortræder", "Dorte Dahl") == 0
    assert run(root, "delvis", MEETING, "Bo Berg", "--ankom", "16:45", "--punkter", "1") == 0
    assert run(root, "delvis", MEETING, "Dorte Dahl", "--gik", "17.30", "--punkter", "2-3") == 0
    assert run(root, "beslut", MEETING, "1", "Godkendt.") == 0
    assert run(root, "beslut", MEETING, "2", "Godkendt.") == 0
    built, _ = build(root, [MEETING], out=tmp_path / "out")
    (minutes,) = [b.path for b in built if b.path.name == "beslutningsprotokol-intern.docx"]
    page = dump(minutes)
    front = page.split("[Forside] Medlemmer:\n")[1].split("[Normal]")[0]
    assert front == (
        "[Forside] \tAnna Andersen (A) (Formand)\n"
        "[Forside] \tBo Berg (V)\n"
        "[Forside] \tCecilie Clausen (C)\n"
        "[Forside] \tDorte Dahl (A), stedfortræder for Cecilie Clausen (C)\n"
        "[Forside] Fraværende:\n"
        "[Forside] \tCecilie Clausen (C)\n"
        "[Forside] \tBo Berg (V) deltog ikke i punkt 1 (ankom kl. 16.45)\n"
        "[Forside] \tDorte Dahl (A) deltog ikke i punkt 2-3 (gik kl. 17.30)\n"
    )
    assert (
        "[Normal] Godkendt.\n"
        "[Normal] Bo Berg (V) deltog ikke under behandling af punktet (ankom kl. 16.45).\n"
    ) in page
    assert (
        "[Normal] Godkendt.\n"
        "[Normal] Dorte Dahl (A) deltog ikke under behandling af punktet (gik kl. 17.30).\n"
    ) in page
