"""`dagsorden ny MAPPE`: a new municipality's data project that passes `tjek` and builds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dagsorden.build import build
from dagsorden.cli import main
from dagsorden.new import new_project
from docxdump import dump


def test_a_new_project_passes_the_check_and_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "syddal"
    assert main(["ny", str(folder), "--kommune", "Syddal Kommune"]) == 0
    out = capsys.readouterr().out
    assert "Sådan kommer du videre:" in out
    assert f"'dagsorden --projekt {folder} tjek'" in out
    organisation = (folder / "organisation.yaml").read_text(encoding="utf-8")
    assert organisation.startswith("# Syddal Kommune: kommunen, udvalgene og personerne.")
    assert "kommune: Syddal Kommune" in organisation
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        ".gitignore",
        f"agenda/{(dt.date.today() + dt.timedelta(days=14)).isoformat()}-oek.yaml",
        f"cases/{dt.date.today():%y}-1.yaml",
        "organisation.yaml",
        "templates/skabelon.docx",
    ]
    assert main(["tjek", "--projekt", str(folder)]) == 0
    assert "Alt er i orden." in capsys.readouterr().out
    built, _ = build(folder, out=tmp_path / "out")
    agenda = dump(next(b.path for b in built if b.path.stem == "dagsorden-intern"))
    assert "[Title] Økonomiudvalget" in agenda
    assert f"[Sagsnummer] {dt.date.today():%y}/1 Åben Sag" in agenda
    assert "[Forside] \tAnna Andersen (A) (Formand)" in agenda
    assert agenda.endswith("[Footer] Syddal Kommune\tSide {PAGE}1\n")


def test_a_folder_with_files_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "kommune"
    folder.mkdir()
    (folder / "noter.txt").write_text("mine noter", encoding="utf-8")
    assert main(["ny", str(folder)]) == 1
    assert capsys.readouterr().err == (
        f"fejl: {folder} er en mappe, der ikke er tom; vælg en ny mappe til kommunen,"
        " så intet bliver overskrevet\n"
    )
    assert [p.name for p in folder.iterdir()] == ["noter.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["kommune"]  # nothing left beside it


def test_an_empty_folder_becomes_the_project(tmp_path: Path) -> None:
    folder = tmp_path / "tom"
    folder.mkdir()
    files = new_project(folder, "Tomrup Kommune", today=dt.date(2026, 3, 1))
    assert Path("agenda/2026-03-15-oek.yaml") in files
    assert "sagsnr: 26/1" in (folder / "cases/26-1.yaml").read_text(encoding="utf-8")
