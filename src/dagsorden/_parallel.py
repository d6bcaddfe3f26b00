"""A cold check on two cores: a forked helper reads and checks half of the project.

When nothing of a large project is remembered (no store yet, a new version of dagsorden, the
store removed), `tjek` must read every data file and check every meeting. With this module a
helper process, forked at the start, reads the later half of the data files while this one
reads the first; the two swap the files' summaries (what each file names: small), each then
makes the same index, and the helper checks the meetings whose files it read, their frozen
records against their files and then the templates, sending back their problems and what the
store should remember. Parsed files never cross between the processes: unpickling them costs
as much as parsing them (docs/performance.md).

Nothing depends on the helper: if it cannot be started, fails or dies, this process reads
what the helper did not send and checks the meetings it did not report, and the answer is the
same. The helper is used only where forking is safe (no other thread in this process) and
worth it (many files, no index in the store, two cores or more).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Pipe
from pathlib import Path
from typing import Any

from .cache import Store
from .errors import Problem
from .scope import Index, Prefetched, Summary, _Entry, _find_summary, _listing, _Register
from .scope import read_index as _read_index

__all__ = ["Helper", "start"]

# "1" keeps every check in one process (for comparing the two ways, and for a shared machine).
ONE_PROCESS = "DAGSORDEN_EN_PROCES"
# Fewer data files than this, and starting a second process costs more than it saves.
AT_LEAST = 400

# The share of the files this process reads and checks. It also checks what belongs to no
# meeting; the helper checks its own meetings' records and then the templates (0.3 s), and
# its later meetings have fewer frozen records. Timed inside a cold check of 1,000 meetings,
# at 0.50 this process waited 0.3-0.4 s for the helper at the end; at 0.55 both end within
# 0.1 s (eight runs each, alternating: medians 2.88 s against 3.16 s).
FIRST_SHARE = 0.55
# Checking one meeting in the index: _check_all._meeting.
MeetingCheck = Callable[[Path, Store, Index, str, set[Problem]], list[Problem]]


@dataclass
class Helper:
    """The helper process, from this process's side."""

    pid: int
    connection: Connection
    theirs: frozenset[str]  # the data files the helper reads (relative paths)
    prefetched: dict[str, tuple[Summary, str, Any]] = field(default_factory=dict)
    alive: bool = True
    # The meetings the helper was asked to check.
    asked: tuple[str, ...] = ()
    # Their frozen records' problems, when it checked them against their files.
    records: list[Problem] | None = None
    # The templates' problems, when the helper checked them after its meetings.
    templates: list[Problem] | None = None
    _pending: tuple[dict[Any, Any], ...] | None = None

    def check(self, names: Sequence[str]) -> list[str]:
        """Ask the helper to check the meetings among `names` whose files it read; the
        names left for this process."""
        theirs = [n for n in names if self._reads(n)]
        if not self._send(theirs):
            return list(names)
        self.asked = tuple(theirs)
        return [n for n in names if not self._reads(n)]

    def _reads(self, name: str) -> bool:
        return any(f"agenda/{name}{suffix}" in self.theirs for suffix in (".yaml", ".yml"))

    def results(self, *, wait: bool) -> Iterator[tuple[str, list[Problem]]]:
        """The meetings' problems the helper has sent (with `wait`, all of them, until it is
        done); what it learned for the store is kept for `close`."""
        while self.alive:
            try:
                if not wait and not self.connection.poll():
                    return
                message = self.connection.recv()
            except (EOFError, OSError):
                self.alive = False
                return
            if message[0] == "møde":
                yield message[1], message[2]
            elif message[0] == "arkiv":
                self.records = message[1]
            elif message[0] == "skabeloner":
                self.templates = message[1]
            elif message[0] == "lager":
                self._pending = message[1]
                self.alive = False  # done
            else:  # it failed: this process does the rest
                self.alive = False

    def close(self, store: Store) -> None:
        """End the helper and take over what it learned for the store."""
        if self._pending is not None:
            store.absorb(self._pending)
        with suppress(OSError):
            self.connection.close()
        if self.alive:
            with suppress(OSError):
                os.kill(self.pid, 9)
        with suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)

    def _send(self, value: Any) -> bool:
        if not self.alive:
            return False
        try:
            self.connection.send(value)
        except OSError:
            self.alive = False
        return self.alive


