"""Files come only from inside the data project: bilag files and the project's own templates.

An absolute path, a `../` out of the folder, or a symbolic link to a file elsewhere is a located
error in `tjek` and `byg`, and nothing is built with such a file.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfWriter

from conftest import MakeProject
from dagsorden.cli import main
from dagsorden.inside import outside_problem
from dagsorden.render import builtin_template


def _case(file: str) -> str:
    return (
        "sagsnr: 22/1\ntitel: Budget 2023\nsagsgang: [ØK]\nafsnit:\n  Sagsfremstilling: Teksten.\n"
        "bilag:\n  - id: 3389825\n    titel: Budgetnotat\n    dokumentnr: 12345/22\n"
        f"    fil: {file}\n"
    )


def _run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main([*args, "--projekt", str(root)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line for line in err.splitlines() if ": fejl: " in line or ": advarsel: " in line]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, with a PDF and a template in it."""
    folder = tmp_path / "andetsteds"
    folder.mkdir()
    (folder / "notat.pdf").write_bytes(_pdf())
    shutil.copy(builtin_template("dagsorden.docx"), folder / "dagsorden.docx")
    return folder


def _pdf() -> bytes:
    # A real one-page PDF, so the inside cases pass every other check of a bilag file.
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_absolute_path_is_an_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    root = make_project({"cases/22-1.yaml": _case(str(outside / "notat.pdf"))})
    assert _run(root, capsys, "tjek") == (
        1,
        [
            f"cases/22-1.yaml:10:10: fejl: bilagsfilen '{outside / 'notat.pdf'}' er en fuld sti;"
            " skriv stien fra projektmappen (fx 'bilag/notat.pdf'), og læg filen i projektet"
        ],
    )


def test_a_path_out_of_the_project_is_an_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    root = make_project({"cases/22-1.yaml": _case("bilag/../../andetsteds/notat.pdf")})
    assert _run(root, capsys, "tjek") == (
        1,
        [
            "cases/22-1.yaml:10:10: fejl: bilagsfilen 'bilag/../../andetsteds/notat.pdf' ligger"
            " uden for projektmappen; læg filen i projektet (fx i bilag/), og skriv stien derfra"
        ],
    )


def test_a_symbolic_link_out_of_the_project_is_an_error_in_tjek_and_byg(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    root = make_project({"cases/22-1.yaml": _case("bilag/notat.pdf")})
    (root / "bilag").mkdir()
    (root / "bilag" / "notat.pdf").symlink_to(outside / "notat.pdf")
    error = (
        "cases/22-1.yaml:10:10: fejl: bilagsfilen 'bilag/notat.pdf' er et symbolsk link til"
        f" '{(outside / 'notat.pdf').resolve()}' uden for projektmappen; læg selve filen i"
        " projektet i stedet for linket"
    )
    assert _run(root, capsys, "tjek") == (1, [error])
    # The meeting that shows the bilag is built by name: the error still stops it.
    assert _run(root, capsys, "byg", "2023-01-10-oek", "--uden-pdf") == (1, [error])
    assert not (root / "out").exists()


def test_a_folder_that_links_out_of_the_project_is_an_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    root = make_project({"cases/22-1.yaml": _case("bilag/notat.pdf")})
    (root / "bilag").symlink_to(outside, target_is_directory=True)
    assert _run(root, capsys, "tjek") == (
        1,
        [
            "cases/22-1.yaml:10:10: fejl: bilagsfilen 'bilag/notat.pdf' ligger i en mappe, der er"
            " et symbolsk link ud af projektmappen (filen er"
            f" '{(outside / 'notat.pdf').resolve()}'); læg selve filen i projektet i stedet for"
            " linket"
        ],
    )


def test_a_symbolic_link_in_a_loop_is_an_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"cases/22-1.yaml": _case("bilag/a.pdf")})
    (root / "bilag").mkdir()
    (root / "bilag" / "a.pdf").symlink_to("b.pdf")
    (root / "bilag" / "b.pdf").symlink_to("a.pdf")
    assert _run(root, capsys, "tjek") == (
        1,
        [
            "cases/22-1.yaml:10:10: fejl: bilagsfilen 'bilag/a.pdf' er et symbolsk link, der"
            " peger i ring, så filen kan ikke findes"
        ],
    )


def test_links_and_dot_dots_that_stay_inside_are_fine(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"cases/22-1.yaml": _case("bilag/../bilag/link.pdf")})
    (root / "filer").mkdir()
    (root / "filer" / "notat.pdf").write_bytes(_pdf())
    (root / "bilag").mkdir()
    (root / "bilag" / "link.pdf").symlink_to("../filer/notat.pdf")
    assert _run(root, capsys, "tjek") == (0, [])


