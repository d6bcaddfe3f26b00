"""Every bilag file is opened as what its name says by `tjek`, before anything is built.

A truncated Word file or a zip with no Word document in it used to pass `tjek` and
`byg --uden-pdf` and fail only when the packet was made, with an absolute path and English
from pypdf on stderr. Each is now a Danish error at the line of the bilag's `fil:`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter

from conftest import ROOT, MakeProject
from dagsorden._bilag_files import file_problem
from dagsorden.cli import main

CASE = """\
    sagsnr: 22/1
    titel: Budget 2023
    sagsgang: [ØK]
    afsnit:
      Sagsfremstilling: Teksten.
    indstilling: Direktøren indstiller, at budgettet godkendes.
    bilag:
      - id: 1234567
        titel: Plan
        fil: bilag/{name}
    """
WORD = (ROOT / "bilag" / "22-2217-2.docx").read_bytes()
PDF = (ROOT / "bilag" / "22-291-1.pdf").read_bytes()
DAMAGED_DOCX = (
    "bilagsfilen er en beskadiget .docx-fil (afkortet eller ødelagt);"
    " gem den igen fra det program, den er lavet i"
)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _rezip(source: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The package with each entry changed (None leaves it out)."""
    entries = {}
    with zipfile.ZipFile(io.BytesIO(source)) as package:
        for name in package.namelist():
            data = change(name, package.read(name))
            if data is not None:
                entries[name] = data
    return _zip(entries)


def _one_pdf_page() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


CASES = [
    ("halv.docx", WORD[: len(WORD) // 2], DAMAGED_DOCX),
    ("afkortet.docx", WORD[:-10], DAMAGED_DOCX),  # the zip's directory cut off
    (
        "kun-tekst.docx",
        _zip({"hilsen.txt": b"hej"}),
        "bilagsfilen hedder .docx, men er ikke et Word-dokument"
        " (word/document.xml mangler i filen)",
    ),
    (
        "uden-dokument.docx",
        _rezip(WORD, lambda name, data: None if name == "word/document.xml" else data),
        "bilagsfilen hedder .docx, men er ikke et Word-dokument"
        " (word/document.xml mangler i filen)",
    ),
    (
        "brudt-tekst.docx",
        _rezip(
            WORD,
            lambda name, data: data[: len(data) // 2] if name.endswith("document.xml") else data,
        ),
        DAMAGED_DOCX,
    ),
    (
        "word.xlsx",
        WORD,
        "bilagsfilen hedder .xlsx, men er ikke et regneark (xl/workbook.xml mangler i filen)",
    ),
    (
        "word.pptx",
        WORD,
        "bilagsfilen hedder .pptx, men er ikke en præsentation"
        " (ppt/presentation.xml mangler i filen)",
    ),
    (
        "word.odt",
        WORD,
        "bilagsfilen hedder .odt, men er ikke et tekstdokument (.odt)",
    ),
    ("uden-slut.pdf", PDF[: PDF.rindex(b"%%EOF")], "bilagsfilen er en beskadiget PDF"),
    ("halv.pdf", PDF[: len(PDF) // 2], "bilagsfilen er en beskadiget PDF"),
    # A table of contents pointing past the objects: pypdf would repair it, and say so in English.
    (
        "forkert-xref.pdf",
        _one_pdf_page().replace(b"startxref\n", b"startxref\n9"),
        "bilagsfilen er en beskadiget PDF",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_damaged_bilag_is_a_danish_error_at_its_fil_line(
    make_project: MakeProject,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    message: str,
) -> None:
    root = make_project({"cases/22-1.yaml": CASE.format(name=name)})
    (root / "bilag").mkdir()
    (root / "bilag" / name).write_bytes(content)
    capsys.readouterr()
    assert main(["tjek", "--projekt", str(root)]) == 1
    captured = capsys.readouterr()
    # The whole of stderr: the located Danish sentence, the line and its caret, the count;
    # nothing of pypdf's ("EOF marker not found") or zipfile's English.
    assert captured.err == (
        f"cases/22-1.yaml:10:10: fejl: {message}\n"
        f"        fil: bilag/{name}\n"
        "             ^\n"
        "1 fejl og 0 advarsler.\n"
    )
    assert captured.out == ""


def test_every_example_bilag_passes(tmp_path: Path) -> None:
    files = sorted((ROOT / "bilag").iterdir())
    assert {f.suffix for f in files} == {".pdf", ".docx"}
    assert [(f.name, file_problem(f)) for f in files] == [(f.name, None) for f in files]


def test_a_word_document_whose_main_part_has_another_name_passes(tmp_path: Path) -> None:
    """The main part is what _rels/.rels names, not necessarily word/document.xml."""
    renamed = _rezip(
        WORD,
        lambda name, data: (
            data.replace(b"word/document.xml", b"word/document2.xml").replace(
                b'Target="/word/document.xml"', b'Target="/word/document2.xml"'
            )
            if name in ("_rels/.rels", "[Content_Types].xml")
            else data
        ),
    )
    with zipfile.ZipFile(io.BytesIO(renamed)) as package:
        entries = {n: package.read(n) for n in package.namelist()}
    entries["word/document2.xml"] = entries.pop("word/document.xml")
    path = tmp_path / "omdoebt.docx"
    path.write_bytes(_zip(entries))
    assert file_problem(path) is None
