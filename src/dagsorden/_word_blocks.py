"""Word XML for the richer blocks of a text field: links, tables and pictures.

The template decides where each block goes and in which style (`{{r b.runs|rich }}`,
`{{p b|table }}`, `{{r b|picture }}`); these filters only turn the block's plain data into
Word's XML, with the styles the template itself defines ("Tabel", "Tabeltekst", "Hyperlink").
What they need of the document being made (its relationships for links and pictures, the
project folder the pictures lie in) is set for the duration of one rendering by `rendering`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Emu
from docxtpl import RichText
from lxml import etree
from markupsafe import Markup

from ._sandbox import Refused

__all__ = ["CELL_STYLE", "LINK_STYLE", "TABLE_STYLE", "picture", "rendering", "rich", "table"]

TABLE_STYLE = "Tabel"  # the table style a template gives Markdown tables
CELL_STYLE = "Tabeltekst"  # the paragraph style of their cells
LINK_STYLE = "Hyperlink"  # the character style of links
_FULL_WIDTH = 9026  # twips of an A4 page with 2.5 cm margins, when the template says nothing


@dataclass
class _Rendering:
    template: Any  # the docxtpl template being filled in
    root: Path | None  # the project folder; None for tjek's sample (no picture files)
    pictures: int = 0
    styles: dict[str, str | None] = field(default_factory=dict)

    def style_id(self, name: str, kind: str) -> str | None:
        """The id of the template's style called `name`, if it has one of that kind."""
        if name not in self.styles:
            found = None
            for style in self.template.docx.styles.element.iterchildren(qn("w:style")):
                named = style.find(qn("w:name"))
                if (
                    style.get(qn("w:type")) == kind
                    and named is not None
                    and named.get(qn("w:val")) == name
                ):
                    found = style.get(qn("w:styleId"))
            self.styles[name] = found
        return self.styles[name]


_CURRENT: ContextVar[_Rendering | None] = ContextVar("word_blocks", default=None)


@contextmanager
def rendering(template: Any, root: Path | None) -> Iterator[None]:
    """What the filters need while `template` is filled in."""
    token = _CURRENT.set(_Rendering(template, root))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def _current() -> _Rendering:
    state = _CURRENT.get()
    if state is None:  # only a caller outside `fill` could get here
        raise Refused("tabeller, billeder og links kan kun vises i et dokument, der laves")
    return state


def rich(runs: Any) -> RichText:
    """`{{r b.runs|rich }}`: a block's runs as Word runs, bold, italic and links kept."""
    text = RichText()
    try:
        for run in runs:
            link = run.get("link") if isinstance(run, dict) else None
            text.add(
                run["text"],
                bold=run["bold"] or None,
                italic=run["italic"] or None,
                **(_link(str(link)) if link else {}),
            )
    except (TypeError, KeyError, AttributeError) as exc:
        raise Refused("'rich' skal have et afsnits tekststykker, fx {{r b.runs|rich }}") from exc
    return text


def _link(target: str) -> dict[str, Any]:
    state = _current()
    url_id = state.template.build_url_id(target)
    style = state.style_id(LINK_STYLE, "character")
    # Without the template's style a link is still blue and underlined, as readers expect.
    return {"url_id": url_id, "style": style} if style else {"url_id": url_id, **_LINK_LOOK}


_LINK_LOOK = {"color": "0563C1", "underline": True}


