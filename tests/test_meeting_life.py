"""A meeting's life beyond the ordinary: cancelled, closed and extraordinary meetings."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MakeProject
from dagsorden.build import build
from dagsorden.cli import main
from docxdump import dump

MEETING = "2023-01-10-oek"


def run(root: Path, *args: str) -> int:
    return main([args[0], "--projekt", str(root), *args[1:]])


def built(root: Path, out: Path) -> dict[str, str]:
    documents, _ = build(root, out=out)
    return {b.path.name: dump(b.path) for b in documents}


def test_a_cancelled_meeting_says_so_and_takes_no_decisions(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    assert run(root, "status", MEETING, "udsendt", "--uden-pdf") == 0
    assert run(root, "status", MEETING, "aflyst") == 0
    assert "status: aflyst" in (root / "agenda" / f"{MEETING}.yaml").read_text(encoding="utf-8")
    docs = built(root, tmp_path / "out")
    assert "[Forside] Intern udgave\n[Forside] Mødet er aflyst.\n" in docs["dagsorden-intern.docx"]
    assert "Mødet er aflyst." in docs["dagsorden-offentlig.docx"]
    assert "beslutningsprotokol-intern.docx" not in docs
    capsys.readouterr()
    assert run(root, "beslut", MEETING, "1", "Godkendt.") == 1
    assert "mødet er aflyst, men punkt 1 har en beslutning" in capsys.readouterr().err


def test_a_held_meeting_cannot_be_cancelled(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    assert run(root, "status", MEETING, "afholdt", "--uden-pdf") == 0
    capsys.readouterr()
    assert run(root, "status", MEETING, "aflyst") == 1
    assert capsys.readouterr().err == (
        f"agenda/{MEETING}.yaml: fejl: mødet {MEETING} er holdt og kan ikke aflyses\n"
    )


def test_a_closed_meeting_closes_every_item_but_the_open_ones(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(
        {
            "agenda/2023-01-10-oek.yaml": """\
                udvalg: ØK
                dato: 2023-01-10
                start: 16:00
                sted: Mødelokale 1
                lukket: ja
                ekstraordinært: ja
                punkter:
                  - sag: 22/1
                  - titel: Meddelelser
                    adgang: Åben
                    tekst: Ingen.
                """
        }
    )
    docs = built(root, tmp_path / "out")
    public = docs["dagsorden-offentlig.docx"]
    assert "[Forside] Ekstraordinært møde\n[Forside] Mødet er lukket for offentligheden.\n" in (
        public
    )
    assert "[Heading 1] 1. Lukket punkt: Budget 2023\n" in public
    assert "Teksten." not in public
    assert "[Heading 1] 2. Meddelelser\n[Normal] Ingen.\n" in public
    assert "Teksten." in docs["dagsorden-intern.docx"]


ORGANISATION_OEK_KB = """\
    kommune: Testrup Kommune
    standardafsnit: [Sagsfremstilling, Økonomiske konsekvenser]
    udvalg:
      ØK:
        navn: Økonomiudvalget
      KB:
        navn: Kommunalbestyrelsen
      TMU:
        navn: Teknik- og miljøudvalget
    personer:
      Anna Andersen:
        - udvalg: ØK
          parti: A
          fra: 2022-01-01
        - udvalg: KB
          parti: A
          fra: 2022-01-01
        - udvalg: TMU
          parti: A
          fra: 2022-01-01
    """


def plain(body: str, day: str, items: str = "  - sag: 22/1\n") -> str:
    return f"udvalg: {body}\ndato: {day}\nstart: 16:00\nsted: Rådhuset\npunkter:\n{items}"


@pytest.fixture
def two_bodies(make_project: MakeProject) -> Path:
    root = make_project(
        {
            "organisation.yaml": ORGANISATION_OEK_KB,
            "cases/22-1.yaml": """\
                sagsnr: 22/1
                titel: Budget 2023
                sagsgang: [ØK, KB]
                afsnit:
                  Sagsfremstilling: Teksten.
                """,
        }
    )
    for name, text in {
        "2023-02-07-oek.yaml": plain("ØK", "2023-02-07", "  - titel: Meddelelser\n"),
        "2023-02-14-kb.yaml": plain("KB", "2023-02-14", "  - titel: Meddelelser\n"),
        "2023-02-21-tmu.yaml": plain("TMU", "2023-02-21", "  - titel: Meddelelser\n"),
    }.items():
        (root / "agenda" / name).write_text(text, encoding="utf-8")
    return root


def test_a_postponed_case_goes_on_at_the_same_bodys_next_meeting_with_its_history(
    two_bodies: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = two_bodies
    assert run(root, "beslut", MEETING, "22/1", "--standard", "udsat") == 0
    capsys.readouterr()
    assert run(root, "tjek") == 0
    assert (
        "advarsel: sagen 22/1 blev udsat i ØK den 10-01-2023, men står ikke på et senere møde;"
        " brug 'dagsorden videresend 2023-01-10-oek 1' for at sætte den på ØKs næste møde"
    ) in capsys.readouterr().err
    assert run(root, "videresend", MEETING, "22/1") == 0
    assert "sagen er sat på mødet 2023-02-07-oek" in capsys.readouterr().out
    written = (root / "agenda" / "2023-02-07-oek.yaml").read_text(encoding="utf-8")
    assert "  - sag: 22/1  # udsat på 2023-01-10-oek; skriv ØKs egen indstilling her\n" in written
    documents, _ = build(root, ["2023-02-07-oek"], out=tmp_path / "out")
    (agenda,) = [b.path for b in documents if b.path.name == "dagsorden-intern.docx"]
    assert "[Heading 2] Beslutning i Økonomiudvalget den 10-01-2023\n[Normal] Udsat.\n" in dump(
        agenda
    )


def test_a_cancelled_meetings_case_moves_to_the_next_meeting(
    two_bodies: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = two_bodies
    assert run(root, "status", MEETING, "aflyst") == 0
    assert run(root, "videresend", MEETING, "1") == 0
    assert "sagen er sat på mødet 2023-02-07-oek" in capsys.readouterr().out
    assert run(root, "tjek") == 0


def test_forwarding_outside_the_sagsgang_needs_to_be_said(
    two_bodies: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = two_bodies
    assert run(root, "beslut", MEETING, "1", "--standard", "anbefales") == 0
    capsys.readouterr()
    assert run(root, "videresend", MEETING, "1", "--til", "2023-02-21-tmu") == 1
    assert capsys.readouterr().err == (
        "agenda/2023-01-10-oek.yaml: fejl: mødet 2023-02-21-tmu er i TMU, men sagen skal til KB"
        " efter sagsgangen (ØK, KB); skriv --uden-om-sagsgangen, hvis den skal til TMU alligevel\n"
    )
    args = ("videresend", MEETING, "1", "--til", "2023-02-21-tmu", "--uden-om-sagsgangen")
    assert run(root, *args) == 0
    assert "sag: 22/1" in (root / "agenda" / "2023-02-21-tmu.yaml").read_text(encoding="utf-8")


def test_a_meeting_cancelled_by_mistake_can_be_planned_again(make_project: MakeProject) -> None:
    root = make_project()
    assert run(root, "status", MEETING, "aflyst") == 0
    assert run(root, "status", MEETING, "planlagt") == 0
    assert "status: planlagt" in (root / "agenda" / f"{MEETING}.yaml").read_text("utf-8")


def test_meetings_from_before_the_archive_are_frozen_all_at_once(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    agenda = root / "agenda" / f"{MEETING}.yaml"
    agenda.write_text(agenda.read_text("utf-8").replace("punkter:", "status: afholdt\npunkter:"))
    assert run(root, "tjek") == 1
    assert "kør 'dagsorden frys 2023-01-10-oek' for at fryse den" in capsys.readouterr().err
    assert run(root, "frys", "--alle") == 0
    assert capsys.readouterr().out == "frøs 1 møde\n"
    assert (root / "arkiv" / MEETING / "udsendt" / "dagsorden-intern.json").is_file()
    assert run(root, "tjek") == 0


JOINT_ORGANISATION = """\
    kommune: Testrup Kommune
    standardafsnit: [Sagsfremstilling, Økonomiske konsekvenser]
    udvalg:
      TMU:
        navn: Teknik- og miljøudvalget
      ØK:
        navn: Økonomiudvalget
    personer:
      Anna Andersen:
        - udvalg: ØK
          parti: A
          rolle: Formand
          fra: 2022-01-01
      Bo Berg:
        - udvalg: ØK
          parti: V
          fra: 2022-01-01
      Cille Clausen:
        - udvalg: TMU
          parti: C
          fra: 2022-01-01
      Dorte Dahl:
        - udvalg: KB
          parti: A
          fra: 2022-01-01
    """


def test_a_joint_meeting_has_the_members_of_every_body_and_one_set_of_minutes(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        {
            "organisation.yaml": JOINT_ORGANISATION.replace(
                "    personer:", "      KB:\n        navn: Kommunalbestyrelsen\n    personer:"
            ),
            "agenda/2023-01-10-oek.yaml": """\
                udvalg: [TMU, ØK]
                dato: 2023-01-10
                start: 16:00
                sted: Mødelokale 1
                afbud: [Cille Clausen]
                punkter:
                  - sag: 22/1
                    beslutning: Godkendt.
                """,
        }
    )
    docs = built(root, tmp_path / "out")
    minutes = docs["beslutningsprotokol-intern.docx"]
    assert minutes.startswith("[Title] Teknik- og miljøudvalget og Økonomiudvalget\n")
    assert "[Forside] \tAnna Andersen (A) (Formand)\n[Forside] \tBo Berg (V)\n" in minutes
    assert "[Forside] \tCille Clausen (C)\n" in minutes
    assert (
        "[Heading 2] Beslutning i Teknik- og miljøudvalget og Økonomiudvalget den 10-01-2023\n"
    ) in minutes
    agenda = root / "agenda" / "2023-01-10-oek.yaml"
    agenda.write_text(agenda.read_text("utf-8").replace("Cille Clausen", "Dorte Dahl"), "utf-8")
    capsys.readouterr()
    assert run(root, "tjek") == 1
    assert (
        "fejl: Dorte Dahl er ikke medlem af Teknik- og miljøudvalget og Økonomiudvalget den"
        " 10-01-2023"
    ) in capsys.readouterr().err
