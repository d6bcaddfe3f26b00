"""Make the example municipality's bilag files: real documents, made here, never downloaded.

Every bilag of every example case gets a small document with its title and a few paragraphs.
Most become PDF through dagsorden's own converter; a few stay office files so the agenda
packet has conversions to do. Run again after adding a bilag to an example case:

    .venv/bin/python scripts/make_example_bilag.py

It writes bilag/<sagsnr>-<n>.<type> and prints the `fil:` line each bilag should have.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Pt

from dagsorden.build import check
from dagsorden.pdf import Converter

ROOT = Path(__file__).resolve().parent.parent
# These stay office files (by case and bilag number), so the packet converts something.
KEEP_AS_WORD = {("22/2217", 2), ("22/7315", 2)}

PARAGRAPHS = [
    "Dette bilag er et eksempel, lavet til eksempelkommunen i dagsorden. Det står i stedet for "
    "det rigtige dokument fra sagsbehandlingssystemet.",
    "Bilaget hører til sag {case} ({title}) og har dokumentnummer {doc_number}.",
    "Indholdet er kort, så bilagspakken forbliver lille; et rigtigt bilag kan fylde mange "
    "sider, og pakken samler dem alle efter dagsordenen.",
]


def _document(title: str, case: str, case_title: str, doc_number: str) -> WordDocument:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    for name in ("Title", "Heading 1"):
        doc.styles[name].font.name = "Arial"
    doc.core_properties.title = title
    doc.core_properties.author = ""
    doc.add_paragraph(title, style="Title")
    for text in PARAGRAPHS:
        doc.add_paragraph(text.format(case=case, title=case_title, doc_number=doc_number))
    doc.add_paragraph("Norddjurs Kommune (eksempel)")
    return doc


def main() -> int:
    project, _ = check(ROOT)
    folder = ROOT / "bilag"
    folder.mkdir(exist_ok=True)
    jobs: list[tuple[Path, Path]] = []
    for case in project.cases.values():
        for number, attachment in enumerate(case.attachments, start=1):
            stem = f"{case.number.replace('/', '-')}-{number}"
            docx = folder / f"{stem}.docx"
            doc = _document(attachment.title, case.number, case.title, attachment.doc_number or "")
            doc.save(str(docx))
            if (case.number, number) in KEEP_AS_WORD:
                print(f"{case.number} bilag {number}: fil: bilag/{docx.name}")
            else:
                jobs.append((docx, docx.with_suffix(".pdf")))
                print(f"{case.number} bilag {number}: fil: bilag/{stem}.pdf")
    with Converter() as converter:
        for docx, pdf in jobs:
            converter.convert(docx, pdf)
            docx.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