def start(root: Path, store: Store, check: MeetingCheck) -> Helper | None:
    """The helper, started, with the summaries of every data file read so far by either
    process (`prefetched`, for `read_index`); None when it is not worth it or not safe."""
    if not _worth_it(root, store):
        return None
    entries = [*_listing(root, "cases", None, []), *_listing(root, "agenda", None, [])]
    if len(entries) < AT_LEAST:
        return None
    mine, theirs = _halves(entries)
    ours, helpers = Pipe()
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the helper
        code = 1
        try:
            ours.close()
            _help(root, theirs, helpers, store, check)
            code = 0
        finally:
            os._exit(code)
    helpers.close()
    helper = Helper(pid, ours, frozenset(e.relative for e in theirs))
    helper.prefetched.update(_read(root, mine, store))
    # The helper sends first, then listens: both sending at once could fill both pipes.
    try:
        received = ours.recv()
    except (EOFError, OSError):
        helper.alive = False
    else:
        helper._send({r: (s.plain(), d) for r, (s, d, _) in helper.prefetched.items()})
        helper.prefetched.update({r: (Summary(*s), d, None) for r, (s, d) in received.items()})
    return helper


def read_index(root: Path, store: Store, helper: Helper | None) -> Index:
    """The index, with what the helper (if any) summarised."""
    return _read_index(root, store, prefetched=helper.prefetched if helper else None)


def _worth_it(root: Path, store: Store) -> bool:
    # Forking is safe on Linux; macOS frameworks may not survive it, Windows has none.
    if os.environ.get(ONE_PROCESS) or not sys.platform.startswith("linux"):
        return False
    # Forking a process with other threads can leave the child stuck on a lock they held.
    if threading.active_count() > 1 or threading.current_thread() is not threading.main_thread():
        return False
    if len(os.sched_getaffinity(0)) < 2:
        return False
    return store.register() is None  # else most files are known: the store is faster


def _halves(entries: list[_Entry]) -> tuple[list[_Entry], list[_Entry]]:
    """The first part of the cases and of the meetings (`FIRST_SHARE`), and the rest: by
    name, the meetings by date, and the cases mostly by year, so a meeting and its cases
    mostly fall in the same part (what a process does not read, it reads when it needs it)."""
    cases = [e for e in entries if e.relative.startswith("cases/")]
    meetings = [e for e in entries if not e.relative.startswith("cases/")]
    c, m = round(len(cases) * FIRST_SHARE), round(len(meetings) * FIRST_SHARE)
    return cases[:c] + meetings[:m], cases[c:] + meetings[m:]


def _read(root: Path, entries: list[_Entry], store: Store) -> dict[str, tuple[Summary, str, Any]]:
    """Read and summarise `entries` (what reading gave is kept, for the index's narrow loads)."""
    base = os.path.abspath(root)
    already: dict[str, Any] = {}
    found: dict[str, tuple[Summary, str, Any]] = {}
    for entry in entries:
        kind = "case" if entry.relative.startswith("cases/") else "meeting"
        key = f"{base}/{entry.relative}"
        summary, digest = _find_summary(root, key, entry, kind, store, None, already, _Register({}))
        found[entry.relative] = (summary, digest, already.get(entry.relative))
    return found


def _help(
    root: Path, entries: list[_Entry], connection: Connection, parent: Store, check: MeetingCheck
) -> None:
    """The helper's side: read its half, swap summaries, make the index, check the meetings
    it is asked to, and send what the store should remember."""
    store = Store(None, collect=parent.collects)  # the parent's database connection is not ours
    store.hashes_from(parent)
    mine = _read(root, entries, store)
    connection.send({r: (s.plain(), d) for r, (s, d, _) in mine.items()})
    other = connection.recv()
    prefetched: Prefetched = {
        **{r: (Summary(*s), d, None) for r, (s, d) in other.items()},
        **mine,
    }
    index = _read_index(root, store, prefetched=prefetched)
    names = connection.recv()
    reading = set(index.reading_problems())
    for name in names:
        try:
            found = check(root, store, index, name, reading)
        except Exception:  # the parent checks it again and reports whatever it is
            connection.send(("fejl", name))
            return
        connection.send(("møde", name, found))
    # Then these meetings' frozen records against their files (read for the meetings' checks),
    # and the templates, while this process's parent checks the other records.
    from ._check_all import record_files
    from ._templates import check_templates

    with suppress(Exception):  # else the parent checks them itself
        connection.send(("arkiv", record_files(root, store, index, only=names)))
    with suppress(Exception):
        connection.send(("skabeloner", check_templates(root, store)))
    connection.send(("lager", store.pending()))
