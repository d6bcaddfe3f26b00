"""The agenda packet: the agenda PDF, then every bilag, with an outline and page labels."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import ROOT, MakeProject
from dagsorden.build import build
from dagsorden.cli import main

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice mangler (make test installerer det)"
)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The KB meeting of the example, built with PDFs and packets."""
    out = tmp_path_factory.mktemp("kb")
    build(ROOT, ["2022-12-13-kb"], out=out, pdf=True)
    return out / "2022-12-13-kb"


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    found: list[tuple[int, str, int]] = []

    def walk(entries: Any, depth: int) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                page = (reader.get_destination_page_number(entry) or 0) + 1
                found.append((depth, str(entry.title), page))

    walk(reader.outline, 0)
    return found


def test_packet_is_the_agenda_then_every_bilag_in_item_order(kb: Path) -> None:
    packet = PdfReader(kb / "dagsordenspakke-intern.pdf")
    agenda = PdfReader(kb / "dagsorden-intern.pdf")
    bilag = [
        "22-291-1.pdf", "22-291-2.pdf", "22-2217-1.pdf", "22-2217-2.docx", "22-2217-3.pdf",
        "22-7315-1.pdf", "22-7315-2.docx", "22-7315-3.pdf", "22-7315-4.pdf",
        "22-12954-1.pdf", "22-12954-2.pdf",
    ]  # fmt: skip
    assert len(packet.pages) == len(agenda.pages) + len(bilag)  # each example bilag is 1 page
    for i, page in enumerate(agenda.pages):
        assert packet.pages[i].extract_text() == page.extract_text()
    texts = [" ".join(p.extract_text().split()) for p in packet.pages[len(agenda.pages) :]]
    assert "Udmøntningsplan 2023-2026 til ØK og KB i december" in texts[0]
    assert "Bevillingsoversigt, budgetopfølgning oktober 2022" in texts[3]  # converted .docx
    assert "Kortbilag, udstykningen ved Kastanievej" in texts[-1]


def test_outline_has_items_with_their_bilag_and_labels_name_them(kb: Path) -> None:
    packet = PdfReader(kb / "dagsordenspakke-intern.pdf")
    outline = _outline(packet)
    agenda_pages = len(PdfReader(kb / "dagsorden-intern.pdf").pages)
    assert outline[0] == (0, "Forside og indholdsfortegnelse", 1)
    assert outline[1][:2] == (0, "1. Udmøntningsplan 2023-2026")
    assert outline[2] == (
        1,
        "Bilag 1.1: Udmøntningsplan 2023-2026 til ØK og KB i december",
        agenda_pages + 1,
    )
    assert outline[-1][:2] == (0, "Bilagsoversigt")
    labels = packet.page_labels
    assert labels[:3] == ["Forside", "Indholdsfortegnelse", "1"]  # as the agenda PDF's
    assert labels[:agenda_pages] == PdfReader(kb / "dagsorden-intern.pdf").page_labels
    assert labels[agenda_pages] == "Bilag 1.1: 1"
    root: Any = packet.root_object
    assert root["/Lang"] == "da-DK"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert packet.metadata is not None
    assert (
        packet.metadata.title
        == "Kommunalbestyrelsen 13-12-2022 Dagsorden (intern udgave) med bilag"
    )


BILAG_FILES = [
    "22-291-1.pdf", "22-291-2.pdf", "22-2217-1.pdf", "22-2217-2.docx", "22-2217-3.pdf",
    "22-7315-1.pdf", "22-7315-2.docx", "22-7315-3.pdf", "22-7315-4.pdf",
    "22-12954-1.pdf", "22-12954-2.pdf",
]  # fmt: skip
STAMP_BOX = (170, 32)  # the top right corner, in points: the stamp's room and then some


def _gray(pdf: Path, page: int, folder: Path) -> tuple[int, int, bytes]:
    """A page rendered at 72 dpi (one pixel a point), grey: width, height, pixels."""
    stem = folder / f"side-{pdf.stem}-{page}"
    pages = ["-f", str(page), "-l", str(page)]
    command = ["pdftoppm", "-gray", "-r", "72", *pages, "-singlefile", str(pdf), str(stem)]
    subprocess.run(command, check=True)
    data = stem.with_suffix(".pgm").read_bytes()
    found = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
    assert found is not None
    return int(found.group(1)), int(found.group(2)), data[found.end() :]


