"""The agenda packet: one PDF per meeting and edition, the agenda first, then every bilag.

The agenda PDF goes in whole and first, so its contents links keep working; each bilag follows
in item order (PDF as is, office files through the same converter), with an outline of items
and, under each, its bilag, page labels a reader can navigate by (the agenda's own, then
"Bilag 3.2: 1"), a stamp on each bilag page that names it ("Bilag 3.2", `_stamp`), and the
agenda's language and title. pypdf does not merge PDF tags, so the packet is a reading copy;
the tagged agenda PDF stays the accessible, archival document (DESIGN §6).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

from ._bilag_files import silence_pypdf
from ._stamp import Stamper
from .context import History, shown_attachments
from .errors import DagsordenError, cannot_write
from .model import Access, Meeting, Project
from .records import item_key

__all__ = ["PacketError", "PacketItem", "Supplement", "build_packet", "packet_items"]

silence_pypdf()  # pypdf's English log lines never reach the user

LANGUAGE = "da-DK"


class PacketError(DagsordenError):
    """The packet could not be made; nothing was written."""


class _Converter(Protocol):
    def convert(
        self, docx: Path, pdf: Path, *, timeout: float = ..., shown_name: str | None = ...
    ) -> Any: ...


@dataclass(frozen=True)
class Supplement:
    """The tillægsdagsorden in a packet: its PDF, its item bookmarks (heading, 1-based page),
    and its items that bring bilag of their own."""

    pdf: Path
    outline: list[tuple[str, int]]
    items: list[PacketItem]


@dataclass(frozen=True)
class PacketItem:
    """An agenda item as the packet shows it: its heading, and its bilag that have a file."""

    number: int
    heading: str
    attachments: tuple[tuple[int, str, Path], ...]  # (bilag number, title, file)


def packet_items(
    project: Project,
    meeting: Meeting,
    headings: list[str],
    history: History,
    *,
    public: bool,
    keys: list[str] | None = None,
    numbers: list[int] | None = None,
) -> list[PacketItem]:
    """The items of an agenda with the bilag the edition may show; `headings` from its
    context, `keys` the items' identities in that agenda (records.item_key) when it is not
    the meeting's items as they are now (a sent agenda, frozen).

    The public packet holds only open bilag of open items; an item withdrawn since the agenda
    was sent has none.
    """
    now = {item_key(i): i for i in meeting.items}
    order = keys if keys is not None else list(now)
    items = []
    positions = numbers if numbers is not None else range(1, len(order) + 1)
    for number, key, heading in zip(positions, order, headings, strict=False):
        item = now.get(key)
        if item is None:
            items.append(PacketItem(number, heading, ()))
            continue
        case = project.cases.get(item.case.name) if item.case is not None else None
        files: list[tuple[int, str, Path]] = []
        if case is not None and not (public and project.item_access(item) is Access.CLOSED):
            for shown in shown_attachments(case, meeting, history, public=public):
                if shown.attachment.file is not None:
                    path = project.root / shown.attachment.file.name
                    files.append((shown.number, shown.attachment.title, path))
        items.append(PacketItem(number, heading, tuple(files)))
    return items


def build_packet(
    agenda_pdf: Path,
    agenda_outline: Iterable[tuple[str, int]],
    items: list[PacketItem],
    output: Path,
    *,
    title: str,
    converter: _Converter,
    timeout: float = 120.0,
    on_done: Callable[[str], None] | None = None,
    supplement: Supplement | None = None,
    scratch: Path | None = None,
    root: Path | None = None,
) -> int:
    """Write the packet to `output` (replaced only when whole); return its page count.

    `agenda_outline` gives each item heading's 1-based page in the agenda PDF, as the
    converter read it from the PDF's bookmarks. A `supplement` (the tillægsdagsorden) follows
    the agenda, and the bilag of its items follow the agenda's. Converted bilag are made in
    `scratch` (a build's own folder, so a killed build's are found and removed; default: a
    new folder in the system's temporary folder), and named in errors relative to `root`.
    """
    pages_of = dict(agenda_outline)
    with ExitStack() as stack:
        if scratch is None:
            scratch = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="dagsorden-pakke-"))
            )
        else:
            scratch.mkdir(parents=True, exist_ok=True)
            stack.callback(shutil.rmtree, scratch, ignore_errors=True)
        pdfs = _bilag_pdfs(items, scratch, converter, timeout, on_done, root)
        writer = PdfWriter()
        agenda = PdfReader(str(agenda_pdf))
        writer.append(agenda, import_outline=False)
        _agenda_labels(writer, agenda)
        stamper = Stamper(writer)
        writer.add_outline_item(title="Forside og indholdsfortegnelse", page_number=0)
        groups = [(items, pages_of, pdfs)]
        if supplement is not None:
            start = len(writer.pages)
            writer.append(str(supplement.pdf), import_outline=False)
            writer.set_page_label(
                start, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, prefix="Tillæg: "
            )
            writer.add_outline_item(title="Tillægsdagsorden", page_number=start)
            extra = scratch / "tillaeg"
            extra.mkdir()
            groups.append(
                (
                    supplement.items,
                    {h: start + p for h, p in supplement.outline},
                    _bilag_pdfs(supplement.items, extra, converter, timeout, on_done, root),
                )
            )
        for group, bookmarks, files in groups:
            for item in group:
                _add_item(writer, stamper, item, bookmarks.get(item.heading), files, root)
                if on_done is not None:
                    on_done(item.heading)
        for heading, page in pages_of.items():  # Bilagsoversigt, after the items
            if heading not in {item.heading for item in items}:
                writer.add_outline_item(title=heading, page_number=page - 1)
        writer.page_mode = "/UseOutlines"
        writer.add_metadata({"/Title": title, "/Producer": "dagsorden"})
        _language_and_title(writer, agenda)
        pages = len(writer.pages)
        _write(writer, output)
    return pages


def _agenda_labels(writer: PdfWriter, agenda: PdfReader) -> None:
    """The agenda's own page labels (its printed numbers, `pdf.page_labels`), else 1, 2, …"""
    labels = agenda.root_object.get("/PageLabels")
    if labels is None:
        writer.set_page_label(0, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1)
        return
    writer._root_object[NameObject("/PageLabels")] = labels.get_object().clone(writer)


def _language_and_title(writer: PdfWriter, agenda: PdfReader) -> None:
    """The agenda's language (da-DK) for the whole packet, and its title in the window."""
    language = agenda.root_object.get("/Lang")
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject(str(language) if language else LANGUAGE)
    preferences = root.get("/ViewerPreferences")
    preferences = DictionaryObject(preferences.get_object() if preferences is not None else {})
    preferences[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    root[NameObject("/ViewerPreferences")] = preferences


def _add_item(
    writer: PdfWriter,
    stamper: Stamper,
    item: PacketItem,
    page: int | None,
    pdfs: dict[tuple[int, int], Path],
    root: Path | None,
) -> None:
    """An item's bookmark (at its 1-based `page`, when its document has one) and its bilag."""
    parent = (
        writer.add_outline_item(title=item.heading, page_number=page - 1)
        if page is not None
        else None
    )
    for number, bilag_title, source in item.attachments:
        start = len(writer.pages)
        pdf = pdfs[(item.number, number)]
        try:
            writer.append(str(pdf), import_outline=False)
        except Exception as exc:  # pypdf raises many kinds on a damaged file; `tjek` reads
            # every bilag strictly first, so this is a file changed since, or pypdf's limit
            raise PacketError(
                f"{_shown(source, root)}: fejl: bilaget kan ikke lægges i bilagspakken;"
                " PDF'en er beskadiget"
            ) from exc
        label = f"Bilag {item.number}.{number}"
        stamper.stamp(start, len(writer.pages), label)
        writer.set_page_label(
            start, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, prefix=f"{label}: "
        )
        writer.add_outline_item(title=f"{label}: {bilag_title}", page_number=start, parent=parent)


def _bilag_pdfs(
    items: list[PacketItem],
    scratch: Path,
    converter: _Converter,
    timeout: float,
    on_done: Callable[[str], None] | None,
    root: Path | None,
) -> dict[tuple[int, int], Path]:
    """Every bilag as a PDF: a PDF file as it is, an office file converted into `scratch`."""
    pdfs: dict[tuple[int, int], Path] = {}
    for item in items:
        for number, _, path in item.attachments:
            if path.suffix.lower() == ".pdf":
                pdfs[(item.number, number)] = path
                continue
            target = scratch / f"{item.number}-{number}.pdf"
            converter.convert(path, target, timeout=timeout, shown_name=_shown(path, root))
            pdfs[(item.number, number)] = target
            if on_done is not None:
                on_done(path.name)
    return pdfs


def _shown(path: Path, root: Path | None) -> str:
    """A bilag file as the secretary names it: relative to the project."""
    return path.relative_to(root).as_posix() if root and path.is_relative_to(root) else str(path)


def _write(writer: PdfWriter, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            writer.write(handle)
        os.chmod(tmp, 0o644)
        os.replace(tmp, output)
    except OSError as exc:
        raise PacketError(cannot_write(output, exc)) from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