def test_a_template_that_links_out_of_the_project_is_an_error_even_for_one_meeting(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    root = make_project()
    assert _run(root, capsys, "tjek") == (0, [])  # remembered by the store
    (root / "templates").mkdir()
    (root / "templates" / "dagsorden.docx").symlink_to(outside / "dagsorden.docx")
    error = (
        "templates/dagsorden.docx: fejl: skabelonen 'templates/dagsorden.docx' er et symbolsk"
        f" link til '{(outside / 'dagsorden.docx').resolve()}' uden for projektmappen; læg selve"
        " filen i projektet i stedet for linket"
    )
    assert _run(root, capsys, "tjek") == (1, [error])
    assert _run(root, capsys, "byg", "2023-01-10-oek", "--uden-pdf") == (1, [error])
    assert not (root / "out").exists()
    # The same template copied into the project is the project's own.
    (root / "templates" / "dagsorden.docx").unlink()
    shutil.copy(outside / "dagsorden.docx", root / "templates" / "dagsorden.docx")
    assert _run(root, capsys, "tjek") == (0, [])


def test_the_remembered_answer_of_tjek_notices_a_file_turned_into_a_link_out(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    # The same bytes outside: only where the file really is has changed.
    root = make_project({"cases/22-1.yaml": _case("bilag/notat.pdf")})
    (root / "bilag").mkdir()
    shutil.copy(outside / "notat.pdf", root / "bilag" / "notat.pdf")
    assert _run(root, capsys, "tjek") == (0, [])
    (root / "bilag" / "notat.pdf").unlink()
    (root / "bilag" / "notat.pdf").symlink_to(outside / "notat.pdf")
    code, lines = _run(root, capsys, "tjek")
    assert (code, [line.split(": fejl: ")[0] for line in lines]) == (1, ["cases/22-1.yaml:10:10"])
    (root / "bilag" / "notat.pdf").unlink()
    shutil.copy(outside / "notat.pdf", root / "bilag" / "notat.pdf")
    assert _run(root, capsys, "tjek") == (0, [])
    # A link inside the project, turned to the same bytes outside.
    (root / "filer").mkdir()
    (root / "bilag" / "notat.pdf").rename(root / "filer" / "notat.pdf")
    (root / "bilag" / "notat.pdf").symlink_to("../filer/notat.pdf")
    assert _run(root, capsys, "tjek") == (0, [])
    (root / "bilag" / "notat.pdf").unlink()
    (root / "bilag" / "notat.pdf").symlink_to(outside / "notat.pdf")
    code, lines = _run(root, capsys, "tjek")
    assert (code, [line.split(": fejl: ")[0] for line in lines]) == (1, ["cases/22-1.yaml:10:10"])


def test_recording_checks_its_change_with_the_project_s_own_files_inside(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    # A recording command checks a mirror of the project made of links into it; the project's
    # files are still inside the project, not outside the mirror.
    root = make_project({"cases/22-1.yaml": _case("bilag/notat.pdf")})
    (root / "bilag").mkdir()
    shutil.copy(outside / "notat.pdf", root / "bilag" / "notat.pdf")
    (root / "templates").mkdir()
    shutil.copy(outside / "dagsorden.docx", root / "templates" / "dagsorden.docx")
    assert _run(root, capsys, "beslut", "2023-01-10-oek", "1", "Godkendt.") == (0, [])
    assert "beslutning: Godkendt." in (root / "agenda" / "2023-01-10-oek.yaml").read_text()
    # … and a link out of the project stops it, as it stops tjek.
    (root / "bilag" / "notat.pdf").unlink()
    (root / "bilag" / "notat.pdf").symlink_to(outside / "notat.pdf")
    code = main(["beslut", "2023-01-10-oek", "1", "Tiltrådt.", "--projekt", str(root)])
    err = capsys.readouterr().err
    assert code == 1
    assert "bilagsfilen 'bilag/notat.pdf' er et symbolsk link til" in err
    assert "beslutning: Godkendt." in (root / "agenda" / "2023-01-10-oek.yaml").read_text()


@pytest.mark.parametrize(
    ("name", "example"),
    [
        ("/home/anna/notat.pdf", "notat.pdf"),
        ("C:\\Bilag\\notat.pdf", "notat.pdf"),
        ("D:x.pdf", "x.pdf"),
    ],
)
def test_a_path_absolute_on_any_machine_is_an_error(
    tmp_path: Path, name: str, example: str
) -> None:
    # A data project travels between machines in git.
    assert outside_problem(tmp_path, name, "bilagsfilen") == (
        f"bilagsfilen '{name}' er en fuld sti; skriv stien fra projektmappen"
        f" (fx 'bilag/{example}'), og læg filen i projektet"
    )
