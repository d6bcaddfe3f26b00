"""Build a meeting's documents: load, check, make the contexts, render, write."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._nodes import suggest
from .cache import Store, open_store
from .check import check_project, check_public_text
from .context import DocumentKind, Edition, History, case_history
from .errors import DagsordenError, Location, Problem, Problems, ProblemsError, Severity
from .frozen import document_context, is_frozen
from .inside import check_template_places
from .load import load_project
from .model import Meeting, Project
from .progress import BUILDING
from .records import ARCHIVE
from .scope import CHANGED_MEANWHILE, load_meetings, read_index

if TYPE_CHECKING:
    from ._outputs import Built, Progress

# Rendering and PDF are imported only by a build: a recording command checks without them.
__all__ = ["build", "check", "context_for", "examine", "examine_whole", "select_meetings"]


def check(
    root: Path,
    *,
    strict: bool = False,
    meetings: Iterable[str] = (),
    override: Mapping[str, bytes] | None = None,
    whole: bool = False,
) -> tuple[Project, list[Problem]]:
    """Load and check the project; raise with every problem if anything is wrong.

    Returns the project and its warnings when it may be built. With `strict`, warnings
    count as errors. When `meetings` are named, only errors in the files those meetings use
    (the organisation, the meetings, their cases and the cases' earlier meetings) stop the
    build: a colleague's half-written case for next month must not stop this week's agenda.
    The other errors are still reported, as warnings. Named meetings are read narrowly
    (scope.py): their files, their cases and the other meetings treating those, and only
    their rules are checked; every file's reading problems are still reported. `override`
    gives some agenda or case files' content instead of what is on disk. With `whole`, every
    file is read and the project holds every meeting (for a command that looks for another
    meeting).
    """
    project, found, _ = _check(
        root, strict=strict, meetings=meetings, override=override, whole=whole
    )
    _refuse(found, strict)
    return project, found


def examine(root: Path, name: str) -> tuple[Project, list[Problem]]:
    """`check` of one meeting without refusing: the project as far as the meeting reaches and
    every problem found, for a face that shows the problems beside the data (the web app)."""
    return examine_whole(root, name)


def examine_whole(root: Path, name: str, *, whole: bool = False) -> tuple[Project, list[Problem]]:
    """`examine`; with `whole`, the project holds every meeting (see `check`)."""
    project, found, _ = _check(root, strict=False, meetings=[name], whole=whole)
    return project, found


def _check(
    root: Path,
    *,
    strict: bool,
    meetings: Iterable[str],
    store: Store | None = None,
    override: Mapping[str, bytes] | None = None,
    whole: bool = False,
) -> tuple[Project, list[Problem], History]:
    """`check` without refusing: the project, every problem found, and the case history it
    computed, so a build need not again."""
    own = store is None
    if store is None:
        store = open_store(root)
    names = [_meeting_name(n) for n in meetings]
    try:
        scoped = None
        if names and not whole:
            index = read_index(root, store, override)
            scoped = load_meetings(root, names, store, override, index)
        project, problems = scoped or load_project(root, store, override)
        history = case_history(project)
        found = checked(project, problems, history, names, store)
    finally:
        if own:
            store.close()
        else:
            store.save()
    return project, found, history


def checked(
    project: Project,
    problems: Problems,
    history: History,
    names: list[str],
    store: Store | None,
    *,
    whole_records: bool = True,
    demote: bool = True,
    templates: bool = True,
) -> list[Problem]:
    """The problems of a loaded project: those found loading it (`problems`), its rules,
    and the CPR guard over its public documents. With `names`, errors in files the named
    meetings do not use become warnings (unless not `demote`), and only their public
    documents are scanned."""
    broken = {p.location.file for p in problems.errors}
    org = project.organisation
    check_project(
        project,
        problems,
        # An error in the organisation file that left nothing out (a wrong protokoltitel)
        # does not stop the rules that read it; one that left a body or person out does.
        organisation_complete=org is not None and org.whole,
        cases_complete=not any(f.startswith("cases/") for f in broken),
        history=history,
        store=store,
        whole_records=whole_records,
    )
    if whole_records and templates:  # else the caller checks them once for the project
        check_template_places(project.root, problems)
    found = problems.sorted()
    stopping = [p for p in found if p.is_error]
    if names:
        used = _files_used(project, names, broken, history)
        stopping = [p for p in stopping if _is_used(p.location.file, used)]
        if demote:
            found = [
                p if not p.is_error or _is_used(p.location.file, used) else _unused(p)
                for p in found
            ]
    if not stopping and project.cpr_candidates:
        cpr = Problems()
        selected = {n for n in names if n in project.meetings} or None
        shown = [
            m for m in _cpr_meetings(project, history) if selected is None or m.name in selected
        ]
        check_public_text(project, list(_public_strings(project, shown, history)), cpr)
        found = sorted([*found, *cpr.items], key=_order)
    return found


def _refuse(found: list[Problem], strict: bool) -> None:
    """Nothing may be built or written when there are errors (or, `strict`, warnings)."""
    if any(p.is_error for p in found) or (strict and found):
        raise ProblemsError(found)


def _order(problem: Problem) -> tuple[str, int, int]:
    return (problem.location.file, problem.location.line, problem.location.column)


def _meeting_name(name: str) -> str:
    return Path(name).stem if name.endswith((".yaml", ".yml")) else name


def _files_used(project: Project, names: list[str], broken: set[str], history: History) -> set[str]:
    """The files whose content reaches the documents of the named meetings."""
    used = {"organisation.yaml", "templates/"}
    used |= {f"agenda/{n}{suffix}" for n in names for suffix in (".yaml", ".yml")}
    numbers = {
        item.case.name
        for name in names
        if name in project.meetings
        for item in project.meetings[name].items
        if item.case is not None
    }
    # A meeting file that cannot be read may hold earlier decisions these documents show: it
    # counts as used when its text mentions one of their cases (a colleague's half-written
    # meeting for another body does not).
    unread = sorted(f for f in broken if f.startswith("agenda/") and f not in used)
    if unread:
        mentions = re.compile(
            "|".join(rf"(?<![\w/]){re.escape(n)}(?![\w/])" for n in sorted(numbers)) or "(?!)"
        )
        for file in unread:
            try:
                text = (project.root / file).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            if mentions.search(text):
                used.add(file)
    for name in names:
        meeting = project.meetings.get(name)
        if meeting is None:
            continue
        for item in meeting.items:
            if item.case is None:
                continue
            case = project.cases.get(item.case.name)
            if case is None:  # perhaps in a case file that could not be read
                used |= {f for f in broken if f.startswith("cases/")}
                continue
            used.add(case.location.file)
            used |= {m.location.file for m, _ in history.get(case.number, [])}
    # A meeting's frozen records are its documents: every problem with them is its own.
    shown = {f.removeprefix("agenda/").rsplit(".", 1)[0] for f in used if f.startswith("agenda/")}
    return used | {f"{ARCHIVE}/{name}/" for name in shown} | {f"{ARCHIVE}/{name}" for name in shown}


def _is_used(file: str, used: set[str]) -> bool:
    """`file` is one of `used`, or lies in one of its folders (those ending in '/')."""
    if file in used:
        return True
    parts = file.split("/")
    return any("/".join(parts[:n]) + "/" in used for n in range(1, len(parts)))


def _unused(problem: Problem) -> Problem:
    return Problem(
        Severity.WARNING,
        problem.location,
        f"{problem.message} (filen bruges ikke af de møder, der bygges, så de bygges alligevel)",
    )


def _public_strings(project: Project, meetings: list[Meeting], history: History) -> Iterator[str]:
    """Every text of every public document of these meetings."""
    for meeting in meetings:
        for kind in DocumentKind:
            # A frozen document was sent or approved as it is; it can no longer be changed.
            if not is_frozen(project, meeting, kind):
                yield from _strings(
                    document_context(project, meeting, kind, Edition.PUBLIC, history)
                )


def _cpr_meetings(project: Project, history: History) -> list[Meeting]:
    """The meetings whose public documents could show a CPR candidate's number.

    The CPR guard reports a candidate when its number stands anywhere in a public document,
    so every meeting is scanned that can show a file holding the number's first six digits:
    a file a candidate came from, and any other (the same number tagged !ikke-cpr, or written
    across a line break). A file reaches these documents: the organisation every meeting's, a
    case every meeting that treats it, a meeting its own and its cases' other treatments. Only
    those meetings' public contexts are built, instead of every meeting's.
    """
    org = project.organisation
    prefixes, files_found = _candidates(project.cpr_candidates)
    files = {f for f, found in project.six_digits.items() if not prefixes.isdisjoint(found)}
    files |= files_found
    wordings = (
        w for b in (org.bodies.values() if org else ()) for w in (b.closed_wording, *b.vote_wording)
    )
    # A body's wording with digits could join them to a title's or a name's into a number.
    if org is None or "organisation.yaml" in files or any(_DIGIT.search(w) for w in wordings):
        return list(project.meetings.values())
    wanted: set[str] = set()
    for case in project.cases.values():
        if case.location.file in files:
            wanted |= {m.name for m, _ in history.get(case.number, ())}
    for meeting in project.meetings.values():
        if meeting.location.file in files:
            wanted.add(meeting.name)
            for item in meeting.items:
                if item.case is not None:
                    wanted |= {m.name for m, _ in history.get(item.case.name, ())}
    return [m for m in project.meetings.values() if m.name in wanted]


_DIGIT = re.compile(r"\d")
# The last candidates' prefixes and files: every meeting a check scopes shares the index's
# candidates (one tuple, never changed), and a cold check of an archive scopes 1,000 of them.
_LAST_CANDIDATES: list[tuple[tuple[tuple[str, Location], ...], frozenset[str], frozenset[str]]] = []


def _candidates(
    candidates: tuple[tuple[str, Location], ...],
) -> tuple[frozenset[str], frozenset[str]]:
    """The first six digits of the CPR candidates, and the files they were found in."""
    if not _LAST_CANDIDATES or _LAST_CANDIDATES[0][0] is not candidates:
        _LAST_CANDIDATES[:] = [
            (
                candidates,
                frozenset(number[:6] for number, _ in candidates),
                frozenset(location.file for _, location in candidates),
            )
        ]
    return _LAST_CANDIDATES[0][1], _LAST_CANDIDATES[0][2]


def _strings(value: Any) -> Iterator[str]:
    """Every string in a context, in reading order (walked without recursion: a context of a
    large meeting holds a hundred thousand values)."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            if "runs" in value:  # a block's text as it reads, whatever its formatting
                yield "".join(str(run["text"]) for run in value["runs"])
            stack.extend(reversed(value.values()))
        elif isinstance(value, list):
            stack.extend(reversed(value))


def select_meetings(project: Project, names: Iterable[str]) -> list[Meeting]:
    wanted = list(names)
    if not wanted:
        return sorted(project.meetings.values(), key=lambda m: m.sort_key)
    meetings = []
    for name in wanted:
        key = _meeting_name(name)
        if key not in project.meetings:
            known = tuple(project.meetings)
            raise DagsordenError(
                f"ukendt møde '{name}' (kendte: {', '.join(known) or 'ingen'}){suggest(key, known)}"
            )
        meetings.append(project.meetings[key])
    return meetings


@contextmanager
def _silent(total: int, label: str) -> Iterator[Callable[[str], None]]:
    yield lambda name: None


def build(
    root: Path,
    names: Iterable[str] = (),
    *,
    out: Path | None = None,
    strict: bool = False,
    pdf: bool = False,
    progress: Progress = _silent,
) -> tuple[list[Built], list[Problem]]:
    """Build the documents of the named meetings (all when none are named).

    Only what changed is made again: a document whose data, template and dagsorden version
    are as when it was written, and whose file is as written, is left alone (`Built.written`
    is False; the record is `out/.dagsorden-bygget.json`). The documents are rendered one at a
    time into temporary files and renamed into place only when all of them succeeded, so a
    broken template or bad data leaves the previous documents as they were. With `pdf`, every
    document is also made into PDF, on two LibreOffices side by side, and each meeting gets an
    agenda packet per edition; `progress(total, label)` gives a callback for each document
    done or found current (for a bar).
    """
    from ._outputs import make_documents

    names = list(names)
    if not names:
        return _build_all(root, out or root / "out", strict=strict, pdf=pdf, progress=progress)
    project, warnings, history = _check(root, strict=strict, meetings=names)
    _refuse(warnings, strict)
    meetings = select_meetings(project, names)
    built = make_documents(
        root, project, meetings, history, out or root / "out", pdf=pdf, progress=progress
    )
    return built, warnings


def _counting(progress: Progress, kept: list[Built]) -> Progress:
    """The build's progress, counting the documents found current before it without loading
    their meetings first, as if it had found them itself."""

    @contextmanager
    def counting(total: int, label: str) -> Iterator[Callable[[str], None]]:
        extra = kept if label == BUILDING else []
        with progress(total + len(extra), label) as advance:
            for document in extra:
                advance(document.path.name)
            yield advance

    return counting


def _build_all(
    root: Path, out: Path, *, strict: bool, pdf: bool, progress: Progress
) -> tuple[list[Built], list[Problem]]:
    """Every meeting: checked as 'tjek' checks (remembered meeting by meeting), then only the
    meetings whose documents are not current are loaded and built (_current.py)."""
    from ._check_all import keys_for
    from ._current import Current, stale_meetings
    from ._outputs import make_documents
    from .project_check import check_everything

    warnings = check_everything(root, strict=strict, progress=progress)
    store = open_store(root)
    try:
        index = read_index(root, store)
        current = Current(root, out, keys_for(root, store, index), pdf, store)
        stale, kept = stale_meetings(current, index)
        built: list[Built] = []
        documents = [b for b in kept if b.path.suffix == ".docx"]
        if stale:
            scoped = load_meetings(root, stale, store, None, index)
            if scoped is None:  # a file changed between the index and reading it whole
                raise DagsordenError(CHANGED_MEANWHILE)
            project = scoped[0]
            meetings = sorted((project.meetings[n] for n in stale), key=lambda m: m.sort_key)
            history = case_history(project)
            built = make_documents(
                root, project, meetings, history, out, pdf=pdf,
                progress=_counting(progress, documents),
            )  # fmt: skip
        else:
            with progress(len(documents), BUILDING) as advance:
                for document in documents:
                    advance(document.path.name)
        current.write([*built, *kept], sorted(index.meetings))
    finally:
        store.close()
    return [*built, *kept], warnings


def context_for(
    root: Path, name: str, kind: DocumentKind, edition: Edition = Edition.INTERNAL
) -> dict[str, Any]:
    """The template context of one document, for secretaries who edit templates."""
    project, _ = check(root, meetings=[name])
    (meeting,) = select_meetings(project, [name])
    return document_context(project, meeting, kind, edition)
