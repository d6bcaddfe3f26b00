"""A bilag page's stamp in the agenda packet: "Bilag 3.1" in small type in the top right corner.

The stamp is drawn over the page as it is, in its top margin: 8 pt Helvetica, its baseline 22
pt below the top edge of the visible page, right-aligned 28 pt from its right edge, so the
letters take up 16 to 24 pt from the top. Measured on the example bilag and on every other PDF
on a Debian machine (docs/pdf.md, "Stamps"), no page had anything printed in the top 49 pt of
its right part. A page turned by /Rotate gets the stamp in the corner the reader sees as top
right, upright. The stamp is marked as a pagination artifact, so a screen reader skips it.
"""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)

__all__ = ["Stamper", "text_width"]

FONT_SIZE = 8.0
TOP = 22.0  # the baseline, below the visible top edge
RIGHT = 28.0  # from the visible right edge to the end of the text
_FONT_NAME = "/DagsordenStempel"
# Helvetica's advance widths (its AFM file), in thousandths of the size, for what a stamp says.
_WIDTHS = {" ": 278, ".": 278, "B": 667, "a": 556, "g": 556, "i": 222, "l": 222}
_DIGIT = 556
_DEFAULT = 556


def text_width(text: str) -> float:
    """The stamp's width in points."""
    return sum(_WIDTHS.get(c, _DIGIT if c.isdigit() else _DEFAULT) for c in text) * FONT_SIZE / 1000


class Stamper:
    """Stamps pages of one writer; the font and the opening `q` are shared by every page."""

    def __init__(self, writer: PdfWriter) -> None:
        self._writer = writer
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
        self._font = writer._add_object(font)
        self._save = writer._add_object(_stream(b"q\n"))

    def stamp(self, first: int, stop: int, text: str) -> None:
        """Stamp `text` on the writer's pages `first` to `stop` (exclusive)."""
        for page in self._writer.pages[first:stop]:
            box = page.cropbox
            left, bottom = float(box.left), float(box.bottom)
            right, top = float(box.right), float(box.top)
            rotation = page.rotation % 360
            wide, high = (right - left, top - bottom)
            if rotation in (90, 270):
                wide, high = high, wide
            u, v = wide - RIGHT - text_width(text), high - TOP  # as the reader sees the page
            matrix = {
                0: (1, 0, 0, 1, left + u, bottom + v),
                90: (0, 1, -1, 0, right - v, bottom + u),
                180: (-1, 0, 0, -1, right - u, top - v),
                270: (0, -1, 1, 0, left + v, top - u),
            }.get(rotation, (1, 0, 0, 1, left + u, bottom + v))
            numbers = " ".join(f"{n:.2f}".rstrip("0").rstrip(".") for n in matrix)
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            content = (
                "Q q /Artifact <</Type /Pagination /Subtype /Header>> BDC "
                f"BT {_FONT_NAME} {FONT_SIZE:g} Tf 0.2 g {numbers} Tm ({escaped}) Tj ET EMC Q\n"
            )
            stamp = self._writer._add_object(_stream(content.encode("cp1252")))
            resources = page.get("/Resources")
            resources = DictionaryObject(resources.get_object() if resources is not None else {})
            fonts = resources.get("/Font")
            fonts = DictionaryObject(fonts.get_object() if fonts is not None else {})
            fonts[NameObject(_FONT_NAME)] = self._font
            resources[NameObject("/Font")] = fonts
            page[NameObject("/Resources")] = resources
            contents = page.get("/Contents")
            parts: list[IndirectObject] = []
            if contents is not None:
                resolved = contents.get_object()
                if isinstance(resolved, ArrayObject):
                    parts.extend(resolved)
                elif isinstance(contents, IndirectObject):
                    parts.append(contents)
                else:  # a direct stream (not allowed, but seen): made an object of its own
                    parts.append(self._writer._add_object(resolved))
            page[NameObject("/Contents")] = ArrayObject([self._save, *parts, stamp])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
