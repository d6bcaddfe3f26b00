"""Rich text in case texts: tables, links, pictures and page breaks in Word and PDF, and every
mistake or unsupported construct a located sentence of `tjek`."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from conftest import MakeProject
from dagsorden.build import build
from dagsorden.cli import main
from dagsorden.errors import DagsordenError
from dagsorden.render import builtin_template, render_document

PICTURE = Path(__file__).parent / "data" / "kort.png"

RICH = """\
    Strækningerne:

    | Strækning | Uheld 2020-24 | Pris |
    | --- | :-: | --: |
    | Vestervej | 7 | 1.200.000 kr. |
    | Kirkevej ved **skolen** | 3 | 450.000 kr. |

    Se [kommunens side](https://www.testrup.dk/veje) eller skriv til <veje@testrup.dk>.

    ![Kort over Vestervej og Kirkevej](billeder/kort.png)

    ---

    Efter sideskiftet.
"""


def _case(text: str, *, closed: bool = False) -> dict[str, str | None]:
    access = "adgang: Lukket\n" if closed else ""
    body = "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())
    return {
        "cases/22-1.yaml": f"sagsnr: 22/1\ntitel: Trafiksikkerhed\n{access}sagsgang: [ØK]\n"
        f"afsnit:\n  Sagsfremstilling: |\n{body}"
    }


def _project(make_project: MakeProject, text: str = RICH, **kwargs: bool) -> Path:
    root = make_project(_case(text.replace("\n    ", "\n").removeprefix("    "), **kwargs))
    (root / "billeder").mkdir(exist_ok=True)
    shutil.copyfile(PICTURE, root / "billeder" / "kort.png")
    return root


def _tjek(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["tjek", "--projekt", str(root)])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if ": fejl: " in line or ": advarsel: " in line]


def _internal_agenda(root: Path, out: Path) -> Path:
    built, _ = build(root, out=out)
    return next(b.path for b in built if b.path.name == "dagsorden-intern.docx")


def _body(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode()


# --------------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------------


def test_a_markdown_table_becomes_a_word_table_in_the_templates_style(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = _project(make_project)
    path = _internal_agenda(root, tmp_path / "out")
    document = Document(str(path))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert table.style is not None and table.style.name == "Tabel"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Strækning", "Uheld 2020-24", "Pris"],
        ["Vestervej", "7", "1.200.000 kr."],
        ["Kirkevej ved skolen", "3", "450.000 kr."],
    ]
    # The header row is repeated on every page the table runs over; no row splits.
    rows = table._tbl.findall(qn("w:tr"))
    assert [r.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for r in rows] == [
        True,
        False,
        False,
    ]
    price = table.rows[1].cells[2].paragraphs[0]
    assert price.alignment is not None and price.alignment.name == "RIGHT"
    assert price.style is not None and price.style.name == "Tabeltekst"
    bold = [r.text for r in table.rows[2].cells[0].paragraphs[0].runs if r.bold]
    assert bold == ["skolen"]


def test_links_are_hyperlinks_and_a_picture_has_its_alt_text(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = _project(make_project)
    path = _internal_agenda(root, tmp_path / "out")
    document = Document(str(path))
    links = {r.target_ref for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")}
    assert links == {"https://www.testrup.dk/veje", "mailto:veje@testrup.dk"}
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Se "))
    assert [h.text for h in paragraph.hyperlinks] == ["kommunens side", "veje@testrup.dk"]
    assert paragraph.text == "Se kommunens side eller skriv til veje@testrup.dk."
    body = _body(path)
    assert 'descr="Kort over Vestervej og Kirkevej"' in body
    picture = next(p for p in document.paragraphs if p._p.find(f".//{qn('w:drawing')}") is not None)
    assert picture.style is not None and picture.style.name == "Billede"
    assert picture.text == ""
    width = document.inline_shapes[0].width
    section = document.sections[-1]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    assert width and page and left and right and width <= page - left - right
    with zipfile.ZipFile(path) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert [package.read(n) for n in media] == [PICTURE.read_bytes()]
    assert body.count('<w:br w:type="page"/>') == 1
    after = [p.text for p in document.paragraphs]
    assert after.index("Efter sideskiftet.") > after.index("Strækningerne:")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice mangler")
def test_in_the_pdf_links_are_clickable_and_a_long_tables_header_is_on_every_page(
    make_project: MakeProject, tmp_path: Path
) -> None:
    rows = "\n".join(f"| Strækning {n} | {n} |" for n in range(1, 91))
    text = RICH.replace("    ---\n", f"    | Vej | Uheld |\n    | --- | --: |\n{_indent(rows)}\n")
    root = _project(make_project, text)
    built, _ = build(root, out=tmp_path / "out", pdf=True)
    path = next(b.path for b in built if b.path.name == "dagsorden-intern.pdf")
    reader = PdfReader(path)
    targets = {
        str(a.get_object()["/A"]["/URI"])
        for page in reader.pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object()
    }
    assert {"https://www.testrup.dk/veje", "mailto:veje@testrup.dk"} <= targets
    pages = [page.extract_text() for page in reader.pages]
    spanned = [t for t in pages if "Strækning 4" in t or "Strækning 90" in t]
    assert len(spanned) >= 2
    for page in spanned:  # the header row stands above the page's first row of the table
        first_row = re.search(r"Strækning \d", page)
        assert first_row is not None and "Vej" in page[: first_row.start()]


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


# --------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------


def test_a_rich_text_without_mistakes_passes(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _tjek(_project(make_project), capsys) == (0, [])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "![](billeder/kort.png)",
            "cases/22-1.yaml:8:5: fejl: billedet mangler en billedtekst (alternativ tekst til"
            " den, der ikke kan se det): skriv den mellem [ og ], fx ![Kort over Vestervej]"
            "(billeder/kort.png)",
        ),
        (
            "![Kort](billeder/vej.png)",
            "cases/22-1.yaml:8:5: fejl: billedet 'billeder/vej.png' findes ikke",
        ),
        (
            "![Kort](/home/anna/kort.png)",
            "cases/22-1.yaml:8:5: fejl: billedet '/home/anna/kort.png' er en fuld sti; skriv stien"
            " fra projektmappen (fx 'bilag/kort.png'), og læg filen i projektet",
        ),
        (
            "![Kort](../kort.png)",
            "cases/22-1.yaml:8:5: fejl: billedet '../kort.png' ligger uden for projektmappen;"
            " læg filen i projektet (fx i bilag/), og skriv stien derfra",
        ),
        (
            "![Kort](https://kort.dk/vej.png)",
            "cases/22-1.yaml:8:5: fejl: billedet 'https://kort.dk/vej.png' er en webadresse;"
            " læg billedfilen i projektet (fx i billeder/), og skriv stien derfra",
        ),
        (
            "![Kort](billeder/kort.svg)",
            "cases/22-1.yaml:8:5: fejl: billedet 'billeder/kort.svg' skal være en PNG- eller"
            " JPEG-fil (.png, .jpg)",
        ),
        (
            "![Kort](billeder/falsk.png)",
            "cases/22-1.yaml:8:5: fejl: billedet 'billeder/falsk.png' er ikke en PNG- eller"
            " JPEG-fil; gem det igen som PNG eller JPEG",
        ),
        (
            "Tekst med ![Kort](billeder/kort.png) midt i.",
            None,  # a picture inside a paragraph is shown between its two halves
        ),
        (
            "- ![Kort](billeder/kort.png)",
            "cases/22-1.yaml:8:7: advarsel: et billede kan ikke stå i en liste eller en tabel;"
            " kun billedteksten vises; skriv billedet i et afsnit for sig",
        ),
        (
            "Se [siden](sider/vej.html).",
            "cases/22-1.yaml:8:16: advarsel: linket til 'sider/vej.html' er ikke en webadresse"
            " (https://…) eller en e-mailadresse (mailto:…); kun linkets tekst vises",
        ),
        (
            "# Baggrund",
            "cases/22-1.yaml:8:5: advarsel: overskrifter med # hører ikke til tekstfelternes"
            " Markdown; det vises som almindelig tekst",
        ),
        (
            "> Citat fra borgeren",
            "cases/22-1.yaml:8:5: advarsel: citater med > hører ikke til tekstfelternes Markdown;"
            " det vises som almindelig tekst",
        ),
        (
            "Kør `dagsorden tjek` først.",
            "cases/22-1.yaml:8:9: advarsel: `kode` hører ikke til tekstfelternes Markdown;"
            " det vises som almindelig tekst",
        ),
        (
            "Prisen er ~~300~~ 250 kr.",
            "cases/22-1.yaml:8:15: advarsel: ~~gennemstregning~~ hører ikke til"
            " tekstfelternes Markdown; det vises som almindelig tekst",
        ),
        (
            "Et <b>fedt</b> ord.",
            "cases/22-1.yaml:8:8: advarsel: HTML hører ikke til tekstfelternes Markdown;"
            " det vises som almindelig tekst",
        ),
    ],
)
def test_each_mistake_and_unsupported_construct_is_named_at_its_place(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], line: str, expected: str | None
) -> None:
    root = _project(make_project, f"Første afsnit.\n\n{line}\n")
    (root / "billeder" / "falsk.png").write_text("ikke et billede", encoding="utf-8")
    code, lines = _tjek(root, capsys)
    assert lines == ([expected] if expected else [])
    assert code == (1 if expected and ": fejl: " in expected else 0)


def test_all_problems_of_a_text_are_reported_at_once(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(make_project, "# Overskrift\n\n![](a.png)\n\n![Kort](b.png)\n")
    code, lines = _tjek(root, capsys)
    assert code == 1
    assert [line.split(": ", 2)[0] + " " + line.split(": ", 2)[1] for line in lines] == [
        "cases/22-1.yaml:6:5 advarsel",
        "cases/22-1.yaml:8:5 fejl",
        "cases/22-1.yaml:10:5 fejl",
    ]


def test_a_table_written_without_its_delimiter_row_stays_text(
    make_project: MakeProject, tmp_path: Path
) -> None:
    # Only a real table (header, | --- | row) becomes one; the rest is the text as written.
    root = _project(make_project, "| a | b |\n| c | d |\n")
    path = _internal_agenda(root, tmp_path / "out")
    document = Document(str(path))
    assert not document.tables
    assert "| a | b | | c | d |" in [p.text for p in document.paragraphs]


def test_a_cpr_number_in_a_cell_or_a_link_target_is_caught(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "| Borger | Sag |\n| --- | --- |\n| 010203-1234 | 1 |\n\n[Se](https://x.dk/1102031234)\n"
    code, lines = _tjek(_project(make_project, text), capsys)
    assert code == 1
    assert [line.split(": fejl: ")[0] for line in lines] == [
        "cases/22-1.yaml:8:7",
        "cases/22-1.yaml:10:23",
    ]
    assert all("ligner et CPR-nummer" in line for line in lines)


def test_a_missing_picture_is_noticed_by_a_second_tjek(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    # tjek remembers its answer by a fingerprint of the files: the picture is one of them.
    root = _project(make_project)
    assert _tjek(root, capsys) == (0, [])
    (root / "billeder" / "kort.png").unlink()
    assert _tjek(root, capsys) == (
        1,
        ["cases/22-1.yaml:15:5: fejl: billedet 'billeder/kort.png' findes ikke"],
    )


# --------------------------------------------------------------------------------------------
# Public edition, the context and frozen records
# --------------------------------------------------------------------------------------------


def test_a_closed_cases_table_link_and_picture_never_reach_the_public_edition(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = _project(make_project, closed=True)
    built, _ = build(root, out=tmp_path / "out")
    public = next(b.path for b in built if b.path.name == "dagsorden-offentlig.docx")
    with zipfile.ZipFile(public) as package:
        everything = "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
        assert not [n for n in package.namelist() if n.startswith("word/media/")]
    for secret in ("Vestervej", "testrup.dk/veje", "veje@testrup.dk", "Kort over"):
        assert secret not in everything


def test_the_context_is_plain_json_and_a_frozen_agenda_is_rebuilt_the_same(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(make_project)
    assert main(["status", "2023-01-10-oek", "udsendt", "--uden-pdf", "--projekt", str(root)]) == 0
    frozen = root / "arkiv" / "2023-01-10-oek" / "udsendt"
    context = json.loads((frozen / "dagsorden-intern.json").read_text(encoding="utf-8"))
    blocks = context["items"][0]["sections"][0]["blocks"]
    assert [b["kind"] for b in blocks] == [
        "paragraph",
        "table",
        "paragraph",
        "image",
        "pagebreak",
        "paragraph",
    ]
    assert blocks[1]["rows"][2][0]["runs"][1] == {"text": "skolen", "bold": True, "italic": False}
    assert blocks[1]["align"] == ["", "center", "right"]
    assert blocks[2]["runs"][1]["link"] == "https://www.testrup.dk/veje"
    assert blocks[3]["alt"] == "Kort over Vestervej og Kirkevej"
    sent = Document(str(frozen / "dagsorden-intern.docx"))
    # The case is revised for its next treatment; the frozen agenda keeps its table.
    case = root / "cases" / "22-1.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("Vestervej", "Østervej"), "utf-8")
    out = root / "out2"
    again = Document(str(_internal_agenda(root, out)))
    assert [[c.text for c in r.cells] for r in again.tables[0].rows] == [
        [c.text for c in r.cells] for r in sent.tables[0].rows
    ]
    assert _body(out / "2023-01-10-oek" / "dagsorden-intern.docx") == _body(
        frozen / "dagsorden-intern.docx"
    )
    # A frozen agenda is never rebuilt with another picture than the one it was sent with.
    (root / "billeder" / "kort.png").write_bytes(PICTURE.read_bytes() + b"\0")
    # tjek (and so byg) says so at the record, as it does for a replaced bilag file.
    assert _tjek(root, capsys) == (
        1,
        [
            "arkiv/2023-01-10-oek/udsendt/indhold.json: fejl: billedet billeder/kort.png fra den"
            " udsendte dagsorden for 2023-01-10-oek er ændret; læg det oprindelige billede"
            " tilbage (et nyt billede får et nyt filnavn)"
        ],
    )
    assert main(["byg", "2023-01-10-oek", "--uden-pdf", "--projekt", str(root)]) == 1
    # And the renderer itself refuses the frozen context with another picture.
    with pytest.raises(DagsordenError) as refused:
        render_document(builtin_template("dagsorden.docx"), context, title="x", root=root)
    assert str(refused.value) == (
        "billedet 'billeder/kort.png' er ændret, siden dokumentet blev lavet med det; læg det"
        " oprindelige billede tilbage (et nyt billede får et nyt filnavn)"
    )


def test_a_changed_picture_remakes_the_document(make_project: MakeProject, tmp_path: Path) -> None:
    root = _project(make_project)
    out = tmp_path / "out"
    build(root, out=out)
    path = out / "2023-01-10-oek" / "dagsorden-intern.docx"
    before = path.read_bytes()
    (root / "billeder" / "kort.png").write_bytes(PICTURE.read_bytes())  # the same bytes again
    build(root, out=out)
    assert path.read_bytes() == before
    changed = _with_text_chunk(PICTURE.read_bytes())
    (root / "billeder" / "kort.png").write_bytes(changed)
    build(root, out=out)
    with zipfile.ZipFile(path) as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert media == [changed]


def _with_text_chunk(png: bytes) -> bytes:
    """The same PNG with a tEXt chunk after the header: another file, the same picture."""
    import struct
    import zlib

    data = b"Comment\0kort"
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + data) & 0xFFFFFFFF)
    end_of_header = 8 + 25  # signature, IHDR
    return png[:end_of_header] + chunk + png[end_of_header:]


def test_an_own_template_from_before_tables_still_works_and_shows_them_as_text(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The secretary's own template was written before tables and pictures: its block loop
    # prints `b.runs` for any kind it does not know. A new case text must not break it.
    root = _project(make_project)
    (root / "templates").mkdir(exist_ok=True)
    shutil.copyfile(
        Path(__file__).parent / "data" / "skabelon-uden-tabeller.docx",
        root / "templates" / "dagsorden.docx",
    )
    code, problems = _tjek(root, capsys)
    assert code == 0, problems
    body = _body(_internal_agenda(root, tmp_path / "ud"))
    assert "Vestervej | 7 | 1.200.000 kr." in body
    assert "Kort over Vestervej og Kirkevej" in body
