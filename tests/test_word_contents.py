"""With PDFs, the Word file's Indholdsfortegnelse is filled with the PDF's page numbers, and the
PDF's page labels are the numbers its pages print."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from dagsorden._contents import fill_contents
from dagsorden._reproducible import PageLabel
from dagsorden.build import build
from dagsorden.pdf import ContentsEntry, OutlineEntry, page_labels
from docxdump import dump
from test_pdf import _soffice_convert, contents, page_texts, printed_numbers

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
MEETING = "2023-03-02-hu"
DOCUMENTS = [
    f"{kind}-{edition}" for kind in ("dagsorden", "referat") for edition in ("intern", "offentlig")
]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice mangler (make test installerer det)"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example HU meeting built with PDFs."""
    out = tmp_path_factory.mktemp("ud")
    build(ROOT, [MEETING], out=out, pdf=True)
    return out / MEETING


def _toc_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("[toc 1]")]


def _entries(docx: Path) -> list[tuple[str, int]]:
    """The filled contents of a Word file as its reader sees them: text and page."""
    entries = []
    for line in _toc_lines(dump(docx)):
        text = line.removeprefix("[toc 1] ")
        text = text.split("}", 1)[1] if text.startswith("{TOC") else text
        title, page = text.split("\t")
        entries.append((title, int(page.split("}")[-1])))
    return entries


@needs_libreoffice
@pytest.mark.parametrize("name", DOCUMENTS)
def test_word_contents_are_those_of_the_pdf(built: Path, name: str) -> None:
    docx = built / f"{name}.docx"
    assert _entries(docx) == contents(page_texts(docx.with_suffix(".pdf")))
    assert _entries(docx)[0] == ("1. Udmøntningsplan 2023-2026", 1)