def table(block: Any, style: str = TABLE_STYLE) -> Markup:
    """`{{p b|table }}`: a table block as a Word table in the template's table style (another
    with `b|table("Min tabel")`), the first row a header row repeated on every page."""
    state = _current()
    try:
        rows = [[cell["runs"] for cell in row] for row in block["rows"]]
        align = [str(a) for a in block.get("align", [])]
    except (TypeError, KeyError, AttributeError) as exc:
        raise Refused("'table' skal have en tabel, fx {{p b|table }}") from exc
    style_id = state.style_id(style, "table")
    if style_id is None and style != TABLE_STYLE:
        raise Refused(f"skabelonen har ingen tabeltypografi med navnet '{style}'")
    cell_style = state.style_id(CELL_STYLE, "paragraph")
    columns = max((len(row) for row in rows), default=0)
    widths = _widths(rows, columns, _text_width(state.template))
    look = (
        f'<w:tblStyle w:val="{style_id}"/>'
        if style_id
        else '<w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/>'
        '<w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/>'
        '<w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders>'
    )
    xml = [
        f"<w:tbl><w:tblPr>{look}" if style_id else "<w:tbl><w:tblPr>",
        "" if style_id else look,
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>',
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0"'
        ' w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for number, row in enumerate(rows):
        header = "<w:tblHeader/>" if number == 0 else ""
        xml.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        for column in range(columns):
            runs = row[column] if column < len(row) else []
            where = align[column] if column < len(align) else ""
            xml.append(_cell(runs, widths[column], where, cell_style, bold=number == 0))
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    return Markup("".join(xml))


def _cell(runs: Any, width: int, align: str, style: str | None, *, bold: bool) -> str:
    jc = {"center": "center", "right": "right"}.get(align, "")
    properties = (f'<w:pStyle w:val="{style}"/>' if style else "") + (
        f'<w:jc w:val="{jc}"/>' if jc else ""
    )
    if bold and not style:  # a table style makes its header row bold; without one, the runs
        runs = [{**r, "bold": True} for r in runs]
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f"<w:p><w:pPr>{properties}</w:pPr>{rich(runs).xml}</w:p></w:tc>"
    )


def _widths(rows: list[list[Any]], columns: int, total: int) -> list[int]:
    """Column widths in twips, shared out by each column's longest text (within limits, so
    a short column stays readable and a long one wraps)."""
    if columns == 0:
        return []
    longest = [4] * columns
    for row in rows:
        for i, runs in enumerate(row[:columns]):
            length = sum(len(str(r.get("text", ""))) for r in runs if isinstance(r, dict))
            longest[i] = max(longest[i], min(length, 40))
    share = sum(longest)
    return [total * n // share for n in longest]


def _text_width(template: Any) -> int:
    """The width between the margins of the template's last section, in twips."""
    sections = template.docx.sections
    if not sections:
        return _FULL_WIDTH
    last = sections[-1]
    if last.page_width is None or last.left_margin is None or last.right_margin is None:
        return _FULL_WIDTH
    return int((last.page_width - last.left_margin - last.right_margin) / 635)


def picture(block: Any) -> Markup:
    """`{{r b|picture }}`: a picture block as an inline picture with its alt text, as wide as
    it is, at most the width between the margins."""
    state = _current()
    try:
        name, alt = str(block["file"]), str(block["alt"])
    except (TypeError, KeyError) as exc:
        raise Refused("'picture' skal have et billede, fx {{r b|picture }}") from exc
    if state.root is None:  # tjek's sample: no file to show, only the place it would take
        return Markup(RichText(alt).xml)
    part = state.template.current_rendering_part or state.template.docx.part
    inline = part.new_pic_inline(str(state.root / name))
    widest = Emu(_text_width(state.template) * 635)
    if inline.extent.cx > widest:
        inline.extent.cy = Emu(inline.extent.cy * widest // inline.extent.cx)
        inline.extent.cx = widest
        pic = inline.graphic.graphicData.pic
        pic.spPr.cx, pic.spPr.cy = inline.extent.cx, inline.extent.cy
    for side in ("distT", "distB", "distL", "distR"):  # LibreOffice's default is 0.32 cm
        inline.set(side, "0")
    state.pictures += 1  # docxtpl numbers the drawings' ids after rendering
    inline.docPr.set("name", f"Billede {state.pictures}")
    inline.docPr.set("descr", alt)
    xml = etree.tostring(inline, encoding="unicode")
    return Markup(f"<w:r><w:drawing>{xml}</w:drawing></w:r>")
