"""Same data, same bytes: fixed time stamps in the Word packages and PDFs a build writes.

A document that did not change must not look changed in git or to a checksum. Three things
made two builds of the same data differ: the package's creation time (docProps/core.xml) and
the zip entries' times in a .docx, and in LibreOffice's PDF the creation date (document info
and XMP), the time inside the sRGB colour profile it embeds for PDF/A, and the trailer's /ID
(a hash LibreOffice takes over the time). Here each is replaced by one time that comes from the
data (the meeting's date, at noon UTC, so it is the same date in every time zone) or, when set,
from `SOURCE_DATE_EPOCH` (reproducible-builds.org), and the /ID by a hash of the content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from typing import NamedTuple
from xml.etree import ElementTree

from .errors import DagsordenError

__all__ = [
    "FALLBACK",
    "PageLabel",
    "build_time",
    "document_time",
    "normalise_pdf",
    "normalise_zip",
    "source_date_epoch",
]

# For a document with no date of its own (a bilag converted for the packet): a fixed time.
FALLBACK = dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC)
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest time a zip entry can hold


def source_date_epoch() -> dt.datetime | None:
    """`SOURCE_DATE_EPOCH` as a time, or None when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise DagsordenError(
            "miljøvariablen SOURCE_DATE_EPOCH skal være et helt antal sekunder siden"
            f" 1970-01-01 (den er '{value}')"
        ) from exc


