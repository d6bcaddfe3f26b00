"""The plumbing of a recording command: open the meeting, change its file, check, write.

Every command runs as one session (`located`): the meeting is opened through the check, the
change is made on the round-trip document under the file's lock, the project as it would be
afterwards must pass the check (errors the meeting's own file already had excepted: they
block nothing the change does not touch), and only then is the file replaced. The warnings a
command passes on are those of the meeting's own file that the change brought (see `write`).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar, cast

from .build import check, examine_whole
from .edit import edit_yaml, set_value
from .errors import ChangeRefused, Problem, ProblemsError, RecordError
from .model import Meeting, Project, Status
from .scope import one_look
from .text import clean

__all__ = [
    "clean_text",
    "ensure_list",
    "flow",
    "item_node",
    "located",
    "mapping",
    "new_errors",
    "open_meeting",
    "set_key",
    "shown_value",
    "write",
]

F = TypeVar("F", bound=Callable[..., Any])

# The warnings the project had when the command opened its meeting, per running command.
_BEFORE: ContextVar[list[Problem] | None] = ContextVar("_BEFORE", default=None)


def located(function: F) -> F:
    """One command, one session; refusals name the meeting's file, as every error names its
    place."""

    @functools.wraps(function)
    def wrapper(root: Path, name: str, *args: Any, **kwargs: Any) -> Any:
        token = _BEFORE.set(None)
        try:
            with one_look():
                return function(root, name, *args, **kwargs)
        except RecordError as exc:
            files = [
                f"agenda/{name}{s}"
                for s in (".yaml", ".yml")
                if (root / "agenda" / f"{name}{s}").is_file()
            ]
            if not files or str(exc).startswith(files[0]):
                raise
            raise _named(exc, f"{files[0]}: fejl: ") from exc
        finally:
            _BEFORE.reset(token)

    return cast(F, wrapper)


def _named(exc: RecordError, prefix: str) -> RecordError:
    """The refusal with `prefix` before its message; a refusal with located errors keeps them."""
    if isinstance(exc, ChangeRefused):
        return ChangeRefused(f"{prefix}{exc}", exc.problems, exc.file, exc.text)
    return RecordError(f"{prefix}{exc}")


def open_meeting(
    root: Path,
    name: str,
    *,
    allow_approved: bool = False,
    freezing: bool = False,
    whole: bool = False,
) -> tuple[Project, Meeting]:
    """The project, checked for a command on `name`. A command that freezes (`freezing`) may
    settle a missing or interrupted freezing of this meeting, so that is not an error for it,
    and it decides itself what an approved meeting allows. The project holds the meeting, its
    cases and their other meetings (scope.py); with `whole`, every meeting."""
    if freezing:
        from .freeze import check_for_freezing

        project, warnings = check_for_freezing(root, name)
    else:
        project, warnings = _check_own_file_apart(root, name, whole)
    _BEFORE.set(warnings)
    meeting = project.meetings.get(name)
    if meeting is None:
        from ._nodes import suggest

        known = tuple(project.meetings)
        raise RecordError(f"ukendt møde '{name}'{suggest(name, known)}")
    if meeting.status is Status.APPROVED and not allow_approved and not freezing:
        raise RecordError(
            f"protokollen for {name} er godkendt den {meeting.approval.date:%d-%m-%Y} og kan ikke"
            " ændres; skriv en rettelse med 'dagsorden ret'"
            if meeting.approval
            else f"protokollen for {name} er godkendt og kan ikke ændres"
        )
    return project, meeting


def _check_own_file_apart(root: Path, name: str, whole: bool) -> tuple[Project, list[Problem]]:
    """The narrow check for a recording: errors in other files the meeting uses stop it, but
    errors in the meeting's own file do not, so a problem at one item (an unknown name typed
    at item 2) does not block recording item 3 in the middle of the meeting. The write is
    still refused if the change brings an error of its own (`check_with`)."""
    project, found = examine_whole(root, name, whole=whole)
    meeting = project.meetings.get(name)
    own = meeting.location.file if meeting is not None else None
    if any(p.is_error and p.location.file != own for p in found):
        raise ProblemsError(found)
    return project, found


def write(root: Path, meeting: Meeting, change: Callable[[Any], None]) -> list[Problem]:
    """Apply `change` to the meeting's file under its lock; the changed project must pass the
    check before anything is written, so a command can never leave the data broken.

    Returns the warnings worth saying while recording: those located in the meeting's own
    file that the change brought, each once. Warnings that were there before, and those about
    other files (a colleague's half-written meeting, say), are for 'dagsorden tjek'.
    """
    found: list[Problem] = []

    def validate(new: bytes) -> None:
        found.extend(_check_changed(root, meeting, new))

    with edit_yaml(
        root / meeting.location.file, name=meeting.location.file, validate=validate
    ) as doc:
        change(doc)
    return own_new_warnings(found, meeting.location.file, _BEFORE.get() or [])


def own_new_warnings(found: list[Problem], file: str, before: list[Problem]) -> list[Problem]:
    """The warnings in `file` not already said before the change, each once."""
    said = {p.message for p in before if p.location.file == file}
    shown: list[Problem] = []
    for problem in found:
        if problem.location.file == file and problem.message not in said:
            said.add(problem.message)
            shown.append(problem)
    return shown


def check_with(root: Path, file: str, new: bytes, name: str) -> list[Problem]:
    """Check meeting `name` in the project as it would be with `file` (under agenda/) holding
    `new`; refuse with the check's own located errors (`errors.ChangeRefused`, so a form can
    show each at its field). Errors the file already had when the command opened it
    (`_BEFORE`) do not refuse the change, as long as it adds none."""
    try:
        _, warnings = check(root, meetings=[name], override={file: new})
    except ProblemsError as exc:
        errors = new_errors(exc.problems, _BEFORE.get() or [])
        if errors:
            raise ChangeRefused.of(errors, file, new) from exc
        warnings = [p for p in exc.problems if not p.is_error]
    return warnings


def new_errors(found: list[Problem], before: list[Problem]) -> list[Problem]:
    """The errors of `found` beyond those already in `before`: compared by file and message,
    counted, since a change moves the lines of what follows it."""
    left = Counter((p.location.file, p.message) for p in before if p.is_error)
    new = []
    for problem in found:
        if not problem.is_error:
            continue
        key = (problem.location.file, problem.message)
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(problem)
    return new


def _check_changed(root: Path, meeting: Meeting, new: bytes) -> list[Problem]:
    return check_with(root, meeting.location.file, new, meeting.name)


# -- the round-trip document ------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Text typed or pasted for the record, cleaned of Word's control characters as on load."""
    return clean(text)[0]


