"""Three layouts from the same data: Norddjurs 2023 (the seed, tests/golden), Norddjurs'
own 2013-2016 layout and Syddal Kommune's, which differ only in their template and their
organisation file (examples/<layout>/), never in code.

Each layout's documents are compared with golden dumps (tests/golden/layouts/), regenerated
deliberately with `make golden`; a dump shows every paragraph with its Word style, and the
headers and footers with `<billede>` where a picture stands.
"""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from docxdump import dump

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "layouts"
LAYOUTS = ("norddjurs-2016", "syddal")
MEETINGS = {
    "2022-12-06-oek": "beslutningsprotokol",
    "2022-12-13-kb": "beslutningsprotokol",
    "2023-03-02-hu": "referat",
}
DOCUMENTS = [
    f"{layout}/{meeting}/{document}-{edition}"
    for layout in LAYOUTS
    for meeting, minutes in MEETINGS.items()
    for document in ("dagsorden", minutes)
    for edition in ("intern", "offentlig")
]


def assemble(layout: str, target: Path) -> Path:
    """A data project: the example's cases, meetings and bilag with the layout's files."""
    for folder in ("cases", "agenda", "bilag"):
        shutil.copytree(ROOT / folder, target / folder)
    shutil.copytree(ROOT / "examples" / layout, target, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="session")
def built_layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from dagsorden.build import build

    found = {}
    for layout in LAYOUTS:
        root = assemble(layout, tmp_path_factory.mktemp(layout) / "projekt")
        built, _ = build(root, out=root / "out")
        found.update({f"{layout}/{b.path.parent.name}/{b.path.stem}": b.path for b in built})
    return found


def test_a_layout_is_only_templates_and_organisation_settings() -> None:
    for layout in LAYOUTS:
        folder = ROOT / "examples" / layout
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        assert files == ["README.md", "organisation.yaml", "templates/skabelon.docx"]


def test_every_layout_gives_every_document(built_layouts: dict[str, Path]) -> None:
    assert sorted(built_layouts) == sorted(DOCUMENTS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_layout_document_matches_golden_dump(
    name: str, built_layouts: dict[str, Path], request: pytest.FixtureRequest
) -> None:
    golden = GOLDEN / f"{name}.txt"
    actual = dump(built_layouts[name])
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} mangler; kør 'make golden' og gennemse resultatet"
    assert actual == golden.read_text(encoding="utf-8")


def test_the_same_data_reads_differently_in_each_layout(built_layouts: dict[str, Path]) -> None:
    seed = (
        Path(__file__).parent / "golden/2022-12-13-kb/beslutningsprotokol-intern.txt"
    ).read_text(encoding="utf-8")
    older = dump(built_layouts["norddjurs-2016/2022-12-13-kb/beslutningsprotokol-intern"])
    syddal = dump(built_layouts["syddal/2022-12-13-kb/beslutningsprotokol-intern"])
    # The case line, the sagsgang and a bilag line, three ways.
    assert "[Sagsnummer] 22/291 Åben Sag" in seed
    assert "[Sagsnummer] 22/291 Åben sag" in older
    assert "[Sagsnummer] Sagsnr. 22/291" in syddal
    assert "[Normal] Sagsgang: ØK, KB" in older
    assert "[Sagsnummer] Forventet sagsgang: Økonomiudvalget og Kommunalbestyrelsen" in syddal
    assert (
        "[Normal] 1 - 3389825 Åben Udmøntningsplan 2023-2026 til ØK og KB i december (151433/22)"
        in seed
    )
    assert "[Normal] 1 - Udmøntningsplan 2023-2026 til ØK og KB i december (151433/22)" in older
    assert "[List Bullet] Bilag 1: Udmøntningsplan 2023-2026 til ØK og KB i december" in syddal
    # The earlier decision with the earlier meeting's item number and a long date.
    assert "[Heading 2] Beslutning fra Økonomiudvalget, den 6. december 2022, punkt 1:" in syddal
    # The organisation's wording and a name printed by period.
    assert "deltog ikke i behandlingen af dette punkt." in syddal
    assert "Mette Kragh Ebbesen (A)" in syddal and "Mette Kragh Ebbesen" not in seed


def test_syddal_has_its_logo_on_every_page(built_layouts: dict[str, Path]) -> None:
    from docx import Document

    for name, path in built_layouts.items():
        if not name.startswith("syddal/"):
            continue
        document = Document(str(path))
        for section in document.sections:
            header = section.header  # a linked header is the previous section's
            xml = header._element.xml
            assert "<w:drawing>" in xml, f"{name}: en side uden logo"


def test_an_empty_absence_list_is_left_out_of_the_2016_agenda(
    built_layouts: dict[str, Path],
) -> None:
    seed = (Path(__file__).parent / "golden/2022-12-06-oek/dagsorden-intern.txt").read_text(
        encoding="utf-8"
    )
    empty = dump(built_layouts["norddjurs-2016/2022-12-06-oek/dagsorden-intern"])
    known = dump(built_layouts["norddjurs-2016/2023-03-02-hu/dagsorden-intern"])
    assert "[Forside] Fraværende:\n[Normal]  <sektionsskift>" in seed  # 2023: printed empty
    assert "Fraværende:" not in empty
    assert "[Forside] Fraværende:\n[Forside] \tChristian Bertelsen" in known


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_committed_template_is_what_the_builder_makes(layout: str) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_templates
        import template_layouts
    finally:
        sys.path.pop(0)
    made = build_templates.build(
        next(lay for lay in template_layouts.LAYOUTS if lay.name == layout)
    )
    committed = ROOT / "examples" / layout / "templates" / "skabelon.docx"
    with zipfile.ZipFile(io.BytesIO(made)) as new, zipfile.ZipFile(committed) as old:
        assert new.namelist() == old.namelist()
        for name in new.namelist():
            assert new.read(name) == old.read(name), f"{name} er ændret: kør 'make templates'"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_passes_a_strict_check(
    layout: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dagsorden.cli import main

    root = assemble(layout, tmp_path / "projekt")
    assert main(["tjek", "--strikt", "--projekt", str(root)]) == 0
    assert capsys.readouterr().out == "Alt er i orden.\n"
