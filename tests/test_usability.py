"""What a secretary on deadline runs into: unrelated errors, pasted bullets, forgotten decisions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import MakeProject
from dagsorden.build import build
from dagsorden.cli import main
from dagsorden.text import parse_markdown
from docxdump import dump


def test_an_error_in_a_case_the_meeting_does_not_use_does_not_stop_its_documents(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"cases/23-9.yaml": "sagsnr: 23/9\ntitl: Næste måneds sag\n"})
    out = tmp_path / "out"
    assert main(["byg", "2023-01-10-oek", "--projekt", str(root), "--ud", str(out)]) == 0
    err = capsys.readouterr().err
    assert (
        "cases/23-9.yaml:2:1: advarsel: ukendt nøgle 'titl' i sagen; mente du 'titel'? "
        "(filen bruges ikke af de møder, der bygges, så de bygges alligevel)"
    ) in err
    assert (out / "2023-01-10-oek" / "dagsorden-intern.docx").is_file()
    # Building everything, or checking, still stops on it.
    assert main(["byg", "--projekt", str(root), "--ud", str(tmp_path / "alle")]) == 1
    assert main(["tjek", "--projekt", str(root)]) == 1


def test_an_error_in_a_case_the_meeting_uses_stops_it(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(
        {"cases/22-1.yaml": "sagsnr: 22/1\ntitel: Budget\nsagsgang: [ØK]\nindstiling: x\n"}
    )
    out = tmp_path / "out"
    assert main(["byg", "2023-01-10-oek", "--projekt", str(root), "--ud", str(out)]) == 1
    assert not out.exists()


def test_bullets_pasted_from_word_become_a_list() -> None:
    blocks = parse_markdown("Emner:\n• hjemmearbejde\n•\thøjst to dage\n\uf0b7 fra PDF").blocks
    assert [(b.kind.value, b.plain) for b in blocks] == [
        ("paragraph", "Emner:"),
        ("bullet", "hjemmearbejde"),
        ("bullet", "højst to dage"),
        ("bullet", "fra PDF"),
    ]


def test_an_item_without_a_decision_in_minutes_is_a_warning(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        {
            "agenda/2023-01-10-oek.yaml": """\
                udvalg: ØK
                dato: 2023-01-10
                start: 16:00
                sted: Mødelokale 1
                punkter:
                  - sag: 22/1
                    beslutning: Godkendt.
                  - titel: Meddelelser
                """
        }
    )
    assert main(["tjek", "--projekt", str(root)]) == 0
    assert (
        "agenda/2023-01-10-oek.yaml:8:5: advarsel: punkt 2 har ingen beslutning, men mødet har "
        "andre beslutninger; protokollen viser punktet uden beslutning"
    ) in capsys.readouterr().err


def test_meeting_file_name_and_date_disagreeing_is_a_warning(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        {
            "agenda/2023-01-10-oek.yaml": None,
            "agenda/2023-01-17-oek.yaml": """\
                udvalg: ØK
                dato: 2023-01-10
                start: 16:00
                sted: Mødelokale 1
                punkter:
                  - sag: 22/1
                """,
        }
    )
    assert main(["tjek", "--projekt", str(root)]) == 0
    assert (
        "agenda/2023-01-17-oek.yaml:1:1: advarsel: mødefilens navn begynder med 2023-01-17, "
        "men mødets dato er 2023-01-10; ret det ene, så de passer"
    ) in capsys.readouterr().err


def test_project_option_works_before_the_command_too(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    assert main(["--projekt", str(root), "tjek"]) == 0
    assert capsys.readouterr().out == "Alt er i orden.\n"


def test_running_outside_a_project_says_where_and_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["tjek"]) == 1
    assert capsys.readouterr().err == (
        f"fejl: denne mappe er ikke et dataprojekt: organisation.yaml mangler ({tmp_path}); "
        "gå til projektets mappe, eller angiv den med --projekt MAPPE\n"
    )


def test_documents_are_readable_by_colleagues(make_project: MakeProject, tmp_path: Path) -> None:
    built, _ = build(make_project(), out=tmp_path / "out")
    umask = os.umask(0)
    os.umask(umask)
    for b in built:
        assert stat.S_IMODE(b.path.stat().st_mode) == 0o666 & ~umask


def test_unknown_command_suggestion_is_danish(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tjk"]) == 2
    assert "Mente du 'tjek'?" in capsys.readouterr().err


def test_public_edition_label_on_the_front_page(built_examples: dict[str, Path]) -> None:
    assert "[Forside] Offentlig udgave" in dump(built_examples["2023-03-02-hu/dagsorden-offentlig"])
    assert "[Forside] Intern udgave" in dump(built_examples["2023-03-02-hu/dagsorden-intern"])
