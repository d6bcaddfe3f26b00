"""LibreOffice's side of the PDF converter; run by Debian's python3, which has python3-uno.

The project's own Python cannot import `uno`, so `dagsorden.pdf` runs this file with
/usr/bin/python3 and talks to it in JSON lines: one request on stdin, one reply on stdout.

    argv:     <pipe name of the soffice> <seconds to connect>
              <the folder of its profile> <the sockets soffice makes in /tmp>...
              (the worker starts first, soffice just after; every process whose command
              line names the folder is that soffice, and is what the worker stops)
    first:    {"ready": true} once connected, or {"ready": false, "error": "uno" | "connect"}
    request:  {"document": "/abs/in.xlsx", "pdf": "/abs/out.pdf",
               "import": "Calc MS Excel 2007 XML", "export": "calc_pdf_Export", "indexes": false}
              (the filters are chosen by `dagsorden.pdf` from the file's extension)
    reply:    {"ok": true, "indexes": 1, "contents": [[1, "1. Udmøntningsplan", "1"], ...]} or
              {"ok": false, "stage": "load" | "convert" | "missing" | "lost"}
              ("load": damaged, or not of the filter's kind; "missing": this LibreOffice lacks
              one of the two filters, i.e. its Calc or Impress package is not installed;
              "lost": soffice is gone; "contents": the first table of contents as laid out,
              each entry's level, text and printed page, for the Word file's cached result)
    request:  {"quit": true}  ends LibreOffice cleanly (reply {"ok": true}) and then this worker

If the Python that started us dies, soffice is killed and its folder and sockets removed at
once, so nothing of a LibreOffice outlives its owner, even in the middle of a conversion: a
thread waits on the owner's process (a pidfd; the owner's pid is in DAGSORDEN_EIER). Its stdin
closing without a quit means the same. Not PR_SET_PDEATHSIG: it fires when the *thread* that
started the process ends (the converters start in a pool's threads, which end after their
documents), and it would not reach soffice.bin, which soffice's launcher starts. Nothing here
prints anything but the replies.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import stat
import sys
import threading
import time
from typing import Any, TextIO

# Filter data of the PDF export (writer_, calc_ and impress_pdf_Export take the same): PDF/A-2b,
# the PDF/UA flag, tags from the styles, and bookmarks from the headings (one per item, its
# sections nested under it) or the slides.
PDF_FILTER_DATA = (
    ("SelectPdfVersion", 2),
    ("PDFUACompliance", True),
    ("UseTaggedPDF", True),
    ("ExportBookmarks", True),
)
# Import filters that open a file of any type without complaint (the RTF filter turns a .docx
# into an empty page): they get only files LibreOffice detects as their own type.
OWN_TYPE_ONLY = frozenset({"Rich Text Format"})


def main(argv: list[str]) -> int:
    # The protocol gets a private copy of stdout; anything else printed goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    pipe_name, connect_seconds, paths = argv[1], float(argv[2]), argv[3:]
    owner = int(os.environ.get("DAGSORDEN_EIER", "0")) or os.getppid()
    threading.Thread(target=_watch_owner, args=(owner, paths), daemon=True).start()
    try:
        import uno  # type: ignore[import-not-found]  # noqa: F401
    except ImportError as exc:
        _reply(out, {"ready": False, "error": "uno", "detail": str(exc)})
        return 1
    context = _connect(pipe_name, connect_seconds, owner)
    if context is None:
        _reply(out, {"ready": False, "error": "connect"})
        if os.getppid() != owner:  # orphaned while waiting; else the owner cleans up
            _remove(paths)
        return 1
    manager = context.ServiceManager
    desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    filters = manager.createInstanceWithContext("com.sun.star.document.FilterFactory", context)
    detection = manager.createInstanceWithContext("com.sun.star.document.TypeDetection", context)
    _reply(out, {"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            _terminate(desktop)
            _reply(out, {"ok": True})
            return 0
        refusal = _refusal(filters, detection, request)
        reply, document = (refusal, None) if refusal else _convert(desktop, request)
        _reply(out, reply)
        # Closing a long document takes a twentieth of a second: done after the reply, while
        # the caller checks the PDF, and before the next request is read.
        if document is not None:
            _close(document)
    _remove(paths)
    return 0


def _watch_owner(owner: int, paths: list[str]) -> None:
    """When the owner dies, stop soffice, remove its folder and sockets, and end this worker."""
    try:
        handle = os.pidfd_open(owner)
    except (AttributeError, OSError):  # an old kernel: ask every tenth of a second instead
        handle = None
    if handle is not None and os.getppid() == owner:
        select.select([handle], [], [])  # readable when the process has ended
    else:
        while os.getppid() == owner:
            time.sleep(0.1)
    _remove(paths)
    os._exit(0)


def _remove(paths: list[str]) -> None:
    """Stop the soffice of the folder (every process naming it), then remove folder and
    sockets."""
    folder, *sockets = paths
    for _ in range(100):  # until they are gone, so nothing writes into the folder
        if not _kill_processes_naming(folder):
            break
        time.sleep(0.02)
    shutil.rmtree(folder, ignore_errors=True)
    for socket in sockets:
        with contextlib.suppress(OSError):
            if stat.S_ISSOCK(os.lstat(socket).st_mode):
                os.unlink(socket)


def _kill_processes_naming(folder: str) -> bool:
    """SIGKILL every other running process whose command line names `folder`; any found?"""
    mark, me, found = os.fsencode(folder), os.getpid(), False
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        with contextlib.suppress(OSError, IndexError):
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                if mark not in handle.read():
                    continue
            with open(f"/proc/{name}/stat", "rb") as handle:
                if handle.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    continue  # ended, waiting for its parent
            os.kill(int(name), signal.SIGKILL)
            found = True
    return found


def _reply(out: TextIO, message: dict[str, Any]) -> None:
    # An owner that died has closed the pipe; the clean-up after the loop still has to run.
    with contextlib.suppress(BrokenPipeError):
        out.write(json.dumps(message) + "\n")
        out.flush()


def _connect(pipe_name: str, seconds: float, owner: int) -> Any:
    import uno
    from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + seconds
    while True:
        try:
            context = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline or os.getppid() != owner:  # too late, or orphaned
                return None
            time.sleep(0.01)  # soffice listens after about 0.7 s; every poll is cheap
    return context


def _prop(name: str, value: Any) -> Any:
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _convert(desktop: Any, request: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Load, update the indexes, export. Returns the reply and the document still to close."""
    import uno

    load = (
        _prop("Hidden", True),
        # Never let LibreOffice guess the type: a damaged file must fail, not open as text.
        _prop("FilterName", request["import"]),
        _prop("MacroExecutionMode", 0),  # NEVER_EXECUTE
        _prop("UpdateDocMode", 0),  # NO_UPDATE of links to other files
    )
    url = uno.systemPathToFileUrl(request["document"])
    try:
        document = desktop.loadComponentFromURL(url, "_blank", 0, load)
    except Exception as exc:  # UNO's IOException, IllegalArgumentException, ...
        return {"ok": False, "stage": _stage(exc, "load"), "detail": _detail(exc)}, None
    if document is None:
        return {"ok": False, "stage": "load", "detail": "no document"}, None
    try:
        count = _update_indexes(document) if request["indexes"] else 0
        contents = _contents(document) if count else []
        filter_data = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            tuple(_prop(name, value) for name, value in PDF_FILTER_DATA),
        )
        store = (
            _prop("FilterName", request["export"]),
            _prop("FilterData", filter_data),
            _prop("Overwrite", True),
        )
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(request["pdf"]), store))
    except Exception as exc:
        return {"ok": False, "stage": _stage(exc, "convert"), "detail": _detail(exc)}, document
    return {"ok": True, "indexes": count, "contents": contents}, document


