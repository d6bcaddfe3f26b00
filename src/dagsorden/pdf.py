"""Office documents to PDF through headless LibreOffice, with a Word document's contents filled in.

A plain `soffice --convert-to pdf` leaves Word's table of contents empty and exits 0 when it
fails. A Converter therefore drives one LibreOffice over UNO: load hidden, with the import
filter of the file's type forced, update every index of a text document (so the
Indholdsfortegnelse gets its page numbers and links), export tagged PDF/A-2b with the PDF/UA
flag and a bookmark per heading, then read the file back before it replaces anything.

Text documents (.docx .doc .odt .rtf) go through Writer, spreadsheets (.xlsx .xls .ods) through
Calc and presentations (.pptx .ppt .odp) through Impress; each is a Debian package of its own.

The project's Python cannot import `uno`, so a small worker (`_uno_worker.py`, run by Debian's
python3 with python3-uno) talks to soffice for us in JSON lines (`_libreoffice` runs the two).
A Converter owns both processes and a profile of its own (parallel LibreOffices on one profile
silently lose work); it starts them once and serves every document of a build, and kills and
restarts them after a timeout or a crash. A ConverterPool holds two (or more) of them, each
with its own LibreOffice and profile, and converts a list of documents on all at once: the
machine's cores, not one LibreOffice, set the pace of a whole archive.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import uuid
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject

from . import _libreoffice
from ._bilag_files import silence_pypdf
from ._reproducible import FALLBACK, PageLabel, document_time, normalise_pdf, source_date_epoch
from .errors import DagsordenError, cannot_write

__all__ = [
    "DEFAULT_TIMEOUT",
    "FILE_TYPES",
    "ContentsEntry",
    "ConversionTimeout",
    "Converter",
    "ConverterPool",
    "LibreOfficeMissing",
    "OutlineEntry",
    "PdfError",
    "PdfInfo",
    "convert_documents",
    "default_profile_cache",
    "default_workers",
    "read_pdf",
]

silence_pypdf()  # pypdf's English log lines never reach the user

DEFAULT_TIMEOUT = 120.0
"""Seconds one document may take; a 300-item agenda takes about 3 s warm."""

START_TIMEOUT = 60.0
UNO_PYTHON = Path("/usr/bin/python3")

MISSING_LIBREOFFICE = (
    "LibreOffice mangler: installer pakken libreoffice-writer-nogui (make installerer den)"
)
MISSING_UNO = (
    "LibreOffices Python-forbindelse mangler: installer pakken python3-uno (make installerer den)"
)


@dataclass(frozen=True)
class _Application:
    """A LibreOffice application: its PDF export, its Debian package, what it reads."""

    export: str
    package: str
    name: str  # in "LibreOffice mangler Calc til regneark"
    reads: str
    indexes: bool  # update the document's indexes (the Indholdsfortegnelse) before the export


_WRITER = _Application(
    "writer_pdf_Export", "libreoffice-writer-nogui", "Writer", "tekstdokumenter", True
)
_CALC = _Application("calc_pdf_Export", "libreoffice-calc-nogui", "Calc", "regneark", False)
_IMPRESS = _Application(
    "impress_pdf_Export", "libreoffice-impress-nogui", "Impress", "præsentationer", False
)


@dataclass(frozen=True)
class _FileType:
    """How a file type is loaded: its forced import filter, and what it is called in Danish."""

    filter: str
    application: _Application
    described: str  # in "… den er beskadiget eller ikke et regneark (.xlsx)"


# Filter names as LibreOffice 7.4 has them (FilterFactory); each was tried on a real file.
_FILE_TYPES = {
    ".docx": _FileType("MS Word 2007 XML", _WRITER, "et Word-dokument"),
    ".doc": _FileType("MS Word 97", _WRITER, "et Word-dokument"),
    ".odt": _FileType("writer8", _WRITER, "et tekstdokument"),
    ".rtf": _FileType("Rich Text Format", _WRITER, "et RTF-dokument"),
    ".xlsx": _FileType("Calc MS Excel 2007 XML", _CALC, "et regneark"),
    ".xls": _FileType("MS Excel 97", _CALC, "et regneark"),
    ".ods": _FileType("calc8", _CALC, "et regneark"),
    ".pptx": _FileType("Impress MS PowerPoint 2007 XML", _IMPRESS, "en præsentation"),
    ".ppt": _FileType("MS PowerPoint 97", _IMPRESS, "en præsentation"),
    ".odp": _FileType("impress8", _IMPRESS, "en præsentation"),
}
FILE_TYPES = tuple(_FILE_TYPES)
"""The extensions `Converter.convert` takes, in either case."""


class PdfError(DagsordenError):
    """A document could not be made into a PDF; any earlier PDF at the target is untouched."""


class LibreOfficeMissing(PdfError):
    """LibreOffice (or its Calc or Impress), or Debian's python3 with python3-uno, is missing."""


