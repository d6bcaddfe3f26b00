"""A readable text dump of a .docx: one line per paragraph with its style, header and footer too.

Golden files compare these dumps, never .docx bytes (zip timestamps differ between runs).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn


def _paragraph_text(p: object) -> str:
    parts = []
    for el in p.iter():  # type: ignore[attr-defined]
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:tab"):
            parts.append("\t")
        elif el.tag == qn("w:br"):
            parts.append("\\n")
        elif el.tag == qn("w:instrText"):
            parts.append("{" + (el.text or "").strip() + "}")
        elif el.tag == qn("w:drawing"):
            parts.append("<billede>")
    return "".join(parts)


def _style_names(doc: object) -> dict[str, str]:
    return {s.style_id: s.name for s in doc.styles}  # type: ignore[attr-defined]


def _lines(element: object, names: dict[str, str]) -> list[str]:
    out = []
    for p in element.iter(qn("w:p")):  # type: ignore[attr-defined]
        ppr = p.find(qn("w:pPr"))
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style = names.get(style_el.get(qn("w:val")), "?") if style_el is not None else "Normal"
        text = _paragraph_text(p)
        num = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num is not None:
            style += f"#{num.find(qn('w:numId')).get(qn('w:val'))}"
        if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
            text += " <sektionsskift>"
        out.append(f"[{style}] {text}")
    return out


def dump(path: Path) -> str:
    """The document as text: body paragraphs, then every header and footer."""
    doc = Document(str(path))
    names = _style_names(doc)
    lines = _lines(doc.element.body, names)
    for i, section in enumerate(doc.sections, start=1):
        for kind, part in (("sidehoved", section.header), ("sidefod", section.footer)):
            if part.is_linked_to_previous:
                continue
            for line in _lines(part._element, names):
                lines.append(f"{kind} {i}: {line}")
    return "\n".join(lines) + "\n"