def build_time(day: dt.date | None) -> dt.datetime:
    """The time a document of `day` is stamped with: SOURCE_DATE_EPOCH, else noon UTC that day."""
    fixed = source_date_epoch()
    if fixed is not None:
        return fixed
    if day is None:
        return FALLBACK
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------
# Zip packages (.docx)
# --------------------------------------------------------------------------------------------


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """The package with every entry's time set to `when` (zipfile stamps them with the clock).

    python-docx writes its parts in a fixed order, deflated, with one mode, so the time is
    all that differs: it is set in each local and central header, in place (no second
    compression, well under a millisecond). A package of another shape is written again, entry
    by entry, with the same time, mode and compression.
    """
    stamp = max(when.astimezone(dt.UTC), _ZIP_EPOCH)
    dos_time = (stamp.hour << 11) | (stamp.minute << 5) | (stamp.second // 2)
    dos_date = ((stamp.year - 1980) << 9) | (stamp.month << 5) | stamp.day
    fixed = struct.pack("<HH", dos_time, dos_date)
    patched = _patch_zip_times(data, fixed)
    return patched if patched is not None else _rewrite_zip(data, stamp)


def _patch_zip_times(data: bytes, fixed: bytes) -> bytes | None:
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or len(data) < end + 22:
        return None
    count, _, directory = struct.unpack("<HIIH", data[end + 10 : end + 22])[0:3]
    if count == 0xFFFF or directory == 0xFFFFFFFF:  # zip64: not what python-docx writes
        return None
    out = bytearray(data)
    position = directory
    for _ in range(count):
        if out[position : position + 4] != b"PK\x01\x02":
            return None
        out[position + 12 : position + 16] = fixed
        local = struct.unpack("<I", out[position + 42 : position + 46])[0]
        if out[local : local + 4] != b"PK\x03\x04" or out[local + 6] & 0x08:
            return None  # a data descriptor would carry its own copy of what we change
        out[local + 10 : local + 14] = fixed
        name, extra, comment = struct.unpack("<HHH", out[position + 28 : position + 34])
        position += 46 + name + extra + comment
    return bytes(out)


def _rewrite_zip(data: bytes, stamp: dt.datetime) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            target.writestr(info, source.read(entry), compresslevel=6)
    return out.getvalue()


_CORE = "docProps/core.xml"
_MODIFIED = "{http://purl.org/dc/terms/}modified"


def document_time(path: os.PathLike[str] | str) -> dt.datetime | None:
    """The time an OOXML document says it was last changed (core.xml), or None."""
    try:
        with zipfile.ZipFile(path) as package:
            root = ElementTree.fromstring(package.read(_CORE))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return None
    element = root.find(_MODIFIED)
    if element is None or not element.text:
        return None
    try:
        found = dt.datetime.fromisoformat(element.text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------

_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_OBJECT_START = re.compile(rb"(\d+) (\d+) obj\b")
_INFO_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")
_XMP_DATE = re.compile(
    rb"<xmp:(CreateDate|ModifyDate|MetadataDate)>[^<]*</xmp:(CreateDate|ModifyDate|MetadataDate)>"
)
_DIRECT_LENGTH = re.compile(rb"/Length (\d+)(?![\d ]*R)")
_INDIRECT_LENGTH = re.compile(rb"/Length (\d+) 0 R")
_ID = re.compile(rb"/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]")
_SIZE = re.compile(rb"/Size\s+\d+")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/[0-9A-Fa-f]+\s*")


class PageLabel(NamedTuple):
    """Pages from `first` (0-based) on are labelled `prefix` and, with `style` "D", a number
    counting from `start`; without a style, the prefix alone (PDF 1.7, 12.4.2)."""

    first: int
    style: str | None
    prefix: str
    start: int


def normalise_pdf(data: bytes, when: dt.datetime, labels: Sequence[PageLabel] = ()) -> bytes:
    """LibreOffice's PDF with `when` for its dates and an /ID made from its content, and the
    page `labels` when given (LibreOffice writes none).

    The file is taken apart at its cross-reference table, the objects that hold a time are
    rewritten, and the table is made again for the new offsets. A PDF of another shape (object
    streams, incremental updates) is returned unchanged: it is still a right PDF, only not a
    reproducible one, and a test would notice.
    """
    parsed = _parse(data)
    if parsed is None:
        return data
    header, objects, trailer = parsed
    if labels:
        _add_page_labels(objects, labels)
    info_date = when.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ").encode()
    xmp_date = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    lengths: dict[int, int] = {}
    for number, body in list(objects.items()):
        new = _INFO_DATE.sub(lambda m: b"/" + m.group(1) + b"(" + info_date + b")", body)
        if b"/Metadata" in new and b"<xmp:" in new:
            new = _restream(new, lambda s: _XMP_DATE.sub(lambda m: _xmp(m, xmp_date), s), lengths)
        elif b"/FlateDecode" in new and b"/N 3" in new:
            new = _restream(new, lambda s: _icc(s, when), lengths)
        objects[number] = new
    for number, length in lengths.items():  # a stream's length kept in an object of its own
        if number in objects:
            body = objects[number]
            found = re.search(rb"obj\s*(\d+)\s*endobj", body)
            if found is not None:
                body = body[: found.start(1)] + str(length).encode() + body[found.end(1) :]
            objects[number] = body
    return _assemble(header, objects, trailer)


_CATALOG = re.compile(rb"/Type\s*/Catalog\b")


def _add_page_labels(objects: dict[int, bytes], labels: Sequence[PageLabel]) -> None:
    """A /PageLabels number tree as a new object, named in the catalog (unless it has one)."""
    catalog = next(
        (n for n, body in objects.items() if _CATALOG.search(body.split(b"stream", 1)[0])),
        None,
    )
    if catalog is None or b"/PageLabels" in objects[catalog]:
        return
    body = objects[catalog]
    end = body.rfind(b">>")
    if end < 0:
        return
    number = max(objects) + 1
    nums = b" ".join(b"%d %s" % (label.first, _label(label)) for label in labels)
    objects[catalog] = body[:end] + b"/PageLabels %d 0 R" % number + body[end:]
    objects[number] = b"%d 0 obj\n<</Nums[%s]>>\nendobj\n" % (number, nums)


def _label(label: PageLabel) -> bytes:
    parts = []
    if label.style is not None:
        parts.append(b"/S/" + label.style.encode("ascii"))
        if label.start != 1:
            parts.append(b"/St %d" % label.start)
    if label.prefix:
        parts.append(b"/P" + _text_string(label.prefix))
    return b"<<" + b"".join(parts) + b">>"


def _text_string(text: str) -> bytes:
    """A PDF text string: ASCII as it is, anything else as UTF-16BE with its mark."""
    if text.isascii() and text.isprintable():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _xmp(match: re.Match[bytes], date: bytes) -> bytes:
    return b"<xmp:" + match.group(1) + b">" + date + b"</xmp:" + match.group(1) + b">"


def _icc(stream: bytes, when: dt.datetime) -> bytes:
    """An ICC profile (compressed) with its creation time set to `when`; others unchanged."""
    try:
        profile = bytearray(zlib.decompress(stream))
    except zlib.error:
        return stream
    if len(profile) < 128 or profile[36:40] != b"acsp":
        return stream
    t = when.astimezone(dt.UTC)
    profile[24:36] = b"".join(
        v.to_bytes(2, "big") for v in (t.year, t.month, t.day, t.hour, t.minute, t.second)
    )
    return zlib.compress(bytes(profile), 9)


def _restream(obj: bytes, change: Callable[[bytes], bytes], lengths: dict[int, int]) -> bytes:
    """`obj` with its stream's content changed by `change`, and its /Length made right."""
    start = obj.find(b"stream")
    end = obj.rfind(b"endstream")
    if start < 0 or end < start:
        return obj
    content_start = start + len(b"stream")
    if obj[content_start : content_start + 2] == b"\r\n":
        content_start += 2
    elif obj[content_start : content_start + 1] == b"\n":
        content_start += 1
    dictionary = obj[:start]
    indirect = _INDIRECT_LENGTH.search(dictionary)
    direct = _DIRECT_LENGTH.search(dictionary)
    if indirect is None and direct is None:
        return obj
    old_length = (
        int(direct.group(1)) if direct is not None and indirect is None else end - content_start
    )
    content = obj[content_start : content_start + old_length]
    rest = obj[content_start + old_length :]
    new_content = change(content)
    if new_content == content:
        return obj
    if indirect is not None:
        lengths[int(indirect.group(1))] = len(new_content)
    else:
        assert direct is not None
        dictionary = (
            dictionary[: direct.start(1)]
            + str(len(new_content)).encode()
            + dictionary[direct.end(1) :]
        )
    return dictionary + obj[start:content_start] + new_content + rest


def _parse(data: bytes) -> tuple[bytes, dict[int, bytes], bytes] | None:
    """The header, each object's bytes by number (in file order), and the trailer dictionary."""
    at = data.rfind(b"startxref")
    if at < 0:
        return None
    try:
        xref = int(data[at + len(b"startxref") :].split()[0])
    except (ValueError, IndexError):
        return None
    if not data.startswith(b"xref", xref) or data.count(b"startxref") != 1:
        return None
    trailer_at = data.find(b"trailer", xref)
    if trailer_at < 0:
        return None
    table = data[xref + 4 : trailer_at].split()
    if len(table) < 2 or table[0] != b"0":
        return None  # one subsection from object 0, as LibreOffice writes it
    offsets: dict[int, int] = {}
    for number, entry in enumerate(_XREF_ENTRY.finditer(data, xref, trailer_at)):
        if entry.group(3) == b"n":
            offsets[number] = int(entry.group(1))
    if len(offsets) + 1 != int(table[1]):
        return None
    order = sorted(offsets.items(), key=lambda item: item[1])
    objects: dict[int, bytes] = {}
    for index, (number, offset) in enumerate(order):
        end = order[index + 1][1] if index + 1 < len(order) else xref
        body = data[offset:end]
        found = _OBJECT_START.match(body)
        if found is None or int(found.group(1)) != number:
            return None
        objects[number] = body
    header = data[: order[0][1]] if order else b""
    trailer = data[trailer_at : data.rfind(b"startxref")]
    return header, objects, trailer


def _assemble(header: bytes, objects: dict[int, bytes], trailer: bytes) -> bytes:
    out = bytearray(header)
    offsets: dict[int, int] = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += body
    identity = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper().encode()
    size = max(objects, default=0) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    trailer = _CHECKSUM.sub(b"", trailer)
    trailer = _SIZE.sub(b"/Size %d" % size, trailer)
    trailer = _ID.sub(b"/ID [ <" + identity + b">\n<" + identity + b"> ]", trailer)
    out += trailer + b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