def _update_indexes(document: Any) -> int:
    """Update every index of a text document; Word's TOC field is never updated on load.

    This fills the contents, page numbers and links. One pass is enough (checked up to 300
    items). No refresh() afterwards: it only lays the document out, which the export does
    anyway. The hidden view is locked meanwhile, which spares the export a fifth of its time;
    unlocked again, because the export takes the bookmarks from it.
    """
    indexes = document.getDocumentIndexes()
    count: int = indexes.getCount()
    document.lockControllers()
    try:
        for i in range(count):
            indexes.getByIndex(i).update()
    finally:
        document.unlockControllers()
    return count


def _contents(document: Any) -> list[list[Any]]:
    """The first table of contents as LibreOffice filled it: [level, text, page] per entry.

    Read from the index's paragraphs ("Contents 1" is level 1), each "text<tab>page", or, for
    contents of one level (the built-in templates'), from its text at once; what the page
    field printed is kept as text (a template may number in roman figures).
    """
    indexes = document.getDocumentIndexes()
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if not index.supportsService("com.sun.star.text.ContentIndex"):
            continue
        if index.Level == 1:  # one UNO call for the whole text, not three per entry
            lines = str(index.getAnchor().getString()).split("\n")
            parts = [line.rpartition("\t") for line in lines]
            return [[1, text.strip("\t"), page.strip()] for text, tab, page in parts if tab]
        entries = []
        paragraphs = index.getAnchor().createEnumeration()
        while paragraphs.hasMoreElements():
            paragraph = paragraphs.nextElement()
            if not paragraph.supportsService("com.sun.star.text.Paragraph"):
                continue  # a table in the index: not an entry
            style = str(paragraph.ParaStyleName)
            digits = "".join(c for c in style if c.isdigit())
            text, tab, page = str(paragraph.getString()).rpartition("\t")
            if not tab or not digits.isdigit():
                continue  # the index's own title, or an entry without a page
            entries.append([int(digits), text.strip("\t"), page.strip()])
        return entries
    return []


