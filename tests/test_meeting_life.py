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
