"""Problems in data and templates, and the one exception family the library raises."""

from __future__ import annotations

import dataclasses
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = [
    "ChangeRefused",
    "DagsordenError",
    "Location",
    "Problem",
    "Problems",
    "ProblemsError",
    "RecordError",
    "Severity",
    "TemplateError",
    "cannot_write",
    "quick_unpickling",
]


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class Severity(Enum):
    ERROR = "fejl"
    WARNING = "advarsel"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value came from: a file relative to the project, 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0
    source_line: str | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    location: Location
    message: str
    # A machine-readable kind for the few problems a command may settle itself (an interrupted
    # freezing, which the same command completes); never shown.
    code: str | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value}: {self.message}"

    def render(self) -> str:
        """The problem as a compiler prints it: the message, the offending line, a caret."""
        text = str(self)
        src = self.location.source_line
        if src is not None and self.location.column:
            # Invisible characters would move the terminal's cursor and the caret with it.
            shown = _CONTROL.sub("?", src.rstrip("\n").replace("\t", " "))
            caret = " " * (self.location.column - 1) + "^"
            text += f"\n    {shown}\n    {caret}"
        return text


class Problems:
    """Collects every problem found, so all of them can be reported at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, location: Location, message: str, *, code: str | None = None) -> None:
        self.items.append(Problem(Severity.ERROR, location, message, code))

    def warning(self, location: Location, message: str) -> None:
        self.items.append(Problem(Severity.WARNING, location, message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def sorted(self) -> list[Problem]:
        return sorted(
            self.items,
            key=lambda p: (p.location.file, p.location.line, p.location.column),
        )

    def __len__(self) -> int:
        return len(self.items)


def cannot_write(path: object, exc: OSError) -> str:
    """Why a file could not be written, in Danish (an OSError's own text is English)."""
    reasons = {
        FileExistsError: "der ligger en fil, hvor mappen skulle være",
        NotADirectoryError: "der ligger en fil, hvor mappen skulle være",
        IsADirectoryError: "der ligger en mappe med det navn",
        PermissionError: "du har ikke adgang til at skrive der",
    }
    return f"kan ikke skrive {path}: {reasons.get(type(exc), 'filsystemet afviste det')}"


class DagsordenError(Exception):
    """Base of every error the library raises on purpose."""


class ProblemsError(DagsordenError):
    """The data has errors; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RecordError(DagsordenError):
    """A recording command was refused; nothing was written."""


class ChangeRefused(RecordError):
    """A change the check refused: the message lists the errors; `problems` are those errors
    and `text` what `file` would have held, so a form can show each error at its field."""

    def __init__(self, message: str, problems: list[Problem], file: str, text: str) -> None:
        super().__init__(message)
        self.problems = problems
        self.file = file
        self.text = text

    @classmethod
    def of(cls, errors: list[Problem], file: str, new: bytes) -> ChangeRefused:
        """The refusal of writing `new` to `file` because of `errors`."""
        return cls(
            "ændringen ville give fejl i data, så intet er skrevet:\n"
            + "\n".join(p.render() for p in errors),
            errors,
            file,
            new.decode("utf-8", "replace"),
        )


class TemplateError(DagsordenError):
    """A Word template is broken; the message names the template and the place in it."""


def quick_unpickling(namespace: dict[str, Any]) -> None:
    """Pickle the slotted dataclasses defined in `namespace` as their constructor's
    arguments: the store pickles and unpickles thousands of them per command, and
    `dataclasses`' own `__getstate__`/`__setstate__` run Python code per object and look the
    fields up again each time (measured on 1,000 files: half the time both ways)."""
    for value in list(namespace.values()):
        if (
            isinstance(value, type)
            and value.__module__ == namespace["__name__"]
            and dataclasses.is_dataclass(value)
            and "__slots__" in value.__dict__
        ):
            value.__reduce__ = _by_arguments(value)  # type: ignore[method-assign, assignment]


def _by_arguments(cls: type) -> Callable[[object], tuple[Any, ...]]:
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    if len(names) != len(dataclasses.fields(cls)):
        raise TypeError(f"{cls.__name__}: every field must be an argument")
    if len(names) == 1:
        (name,) = names
        return lambda self: (cls, (getattr(self, name),))
    values = operator.attrgetter(*names)
    return lambda self: (cls, values(self))


quick_unpickling(globals())
