"""The project as the web app holds it: read once, then only the files that changed.

The overview needs every meeting; reading a 1,000-meeting archive whole costs about half a
second even when the store knows every file, most of it reading and hashing bytes that did not
change. The app therefore keeps what each file gave (load.read_file's FileRead, through the
store on first sight) under the file's size, times and inode, and reads again only a file
whose stat changed, or a new one. A meeting's own page and every recording go through the
library's narrow check (build.examine, record.*), which has its own such caches.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from ..cache import Store, open_store
from ..load import FileRead, read_file, read_organisation
from ..model import Case, Meeting, Organisation, Project
from ..scope import data_states

__all__ = ["Loaded", "file_digest"]

_State = tuple[int, int, int, int]
T = TypeVar("T")


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, as a form carries it to notice a change meanwhile."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


class Loaded:
    """Every record of a project, refreshed file by file on each `project()` call."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[str, tuple[_State, FileRead]] = {}
        self._project: Project | None = None
        self._states: dict[str, _State] = {}
        self._lock = threading.Lock()
        self._derived: dict[str, tuple[Project, object]] = {}

    def project(self) -> Project:
        with self._lock:
            states = self._scan()
            if self._project is not None and states == self._states:
                return self._project
            store: Store | None = None
            try:
                for relative, state in states.items():
                    known = self._files.get(relative)
                    if known is not None and known[0] == state:
                        continue
                    if store is None:
                        store = open_store(self.root)
                    self._files[relative] = (state, self._read(relative, store))
            finally:
                if store is not None:
                    store.save()
                    store.close()
            for gone in set(self._files) - set(states):
                del self._files[gone]
            self._states = states
            self._project = self._assemble()
            return self._project

    def derived(self, project: Project, key: str, make: Callable[[Project], T]) -> T:
        """`make(project)` for a project `project()` gave, made again only when a file
        changed since it was last made."""
        known = self._derived.get(key)
        if known is None or known[0] is not project:
            known = (project, make(project))
            self._derived[key] = known
        return cast(T, known[1])

    def _read(self, relative: str, store: Store) -> FileRead:
        if relative == "organisation.yaml":
            return read_organisation(self.root, store)
        kind = "case" if relative.startswith("cases/") else "meeting"
        return read_file(self.root, self.root / relative, kind, store)

    def _scan(self) -> dict[str, _State]:
        # The listing the narrow check uses: within a request (`one_look`), one look at the
        # folders serves both.
        return data_states(self.root)

    def _assemble(self) -> Project:
        org_read = self._files.get("organisation.yaml")
        org = org_read[1].record if org_read is not None else None
        cases: dict[str, Case] = {}
        meetings: dict[str, Meeting] = {}
        for relative in sorted(self._files):
            record = self._files[relative][1].record
            if isinstance(record, Case):
                cases.setdefault(record.number, record)
            elif isinstance(record, Meeting):
                meetings.setdefault(record.name, record)
        return Project(self.root, org if isinstance(org, Organisation) else None, cases, meetings)


def _state(stat: os.stat_result) -> _State:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
