"""`dagsorden tjek` of the whole project, meeting by meeting, each remembered (issue 9).

The check of the whole project is the check of each meeting in its narrow scope (scope.py: its
cases and the other meetings treating them), of the cases no meeting treats, and of what
belongs to no meeting: every file's reading problems, every frozen record against its files,
and the records' history in git. A meeting's result is kept in the store under a key made of
everything its check reads: the content of the organisation, its own file, its cases' files
and their bilag, the other meetings' files and every frozen file of those meetings, the CPR
candidates of the whole project, the version. After a change only the meetings whose key
changed are checked again; the rest costs a stat per file. Without a store every meeting is
checked, and the answer is the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, _parallel
from ._record_checks import check_committed, check_record_files
from .build import checked
from .cache import Store
from .context import case_history
from .errors import DagsordenError, Problem, Problems
from .inside import check_template_places, real_path
from .model import Case, Organisation, Project
from .progress import CHECKING, silent
from .records import ARCHIVE, read_records
from .scope import CHANGED_MEANWHILE, Index, load_meetings

if TYPE_CHECKING:
    from ._outputs import Progress

__all__ = ["check_all", "keys_for"]


def check_all(
    root: Path, store: Store, progress: Progress = silent
) -> tuple[list[Problem], tuple[str, ...] | None]:
    """Every problem of the project, and the bilag files it names (relative to the project;
    None when one lies outside it, so a fingerprint of the project cannot cover it).
    `progress(total, label)` counts the meetings that are checked again. The templates'
    problems come last. When nothing is remembered yet, a helper process reads and checks half
    of it, and then the templates (`_parallel`)."""
    helper = _parallel.start(root, store, _meeting)
    try:
        found, bilag = _check_all(root, store, progress, helper)
        templates = helper.templates if helper is not None else None
        if templates is None:
            from ._templates import check_templates  # opens Word files: only for `tjek`

            templates = check_templates(root, store)
        return [*found, *templates], bilag
    finally:
        if helper is not None:
            helper.close(store)
            store.save()


def _check_all(
    root: Path, store: Store, progress: Progress, helper: _parallel.Helper | None
) -> tuple[list[Problem], tuple[str, ...] | None]:
    index = _parallel.read_index(root, store, helper)
    reading = index.reading_problems()
    problems = Problems()
    problems.items.extend(reading)
    broken = {p.location.file for p in reading if p.is_error}
    org = index.organisation.record
    bilag = _bilag_files(root, index)
    if not isinstance(org, Organisation) or not org.whole:
        return problems.sorted(), bilag
    keys = _Keys(root, store, index, broken)
    seen = set(reading)
    treated: set[str] = set()
    results: dict[str, list[Problem]] = {}
    again: list[tuple[str, str]] = []
    for name in sorted(index.meetings):
        treated.update(index.meetings[name][1].cases)
        # A store that keeps nothing (DAGSORDEN_UDEN_CACHE) has no use for the key: making it
        # hashes every frozen file the meeting shows, which the records' check does again.
        key = keys.meeting(name) if store.collects else ""
        found = store.result(f"møde:{name}", key)
        if isinstance(found, list):
            results[name] = found
        else:
            again.append((name, key))
    keys_of = dict(again)
    mine = [n for n, _ in again] if helper is None else helper.check([n for n, _ in again])
    with progress(len(again), CHECKING) as advance:

        def done(name: str, found: list[Problem]) -> None:
            results[name] = found
            store.remember_result(f"møde:{name}", keys_of[name], found)
            advance(name)

        for name in mine:
            done(name, _meeting(root, store, index, name, seen))
            for other, found in helper.results(wait=False) if helper else ():
                done(other, found)
        if helper is not None:  # what belongs to no meeting, while the helper finishes
            # The helper checks its meetings' records against their files (it read them).
            theirs = helper.asked
            problems.items.extend(
                _beyond_meetings(root, store, index, keys, treated, org, broken, theirs)
            )
        for other, found in helper.results(wait=True) if helper else ():
            done(other, found)
        for name in keys_of:  # what a failed helper left
            if name not in results:
                done(name, _meeting(root, store, index, name, seen))
        if helper is not None:
            if helper.records is None:  # it failed before their records: checked here
                helper.records = record_files(root, store, index, only=helper.asked)
            problems.items.extend(helper.records)
    for name in sorted(results):
        problems.items.extend(results[name])
    if helper is None:
        problems.items.extend(_beyond_meetings(root, store, index, keys, treated, org, broken))
    store.save()
    return _once(problems.sorted()), bilag


def _beyond_meetings(
    root: Path,
    store: Store,
    index: Index,
    keys: _Keys,
    treated: set[str],
    org: Organisation,
    broken: set[str],
    skip: Collection[str] = (),
) -> list[Problem]:
    """What belongs to no meeting: the cases no meeting treats, every frozen record against
    its files (but those of the meetings `skip` names), the records' history in git, the
    templates' places."""
    problems = Problems()
    orphans = sorted(n for n in index.cases if n not in treated)
    key = keys.cases(orphans)
    found = store.result("sager", key)
    if not isinstance(found, list):
        found = _cases(root, store, index, orphans, org, broken)
        store.remember_result("sager", key, found)
    problems.items.extend(found)
    problems.items.extend(record_files(root, store, index, skip=skip))
    check_committed(root, problems, blob=store.git_blob)
    check_template_places(root, problems)
    return problems.items