class ConversionTimeout(PdfError):
    """LibreOffice did not finish a document in time; it has been stopped."""


@dataclass(frozen=True)
class OutlineEntry:
    """A top-level bookmark: an item's heading (or Bilagsoversigt) and its 1-based PDF page."""

    title: str
    page: int


@dataclass(frozen=True)
class ContentsEntry:
    """An entry of the Indholdsfortegnelse as LibreOffice laid it out: its level (1 for an
    item), its text, and the page number printed beside it (as printed: "3")."""

    level: int
    text: str
    page: str


@dataclass(frozen=True)
class PdfInfo:
    """A PDF as checked after writing: where it is, its pages, title and item bookmarks, and
    for a text document the table of contents as filled for the PDF (for the Word file)."""

    path: Path
    pages: int
    title: str
    outline: tuple[OutlineEntry, ...]
    contents: tuple[ContentsEntry, ...] = ()


def default_profile_cache() -> Path:
    """Where a clean LibreOffice profile is kept to copy from: a fresh profile costs 0.1 s."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory: a cache that lasts as long as /tmp does
            base = tempfile.gettempdir()
    return Path(base) / "dagsorden"


class Converter:
    """One headless LibreOffice with its own profile, started once and reused for every document.

    Use it as a context manager; leaving the block stops LibreOffice. Calls are serialised, so
    threads may share one converter; parallel work needs one converter per thread.

    `soffice` and `python` name the programs (default: soffice on PATH, Debian's python3).
    Each start copies a clean profile kept in `profile_cache` (default: the user's cache
    folder), made by the first converter that ends normally.
    """

    def __init__(
        self,
        *,
        soffice: str | Path | None = None,
        python: str | Path = UNO_PYTHON,
        start_timeout: float = START_TIMEOUT,
        profile_cache: Path | None = None,
    ) -> None:
        self._soffice = _find_soffice(soffice)
        self._python = Path(python)
        if not _is_executable(self._python):
            raise LibreOfficeMissing(MISSING_UNO)
        self._start_timeout = start_timeout
        cache = default_profile_cache() if profile_cache is None else profile_cache
        self._seed = _libreoffice.seed_path(cache, self._soffice)
        self._lock = threading.Lock()
        self._office: _libreoffice.Office | None = None
        # The processes die with the converter even if close() is never reached.
        self._holder = _Holder()
        weakref.finalize(self, self._holder.stop)

    def __enter__(self) -> Converter:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start LibreOffice now rather than at the first document."""
        with self._lock:
            self._running()

    def close(self) -> None:
        """Stop LibreOffice and remove its profile. The converter may be started again."""
        with self._lock:
            office, self._office = self._office, None
            self._holder.office = None
            if office is not None:
                if not office.seeded and office.alive() and not self._seed.exists():
                    office.save_profile(self._seed)
                office.stop()

    def convert(
        self,
        docx: Path,
        pdf: Path,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        shown_name: str | None = None,
    ) -> PdfInfo:
        """Make `pdf` from `docx`, contents updated; `pdf` is replaced only by a checked PDF.

        `docx` may be any of FILE_TYPES (the name is kept for callers that pass it by keyword);
        its extension chooses the filters, and content of another type is an error.
        `shown_name` names the document in error messages (default: the path as given).
        """
        temporary = _temporary_beside(pdf)
        try:
            info = self._convert_into(docx, temporary, timeout, shown_name or str(docx))
            _replace(temporary, pdf)
        finally:
            temporary.unlink(missing_ok=True)
        return replace(info, path=pdf)

    def _convert_into(self, document: Path, temporary: Path, timeout: float, shown: str) -> PdfInfo:
        suffix = document.suffix.lower()
        kind = _FILE_TYPES.get(suffix)
        if kind is None:
            what = f"filtypen {suffix}" if suffix else "en fil uden filtype"
            raise PdfError(
                f"{shown}: fejl: LibreOffice kan ikke lave PDF af {what} "
                f"(kendte: {', '.join(FILE_TYPES)})"
            )
        if not document.is_file():
            raise PdfError(f"{shown}: fejl: filen findes ikke")
        request = {
            "document": str(document.resolve()),
            "pdf": str(temporary.resolve()),
            "import": kind.filter,
            "export": kind.application.export,
            "indexes": kind.application.indexes,
        }
        with self._lock:
            reply = self._request(request, timeout, shown)
        if not reply.get("ok"):
            application = kind.application
            if reply.get("stage") == "missing":
                raise LibreOfficeMissing(
                    f"{shown}: fejl: LibreOffice mangler {application.name} til "
                    f"{application.reads}: installer pakken {application.package} "
                    "(make installerer den)"
                )
            if reply.get("stage") == "load":
                raise PdfError(
                    f"{shown}: fejl: LibreOffice kan ikke åbne filen; den er beskadiget "
                    f"eller ikke {kind.described} ({suffix})"
                )
            # LibreOffice's own words are English: kept for --debug, not shown.
            raise PdfError(
                f"{shown}: fejl: LibreOffice kunne ikke lave PDF'en af filen"
            ) from _LibreOfficeSaid(str(reply.get("detail", "")))
        info, reader = _read(temporary, shown)
        contents = tuple(
            ContentsEntry(int(level), str(text), str(page))
            for level, text, page in reply.get("contents") or ()
        )
        labels = page_labels(info.pages, info.outline, contents, _linking_pages(reader, info))
        _make_reproducible(temporary, document, labels)
        return replace(info, contents=contents)

    def _request(
        self, request: dict[str, Any], timeout: float, shown: str, *, again: bool = True
    ) -> dict[str, Any]:
        office = self._running()
        try:
            return office.request(request, timeout)
        except _libreoffice.Timeout as exc:
            self._kill()  # a hung LibreOffice is not asked again: it would only hang again
            raise ConversionTimeout(
                f"{shown}: fejl: LibreOffice blev ikke færdig med PDF'en inden for "
                f"{timeout:g} sekunder og er stoppet"
            ) from exc
        except _libreoffice.Died:
            log = office.log_tail()
            self._kill()
            if again:  # it died between documents, or on this one: a new one tries once more
                return self._request(request, timeout, shown, again=False)
            raise PdfError(
                f"{shown}: fejl: LibreOffice stoppede uventet to gange under konverteringen"
            ) from _LibreOfficeSaid(log)

    def _running(self) -> _libreoffice.Office:
        if self._office is None or not self._office.alive():
            self._kill()
            try:
                self._office = _libreoffice.Office.start(
                    self._soffice, self._python, self._start_timeout, self._seed
                )
            except _libreoffice.Missing as exc:
                missing = MISSING_UNO if exc.what == "uno" else MISSING_LIBREOFFICE
                raise LibreOfficeMissing(missing) from exc
            except _libreoffice.StartFailed as exc:
                raise PdfError("LibreOffice kunne ikke startes") from exc
            self._holder.office = self._office
        return self._office

    def _kill(self) -> None:
        office, self._office = self._office, None
        self._holder.office = None
        if office is not None:
            office.stop()


class _LibreOfficeSaid(Exception):
    """What LibreOffice or its log said (English): the cause behind a Danish error, shown only
    by --debug."""


class _Holder:
    """What the converter's finalizer may stop, without keeping the converter alive."""

    office: _libreoffice.Office | None = None

    def stop(self) -> None:
        if self.office is not None:
            self.office.stop()
            self.office = None


def default_workers() -> int:
    """LibreOffices to run side by side: one per core this process may use, at most two.

    Each takes one core while it lays a document out and about 200 MB; a third on two cores
    only queues.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


class ConverterPool:
    """Several Converters, each its own LibreOffice with its own profile, used side by side.

    A converter starts at its first document, so a pool that is given one document starts one
    LibreOffice. `convert` (one document, for the agenda packet's bilag) uses the first;
    `convert_documents` spreads a list over all of them. Leaving the block stops them all.
    """

    def __init__(self, workers: int | None = None, **options: Any) -> None:
        count = default_workers() if workers is None else workers
        if count < 1:
            raise ValueError("a pool needs at least one converter")
        self.converters = [Converter(**options) for _ in range(count)]

    def __enter__(self) -> ConverterPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop every LibreOffice of the pool and remove their profiles."""
        for converter in self.converters:
            converter.close()

    def convert(
        self,
        docx: Path,
        pdf: Path,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        shown_name: str | None = None,
    ) -> PdfInfo:
        """`Converter.convert` on the pool's first converter."""
        return self.converters[0].convert(docx, pdf, timeout=timeout, shown_name=shown_name)


def convert_documents(
    jobs: Sequence[tuple[Path, Path]],
    *,
    converter: Converter | ConverterPool | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    on_done: Callable[[Path], None] | None = None,
    shown_names: Sequence[str] | None = None,
) -> list[PdfInfo]:
    """Convert every (document, pdf) pair, or none: the PDFs are renamed into place at the end.

    `shown_names` name the documents in error messages (default: their paths).

    The given converter serves them all, or every converter of a given pool side by side
    (each takes the next document when it is free); without one, a converter is started for
    the call. `on_done` is called with each PDF's target path as it is ready (for a progress
    bar), one call at a time. The first failure stops the work (documents under way finish)
    and is raised; no PDF is then replaced.
    """
    own = converter is None
    active = converter or Converter()
    converters = active.converters if isinstance(active, ConverterPool) else [active]
    temporaries = [_temporary_beside(pdf) for _, pdf in jobs]
    infos: list[PdfInfo | None] = [None] * len(jobs)
    try:
        shown = list(shown_names) if shown_names is not None else [str(d) for d, _ in jobs]
        _convert_all(jobs, shown, temporaries, infos, converters[: len(jobs)], timeout, on_done)
        results = []
        for temporary, info, (_, pdf) in zip(temporaries, infos, jobs, strict=True):
            assert info is not None
            _replace(temporary, pdf)
            results.append(replace(info, path=pdf))
        return results
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        if own:
            active.close()


def _convert_all(
    jobs: Sequence[tuple[Path, Path]],
    shown: list[str],
    temporaries: list[Path],
    infos: list[PdfInfo | None],
    converters: list[Converter],
    timeout: float,
    on_done: Callable[[Path], None] | None,
) -> None:
    """Fill `infos` by converting each job into its temporary file, on every converter."""
    if len(converters) <= 1:
        for index, (document, pdf) in enumerate(jobs):
            infos[index] = converters[0]._convert_into(
                document, temporaries[index], timeout, shown[index]
            )
            if on_done is not None:
                on_done(pdf)
        return
    waiting: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(jobs)):
        waiting.put(index)
    stop = threading.Event()
    failures: list[BaseException] = []
    report = threading.Lock()

    def work(converter: Converter) -> None:
        while not stop.is_set():
            try:
                index = waiting.get_nowait()
            except queue.Empty:
                return
            document, pdf = jobs[index]
            try:
                infos[index] = converter._convert_into(
                    document, temporaries[index], timeout, shown[index]
                )
                if on_done is not None:
                    with report:
                        on_done(pdf)
            except BaseException as exc:  # handed to the caller's thread, raised there
                with report:
                    failures.append(exc)
                stop.set()
                return

    threads = [
        threading.Thread(target=work, args=(c,), name=f"dagsorden-pdf-{n}", daemon=True)
        for n, c in enumerate(converters, 1)
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():  # a join with a timeout lets Ctrl-C through
                thread.join(0.2)
    except BaseException:
        stop.set()  # no new documents; each LibreOffice finishes (or times out) its own
        for thread in threads:
            thread.join()
        raise
    if failures:
        raise failures[0]


FRONT_PAGE = "Forside"
CONTENTS_PAGE = "Indholdsfortegnelse"


def page_labels(
    pages: int,
    outline: Sequence[OutlineEntry],
    contents: Sequence[ContentsEntry],
    contents_pages: Sequence[int] | None = None,
) -> list[PageLabel]:
    """The PDF's page labels: the numbers its pages print, so a reader's "page 3" is the
    page that says "Side 3"; empty when they are the plain 1, 2, 3 anyway.

    The printed number of each item comes from the contents, its page in the PDF from its
    bookmark; the numbering runs back from the first item to where it is 1 (the built-in
    templates start it on the first item's page), and starts again where an item's number
    does not follow on. Pages before it print no number: the front page is labelled
    "Forside", the contents' pages (`contents_pages`, first and last; the pages before the
    first item whose links are the contents') "Indholdsfortegnelse".
    """
    marks = iter(outline)
    pairs: list[tuple[int, int]] = []  # (page in the PDF, printed number)
    for entry in contents:
        if entry.level != 1 or not entry.page.isdigit():
            continue
        mark = next((m for m in marks if m.title == entry.text), None)
        if mark is None:
            return []
        pairs.append((mark.page, int(entry.page)))
    if not pairs:
        return []
    first_page, first_number = pairs[0]
    start = max(1, first_page - first_number + 1)
    labels = [PageLabel(start - 1, "D", "", first_number - (first_page - start))]
    for (page, number), (before, number_before) in zip(pairs[1:], pairs, strict=False):
        if page - before != number - number_before:
            if page <= before:
                return []
            labels.append(PageLabel(page - 1, "D", "", number))
    if labels == [PageLabel(0, "D", "", 1)]:
        return []
    front: list[PageLabel] = []
    toc = range(contents_pages[0], contents_pages[-1] + 1) if contents_pages else range(0)
    for page in range(1, start):
        if page in toc:
            if page == toc.start:
                single = len(toc) == 1
                prefix = CONTENTS_PAGE if single else f"{CONTENTS_PAGE} "
                front.append(PageLabel(page - 1, None if single else "D", prefix, 1))
        elif page == 1:
            front.append(PageLabel(0, None, FRONT_PAGE, 1))
        elif not front or front[-1].prefix != "" or front[-1].style is not None:
            front.append(PageLabel(page - 1, None, "", 1))
    return front + labels


def read_pdf(path: Path, shown_name: str | None = None) -> PdfInfo:
    """A PDF this module made, read back: pages, title, item bookmarks (as after `convert`)."""
    return _read_pdf(path, shown_name or str(path))


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def _find_soffice(soffice: str | Path | None) -> Path:
    if soffice is None:
        found = shutil.which("soffice") or shutil.which("libreoffice")
        if found is None:
            raise LibreOfficeMissing(MISSING_LIBREOFFICE)
        return Path(found)
    path = Path(soffice)
    if not _is_executable(path):
        raise LibreOfficeMissing(MISSING_LIBREOFFICE)
    return path


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _temporary_beside(pdf: Path) -> Path:
    """A new name beside the target; LibreOffice creates the file, with the usual mode."""
    try:
        pdf.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(pdf, exc) from exc
    return pdf.parent / f".{pdf.name}.{uuid.uuid4().hex[:12]}.tmp"


def _replace(temporary: Path, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except OSError as exc:
        raise _write_error(target, exc) from exc


def _write_error(target: Path, exc: OSError) -> PdfError:
    return PdfError(cannot_write(target, exc))


def _make_reproducible(pdf: Path, document: Path, labels: list[PageLabel]) -> None:
    """Give the PDF the document's own time (a .docx we made: its meeting's date) instead of
    the clock's, and an /ID from its content: the same document gives the same bytes. The
    page labels go in on the way."""
    when = source_date_epoch() or document_time(document) or FALLBACK
    try:
        data = pdf.read_bytes()
        fixed = normalise_pdf(data, when, labels)
        if fixed != data:
            pdf.write_bytes(fixed)
    except FileNotFoundError:
        return  # _read_pdf says that LibreOffice wrote nothing
    except OSError as exc:
        raise _write_error(pdf, exc) from exc


def _read_pdf(path: Path, shown: str) -> PdfInfo:
    """Check what LibreOffice wrote: a readable PDF with pages; its title and bookmarks."""
    return _read(path, shown)[0]


def _linking_pages(reader: PdfReader, info: PdfInfo) -> list[int]:
    """The first and last page before the first item that hold links: the contents' pages
    (its entries link to the headings); empty when there are none."""
    first_item = min((entry.page for entry in info.outline), default=1)
    found = []
    for number in range(1, first_item):
        annotations = reader.pages[number - 1].get("/Annots")
        annotations = annotations.get_object() if annotations is not None else []
        if any(a.get_object().get("/Subtype") == "/Link" for a in annotations):
            found.append(number)
    return [found[0], found[-1]] if found else []


def _read(path: Path, shown: str) -> tuple[PdfInfo, PdfReader]:
    if not path.is_file() or path.stat().st_size == 0:
        raise PdfError(f"{shown}: fejl: LibreOffice skrev ingen PDF")
    try:
        reader = PdfReader(path)
        pages = len(reader.pages)
        title = str(reader.metadata.get("/Title", "")) if reader.metadata else ""
        outline = _outline(reader)
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise PdfError(f"{shown}: fejl: LibreOffice skrev en ødelagt PDF") from exc
    if pages == 0:
        raise PdfError(f"{shown}: fejl: LibreOffice lavede en PDF uden sider")
    return PdfInfo(path, pages, title, outline), reader


def _outline(reader: PdfReader) -> tuple[OutlineEntry, ...]:
    """The top level of the bookmarks and the page each points at.

    Walked by hand, because pypdf's `outline` also reads every nested entry (each section of
    each item) and takes longer than the rest of the check together.
    """
    numbers = {
        page.indirect_reference.idnum: number
        for number, page in enumerate(reader.pages, 1)
        if page.indirect_reference is not None
    }
    outlines = reader.root_object.get("/Outlines")
    node = outlines.get_object().get("/First") if outlines is not None else None
    entries = []
    while node is not None:
        item = node.get_object()
        target = item.get("/Dest")
        if target is None and "/A" in item:
            target = item["/A"].get_object().get("/D")
        target = target.get_object() if target is not None else None
        page = target[0] if isinstance(target, ArrayObject) and target else None
        number = numbers.get(getattr(page, "idnum", -1))
        if number is None:  # not the explicit destination LibreOffice writes
            return _outline_by_pypdf(reader)
        entries.append(OutlineEntry(str(item["/Title"]), number))
        node = item.get("/Next")
    return tuple(entries)


def _outline_by_pypdf(reader: PdfReader) -> tuple[OutlineEntry, ...]:
    entries = []
    for entry in reader.outline:
        if isinstance(entry, list):  # a list holds the previous entry's children
            continue
        number = reader.get_destination_page_number(entry)
        entries.append(OutlineEntry(str(entry.title), 0 if number is None else number + 1))
    return tuple(entries)
