"""The generated .docx files are sound Word documents that LibreOffice and python-docx open."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from conftest import MakeProject
from dagsorden.build import build

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def test_every_document_reopens_and_every_part_is_strict_xml(
    built_examples: dict[str, Path],
) -> None:
    for name, path in built_examples.items():
        doc = Document(str(path))
        assert doc.paragraphs, name
        with zipfile.ZipFile(path) as package:
            for part in package.namelist():
                if part.endswith((".xml", ".rels")):
                    data = package.read(part)
                    etree.fromstring(data, etree.XMLParser(recover=False))
                    assert not CONTROL.search(data.decode("utf-8")), f"{name}: {part}"
                    assert b"{{" not in data and b"{%" not in data, f"{name}: {part}"


def test_properties_carry_title_and_language_and_nothing_of_the_user(
    built_examples: dict[str, Path],
) -> None:
    props = Document(str(built_examples["2023-03-02-hu/referat-intern"])).core_properties
    assert props.title == "Hovedudvalget 02-03-2023 Referat (intern udgave)"
    assert props.language == "da-DK"
    assert props.author == "" and props.last_modified_by == ""


def test_each_numbered_list_starts_at_one(built_examples: dict[str, Path]) -> None:
    doc = Document(str(built_examples["2022-12-13-kb/beslutningsprotokol-intern"]))
    list_number = doc.styles["List Number"].style_id
    lists: list[list[str]] = []
    previous = False
    for p in doc.element.body.iterchildren(qn("w:p")):
        style = p.pPr.pStyle.val if p.pPr is not None and p.pPr.pStyle is not None else None
        if style == list_number:
            num_id = p.pPr.numPr.numId.val
            if not previous:
                lists.append([])
            lists[-1].append(num_id)
        previous = style == list_number
    assert len(lists) >= 2, "eksemplet skal have mindst to nummererede lister i protokollen"
    ids = [group[0] for group in lists]
    assert all(len(set(group)) == 1 for group in lists)
    assert len(set(ids)) == len(ids), "to lister deler nummerering og fortsætter hinanden"
    numbering = doc.part.numbering_part.element
    for num in numbering.num_lst:
        if num.numId in ids:
            assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]


def test_text_with_ampersand_and_angle_brackets_is_kept_verbatim(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(
        {
            "cases/22-1.yaml": """\
                sagsnr: 22/1
                titel: "Tårnby & Søn <b>fed</b> a<b og 5 > 3"
                sagsgang: [ØK]
                afsnit:
                  Sagsfremstilling: "Teksten med {{ ikke en skabelon }} og {% if x %}."
                """
        }
    )
    built, _ = build(root, out=tmp_path / "out")
    doc = Document(str(built[0].path))
    texts = [p.text for p in doc.paragraphs]
    assert "1. Tårnby & Søn <b>fed</b> a<b og 5 > 3" in texts
    assert "Teksten med {{ ikke en skabelon }} og {% if x %}." in texts


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice mangler (make test installerer det)"
)
def test_libreoffice_opens_the_minutes(built_examples: dict[str, Path], tmp_path: Path) -> None:
    source = built_examples["2023-03-02-hu/referat-intern"]
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "referat-intern.pdf"
    assert pdf.is_file(), "LibreOffice kunne ikke åbne referatet"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Hovedudvalget 02-03-2023" in text
    assert "Beslutning i Kommunalbestyrelsen den 13-12-2022" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    assert "Liberation" in fonts.stdout or "Arial" in fonts.stdout
    assert "DejaVu" not in fonts.stdout
