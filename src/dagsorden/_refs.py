"""What a recording command was given, resolved against the meeting: items, people, times.

An item is named by its number on the agenda (`2`) or by the number of the case it treats
(`22/291`), as the secretary reads them on paper; an unknown one is refused with the list of
the meeting's items.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from ._nodes import suggest
from .errors import RecordError
from .model import Item, Meeting, Project

__all__ = [
    "ItemRef",
    "clock",
    "item_label",
    "item_number",
    "item_numbers",
    "member",
    "person",
]

ItemRef = int | str
_LISTED = 12  # more items than this, and an error points at 'dagsorden punkter' instead
_RANGE = re.compile(r"(\d+)-(\d+)")


def item_number(meeting: Meeting, ref: ItemRef) -> int:
    """The position (1, 2, …) of the item `ref` names: its number, or its case's number."""
    text = str(ref).strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(meeting.items):
            return number
        raise RecordError(f"punkt {number} findes ikke på mødet {meeting.name}{_listing(meeting)}")
    cases = [i.case.name for i in meeting.items if i.case is not None]
    if text in cases:
        return _case_positions(meeting)[text]
    if any(c.isdigit() for c in text):
        raise RecordError(
            f"sagen {text} står ikke på mødet {meeting.name}{_listing(meeting)}"
            f"{suggest(text, tuple(cases))}"
        )
    raise RecordError(
        f"'{text}' er hverken et punktnummer eller et sagsnummer (fx 2 eller 22/291)"
        f"{_listing(meeting)}"
    )


def item_numbers(meeting: Meeting, refs: Iterable[ItemRef]) -> list[int]:
    """Several items, each a number, a case number or a range of numbers (`1-3`)."""
    numbers: list[int] = []
    for ref in refs:
        text = str(ref).strip()
        found = _RANGE.fullmatch(text)
        if text in _case_positions(meeting):  # a case number such as 2026-1234 is no range
            numbers.append(_case_positions(meeting)[text])
        elif found and int(found[1]) <= int(found[2]):
            for number in range(int(found[1]), int(found[2]) + 1):
                numbers.append(item_number(meeting, number))
        else:
            numbers.append(item_number(meeting, text))
    return numbers


def item_label(meeting: Meeting, number: int) -> str:
    """'punkt 1 (sag 22/291)', 'punkt 3 (Meddelelser)': how messages name an item."""
    return f"punkt {number} ({_what(meeting.items[number - 1])})"


def _what(item: Item) -> str:
    if item.case is not None:
        return f"sag {item.case.name}"
    return _short(item.title or "uden titel", 30)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _case_positions(meeting: Meeting) -> dict[str, int]:
    return {
        item.case.name: number
        for number, item in enumerate(meeting.items, start=1)
        if item.case is not None
    }


def _listing(meeting: Meeting) -> str:
    """'; punkterne er 1 (sag 22/291), 2 (sag 23/1532) og 3 (Meddelelser)'."""
    count = len(meeting.items)
    if count == 0:
        return " (mødet har ingen punkter endnu)"
    if count > _LISTED:
        return f"; mødet har punkterne 1-{count} (se dem med 'dagsorden punkter {meeting.name}')"
    labels = [f"{n} ({_what(i)})" for n, i in enumerate(meeting.items, start=1)]
    if count == 1:
        return f"; mødets eneste punkt er {labels[0]}"
    return f"; punkterne er {', '.join(labels[:-1])} og {labels[-1]}"


def member(project: Project, meeting: Meeting, name: str) -> None:
    """`name` is a member of the meeting's body on the day, or a stedfortræder at it."""
    org = project.organisation
    assert org is not None
    person(project, name)
    found = org.people[name]
    if found.membership(meeting.bodies, meeting.date) is None and name not in {
        s.person.name for s in meeting.substitutes
    }:
        body = org.bodies[meeting.body.name].name
        raise RecordError(f"{name} er ikke medlem af {body} den {meeting.date:%d-%m-%Y}")


def person(project: Project, name: str) -> None:
    org = project.organisation
    assert org is not None
    if name not in org.people:
        raise RecordError(f"ukendt person '{name}'{suggest(name, tuple(org.people))}")


def clock(value: str) -> str:
    """A time as the files write it, '17:45', from '17:45' or '17.45'."""
    try:
        hour, minute = (int(p) for p in value.replace(".", ":").split(":"))
        dt.time(hour, minute)
    except ValueError:
        raise RecordError(f"'{value}' er ikke et klokkeslæt på formen TT:MM (fx 17:45)") from None
    return f"{hour}:{minute:02d}"
