"""The Word file's Indholdsfortegnelse filled with the page numbers of its PDF.

Word shows a TOC field's last result (its cached text) until the reader updates it; the
template's result is a placeholder. Once LibreOffice has laid the document out for the PDF
(`pdf.PdfInfo.contents`), the field's result is written here as Word itself writes it: one
"toc N" paragraph per entry, each a hyperlink to a hidden `_Toc` bookmark on its heading, with
a PAGEREF field holding the printed page number. The field stays a field, so F9 still updates
it; its "dirty" mark goes, so Word opens the document without asking to update it.

Only document.xml changes, and only in the field and the bookmarks on the headings: the rest
of the package is copied entry by entry, so the template's styles and parts stay ours.
LibreOffice's own Word export was measured and not used: it merged a section, renumbered the
lists and dropped the field's `\\h` switch (docs/decisions.md).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from ._reproducible import FALLBACK, document_time, normalise_zip, source_date_epoch
from .errors import DagsordenError
from .pdf import ContentsEntry

__all__ = ["fill_contents"]

_DOCUMENT = "word/document.xml"
_STYLES = "word/styles.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _q(name: str) -> str:
    return f"{{{_W}}}{name}"


def fill_contents(source: Path, entries: Sequence[ContentsEntry], shown: str) -> bytes | None:
    """The Word file `source` with its table of contents filled with `entries`.

    None when there is nothing to fill: no entries, or no TOC field in the body (a template
    without one). The same file and entries give the same bytes. `shown` names the file in
    the error when it cannot be read (it was just written, so something else changed it).
    """
    if not entries:
        return None
    try:
        with zipfile.ZipFile(source) as package:
            infos = package.infolist()
            parts = {info.filename: package.read(info) for info in infos}
        root = etree.fromstring(parts[_DOCUMENT])
        styles = _toc_styles(parts.get(_STYLES))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise DagsordenError(
            f"{shown}: fejl: Word-filen kan ikke læses, så indholdsfortegnelsen kan ikke udfyldes"
        ) from exc
    if not _fill(root, entries, styles):
        return None
    parts[_DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for info in infos:
            package.writestr(info, parts[info.filename], compress_type=info.compress_type)
    when = source_date_epoch() or document_time(source) or FALLBACK
    return normalise_zip(buffer.getvalue(), when)


def _toc_styles(styles: bytes | None) -> dict[int, str]:
    """The style id of each "toc N" paragraph style the template has ("TOC1" in ours)."""
    found: dict[int, str] = {}
    if styles is None:
        return found
    # Only the styles whose name is "toc N" are parsed: the whole part takes 20 ms.
    for match in _TOC_STYLE.finditer(styles):
        style = etree.fromstring(match.group(0).replace(b"<w:style ", _STYLE_WITH_NAMESPACE, 1))
        name = style.find(_q("name"))
        value = (name.get(_q("val")) or "") if name is not None else ""
        level = value.lower().removeprefix("toc ")
        if value.lower().startswith("toc ") and level.isdigit():
            found[int(level)] = style.get(_q("styleId")) or ""
    return found


_TOC_STYLE = re.compile(rb'<w:style [^>]*>\s*<w:name w:val="(?i:toc) \d+"/>.*?</w:style>', re.S)
_STYLE_WITH_NAMESPACE = f'<w:style xmlns:w="{_W}" '.encode()


def _fill(root: etree._Element, entries: Sequence[ContentsEntry], styles: dict[int, str]) -> bool:
    body = root.find(_q("body"))
    field = _toc_field(body) if body is not None else None
    if body is None or field is None:
        return False
    paragraphs, begin, separate, end = field
    first, last = paragraphs[0], paragraphs[-1]
    if any(p.getparent() is not first.getparent() for p in paragraphs):
        return False  # a field that leaves its content control: not a TOC as Word writes one
    head = _before(begin)  # the field's paragraph may hold text before it, and after it
    tail = list(end.itersiblings())
    instruction = _between(begin, separate)
    mark = begin.find(_q("fldChar"))
    if mark is not None:
        mark.attrib.pop(_q("dirty"), None)
    marks = _bookmark_headings(body, last, entries)
    new = []
    for index, entry in enumerate(entries):
        paragraph = _entry(entry, marks[index], styles)
        if index == 0:
            first_runs = [*head, begin, *instruction, separate]
            for at, run in enumerate(first_runs):
                paragraph.insert(1 + at, run)
        if index == len(entries) - 1:
            paragraph.extend([end, *tail])
        new.append(paragraph)
    for old in paragraphs:  # a section that ends in the field's paragraph still ends there
        section = old.find(f"{_q('pPr')}/{_q('sectPr')}")
        if section is not None:
            new[-1].find(_q("pPr")).append(section)
    parent = first.getparent()
    position = parent.index(first)
    for old in paragraphs:
        old.getparent().remove(old)
    for offset, paragraph in enumerate(new):
        parent.insert(position + offset, paragraph)
    return True


def _toc_field(
    body: etree._Element,
) -> tuple[list[etree._Element], etree._Element, etree._Element, etree._Element] | None:
    """The first TOC field of the body: its paragraphs, and the runs of its begin, separate
    and end marks. Only a field whose marks lie in paragraphs of the body itself or of a
    content control in it (not in a table or a text box)."""
    depth = 0
    begin = separate = None
    paragraphs: list[etree._Element] = []
    # In the body, or in a content control there: Word puts a TOC it inserts in one.
    for paragraph in _body_paragraphs(body):
        for run in paragraph.iterchildren(_q("r")):
            kind = _field_char(run)
            if begin is None:
                if kind == "begin":
                    instruction = _instruction_after(run)
                    if instruction.split()[:1] == ["TOC"]:
                        begin, depth = run, 0
                        paragraphs = [paragraph]
                continue
            if paragraph is not paragraphs[-1]:
                paragraphs.append(paragraph)
            if kind == "begin":
                depth += 1
            elif kind == "separate" and depth == 0:
                separate = run
            elif kind == "end":
                if depth == 0:
                    if separate is None:
                        return None
                    return paragraphs, begin, separate, run
                depth -= 1
        if begin is not None and paragraph is not paragraphs[-1]:
            paragraphs.append(paragraph)
    return None


def _body_paragraphs(body: etree._Element) -> list[etree._Element]:
    outer = (_q("body"), _q("sdtContent"))
    return [p for p in body.iter(_q("p")) if p.getparent().tag in outer]


def _field_char(run: etree._Element) -> str | None:
    char = run.find(_q("fldChar"))
    return char.get(_q("fldCharType")) if char is not None else None


def _instruction_after(begin: etree._Element) -> str:
    """The field's instruction: the instrText of the runs after its begin, up to a mark."""
    text: list[str] = []
    for run in begin.itersiblings(_q("r")):
        if _field_char(run) is not None:
            break
        text.extend(t.text or "" for t in run.iterchildren(_q("instrText")))
    return "".join(text).strip()