@needs_libreoffice
@pytest.mark.parametrize("name", DOCUMENTS)
def test_only_the_contents_differ_from_the_word_file_without_pdf(built: Path, name: str) -> None:
    filled = dump(built / f"{name}.docx").splitlines()
    golden = (GOLDEN / MEETING / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    placeholder = golden.index(
        '[Normal] {TOC \\o "1-1" \\h \\z \\u}Højreklik og vælg Opdater felt for at se'
        " indholdsfortegnelsen."
    )
    entries = len(_toc_lines("\n".join(filled)))
    assert entries >= 4
    assert filled[:placeholder] == golden[:placeholder]
    assert filled[placeholder + entries :] == golden[placeholder + 1 :]
    assert filled[placeholder].startswith('[toc 1] {TOC \\o "1-1" \\h \\z \\u}1. Udmøntningsplan')


@needs_libreoffice
def test_the_contents_stay_a_field_whose_links_lead_to_the_headings(built: Path) -> None:
    with zipfile.ZipFile(built / "referat-intern.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
    begins = [c for c in body.iter(f"{W}fldChar") if c.get(f"{W}fldCharType") == "begin"]
    assert begins[0].get(f"{W}dirty") is None  # Word opens it as it is, without asking
    marks = {
        b.get(f"{W}name"): "".join(t.text or "" for t in b.getparent().iter(f"{W}t"))
        for b in body.iter(f"{W}bookmarkStart")
    }
    links = body.findall(f".//{W}hyperlink")
    assert [marks[link.get(f"{W}anchor")] for link in links] == [
        "1. Udmøntningsplan 2023-2026",
        "2. Sygefravær og arbejdsmiljø 2022",
        "3. Meddelelser",
        "Bilagsoversigt",
    ]
    for link in links:  # the page number is a PAGEREF field to the same bookmark (F9)
        instruction = "".join(t.text or "" for t in link.iter(f"{W}instrText"))
        assert instruction.split() == ["PAGEREF", link.get(f"{W}anchor"), "\\h"]


@needs_libreoffice
def test_libreoffice_opens_the_word_file_with_its_contents_filled(
    built: Path, tmp_path: Path
) -> None:
    """A plain conversion updates no field: it shows what the Word file holds."""
    source = tmp_path / "referat-intern.docx"
    shutil.copy(built / source.name, source)
    _soffice_convert(source, ["pdf"], tmp_path / "profil")
    opened = page_texts(source.with_suffix(".pdf"))
    assert contents(opened) == contents(page_texts(built / "referat-intern.pdf"))
    assert len(opened) == len(page_texts(built / "referat-intern.pdf"))


@needs_libreoffice
@pytest.mark.parametrize("name", DOCUMENTS)
def test_page_labels_are_the_printed_page_numbers(built: Path, name: str) -> None:
    pdf = built / f"{name}.pdf"
    labels = PdfReader(pdf).page_labels
    numbers = printed_numbers(page_texts(pdf))[: len(labels)]
    assert labels[:2] == ["Forside", "Indholdsfortegnelse"]
    assert numbers[:2] == [None, None]
    assert labels[2:] == [str(n) for n in numbers[2:]]
    assert labels[2] == "1"


def _pages(*pairs: tuple[str, str, int]) -> tuple[list[OutlineEntry], list[ContentsEntry]]:
    return (
        [OutlineEntry(title, page) for title, _, page in pairs],
        [ContentsEntry(1, title, printed) for title, printed, _ in pairs],
    )


def test_numbering_from_the_first_page_needs_no_labels() -> None:
    outline, entries = _pages(("1. A", "3", 3), ("2. B", "5", 5))
    assert page_labels(6, outline, entries, [2, 2]) == []


def test_contents_over_two_pages_are_labelled_one_and_two() -> None:
    outline, entries = _pages(("1. A", "1", 4), ("2. B", "2", 5))
    assert page_labels(6, outline, entries, [2, 3]) == [
        PageLabel(0, None, "Forside", 1),
        PageLabel(1, "D", "Indholdsfortegnelse ", 1),
        PageLabel(3, "D", "", 1),
    ]


def test_numbering_that_starts_again_gets_a_label_range_of_its_own() -> None:
    outline, entries = _pages(("1. A", "1", 3), ("2. B", "2", 4), ("Bilag", "1", 6))
    assert page_labels(7, outline, entries, [2, 2]) == [
        PageLabel(0, None, "Forside", 1),
        PageLabel(1, None, "Indholdsfortegnelse", 1),
        PageLabel(2, "D", "", 1),
        PageLabel(5, "D", "", 1),
    ]


def test_contents_that_do_not_match_the_bookmarks_give_no_labels() -> None:
    outline, entries = _pages(("1. A", "1", 3))
    assert page_labels(4, outline, [ContentsEntry(1, "1. Andet", "1"), *entries], [2, 2]) == []


def test_a_contents_field_in_a_content_control_is_filled_as_well(
    built_examples: dict[str, Path], tmp_path: Path
) -> None:
    """Word puts the TOC it inserts in a content control; a template saved so is filled too."""
    source = built_examples[f"{MEETING}/referat-intern"]
    with zipfile.ZipFile(source) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    body = parts["word/document.xml"].decode()
    start = body.index('<w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/>')
    end = body.index("</w:p>", start) + len("</w:p>")
    control = '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
    control += "</w:docPartObj></w:sdtPr><w:sdtContent>"
    body = body[:start] + control + body[start:end] + "</w:sdtContent></w:sdt>" + body[end:]
    parts["word/document.xml"] = body.encode()
    template = tmp_path / "i-indholdskontrol.docx"
    with zipfile.ZipFile(template, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    entries = [
        ContentsEntry(1, "1. Udmøntningsplan 2023-2026", "1"),
        ContentsEntry(1, "Bilagsoversigt", "6"),
    ]
    filled = fill_contents(template, entries, template.name)
    assert filled is not None
    result = tmp_path / "udfyldt.docx"
    result.write_bytes(filled)
    assert _entries(result) == [("1. Udmøntningsplan 2023-2026", 1), ("Bilagsoversigt", 6)]
    with zipfile.ZipFile(result) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    links = document.findall(f".//{W}sdtContent/{W}p/{W}hyperlink")
    marks = {b.get(f"{W}name") for b in document.iter(f"{W}bookmarkStart")}
    assert len(links) == 2 and {link.get(f"{W}anchor") for link in links} <= marks
