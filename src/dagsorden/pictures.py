"""Pictures in text fields: files from inside the data project, checked and named by content.

A text shows a picture with `![alt text](kort/vej.png)`, the path written from the project
folder as a bilag's `fil:` is. The check makes sure the file lies inside the project
(`inside.outside_problem`), exists and is a picture Word can show; the context carries the
file's SHA-256, so a changed picture remakes the document, and a frozen document is never
rebuilt with another picture than the one it was sent with.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .cache import file_sha256
from .errors import DagsordenError, Problems
from .inside import outside_problem
from .model import Case, Meeting, Text

__all__ = [
    "case_pictures",
    "check_pictures",
    "meeting_pictures",
    "picture_problem",
    "shown_pictures",
    "stamp_pictures",
    "verify_pictures",
]

# A picture's first bytes, by what it must be.
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def case_pictures(case: Case) -> Iterator[Text]:
    """The texts of a case that can show pictures."""
    yield from (s.text for s in case.sections)
    if case.recommendation is not None:
        yield case.recommendation


def meeting_pictures(meeting: Meeting) -> Iterator[Text]:
    """The texts of a meeting that can show pictures."""
    for item in meeting.items:
        for text in (item.text, item.recommendation, item.decision, item.public_decision):
            if text is not None:
                yield text
        yield from (n.text for n in item.notes)
    yield from (c.text for c in meeting.corrections)


def check_pictures(root: Path, texts: Iterator[Text], problems: Problems) -> None:
    """Every picture of `texts` lies inside the project folder `root`, exists and is a PNG or
    JPEG file; each problem at the place the picture is written."""
    for text in texts:
        for ref in text.pictures:
            problem = picture_problem(root, ref.name)
            if problem is not None:
                problems.error(ref.location, problem)


def picture_problem(root: Path, name: str) -> str | None:
    """Why the picture `name` cannot be shown, as a Danish sentence; None when it can."""
    if outside := outside_problem(root, name, "billedet"):
        return outside
    path = root / name
    if not path.is_file():
        return f"billedet '{name}' findes ikke"
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return f"billedet '{name}' kan ikke læses"
    if not any(head.startswith(signature) for signature in _SIGNATURES):
        return f"billedet '{name}' er ikke en PNG- eller JPEG-fil; gem det igen som PNG eller JPEG"
    return None


def stamp_pictures(context: Any, root: Path) -> None:
    """Give every picture block of a context the SHA-256 of its file ("" when it cannot be
    read; the check has said why)."""
    for block in _picture_blocks(context):
        block["sha256"] = _sha256(root / block["file"])


def verify_pictures(context: Any, root: Path) -> None:
    """Every picture a context shows is still the file it was made with: a frozen document is
    rebuilt with the picture it was sent with, or not at all (DagsordenError, in Danish)."""
    wrong = []
    for block in _picture_blocks(context):
        name, digest = str(block["file"]), block.get("sha256")
        problem = picture_problem(root, name)
        if problem is None and digest is not None and _sha256(root / name) != digest:
            problem = (
                f"billedet '{name}' er ændret, siden dokumentet blev lavet med det; læg det"
                " oprindelige billede tilbage (et nyt billede får et nyt filnavn)"
            )
        if problem is not None:
            wrong.append(problem)
    if wrong:
        raise DagsordenError("; ".join(dict.fromkeys(wrong)))


def shown_pictures(context: Any) -> dict[str, str]:
    """The picture files a context shows, each with the SHA-256 it was shown with."""
    return {str(b["file"]): str(b.get("sha256", "")) for b in _picture_blocks(context)}


# Blocks that never hold a picture: a picture is always a block of its own (one in a list item
# or a table cell is shown as its alt text), so their runs and cells are not walked.
_NO_PICTURES = frozenset(("paragraph", "bullet", "number", "table", "pagebreak"))


def _picture_blocks(context: Any) -> Iterator[dict[str, Any]]:
    if isinstance(context, dict):
        kind = context.get("kind")
        if kind == "image" and isinstance(context.get("file"), str):
            yield context
            return
        if kind in _NO_PICTURES and "runs" in context:
            return
        for value in context.values():
            yield from _picture_blocks(value)
    elif isinstance(context, list):
        for value in context:
            yield from _picture_blocks(value)


def _sha256(path: Path) -> str:
    # Not remembered: a picture is small, and a long-running process must see it change.
    try:
        return file_sha256(path)
    except OSError:
        return ""