def record_files(
    root: Path,
    store: Store,
    index: Index,
    *,
    only: Collection[str] | None = None,
    skip: Collection[str] = (),
) -> list[Problem]:
    """Every frozen record (or those of the meetings `only` names; never those `skip` names)
    against its files, and every record and correction against the meetings known."""
    problems = Problems()
    records, corrections = read_records(root, problems, only=only, files_only=store, skip=skip)
    check_record_files(root, records, corrections, index.meetings, problems, store.file_sha256)
    return problems.items


def keys_for(root: Path, store: Store, index: Index) -> _Keys:
    """The keys of each meeting's check: everything it reads (for byg, everything its
    documents are made from)."""
    broken = {p.location.file for p in index.reading_problems() if p.is_error}
    return _Keys(root, store, index, broken)


def _meeting(
    root: Path, store: Store, index: Index, name: str, reading: set[Problem]
) -> list[Problem]:
    """What checking meeting `name` in its scope finds beyond the files' reading problems."""
    scoped = load_meetings(root, [name], store, None, index)
    if scoped is None:  # a file changed between reading the index and reading it whole
        raise DagsordenError(CHANGED_MEANWHILE)
    project, problems = scoped  # with every file's reading problems
    history = case_history(project)
    found = checked(project, problems, history, [name], store, whole_records=False, demote=False)
    return [p for p in found if p not in reading]


def _cases(
    root: Path,
    store: Store,
    index: Index,
    numbers: list[str],
    org: Organisation,
    broken: set[str],
) -> list[Problem]:
    """The organisation's own rules, and those of the cases no meeting treats (no meeting,
    so no records: those are checked for the whole project by the caller)."""
    cases: dict[str, Case] = {}
    for number in numbers:
        entry = index.cases[number][0]
        read = index.already.get(entry.relative)
        if read is None:
            from .load import read_file

            read = read_file(root, entry.path, "case", store)
        if isinstance(read.record, Case):
            cases[number] = read.record
    project = Project(root, org, cases, {}, focus=frozenset(), case_numbers=index.case_numbers())
    problems = Problems()
    for problem in index.reading_problems():
        if problem.location.file in broken:
            problems.items.append(problem)  # only to say which files could not be read
    found = checked(project, problems, {}, [], store, templates=False)
    reading = set(index.reading_problems())
    return [p for p in found if p not in reading]


class _Keys:
    """What a meeting's check reads, as one digest."""

    def __init__(self, root: Path, store: Store, index: Index, broken: set[str]) -> None:
        self.root = root
        self.store = store
        self.index = index
        cpr = sorted((n, str(at)) for n, at in index.cpr())
        # A file that cannot be read may still count as used by a meeting (its text names
        # one of the meeting's cases), which decides whether the CPR guard runs.
        unread = sorted(f"{f}:{index.digests.get(f, '-')}" for f in broken)
        self.base = "|".join(
            [
                __version__,
                index.digests.get("organisation.yaml", "-"),
                str(not any(f.startswith("cases/") for f in broken)),
                _digest(repr(cpr)),
                _digest(repr(unread)),
            ]
        )
        # An unknown case's error suggests the nearest known numbers.
        self.numbers = _digest(repr(sorted(index.cases)))
        self.folders: dict[str, str] = {}

    def meeting(self, name: str) -> str:
        numbers = sorted(set(self.index.meetings[name][1].cases))
        shown = sorted({name, *(m for n in numbers for m in self.index.treating(n))})
        parts = [self.base, name]
        for other in shown:
            entry, summary = self.index.meetings[other]
            parts += [other, self.index.digests.get(entry.relative, "-"), self._folder(other)]
            parts += [f"{name}:{self._file(name)}" for name in summary.files]
        parts += self._cases(numbers)
        return _digest("\n".join(parts))

    def cases(self, numbers: list[str]) -> str:
        parts = [self.base, *self._cases(numbers)]
        return _digest("\n".join(parts))

    def _cases(self, numbers: list[str]) -> list[str]:
        parts = []
        for number in numbers:
            known = self.index.cases.get(number)
            if known is None:
                parts.append(f"{number}:ukendt:{self.numbers}")
                continue
            entry, summary = known
            parts.append(f"{number}:{entry.relative}:{self.index.digests.get(entry.relative)}")
            for name in summary.files:
                parts.append(f"{name}:{self._file(name)}")
        return parts

    def _file(self, name: str) -> str:
        """A bilag file's content, and where it really lies (a link out of the project is an
        error that names the place)."""
        path = self.root / name
        where = real_path(path)
        try:
            return f"{self.store.file_sha256(path)}:{where}"
        except OSError:
            return f"mangler:{where}"

    def _folder(self, name: str) -> str:
        if name not in self.folders:
            found = self.store.fingerprint(self.root, [f"{ARCHIVE}/{name}"])
            self.folders[name] = found or "-"
        return self.folders[name]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _once(problems: list[Problem]) -> list[Problem]:
    """Each problem once: a case's are found by the check of every meeting treating it."""
    seen: set[Problem] = set()
    out = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            out.append(problem)
    return out


def _bilag_files(root: Path, index: Index) -> tuple[str, ...] | None:
    """Every bilag file the cases name and every picture the data shows, as named (so the
    fingerprint follows a link the way the check does, and sees where it leads); None when one
    lies outside the project or is a link in a loop (the fingerprint would not see it, so the
    result is not kept)."""
    base = root.resolve()
    names = set()
    for _, summary in [*index.cases.values(), *index.meetings.values()]:
        for name in summary.files:
            path = real_path(root / name)
            if path is None or not path.is_relative_to(base):
                return None
            names.add(name)
    return tuple(sorted(names))
