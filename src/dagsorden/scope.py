"""A narrow read: what a command on one meeting needs, not the whole archive (DESIGN §7).

A recording command or `byg MØDE` reads the organisation, the meetings named, their cases and
the other meetings that treat those cases (the history their documents show), and checks the
rules of the meetings named and their cases. Which file holds which case, and which cases each
meeting treats, comes from a summary of every data file: what it names and the problems reading
it gave. The store keeps the summaries keyed by each file's content (found by its size and
times, as a bilag's hash is), so after the first run only the files in scope are parsed;
without a store every file is read to make them, and the result is the same.

Every problem found in reading any data file is still reported (a half-written case elsewhere
is a warning for a build, as before); the rules across records of other meetings (an unknown
person on another committee's meeting) are for `dagsorden tjek`.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .cache import Store, settled, settled_before
from .errors import Location, Problem, Problems
from .load import (
    FileRead,
    bad_meeting_name,
    duplicate_case,
    duplicate_meeting,
    is_file,
    not_a_file,
    read_file,
    read_organisation,
    valid_meeting_name,
)
from .model import Case, FrozenCorrection, FrozenRecord, Meeting, Organisation, Project, Text
from .pictures import case_pictures, meeting_pictures
from .records import read_records

__all__ = ["CHANGED_MEANWHILE", "Index", "Summary", "load_meetings", "read_index"]

CHANGED_MEANWHILE = "en datafil blev ændret, mens dagsorden læste projektet; kør kommandoen igen"


@dataclass(frozen=True, slots=True)
class Summary:
    """What one data file names, as the index of a narrow read needs it."""

    name: str | None  # a case file's case number, a meeting file's meeting; None if unread
    where: tuple[str, int, int, str | None] | None  # a case number's Location, as values
    cases: tuple[str, ...]  # the cases a meeting's items treat
    problems: tuple[Problem, ...]  # what reading the file found
    cpr: tuple[tuple[str, Location], ...]  # its CPR candidates
    files: tuple[str, ...] = ()  # a case's bilag files and any file's pictures, as written

    @property
    def location(self) -> Location | None:
        return Location(*self.where) if self.where is not None else None

    def plain(self) -> tuple[Any, ...]:
        """As the store keeps it: plain values unpickle several times faster than
        dataclasses, and there is one summary per data file."""
        return (self.name, self.where, self.cases, self.problems, self.cpr, self.files)

    @classmethod
    def of(cls, read: FileRead) -> Summary:
        record = read.record
        problems, cpr = tuple(read.problems), read.cpr
        if isinstance(record, Case):
            at = record.location
            where = (at.file, at.line, at.column, at.source_line)
            files = tuple(a.file.name for a in record.attachments if a.file is not None)
            files += _picture_files(case_pictures(record))
            return cls(record.number, where, (), problems, cpr, files)
        if isinstance(record, Meeting):
            cases = tuple(i.case.name for i in record.items if i.case is not None)
            pictures = _picture_files(meeting_pictures(record))
            return cls(record.name, None, cases, problems, cpr, pictures)
        return cls(None, None, (), problems, cpr)


def _picture_files(texts: Iterator[Text]) -> tuple[str, ...]:
    return tuple(sorted({ref.name for text in texts for ref in text.pictures}))


# Summaries already found in this process, by absolute path and stat: a recording command checks
# twice (before and after its change). Only files whose times had settled are kept, as in the
# store.
_SEEN: dict[str, tuple[tuple[int, int, int, int], Summary, str]] = {}
_SEEN_AT_MOST = 50_000


@dataclass
class Index:
    """Every data file of a project by what it names: the cases by number, the meetings by
    name, each with its file, summary and content digest; every reading problem."""

    root: Path
    organisation: FileRead
    cases: dict[str, tuple[_Entry, Summary]]
    meetings: dict[str, tuple[_Entry, Summary]]
    summaries: list[Summary]  # every file's, organisation first, in the order read
    problems: list[Problem]  # the index's own: misnamed files, a case number used twice
    digests: dict[str, str]  # relative path -> "kind:SHA-256" of the content summarised
    already: dict[str, FileRead]  # files read whole while making the index
    _reading: list[Problem] | None = None
    _cpr: tuple[tuple[str, Location], ...] | None = None
    _treating: dict[str, list[str]] | None = None
    _records: dict[str, Any] = field(default_factory=dict)
    _numbers: frozenset[str] | None = None

    def again(self) -> Index:
        """The same index for another command: what it summarised is shared (never changed
        after it is made); the frozen records, and the files the command uses, are read again
        (from this process's memory of them when their content is the same)."""
        self.reading_problems()
        self.cpr()
        self.treating("")
        return Index(
            self.root,
            self.organisation,
            self.cases,
            self.meetings,
            self.summaries,
            self.problems,
            self.digests,
            {},
            self._reading,
            self._cpr,
            self._treating,
        )

    def case_numbers(self) -> frozenset[str]:
        """Every case number known (made once: checking every meeting asks for it each time)."""
        if self._numbers is None:
            self._numbers = frozenset(self.cases)
        return self._numbers

    def reading_problems(self) -> list[Problem]:
        if self._reading is None:
            self._reading = [*self.problems, *(p for s in self.summaries for p in s.problems)]
        return list(self._reading)

    def cpr(self) -> tuple[tuple[str, Location], ...]:
        if self._cpr is None:
            self._cpr = tuple(c for summary in self.summaries for c in summary.cpr)
        return self._cpr

    def records(
        self, names: Iterable[str], problems: Problems
    ) -> tuple[dict[str, dict[str, FrozenRecord]], dict[str, tuple[FrozenCorrection, ...]]]:
        """The frozen records and corrections of the meetings `names` (read once per index:
        checking every meeting asks for each one's records many times)."""
        records: dict[str, dict[str, FrozenRecord]] = {}
        corrections: dict[str, tuple[FrozenCorrection, ...]] = {}
        for name in sorted(names):
            if name not in self._records:
                found = Problems()
                self._records[name] = (*read_records(self.root, found, only=name), found.items)
            stages, fixes, found_items = self._records[name]
            problems.items.extend(found_items)
            if name in stages:
                records[name] = stages[name]
            if name in fixes:
                corrections[name] = fixes[name]
        return records, corrections

    def treating(self, number: str) -> list[str]:
        """The meetings whose items treat case `number`."""
        if self._treating is None:
            self._treating = defaultdict(list)
            for name, (_, summary) in self.meetings.items():
                for treated in dict.fromkeys(summary.cases):
                    self._treating[treated].append(name)
        return self._treating.get(number, [])


def read_index(
    root: Path,
    store: Store | None,
    override: Mapping[str, bytes] | None = None,
    *,
    prefetched: Prefetched | None = None,
) -> Index:
    """Summarise every data file: from the store where its content is known, else by
    reading it. A long-running process (the web app) builds on the index it made last time:
    only the files whose size, times or inode changed since, whose times have not settled
    yet, or that `override` gives are summarised again. `prefetched` gives files already
    summarised (by another process, for a cold check: `_parallel`), with what reading them
    gave when it was this process."""
    org_read = read_organisation(root, store)
    base = os.path.abspath(root)
    odd: list[Problem] = []
    cases = _listing(root, "cases", override, odd)
    agenda = _listing(root, "agenda", override, odd)
    states = _states(cases, agenda)
    last = _LAST.get(base)
    if states is not None and last is not None and prefetched is None:
        entries = {e.relative: e for e in (*cases, *agenda)}
        again = _refreshed(last, org_read, tuple(odd), entries, states, override, store)
        if again is not None:
            if not override:
                _LAST[base] = _Kept(org_read.digest, tuple(odd), states, again)
                return again.again()
            return again
    index = Index(root, org_read, {}, {}, [Summary.of(org_read)], [], {}, {})
    if org_read.digest:
        index.digests["organisation.yaml"] = org_read.digest
    known = store.register() if store is not None else None
    register = _Register(known if isinstance(known, dict) else {})
    index.problems.extend(p for p in odd if p.location.file.startswith("cases/"))
    for entry in cases:
        summary = _summary(index, base, entry, "case", store, override, register, prefetched)
        if summary.name is None or summary.where is None:
            continue
        earlier = index.cases.get(summary.name)
        if earlier is not None:
            at, before = summary.location, earlier[1].location
            assert at is not None and before is not None
            index.problems.append(duplicate_case(summary.name, at, before))
            continue
        index.cases[summary.name] = (entry, summary)
    index.problems.extend(p for p in odd if not p.location.file.startswith("cases/"))
    for entry in agenda:
        if not valid_meeting_name(entry.relative.rsplit("/", 1)[1].rsplit(".", 1)[0]):
            index.problems.append(bad_meeting_name(root, entry.path))
            continue
        summary = _summary(index, base, entry, "meeting", store, override, register, prefetched)
        if summary.name is None:
            continue
        other = index.meetings.get(summary.name)
        if other is not None:
            index.problems.append(
                duplicate_meeting(summary.name, entry.relative, other[0].relative)
            )
            continue
        index.meetings[summary.name] = (entry, summary)
    if store is not None:
        if register.worth_saving():
            store.remember_register(register.now)
        store.save()
    if states is not None and not override:
        # Kept without the files read whole (a long-running process would hold them all);
        # this command still has them, so its narrow loads do not read them again.
        _LAST[base] = _Kept(org_read.digest, tuple(odd), states, index.again())
    return index


_State = tuple[int, int, int, int]
# Files summarised before the index is made: relative path -> (summary, digest, what reading
# it gave when that happened in this process).
Prefetched = Mapping[str, tuple[Summary, str, FileRead | None]]


@dataclass(frozen=True)
class _Kept:
    """The last index made for a project folder, and what it was made from."""

    organisation: str
    odd: tuple[Problem, ...]
    states: dict[str, _State]
    index: Index


# The last index per project folder, for a long-running process (see read_index).
_LAST: dict[str, _Kept] = {}
# More changed files than this, and the index is made afresh.
_REFRESH_AT_MOST = 100


def _states(cases: list[_Entry], agenda: list[_Entry]) -> dict[str, _State] | None:
    """Each data file's (size, mtime, ctime, inode); None when a file exists only in an
    override."""
    states: dict[str, _State] = {}
    for entry in (*cases, *agenda):
        if entry.state is None:
            return None
        states[entry.relative] = entry.state
    return states


def _refreshed(
    kept: _Kept,
    org: FileRead,
    odd: tuple[Problem, ...],
    entries: dict[str, _Entry],
    states: dict[str, _State],
    override: Mapping[str, bytes] | None,
    store: Store | None,
) -> Index | None:
    """The kept index with the files that may have changed summarised again; None when the
    files are not the same ones, too many changed, or a file now names another case or
    meeting: then the caller makes the index afresh."""
    if org.digest != kept.organisation or odd != kept.odd or states.keys() != kept.states.keys():
        return None
    limit = settled_before()
    known = kept.states
    stale = [
        relative
        for relative, state in states.items()
        if state != known[relative]
        or state[1] >= limit
        or state[2] >= limit
        or relative in (override or {})
    ]
    if len(stale) > _REFRESH_AT_MOST:
        return None
    index = kept.index
    if not stale:
        return index.again()
    cases, meetings = dict(index.cases), dict(index.meetings)
    summaries, digests, already = list(index.summaries), dict(index.digests), dict(index.already)
    same_cases = True  # which meetings treat which case: unchanged, so kept
    for relative in stale:
        kind = "case" if relative.startswith("cases/") else "meeting"
        table = cases if kind == "case" else meetings
        old = next(((n, e) for n, e in table.items() if e[0].relative == relative), None)
        if old is None:
            return None
        name, (_, summary) = old
        entry = entries[relative]
        key = f"{os.path.abspath(index.root)}/{relative}"
        new, digest = _find_summary(
            index.root, key, entry, kind, store, override, already, _Register({})
        )
        if new.name != name or (kind == "case" and new.where is None):
            return None
        table[name] = (entry, new)
        same_cases = same_cases and new.cases == summary.cases
        position = next(i for i, s in enumerate(summaries) if s is summary)
        summaries[position] = new
        if digest:
            digests[relative] = digest
    return Index(
        index.root,
        index.organisation,
        cases,
        meetings,
        summaries,
        index.problems,
        digests,
        already,
        _treating=index._treating if same_cases else None,
    )


def load_meetings(
    root: Path,
    names: Iterable[str],
    store: Store | None,
    override: Mapping[str, bytes] | None = None,
    index: Index | None = None,
) -> tuple[Project, Problems] | None:
    """The project as far as the meetings `names` reach, with every file's reading problems.

    None when a meeting named is not found: the caller reads the whole project, so that its
    messages can name what is known. A case a meeting treats that is not found is the check's
    error, with the numbers of every case known for its suggestion.
    """
    if index is None:
        index = read_index(root, store, override)
    focus = set(names)
    if not focus or not focus <= index.meetings.keys():
        return None
    numbers = {n for name in focus for n in index.meetings[name][1].cases}
    shown = focus | {name for number in numbers for name in index.treating(number)}
    files: list[FileRead] = [index.organisation]

    def whole(entry: _Entry, kind: str) -> FileRead:
        read = index.already.get(entry.relative)
        if read is None:
            # Kept for the next meeting checked on this index that shows the same file.
            read = index.already[entry.relative] = read_file(
                root, entry.path, kind, store, override
            )
        files.append(read)
        return read

    cases: dict[str, Case] = {}
    known = [n for n in numbers if n in index.cases]
    for number in sorted(known, key=lambda n: index.cases[n][0].relative):
        case = whole(index.cases[number][0], "case").record
        if not isinstance(case, Case) or case.number != number:
            return None  # changed since its summary was made: read everything
        cases[number] = case
    meetings: dict[str, Meeting] = {}
    for name in sorted(shown, key=lambda n: index.meetings[n][0].relative):
        meeting = whole(index.meetings[name][0], "meeting").record
        if not isinstance(meeting, Meeting) or meeting.name != name:
            return None
        meetings[name] = meeting

    if store is not None:
        store.save_now_and_then()
    problems = Problems()
    problems.items.extend(index.reading_problems())
    records, corrections = index.records(shown, problems)
    six_digits = {read.file: read.six for read in files if read.six}
    org = index.organisation.record
    project = Project(
        root,
        org if isinstance(org, Organisation) else None,
        cases,
        meetings,
        index.cpr(),
        records,
        corrections,
        six_digits,
        focus=frozenset(focus),
        case_numbers=index.case_numbers(),
    )
    return project, problems


# One look at the data folders for the whole of a recording command (`one_look`): it checks
# twice, before its change and with it, a moment apart, and the second check's files are the
# first's (the change itself is given as an override). A look is used again only while the
# folder's own time is the same: a file written by the command itself is seen.
_LOOK: ContextVar[dict[tuple[str, str], _Look] | None] = ContextVar("_LOOK", default=None)


@contextmanager
def one_look() -> Iterator[None]:
    """Within this, the data folders are listed (with every file's stat) once."""
    token = _LOOK.set({})
    try:
        yield
    finally:
        _LOOK.reset(token)


def data_states(root: Path) -> dict[str, tuple[int, int, int, int]]:
    """The (size, mtime, ctime, inode) of organisation.yaml and every data file, by relative
    path, from the same look at the folders the index uses (within `one_look`, shared)."""
    states: dict[str, tuple[int, int, int, int]] = {}
    with suppress(OSError):
        stat = os.stat(root / "organisation.yaml")
        states["organisation.yaml"] = (
            stat.st_size,
            stat.st_mtime_ns,
            stat.st_ctime_ns,
            stat.st_ino,
        )
    for folder in ("cases", "agenda"):
        prefix = folder + "/"
        for name, st in _look(root, folder).files.items():
            states[prefix + name] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return states


@dataclass(slots=True)
class _Look:
    """One look at a data folder: its data files' stats, the entries named like data files
    that are not files, the folder's own time, and the files as entries (made when asked)."""

    files: dict[str, os.stat_result]
    others: list[os.DirEntry[str]]
    folder_state: int
    entries: tuple[_Entry, ...] | None = None


def _look(root: Path, folder: str) -> _Look:
    """The folder as it is now; within `one_look`, as it was when first looked at, as long as
    the folder's own time is the same."""
    looks = _LOOK.get()
    try:  # every write of ours renames a file into place, which changes the folder's times
        folder_state = os.stat(root / folder).st_mtime_ns
    except OSError:
        folder_state = -1
    seen = looks.get((str(root), folder)) if looks is not None else None
    if seen is not None and seen.folder_state == folder_state:
        return seen
    files: dict[str, os.stat_result] = {}
    others: list[os.DirEntry[str]] = []
    with suppress(FileNotFoundError, NotADirectoryError), os.scandir(root / folder) as found:
        for entry in found:
            if not entry.name.endswith((".yaml", ".yml")):
                continue
            if not is_file(entry):
                others.append(entry)
                continue
            try:  # (a suppress() per file costs a tenth of the listing)
                files[entry.name] = entry.stat()
            except OSError:
                continue
    seen = _Look(files, others, folder_state)
    if looks is not None:
        looks[(str(root), folder)] = seen
    return seen


def _listing(
    root: Path, folder: str, override: Mapping[str, bytes] | None, problems: list[Problem]
) -> list[_Entry]:
    """The data files of `folder` as `yaml_files` gives them, each with its stat (None for a
    file only in `override`); by names as strings, a hundred times a thousand files. Entries
    named like data files that are not files are added to `problems`."""
    seen = _look(root, folder)
    files = seen.files
    problems.extend(not_a_file(folder, e) for e in sorted(seen.others, key=lambda e: e.name))
    added = [
        name
        for folder_name, _, name in (r.rpartition("/") for r in override or ())
        if folder_name == folder and name.endswith((".yaml", ".yml")) and name not in files
    ]
    if not added:
        if seen.entries is None:
            prefix = folder + "/"
            seen.entries = tuple(
                _Entry(
                    root, prefix + n, st, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                )
                for n, st in sorted(files.items())
            )
        return list(seen.entries)
    entries: dict[str, os.stat_result | None] = {**files, **dict.fromkeys(added)}
    return [_entry(root, f"{folder}/{name}", entries[name]) for name in sorted(entries)]


class _Entry(NamedTuple):
    """A data file as listed: by name as a string, with its stat and (size, mtime, ctime,
    inode) (both None for a file that exists only in an override). A tuple: thousands are
    made per listing."""

    root: Path
    relative: str
    stat: os.stat_result | None
    state: _State | None

    @property
    def path(self) -> Path:
        return self.root / self.relative


def _entry(root: Path, relative: str, stat: os.stat_result | None) -> _Entry:
    if stat is None:
        return _Entry(root, relative, None, None)
    return _Entry(
        root, relative, stat, (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    )


def _summary(
    index: Index,
    base: str,
    entry: _Entry,
    kind: str,
    store: Store | None,
    override: Mapping[str, bytes] | None,
    register: _Register,
    prefetched: Prefetched | None = None,
) -> Summary:
    """The file's summary, added to `index`: from the store when its content is known there,
    else by reading it (kept in `index.already`, so a file in scope is not read twice)."""
    relative = entry.relative
    key = f"{base}/{relative}"
    found = _find_summary(
        index.root, key, entry, kind, store, override, index.already, register, prefetched
    )
    index.summaries.append(found[0])
    if found[1]:
        index.digests[relative] = found[1]
    return found[0]


def _find_summary(
    root: Path,
    key: str,
    entry: _Entry,
    kind: str,
    store: Store | None,
    override: Mapping[str, bytes] | None,
    already: dict[str, FileRead],
    register: _Register,
    prefetched: Prefetched | None = None,
) -> tuple[Summary, str]:
    relative = entry.relative
    if prefetched is not None and relative in prefetched:
        # Read whole by this process before the index (a cold check's share): kept for the
        # meetings' narrow loads, however the summary is found.
        read = prefetched[relative][2]
        if read is not None:
            already[relative] = read
    state = None
    if entry.stat is not None and not (override and relative in override):
        stat = entry.stat
        state = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        seen = _SEEN.get(key)
        if seen is not None and seen[0] == state:
            register.keep(relative, state, seen[1], seen[2])
            return seen[1], seen[2]
        registered = register.find(relative, state)
        if registered is not None:
            return registered
    found: tuple[Summary, str] | None = None
    if prefetched is not None and relative in prefetched:
        summary, digest, _ = prefetched[relative]
        found = (summary, digest)
    elif store is not None and state is not None and entry.stat is not None:
        with suppress(OSError):  # reading it says why
            known = store.summary(key, relative, kind, entry.stat)
            if known is not None:
                value, digest = known
                if isinstance(value, tuple) and len(value) == 6:
                    found = (Summary(*value), digest)
    if found is None:
        read = read_file(root, entry.path, kind, store, override)
        already[relative] = read
        found = (Summary.of(read), read.digest)
        if read.digest and store is not None:
            # Under the content actually read, whatever the times said a moment ago.
            store.remember_summary(relative, read.digest, found[0].plain(), entry.stat)
    if state is not None and settled(state) and found[1]:
        if len(_SEEN) > _SEEN_AT_MOST:  # a long-running process (the web app) starts afresh
            _SEEN.clear()
        _SEEN[key] = (state, found[0], found[1])
    if state is not None:
        register.keep(relative, state, found[0], found[1])
    return found


class _Register:
    """Every data file's summary in one value of the store, as the last index found it: a
    command on one meeting of a large archive reads one value instead of a row per file. An
    entry is trusted as the store's own rows are: only when written with settled times, and
    when the file's size, times and inode are still those."""

    # Fewer changed files than this leave the stored value as it is: each is found in the
    # store's rows, and a recording command does not write the whole index for its one file.
    REWRITE_FROM = 16

    def __init__(self, known: dict[str, Any]) -> None:
        self.known = known
        self.now: dict[str, Any] = {}
        self.changed = 0 if known else self.REWRITE_FROM

    def find(self, relative: str, state: tuple[int, int, int, int]) -> tuple[Summary, str] | None:
        entry = self.known.get(relative)
        if entry is None or entry[0] != state:
            return None
        try:
            found = (Summary(*entry[2]), entry[1])
        except TypeError:  # not what this version writes: found another way
            return None
        self.now[relative] = entry
        return found

    def keep(
        self, relative: str, state: tuple[int, int, int, int], summary: Summary, digest: str
    ) -> None:
        if not digest or not settled(state):
            self.changed += 1
            return
        entry = self.known.get(relative)
        if entry is None or entry[0] != state or entry[1] != digest:
            self.changed += 1
            entry = (state, digest, summary.plain())
        self.now[relative] = entry

    def worth_saving(self) -> bool:
        gone = len(self.known) - len(self.now)
        return self.changed >= self.REWRITE_FROM or gone >= self.REWRITE_FROM