def _corner_text(pdf: Path, page: int, width: int) -> str:
    """The text pdftotext finds in the top right corner of the page as the reader sees it."""
    corner = ["-x", str(width - STAMP_BOX[0]), "-y", "0", "-W", str(STAMP_BOX[0])]
    corner += ["-H", str(STAMP_BOX[1])]
    command = ["pdftotext", "-f", str(page), "-l", str(page), "-r", "72", *corner, str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def test_each_bilag_page_is_stamped_in_its_blank_top_right_corner(kb: Path, tmp_path: Path) -> None:
    """The stamp names item and bilag, and changes nothing of the page outside the corner,
    which was blank on every example bilag (measured in docs/pdf.md)."""
    packet = kb / "dagsordenspakke-intern.pdf"
    first = len(PdfReader(kb / "dagsorden-intern.pdf").pages) + 1
    labels = PdfReader(packet).page_labels
    for page, name in enumerate(BILAG_FILES, first):
        width, height, stamped = _gray(packet, page, tmp_path)
        stamp = labels[page - 1].split(":")[0]
        assert _corner_text(packet, page, width) == stamp
        if not name.endswith(".pdf"):
            continue
        width_before, height_before, original = _gray(ROOT / "bilag" / name, 1, tmp_path)
        assert (width_before, height_before) == (width, height)
        for y in range(height):
            row = slice(y * width, (y + 1) * width)
            before, after = original[row], stamped[row]
            changed = [x for x, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
            in_corner = y < STAMP_BOX[1]
            if in_corner:
                dark = [x for x in range(width - STAMP_BOX[0], width) if before[x] < 200]
                assert not dark, f"{name}: siden har indhold, hvor stemplet står (linje {y})"
            assert all(in_corner and x >= width - STAMP_BOX[0] for x in changed), (name, y)


def test_a_turned_page_is_stamped_upright_in_the_corner_the_reader_sees(tmp_path: Path) -> None:
    from dagsorden.packet import PacketItem, build_packet
    from dagsorden.pdf import Converter

    turned = tmp_path / "vendt.pdf"
    writer = PdfWriter(clone_from=ROOT / "bilag" / "22-291-1.pdf")
    writer.pages[0].rotate(90)
    with turned.open("wb") as handle:
        writer.write(handle)
    agenda = tmp_path / "dagsorden.pdf"
    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    with agenda.open("wb") as handle:
        blank.write(handle)
    packet = tmp_path / "pakke.pdf"
    item = PacketItem(3, "3. Kort", ((1, "Kort", turned),))
    build_packet(agenda, [("3. Kort", 1)], [item], packet, title="T", converter=Converter())
    width, height, _ = _gray(packet, 2, tmp_path)
    assert width > height  # as the reader sees it
    assert _corner_text(packet, 2, width) == "Bilag 3.1"


def test_public_packet_holds_only_open_bilag_of_open_items(kb: Path) -> None:
    packet = PdfReader(kb / "dagsordenspakke-offentlig.pdf")
    text = "\n".join(p.extract_text() for p in packet.pages)
    titles = [title for _, title, _ in _outline(packet)]
    assert "Bilag 2.2: Bevillingsoversigt, budgetopfølgning oktober 2022" in titles
    assert not any(t.startswith("Bilag 2.3") for t in titles), "lukket bilag på åbent punkt"
    assert not any(t.startswith("Bilag 4.") for t in titles), "bilag på lukket punkt"
    assert "Notat om merforbrug" not in text and "Kastanievej" not in text
    assert "4. Lukket punkt: Salg af byggegrund" in titles


def test_every_pdf_and_packet_is_written(kb: Path) -> None:
    names = sorted(p.name for p in kb.iterdir())
    documents = [
        f"{doc}-{edition}.{suffix}"
        for doc in ("dagsorden", "beslutningsprotokol")
        for edition in ("intern", "offentlig")
        for suffix in ("docx", "pdf")
    ]
    assert names == sorted(
        [*documents, "dagsordenspakke-intern.pdf", "dagsordenspakke-offentlig.pdf"]
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bilag.pdf", b"Dette er ikke en PDF", "bilagsfilen hedder .pdf, men er ikke en PDF"),
        ("bilag.docx", b"%PDF-1.4 ...", "bilagsfilen hedder .docx, men er ikke en .docx-fil"),
        (
            "bilag.txt",
            b"tekst",
            "bilagsfilen har en type, der ikke kan komme i bilagspakken (kendte: .pdf, .docx, "
            ".doc, .odt, .rtf, .xlsx, .xls, .ods, .pptx, .ppt, .odp)",
        ),
        ("bilag.pdf", b"%PDF-1.4\n%%EOF", "bilagsfilen er en beskadiget PDF"),
        ("krypteret.pdf", None, "bilagsfilen er en krypteret PDF; gem den uden adgangskode"),
    ],
)
def test_a_bad_bilag_file_is_a_check_error_before_any_work(
    make_project: MakeProject,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    root = make_project(
        {
            "cases/22-1.yaml": f"""\
                sagsnr: 22/1
                titel: Budget 2023
                sagsgang: [ØK]
                bilag:
                  - id: 1234567
                    titel: Plan
                    fil: bilag/{name}
                """
        }
    )
    (root / "bilag").mkdir()
    if content is None:
        writer = PdfWriter()
        writer.add_blank_page(100, 100)
        writer.encrypt("hemmelig")
        with (root / "bilag" / name).open("wb") as handle:
            writer.write(handle)
    else:
        (root / "bilag" / name).write_bytes(content)
    out = tmp_path / "out"
    assert main(["byg", "--projekt", str(root), "--ud", str(out)]) == 1
    assert f"cases/22-1.yaml:7:10: fejl: {message}" in capsys.readouterr().err
    assert not out.exists()


def test_the_check_accepts_exactly_the_types_the_converter_takes() -> None:
    from dagsorden.check import CONVERTIBLE
    from dagsorden.pdf import FILE_TYPES

    assert sorted(CONVERTIBLE) == sorted(FILE_TYPES)


def test_pdfs_and_packets_are_made_again_only_when_what_they_show_changed(
    tmp_path: Path,
) -> None:
    root = tmp_path / "projekt"
    root.mkdir()
    for name in ("organisation.yaml", "cases", "agenda", "templates", "bilag"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
    out = tmp_path / "out"
    first, _ = build(root, ["2022-12-13-kb"], out=out, pdf=True)
    assert all(b.written for b in first)

    def times() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in (out / "2022-12-13-kb").iterdir()}

    before = times()
    again, _ = build(root, ["2022-12-13-kb"], out=out, pdf=True)
    assert not any(b.written for b in again) and times() == before

    # A bilag file changes: the packets that hold it, nothing else.
    bilag = root / "bilag" / "22-291-1.pdf"
    writer = PdfWriter(clone_from=bilag)
    writer.add_blank_page()
    with bilag.open("wb") as handle:
        writer.write(handle)
    built, _ = build(root, ["2022-12-13-kb"], out=out, pdf=True)
    assert {b.path.name for b in built if b.written} == {
        "dagsordenspakke-intern.pdf",
        "dagsordenspakke-offentlig.pdf",
    }
    assert (
        len(PdfReader(out / "2022-12-13-kb" / "dagsordenspakke-intern.pdf").pages)
        == len(PdfReader(out / "2022-12-13-kb" / "dagsorden-intern.pdf").pages) + 12
    )

    # A deleted PDF of the minutes is made again, alone.
    (out / "2022-12-13-kb" / "beslutningsprotokol-intern.pdf").unlink()
    built, _ = build(root, ["2022-12-13-kb"], out=out, pdf=True)
    assert [b.path.name for b in built if b.written] == ["beslutningsprotokol-intern.pdf"]


def test_a_sent_agenda_with_a_supplement_has_both_in_its_packet(tmp_path: Path) -> None:
    """After sending, an item with its own bilag is added: the packet holds the agenda as
    sent, the tillægsdagsorden after it, and the new item's bilag; nothing else moves."""
    root = tmp_path / "projekt"
    root.mkdir()
    for name in ("organisation.yaml", "cases", "agenda", "bilag"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    meeting = "2022-12-06-oek"
    assert main(["status", meeting, "udsendt", "--uden-pdf", "--projekt", str(root)]) == 0
    agenda = root / "agenda" / f"{meeting}.yaml"
    text = agenda.read_text(encoding="utf-8")
    agenda.write_text(text.replace("  - sag: 22/12954\n", "  - sag: 23/1532\n  - sag: 22/12954\n"))
    case = root / "cases" / "23-1532.yaml"
    case.write_text(
        case.read_text(encoding="utf-8")
        + "bilag:\n  - id: '99'\n    titel: Fraværsstatistik\n    fil: bilag/22-291-1.pdf\n",
        encoding="utf-8",
    )
    build(root, [meeting], out=tmp_path / "ud", pdf=True)
    packet = PdfReader(tmp_path / "ud" / meeting / "dagsordenspakke-intern.pdf")
    outline = _outline(packet)
    titles = [t for _, t, _ in outline]
    assert "Tillægsdagsorden" in titles
    new_item = next(t for t in titles if t.endswith("Sygefravær og arbejdsmiljø 2022"))
    assert new_item.startswith("6. ")
    assert any(t.startswith("Bilag 6.") and "Fraværsstatistik" in t for t in titles), "\n".join(
        titles
    )
    agenda_pages = len(PdfReader(tmp_path / "ud" / meeting / "dagsorden-intern.pdf").pages)
    (supplement_page,) = [p for _, t, p in outline if t == "Tillægsdagsorden"]
    assert supplement_page == agenda_pages + 1
