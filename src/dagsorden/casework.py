"""Writing a case: its facts (title, KLE, access, sagsgang), a section's text, and its bilag
(a new one, each one's title, numbers and access, their order), checked, locked and written
atomically.

As every recording: the case file is changed on its round-trip document under its lock, the
meetings that treat the case are checked as they would read it afterwards, and only a change
that brings no error of its own is written (errors the file already had block nothing).
Comments and order are kept. Reached through the web app's case page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ._atomic import create
from ._nodes import suggest
from ._recording import clean_text, ensure_list, flow, mapping, new_errors, set_key
from .build import check, examine_whole
from .edit import append_value, delete_value, edit_yaml, set_value, text_value
from .errors import ChangeRefused, DagsordenError, Problem, ProblemsError, RecordError
from .load import read_file
from .model import Access
from .scope import read_index

__all__ = [
    "UPLOAD_TYPES",
    "add_attachment",
    "case_file",
    "case_problems",
    "move_attachment",
    "set_attachment",
    "set_facts",
    "set_section",
]

# What a bilag may be (the packet converts Word, spreadsheets and presentations to PDF).
UPLOAD_TYPES = (".pdf", ".docx", ".doc", ".odt", ".xlsx", ".xls", ".ods", ".pptx", ".odp")
_SAFE_NAME = re.compile(r"[^a-z0-9æøå._-]+")
_ROUTE_SEPARATORS = re.compile(r"[\s,;→>]+")


def case_problems(root: Path, number: str) -> list[Problem]:
    """Every problem in the case's own file, as the check of the meetings treating it finds
    them (or, treated nowhere yet, as reading the file finds them)."""
    file = case_file(root, number)
    return [p for p in _problems(root, number, file, None) if p.location.file == file]


def set_facts(
    root: Path,
    number: str,
    *,
    title: str,
    kle: str,
    access: str,
    route: str,
    public_title: str | None = None,
    sensitive: bool | None = None,
) -> list[Problem]:
    """Write the case's title, KLE code (none when empty), access (its items' default) and
    sagsgang (abbreviations separated by commas, spaces or arrows: 'ØK, KB' or 'ØK → KB');
    given, its public title (none when empty) and whether the title itself may not be
    published (`titel_følsom`). The values are written as typed, so what is wrong is said by
    the check, as `tjek` says it."""
    file = case_file(root, number)
    bodies = [b for b in _ROUTE_SEPARATORS.split(route) if b]

    def change(doc: Any) -> None:
        set_value(doc, "titel", " ".join(title.split()))
        if sensitive:
            set_key(doc, "titel_følsom", "ja", after="titel")
        elif sensitive is not None and "titel_følsom" in doc:
            delete_value(doc, "titel_følsom")
        if public_title is not None and " ".join(public_title.split()):
            after = "titel_følsom" if "titel_følsom" in doc else "titel"
            set_key(doc, "offentlig_titel", " ".join(public_title.split()), after=after)
        elif public_title is not None and "offentlig_titel" in doc:
            delete_value(doc, "offentlig_titel")
        if kle.strip():
            set_key(doc, "kle", kle.strip(), after="sagsnr")
        elif "kle" in doc:
            delete_value(doc, "kle")
        if "adgang" in doc or access.strip() != Access.OPEN.value:  # Åben is the default
            set_key(doc, "adgang", access.strip(), after="titel")
        set_key(doc, "sagsgang", flow(bodies), after="adgang")

    return _write(root, number, file, change)


def set_attachment(
    root: Path,
    number: str,
    position: int,
    *,
    title: str,
    system_id: str,
    doc_number: str,
    access: str,
) -> list[Problem]:
    """Write bilag `position`'s (1, 2, …) title, id and document number (none when empty) and
    access; checked as `tjek` checks them."""
    file = case_file(root, number)

    def change(doc: Any) -> None:
        entry = _attachment(doc, number, position)
        set_value(entry, "titel", " ".join(title.split()))
        for key, value in (("id", system_id), ("dokumentnr", doc_number)):
            if not value.strip():
                if key in entry:
                    delete_value(entry, key)
            elif key == "id" and key not in entry:
                entry.insert(0, key, value.strip())
            else:
                set_key(entry, key, value.strip(), after="titel")
        if "adgang" in entry or access.strip() != Access.OPEN.value:
            after = "dokumentnr" if "dokumentnr" in entry else "titel"
            set_key(entry, "adgang", access.strip(), after=after)

    return _write(root, number, file, change)


def move_attachment(root: Path, number: str, position: int, to: int) -> list[Problem]:
    """Move bilag `position` to `to` (1, 2, …): its number is its place in the list."""
    file = case_file(root, number)

    def change(doc: Any) -> None:
        _attachment(doc, number, position)
        entries = doc["bilag"]
        if not 1 <= to <= len(entries):
            raise RecordError(f"sagen har bilag 1 til {len(entries)}; {to} findes ikke")
        if to == position:
            raise RecordError(f"bilaget står allerede som bilag {to}")
        moved = entries[position - 1]
        del entries[position - 1]
        entries.insert(to - 1, moved)

    return _write(root, number, file, change)


def _attachment(doc: Any, number: str, position: int) -> Any:
    entries = doc.get("bilag") or []
    if not 1 <= position <= len(entries):
        have = f"bilag 1 til {len(entries)}" if entries else "ingen bilag"
        raise RecordError(f"sagen {number} har {have}; bilag {position} findes ikke")
    return entries[position - 1]


def case_file(root: Path, number: str) -> str:
    """The file (relative to `root`) that holds case `number`."""
    index = read_index(root, None)
    found = index.cases.get(number)
    if found is None:
        raise RecordError(f"ukendt sag '{number}'{suggest(number, tuple(index.cases))}")
    return found[0].relative


def set_section(root: Path, number: str, heading: str, text: str) -> list[Problem]:
    """Write the text of one section (a heading of the case's `afsnit`); a new heading is
    added last. Returns the warnings the change brought in the case's file."""
    file = case_file(root, number)
    heading = " ".join(heading.split())
    if not heading:
        raise RecordError("afsnittet skal have en overskrift")
    body = clean_text(text).strip()

    def change(doc: Any) -> None:
        if doc.get("afsnit") is None:
            set_key(doc, "afsnit", mapping({}), after="sagsgang")
        set_value(doc["afsnit"], heading, text_value(body) if body else "")

    return _write(root, number, file, change)


def add_attachment(
    root: Path,
    number: str,
    *,
    system_id: str,
    title: str,
    filename: str,
    data: bytes,
    access: str = "Åben",
) -> tuple[str, list[Problem]]:
    """Save an uploaded file under bilag/ and list it last among the case's bilag. Returns
    the file written (relative to `root`) and the warnings."""
    file = case_file(root, number)
    suffix = Path(filename).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise RecordError(
            f"'{filename}' kan ikke bruges som bilag; brug en af {', '.join(UPLOAD_TYPES)}"
        )
    if not data:
        raise RecordError(f"filen '{filename}' er tom")
    if not system_id.strip() or not title.strip():
        raise RecordError("et bilag skal have et id og en titel")
    wanted = next((a for a in Access if a.value.casefold() == access.casefold()), None)
    if wanted is None:
        raise RecordError(f"adgang '{access}' er ukendt; brug Åben eller Lukket")
    stem = _SAFE_NAME.sub("-", Path(filename).stem.casefold()).strip("-") or "bilag"
    prefix = number.replace("/", "-")
    target = f"bilag/{prefix}-{stem}{suffix}"
    counter = 1
    while (root / target).exists():
        counter += 1
        target = f"bilag/{prefix}-{stem}-{counter}{suffix}"
    entry: dict[str, str] = {"id": system_id.strip(), "titel": " ".join(title.split())}
    if wanted is Access.CLOSED:
        entry["adgang"] = wanted.value
    entry["fil"] = target

    def change(doc: Any) -> None:
        append_value(ensure_list(doc, "bilag"), mapping(entry))

    (root / "bilag").mkdir(exist_ok=True)
    create(root / target, data, target)
    try:
        warnings = _write(root, number, file, change)
    except DagsordenError:
        (root / target).unlink(missing_ok=True)
        raise
    return target, warnings


def _write(root: Path, number: str, file: str, change: Any) -> list[Problem]:
    before = _problems(root, number, file, None)
    found: list[Problem] = []

    def validate(new: bytes) -> None:
        after = _problems(root, number, file, new)
        errors = new_errors(after, before)
        if errors:
            raise ChangeRefused.of(errors, file, new)
        said = {p.message for p in before if p.location.file == file}
        found.extend(
            p for p in after if not p.is_error and p.location.file == file and p.message not in said
        )

    with edit_yaml(root / file, name=file, validate=validate) as doc:
        change(doc)
    return found


def _problems(root: Path, number: str, file: str, new: bytes | None) -> list[Problem]:
    """Every problem of the meetings treating the case (or, treated nowhere yet, of the case's
    file as read), with `file` holding `new` when given."""
    found = _problems_of_meetings(root, number, file, new)
    return list(dict.fromkeys(found))  # a case treated at three meetings is checked thrice


def _problems_of_meetings(root: Path, number: str, file: str, new: bytes | None) -> list[Problem]:
    override = {file: new} if new is not None else None
    meetings = read_index(root, None, override).treating(number)
    if not meetings:
        read = read_file(root, root / file, "case", None, override)
        return list(read.problems)
    if new is None:
        return [p for name in meetings for p in examine_whole(root, name)[1]]
    found: list[Problem] = []
    for name in meetings:
        try:
            found.extend(check(root, meetings=[name], override=override)[1])
        except ProblemsError as exc:
            found.extend(exc.problems)
    return found
