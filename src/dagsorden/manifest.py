"""What a build wrote, and from what, so the next build writes only what changed.

The output folder holds `.dagsorden-bygget.json`: for every file a build wrote (its path under
the folder), the fingerprint of what it was made from and the SHA-256, size and modification
time of the file as written. A document whose fingerprint is the same and whose file is still
as written is not made again, and its file is not touched.

Two fingerprints may stand for a document. `inputs` is what the file was made from: a Word
document's template context (as canonical JSON) and template file, a PDF's Word document, a
packet's agenda PDF and bilag files, each with the dagsorden version. `sources` is cheaper and
optional: the content of every data file the document's context can be made from, so an
unchanged archive is skipped without making a single context (build.py says which files).

The manifest is never trusted over the files. A file whose size or modification time differ
from the record is hashed again; a missing, unreadable or other-version manifest, a missing or
changed file, or any other doubt, and the document is simply made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from . import __version__
from .cache import file_sha256

__all__ = ["MANIFEST_NAME", "Entry", "Manifest", "digest", "file_sha256"]

MANIFEST_NAME = ".dagsorden-bygget.json"
_FORMAT = 1


def digest(*parts: Any) -> str:
    """A SHA-256 over the parts as canonical JSON, with the dagsorden version: a fingerprint."""
    text = json.dumps([__version__, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One output file as the last build wrote it."""

    inputs: str
    sha256: str
    size: int
    mtime_ns: int
    sources: str | None = None
    # What later steps need of a document without making it again (an agenda's item headings).
    extra: dict[str, Any] = field(default_factory=dict)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Manifest:
    """The record of one output folder; read it, ask it, record into it, write it."""

    def __init__(self, out: Path, entries: dict[str, Entry] | None = None) -> None:
        self.out = out
        self.entries = entries or {}
        self.changed = False
        self._prefix = os.path.join(str(out), "")

    @property
    def path(self) -> Path:
        return self.out / MANIFEST_NAME

    @classmethod
    def read(cls, out: Path) -> Manifest:
        """The folder's manifest; an empty one when there is none or it cannot be used."""
        try:
            data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT or data.get("dagsorden") != __version__:
                return cls(out)
            entries = {name: Entry(**values) for name, values in data["filer"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(out)
        return cls(out, entries)

    def _key(self, path: Path) -> str:
        text = str(path)  # the quick way for the paths a build makes, under the folder as given
        if text.startswith(self._prefix) and os.sep == "/":
            return text[len(self._prefix) :]
        return path.relative_to(self.out).as_posix()

    def entry(self, path: Path) -> Entry | None:
        return self.entries.get(self._key(path))

    def current(self, path: Path, *, inputs: str | None = None, sources: str | None = None) -> bool:
        """True when `path` was made from these inputs (or sources) and is still as written."""
        entry = self.entry(path)
        if entry is None:
            return False
        if not (
            (inputs is not None and entry.inputs == inputs)
            or (sources is not None and entry.sources == sources)
        ):
            return False
        return self._intact(path, entry)

    def _intact(self, path: Path, entry: Entry) -> bool:
        try:
            info = path.stat()
            if (info.st_size, info.st_mtime_ns) == (entry.size, entry.mtime_ns):
                return True
            if info.st_size != entry.size or file_sha256(path) != entry.sha256:
                return False
        except OSError:
            return False
        # The same bytes with another time (copied back, touched): remember the new time.
        self.entries[self._key(path)] = replace(entry, mtime_ns=info.st_mtime_ns)
        self.changed = True
        return True

    def record(
        self,
        path: Path,
        *,
        inputs: str,
        sources: str | None = None,
        extra: dict[str, Any] | None = None,
        sha256: str | None = None,
        file: Path | None = None,
    ) -> Entry:
        """Note `path` as just written from `inputs`; `sha256` when the caller has it.

        `file` is where the file is now, when it is still to be renamed to `path` (a rename
        keeps its size and modification time)."""
        info = (file or path).stat()
        entry = Entry(
            inputs=inputs,
            sha256=sha256 or file_sha256(file or path),
            size=info.st_size,
            mtime_ns=info.st_mtime_ns,
            sources=sources,
            extra=extra or {},
        )
        self.entries[self._key(path)] = entry
        self.changed = True
        return entry

    def forget(self, path: Path) -> None:
        """`path` is no longer an output (it is removed)."""
        if self.entries.pop(self._key(path), None) is not None:
            self.changed = True

    def update_sources(self, path: Path, sources: str) -> None:
        """The sources changed but made the same inputs: remember them, for the next build."""
        entry = self.entry(path)
        if entry is not None and entry.sources != sources:
            self.entries[self._key(path)] = replace(entry, sources=sources)
            self.changed = True

    def write(self) -> None:
        """Write the manifest atomically, if anything in it changed.

        A manifest that cannot be written is no error: the next build makes everything again.
        """
        if not self.changed:
            return
        data = {
            "format": _FORMAT,
            "dagsorden": __version__,
            "filer": {name: asdict(entry) for name, entry in sorted(self.entries.items())},
        }
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(
                prefix=f".{MANIFEST_NAME}.", suffix=".tmp", dir=self.out
            )
        except OSError:
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, self.path)
            self.changed = False
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