def _before(run: etree._Element) -> list[etree._Element]:
    return [child for child in run.itersiblings(preceding=True) if child.tag != _q("pPr")][::-1]


def _between(start: etree._Element, stop: etree._Element) -> list[etree._Element]:
    found: list[etree._Element] = []
    for sibling in start.itersiblings():
        if sibling is stop:
            return found
        found.append(sibling)
    return found


def _has_text(paragraph: etree._Element, text: str) -> bool:
    """Whether the paragraph's text is `text`; its first piece tells most paragraphs apart."""
    first = next(paragraph.iter(_q("t")), None)
    start = (first.text or "").lstrip() if first is not None else ""
    if not start or not text.startswith(start[:20]):
        return False
    return "".join(paragraph.itertext(_q("t"))).strip() == text


def _bookmark_headings(
    body: etree._Element, after: etree._Element, entries: Sequence[ContentsEntry]
) -> list[str | None]:
    """Put a `_Toc` bookmark on the heading of each entry (the next paragraph after the
    previous one with the entry's text); its name, or None for an entry not found."""
    names = {b.get(_q("name")) for b in body.iter(_q("bookmarkStart"))}
    ids = [int(b.get(_q("id")) or 0) for b in body.iter(_q("bookmarkStart"))]
    next_id = max(ids, default=0) + 1
    every = list(body.iter(_q("p")))
    paragraphs = every[every.index(after) + 1 :]
    position = 0
    marks: list[str | None] = []
    for number, entry in enumerate(entries, 1):
        found = next(
            (i for i in range(position, len(paragraphs)) if _has_text(paragraphs[i], entry.text)),
            None,
        )
        if found is None:
            marks.append(None)
            continue
        position = found + 1
        heading = paragraphs[found]
        own = next(
            (b.get(_q("name")) for b in heading.iterchildren(_q("bookmarkStart"))
             if (b.get(_q("name")) or "").startswith("_Toc")),
            None,
        )  # fmt: skip
        if own is not None:  # filled before (a PDF made again): the same bookmark again
            marks.append(own)
            continue
        name = f"_Toc{number:09d}"
        while name in names:
            name += "0"
        names.add(name)
        start = etree.Element(_q("bookmarkStart"), {_q("id"): str(next_id), _q("name"): name})
        properties = heading.find(_q("pPr"))
        heading.insert(1 if properties is not None and heading.index(properties) == 0 else 0, start)
        heading.append(etree.Element(_q("bookmarkEnd"), {_q("id"): str(next_id)}))
        next_id += 1
        marks.append(name)
    return marks


def _entry(entry: ContentsEntry, mark: str | None, styles: dict[int, str]) -> etree._Element:
    """One entry as Word writes it: text, tab, PAGEREF with the page, in a link to `mark`."""
    paragraph = etree.Element(_q("p"))
    properties = etree.SubElement(paragraph, _q("pPr"))
    etree.SubElement(
        properties, _q("pStyle"), {_q("val"): styles.get(entry.level, f"TOC{entry.level}")}
    )
    container = paragraph
    if mark is not None:
        container = etree.SubElement(
            paragraph, _q("hyperlink"), {_q("anchor"): mark, _q("history"): "1"}
        )
    _run(container, text=entry.text)
    _run(container, tab=True)
    if mark is None:
        _run(container, text=entry.page)
        return paragraph
    _run(container, char="begin")
    _run(container, instruction=f" PAGEREF {mark} \\h ")
    _run(container, char="separate")
    _run(container, text=entry.page)
    _run(container, char="end")
    return paragraph


def _run(
    parent: etree._Element,
    *,
    text: str | None = None,
    tab: bool = False,
    char: str | None = None,
    instruction: str | None = None,
) -> None:
    run = etree.SubElement(parent, _q("r"))
    if text is not None:
        element = etree.SubElement(run, _q("t"))
        element.text = text
        if text != text.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    elif tab:
        etree.SubElement(run, _q("tab"))
    elif char is not None:
        etree.SubElement(run, _q("fldChar"), {_q("fldCharType"): char})
    elif instruction is not None:
        element = etree.SubElement(run, _q("instrText"))
        element.text = instruction
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
