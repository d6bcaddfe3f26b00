"""`byg` of every meeting: which meetings' outputs are current, judged without reading them.

A build of the whole archive with nothing changed must cost what finding that out costs, not
what loading 1,000 meetings costs. After each build of every meeting, `out/.dagsorden-møder.json`
lists, per meeting, the key of everything its documents are made from (the same key `tjek`
keeps its result under: the organisation, the meeting, its cases and their bilag files, the
other meetings treating them and their frozen records; with the templates, the version and
whether PDFs were made) and every file the build gave it, with its size and time. A meeting
whose key is the same and whose files are all as written is current and is not loaded at all;
the others are loaded narrowly together and built as every build is (`_outputs`), which decides
document by document. The list is only a shortcut: without it, or with a file changed by hand,
every meeting goes the long way.
"""

from __future__ import annotations

import json
from contextlib import suppress
from pathlib import Path
from typing import Any

from . import __version__, _atomic
from ._outputs import Built
from ._templates import templates_fingerprint
from .cache import Store, file_sha256
from .context import DocumentKind, Edition
from .errors import DagsordenError
from .manifest import MANIFEST_NAME
from .scope import Index

__all__ = ["RECORD", "Current", "stale_meetings"]

RECORD = ".dagsorden-møder.json"
_FORMAT = 1


class Current:
    """The record of a build of every meeting in `out`."""

    def __init__(self, root: Path, out: Path, keys: Any, pdf: bool, store: Store) -> None:
        self.root = root
        self.out = out
        self.keys = keys  # _check_all._Keys of this run's index
        # A template that cannot be read (a folder, a pipe) leaves every meeting not current.
        templates = templates_fingerprint(root, store) or "-"
        self.extra = f"{__version__}|pdf={pdf}|{templates}"
        self.known: dict[str, Any] = {}
        try:
            data = json.loads((out / RECORD).read_text(encoding="utf-8"))
            # Made beside the manifest as it is now: any other build since (of one meeting, or
            # by hand) leaves every meeting to the manifest, document by document.
            if (
                isinstance(data, dict)
                and data.get("format") == _FORMAT
                and data.get("manifest") == _manifest(out)
            ):
                self.known = dict(data.get("møder", {}))
        except (OSError, ValueError):
            self.known = {}

    def key(self, name: str) -> str:
        return f"{self.keys.meeting(name)}|{self.extra}"

    def current(self, name: str) -> list[Built] | None:
        """The files of meeting `name` as the last build gave them, when they are current."""
        entry = self.known.get(name)
        if not isinstance(entry, dict) or entry.get("nøgle") != self.key(name):
            return None
        built = []
        for relative, kind, edition, size, mtime in entry.get("filer", []):
            path = self.out / relative
            try:
                info = path.stat()
            except OSError:
                return None
            if (info.st_size, info.st_mtime_ns) != (size, mtime):
                return None
            built.append(Built(name, DocumentKind(kind), Edition(edition), path, False))
        return built

    def write(self, built: list[Built], names: list[str]) -> None:
        """Remember the files of `names` (every meeting of the build) as they are now."""
        files: dict[str, list[list[Any]]] = {n: [] for n in names}
        for b in built:
            try:
                info = b.path.stat()
                relative = b.path.relative_to(self.out).as_posix()
            except (OSError, ValueError):
                files.pop(b.meeting, None)  # not where it belongs: that meeting goes the long way
                continue
            if b.meeting in files:
                files[b.meeting].append(
                    [relative, b.kind.value, b.edition.value, info.st_size, info.st_mtime_ns]
                )
        meetings = {n: {"nøgle": self.key(n), "filer": f} for n, f in files.items()}
        data = {"format": _FORMAT, "manifest": _manifest(self.out), "møder": meetings}
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        target = self.out / RECORD
        write = _atomic.replace if target.exists() else _atomic.create
        with suppress(OSError, DagsordenError):  # only a shortcut: next time the long way
            write(target, text.encode("utf-8"), RECORD)


def _manifest(out: Path) -> str:
    try:
        return file_sha256(out / MANIFEST_NAME)
    except OSError:
        return "-"


def stale_meetings(current: Current, index: Index) -> tuple[list[str], list[Built]]:
    """The meetings to build, and the files of those that are current."""
    stale: list[str] = []
    kept: list[Built] = []
    for name in sorted(index.meetings):
        found = current.current(name)
        if found is None:
            stale.append(name)
        else:
            kept.extend(found)
    return stale, kept