def _refusal(filters: Any, detection: Any, request: dict[str, Any]) -> dict[str, Any] | None:
    """Why the document is not even loaded, as a reply; None when it may be.

    A filter this LibreOffice lacks (Calc's and Impress's come with their own packages) is
    "missing". A file of another kind is refused as "load": forced, an OOXML or ODF filter opens
    any package of its family as an empty document (a .docx named .xlsx gives an empty sheet),
    and the RTF filter opens anything at all. LibreOffice's own detection, which reads the
    content (1 to 5 ms), tells the file's type, and so the application it is for.
    """
    import uno

    wanted = request["import"]
    try:
        missing = [name for name in (wanted, request["export"]) if not filters.hasByName(name)]
        if missing:
            return {"ok": False, "stage": "missing", "detail": ", ".join(missing)}
        url = uno.systemPathToFileUrl(request["document"])
        found = detection.queryTypeByDescriptor((_prop("URL", url),), True)
        found = found[0] if isinstance(found, tuple) else found  # (type, descriptor)
        wanted_filter = _properties(filters.getByName(wanted))
        if found == wanted_filter.get("Type"):
            return None
        preferred = ""
        if found and detection.hasByName(found):
            preferred = _properties(detection.getByName(found)).get("PreferredFilter", "")
        service = ""
        if preferred and filters.hasByName(preferred):
            service = _properties(filters.getByName(preferred)).get("DocumentService", "")
    except Exception as exc:
        return {"ok": False, "stage": _stage(exc, "load"), "detail": _detail(exc)}
    # Another type of the same application, e.g. a Word template named .docx, is left to the
    # forced filter, which refuses what it cannot read; the RTF filter refuses nothing.
    if wanted in OWN_TYPE_ONLY or service != wanted_filter.get("DocumentService"):
        return {"ok": False, "stage": "load", "detail": f"{found or 'unknown type'}, not {wanted}"}
    return None


def _properties(values: Any) -> dict[str, Any]:
    return {value.Name: value.Value for value in values}


def _close(document: Any) -> None:
    try:
        document.close(True)
    except Exception:
        with contextlib.suppress(Exception):
            document.dispose()


def _terminate(desktop: Any) -> None:
    # The bridge drops as soffice goes, which may raise; that is the expected end.
    with contextlib.suppress(Exception):
        desktop.terminate()


def _stage(exc: BaseException, stage: str) -> str:
    """ "lost" when soffice is gone (the bridge to it is disposed), else the stage that failed."""
    from com.sun.star.lang import DisposedException  # type: ignore[import-not-found]

    return "lost" if isinstance(exc, DisposedException) else stage


def _detail(exc: BaseException) -> str:
    message = getattr(exc, "Message", "") or str(exc)
    return f"{type(exc).__name__}: {message}".strip()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
