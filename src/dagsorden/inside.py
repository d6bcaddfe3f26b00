"""Files the documents take from disk come only from inside the data project.

A bilag's `fil:`, the project's own templates and the pictures in texts are named by the
data, and the data may come from anyone who can commit to the project. What they name must
lie inside the project folder once every symbolic link is followed: an absolute path, a `../`
that leaves the folder or a link to a file elsewhere would put a file from somewhere else on
the machine into a document or a packet that is sent or published, and would not travel with
the project in git.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from .errors import Location, Problems

__all__ = ["TEMPLATE_NAMES", "check_template_places", "outside_problem", "real_path"]

# The project's own templates, as `render.find_template` looks for them.
TEMPLATE_NAMES = ("dagsorden.docx", "protokol.docx", "skabelon.docx")


def relative_name(root: Path, path: Path) -> str | None:
    """`path` as written from the project folder `root` (`cases/22-291.yaml`), None when it
    lies elsewhere; by its text when it was made from `root`, as almost every path is (pathlib's
    own `relative_to` was a tenth of reading the records of a large archive)."""
    base, whole = str(root), str(path)
    if whole.startswith(base) and whole[len(base) : len(base) + 1] == os.sep and base != ".":
        return whole[len(base) + 1 :].replace(os.sep, "/")
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else None


def outside_problem(root: Path, name: str, what: str) -> str | None:
    """Why `name` (written relative to the project folder `root`) does not name a file inside
    the project, as a Danish sentence beginning with `what` ("bilagsfilen"); None when it does
    (or when it names nothing at all: whether the file exists is for the caller to say)."""
    shown = f"{what} '{name}'"
    if _is_absolute(name):
        example = PureWindowsPath(name).name or "fil.pdf"
        return (
            f"{shown} er en fuld sti; skriv stien fra projektmappen (fx 'bilag/{example}'),"
            " og læg filen i projektet"
        )
    base = real_path(root)
    if base is None:
        return None
    if not Path(os.path.normpath(base / name)).is_relative_to(base):
        return (
            f"{shown} ligger uden for projektmappen; læg filen i projektet (fx i bilag/),"
            " og skriv stien derfra"
        )
    real = real_path(root / name)
    if real is None:
        return f"{shown} er et symbolsk link, der peger i ring, så filen kan ikke findes"
    if not real.is_relative_to(base):
        if (root / name).is_symlink():
            return (
                f"{shown} er et symbolsk link til '{real}' uden for projektmappen;"
                " læg selve filen i projektet i stedet for linket"
            )
        return (
            f"{shown} ligger i en mappe, der er et symbolsk link ud af projektmappen (filen er"
            f" '{real}'); læg selve filen i projektet i stedet for linket"
        )
    return None


def check_template_places(root: Path, problems: Problems) -> None:
    """The project's own templates (`templates/*.docx` that the documents use) lie inside it."""
    for name in TEMPLATE_NAMES:
        relative = f"templates/{name}"
        if not os.path.lexists(root / relative):
            continue
        problem = outside_problem(root, relative, "skabelonen")
        if problem is not None:
            problems.error(Location(relative), problem)


def _is_absolute(name: str) -> bool:
    # A data project travels between machines: a path absolute on any of them is one.
    windows = PureWindowsPath(name)
    return PurePosixPath(name).is_absolute() or windows.is_absolute() or bool(windows.drive)


def real_path(path: Path) -> Path | None:
    """The path with every symbolic link followed; None when the links go round in a loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError, ValueError):  # a loop: RuntimeError (3.11), OSError (3.13)
        return None