def item_node(doc: Any, number: int) -> Any:
    return doc["punkter"][number - 1]


def flow(values: list[str]) -> Any:
    """A short list written on one line, `[A, F, Ø]`, as a secretary would write it."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def mapping(values: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap(values)


def ensure_list(doc: Any, key: str, *, after: str | None = None) -> Any:
    """The list under `key`, made (after the key `after`, if present) when it is missing."""
    from ruamel.yaml.comments import CommentedSeq

    if key not in doc or doc[key] is None:
        set_key(doc, key, CommentedSeq(), after=after)
    seq = doc[key]
    if isinstance(seq, CommentedSeq) and not seq:
        seq.fa.set_block_style()  # `punkter: []` of a new meeting grows as a block list
    return seq


def set_key(doc: Any, key: str, value: Any, *, after: str | None = None) -> None:
    """Set `key`, placing a new key after `after` (or last) so the file keeps its order."""
    if key in doc or after is None or after not in doc:
        set_value(doc, key, value)
        return
    doc.insert(list(doc).index(after) + 1, key, value)


def shown_value(value: Any, width: int = 60) -> str:
    """A recorded value as a message quotes it: one line, shortened, `'Godkendt.'`."""
    if isinstance(value, dict):
        parts = [f"{k}: {shown_value(v, width)}" for k, v in value.items()]
        return "; ".join(parts)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f"'{text}'"
