"""Recording a meeting through the commands: the minutes come out as the example's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, MakeProject
from dagsorden.build import build, check
from dagsorden.cli import main
from dagsorden.errors import ProblemsError
from docxdump import dump

GOLDEN = Path(__file__).parent / "golden"

HU_AGENDA = """\
# Hovedudvalgets møde i marts: dagsordenen, som den blev sendt ud.
udvalg: HU
dato: 2023-03-02
start: 13:00
slut: 15:00
sted: Mødelokale 1, Rådhuset, Grenaa
punkter:
  - sag: 22/291  # udmøntningsplanen fra ØK og KB
    indstilling: |
      Formanden indstiller, at Hovedudvalget har en dialog om Udmøntningsplan 2023-2026.
  - sag: 23/1532
  - titel: Meddelelser
    tekst: |
      - Orientering om status på rekrutteringen af social- og sundhedspersonale.
      - Orientering om MED-uddannelsen for nye medlemmer af de lokale MED-udvalg i foråret 2023.
      - Orientering om tidsplanen for trivselsmålingen i efteråret 2023.
"""

HU_DECISION_1 = (
    "Fællesforvaltningsdirektør Kim Bruun Nielsen indledte punktet. Den faste udmøntningsplan "
    "beskriver konkrete projekter og indsatser med udgangspunkt i budgetaftalen 2023, mens den "
    "strategiske udmøntningsplan giver et mere helhedsorienteret perspektiv, idet indsatser og "
    "projekter ses i en større sammenhæng på tværs i organisationen. Hovedudvalget havde en "
    "dialog om udmøntningsplan 2023-2026, herunder processen omkring de to §17-stk. 4-udvalg. "
    "Der er både strategisk og lokal opmærksomhed på at fastholde trivsel og gode "
    "arbejdsfællesskaber i organisationen."
)
HU_DECISION_2 = (
    "Hovedudvalget drøftede udviklingen i sygefravær og arbejdsmiljø og godkendte den foreslåede "
    "indsats for 2023.\n\nMedarbejdersiden lagde vægt på, at arbejdsmiljørepræsentanterne "
    "inddrages i forløbene på de arbejdspladser, der har det højeste fravær."
)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example municipality, with the HU meeting as its agenda was sent out."""
    root = tmp_path / "projekt"
    root.mkdir()
    for name in ("organisation.yaml", "cases", "agenda", "bilag"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    (root / "agenda" / "2023-03-02-hu.yaml").write_text(HU_AGENDA, encoding="utf-8")
    return root


def run(root: Path, *args: str) -> int:
    return main([args[0], "--projekt", str(root), *args[1:]])


def test_recording_hu_through_the_commands_gives_the_example_minutes(
    example: Path, tmp_path: Path
) -> None:
    meeting = "2023-03-02-hu"
    text_2 = tmp_path / "beslutning-2.txt"
    text_2.write_text(HU_DECISION_2, encoding="utf-8")
    assert run(example, "status", meeting, "udsendt", "--uden-pdf") == 0
    assert run(example, "afbud", meeting, "Christian Bertelsen") == 0
    assert run(example, "afbud", meeting, "Anne-Marie Bentzen") == 0
    assert run(example, "status", meeting, "afholdt", "--uden-pdf") == 0
    assert run(example, "beslut", meeting, "1", HU_DECISION_1) == 0
    assert run(example, "beslut", meeting, "2", "--fil", str(text_2)) == 0
    assert run(example, "beslut", meeting, "3", "--standard", "efterretning") == 0

    built, _ = build(example, [meeting], out=tmp_path / "out")
    for edition in ("intern", "offentlig"):
        (path,) = [b.path for b in built if b.path.name == f"referat-{edition}.docx"]
        golden = (GOLDEN / meeting / f"referat-{edition}.txt").read_text(encoding="utf-8")
        assert dump(path) == golden

    written = (example / "agenda" / f"{meeting}.yaml").read_text(encoding="utf-8")
    assert written.startswith("# Hovedudvalgets møde i marts: dagsordenen, som den blev sendt ud.")
    assert "  - sag: 22/291  # udmøntningsplanen fra ØK og KB\n" in written
    assert written.index("sted:") < written.index("afbud:") < written.index("punkter:")


def test_recording_refuses_bad_input_with_a_danish_sentence_and_writes_nothing(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = example / "agenda" / "2023-03-02-hu.yaml"
    before = path.read_bytes()
    assert run(example, "afbud", "2023-03-02-hu", "Anne-Marie Bentsen") == 1
    assert capsys.readouterr().err == (
        "agenda/2023-03-02-hu.yaml: fejl: ukendt person 'Anne-Marie Bentsen'; "
        "mente du 'Anne-Marie Bentzen'?\n"
    )
    assert run(example, "beslut", "2023-03-02-hu", "7", "Godkendt.") == 1
    assert capsys.readouterr().err == (
        "agenda/2023-03-02-hu.yaml: fejl: punkt 7 findes ikke på mødet 2023-03-02-hu; "
        "punkterne er 1 (sag 22/291), 2 (sag 23/1532) og 3 (Meddelelser)\n"
    )
    assert run(example, "afbud", "2023-03-02-hu", "Jens Meilvang") == 1
    assert capsys.readouterr().err == (
        "agenda/2023-03-02-hu.yaml: fejl: Jens Meilvang er ikke medlem af Hovedudvalget "
        "den 02-03-2023\n"
    )
    assert path.read_bytes() == before


def test_votes_and_a_dissent_are_printed(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project()
    assert run(root, "afstem", "2023-01-10-oek", "1", "--for", "A", "--imod", "Bo Berg") == 0
    assert run(root, "beslut", "2023-01-10-oek", "1", "--standard", "godkendt") == 0
    # A tie: the proposal falls, so Anna Andersen (A), who voted for it, was outvoted.
    dissent = "Anna Andersen ønskede sin afvigende mening tilført."
    assert run(root, "bemærk", "2023-01-10-oek", "1", dissent, "--navn", "Anna Andersen") == 0
    built, warnings = build(root, out=tmp_path / "out")
    assert warnings == []
    (minutes,) = [b.path for b in built if b.path.name == "beslutningsprotokol-intern.docx"]
    text = dump(minutes)
    assert (
        "[Normal] Godkendt.\n[Normal] For stemte 1 (A).\n[Normal] Imod stemte 1 (Bo Berg).\n"
        in text
    )
    assert "[Normal] Anna Andersen ønskede sin afvigende mening tilført.\n" in text


def test_a_dissent_from_the_majority_is_a_warning(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    assert run(root, "afstem", "2023-01-10-oek", "1", "--for", "A,V") == 0
    capsys.readouterr()
    assert run(root, "bemærk", "2023-01-10-oek", "1", "Uenig.", "--navn", "Bo Berg") == 0
    assert (
        "advarsel: Bo Berg var ikke i det mindretal, der blev stemt ned i punkt 1; efter KSL § 13,"
        " stk. 2 er det kun dem, der kan få deres afvigende mening tilført"
    ) in capsys.readouterr().err


def test_approved_minutes_are_locked_and_corrected_only_by_addition(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_project()
    meeting = "2023-01-10-oek"
    assert run(root, "beslut", meeting, "1", "Godkendt.") == 0
    assert run(root, "godkend", meeting, "--uden-pdf") == 1  # not held yet
    assert "kun et afholdt møde kan godkendes" in capsys.readouterr().err
    assert run(root, "status", meeting, "afholdt", "--uden-pdf") == 0
    assert run(root, "godkend", meeting, "--dato", "2023-01-20", "--uden-pdf") == 0
    capsys.readouterr()
    assert run(root, "beslut", meeting, "1", "Forkastet.") == 1
    assert capsys.readouterr().err == (
        "agenda/2023-01-10-oek.yaml: fejl: protokollen for 2023-01-10-oek er godkendt den "
        "20-01-2023 og kan ikke ændres; "
        "skriv en rettelse med 'dagsorden ret'\n"
    )
    assert (
        run(
            root,
            "ret",
            meeting,
            "Beløbet skulle være 2 mio. kr.",
            "--punkt",
            "1",
            "--dato",
            "2023-02-01",
        )
        == 0
    )
    built, _ = build(root, out=tmp_path / "out")
    (minutes,) = [b.path for b in built if b.path.name == "beslutningsprotokol-intern.docx"]
    assert "[Heading 2] Rettelse den 01-02-2023\n[Normal] Beløbet skulle være 2 mio. kr.\n" in dump(
        minutes
    )


def test_every_byte_edit_of_an_approved_decision_is_caught(make_project: MakeProject) -> None:
    root = make_project()
    meeting = "2023-01-10-oek"
    assert run(root, "beslut", meeting, "1", "Godkendt med 5 mio. kr.") == 0
    assert run(root, "deltog-ikke", meeting, "1", "Bo Berg", "--årsag", "inhabil") == 0
    assert run(root, "status", meeting, "afholdt", "--uden-pdf") == 0
    assert run(root, "godkend", meeting, "--uden-pdf") == 0
    path = root / "agenda" / f"{meeting}.yaml"
    approved = path.read_text(encoding="utf-8")
    check(root)  # as approved: no error
    start = approved.index("Godkendt med")
    end = approved.index("\n", start)
    edits = 0
    for position in range(start, end):
        for replacement in ("x", "", approved[position] * 2):
            edited = approved[:position] + replacement + approved[position + 1 :]
            path.write_text(edited, encoding="utf-8")
            with pytest.raises(ProblemsError) as caught:
                check(root)
            assert any(
                "blev godkendt den" in str(p) and "er ændret siden" in str(p)
                for p in caught.value.problems
            )
            edits += 1
    assert edits == 3 * len("Godkendt med 5 mio. kr.")


def test_a_case_moves_on_to_the_next_body_with_its_history(
    example: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    kb = example / "agenda" / "2022-12-13-kb.yaml"
    text = kb.read_text(encoding="utf-8")
    start = text.index("  - sag: 22/2217")
    end = text.index("  - sag:", start + 5)
    kb.write_text(text[:start] + text[end:], encoding="utf-8")
    assert run(example, "tjek") == 0
    assert (
        "advarsel: sagen 22/2217 er besluttet i ØK den 06-12-2022, men står ikke på et senere "
        "møde i KB, som er næste i sagsgangen (ØK, KB); brug 'dagsorden videresend "
        "2022-12-06-oek 2'"
    ) in capsys.readouterr().err
    assert run(example, "videresend", "2022-12-06-oek", "2") == 0
    assert "sagen er sat på mødet 2022-12-13-kb" in capsys.readouterr().out
    written = kb.read_text(encoding="utf-8")
    assert "  - sag: 22/2217  # fra 2022-12-06-oek; skriv KBs egen indstilling her\n" in written
    assert written.index("22/2217") < written.index("22/12954"), "lukkede punkter står sidst"
    built, _ = build(example, ["2022-12-13-kb"], out=tmp_path / "out")
    (agenda,) = [b.path for b in built if b.path.name == "dagsorden-intern.docx"]
    assert "[Heading 2] Beslutning i Økonomiudvalget den 06-12-2022\n[Normal] Tiltrådt." in dump(
        agenda
    )


def test_signature_page_lists_the_members_who_took_part(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(
        {
            "organisation.yaml": """\
                kommune: Testrup Kommune
                standardafsnit: [Sagsfremstilling]
                udvalg:
                  ØK:
                    navn: Økonomiudvalget
                    underskriftsblad: ja
                personer:
                  Anna Andersen:
                    - {udvalg: ØK, parti: A, rolle: Formand, fra: 2022-01-01}
                  Bo Berg:
                    - {udvalg: ØK, parti: V, fra: 2022-01-01}
                  Cecilie Clausen:
                    - {udvalg: ØK, parti: C, fra: 2022-01-01}
                """
        }
    )
    assert run(root, "afbud", "2023-01-10-oek", "Bo Berg") == 0
    assert run(root, "beslut", "2023-01-10-oek", "1", "--standard", "godkendt") == 0
    built, _ = build(root, out=tmp_path / "out")
    (minutes,) = [b.path for b in built if b.path.name == "beslutningsprotokol-intern.docx"]
    page = dump(minutes).split("[Heading 1] Underskriftsblad\n")[1]
    names = [line for line in page.splitlines() if "______" in line]
    assert names == [
        "[Forside] Anna Andersen (A) (Formand)\t______________________________",
        "[Forside] Cecilie Clausen (C)\t______________________________",
    ]
    (agenda,) = [b.path for b in built if b.path.name == "dagsorden-intern.docx"]
    assert "Underskriftsblad" not in dump(agenda)


def test_a_recording_that_would_break_the_data_is_refused_and_writes_nothing(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = example / "agenda" / "2023-03-02-hu.yaml"
    before = path.read_bytes()
    assert run(example, "beslut", "2023-03-02-hu", "1", "Godkendt.", "--offentlig") == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "agenda/2023-03-02-hu.yaml: fejl: ændringen ville give fejl i data, så intet er skrevet:\n"
        "agenda/2023-03-02-hu.yaml:11:27: fejl: punkt 1 er åbent, så beslutningen offentliggøres"
    )
    assert path.read_bytes() == before


def test_forwarding_before_a_closed_item_keeps_recorded_item_numbers_right(
    example: Path,
) -> None:
    kb = example / "agenda" / "2022-12-13-kb.yaml"
    text = kb.read_text(encoding="utf-8")
    start = text.index("  - sag: 22/2217")
    end = text.index("  - sag:", start + 5)
    text = text[:start] + text[end:]
    # Søren Mølgaard Friis left during the closed item, now item 3.
    text = text.replace(
        "punkter:\n",
        "delvis:\n  - navn: Søren Mølgaard Friis\n    gik: 19:30\n    punkter: [3]\npunkter:\n",
        1,
    )
    kb.write_text(text, encoding="utf-8")
    assert run(example, "videresend", "2022-12-06-oek", "2") == 0
    written = kb.read_text(encoding="utf-8")
    assert "    punkter: [4]\n" in written, "the closed item is now item 4"


def test_approval_locks_what_the_minutes_show_beyond_the_decisions(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project()
    meeting = "2023-01-10-oek"
    assert run(root, "beslut", meeting, "1", "Godkendt.") == 0
    assert run(root, "status", meeting, "afholdt", "--uden-pdf") == 0
    assert run(root, "godkend", meeting, "--uden-pdf") == 0
    path = root / "agenda" / f"{meeting}.yaml"
    approved = path.read_text(encoding="utf-8")
    for edited, what in [
        (approved.replace("  - sag: 22/1\n", "  - sag: 22/1\n    adgang: Lukket\n"), "adgang"),
        (approved.replace("sted: Mødelokale 1", "sted: Mødelokale 2"), "mødestedet"),
    ]:
        path.write_text(edited, encoding="utf-8")
        with pytest.raises(ProblemsError) as caught:
            check(root)
        assert any(f"{what} er ændret siden" in str(p) for p in caught.value.problems)
        path.write_text(approved, encoding="utf-8")
    # What other files say later (a member's new party) does not reach approved minutes: they
    # are rebuilt from their record, exactly as approved.
    org = root / "organisation.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("parti: V", "parti: C"), "utf-8")
    check(root)
    built, _ = build(root, out=tmp_path / "out")
    (minutes,) = [b.path for b in built if b.path.name == "beslutningsprotokol-intern.docx"]
    assert "Bo Berg (V)" in dump(minutes)
    assert "Bo Berg (C)" not in dump(minutes)
