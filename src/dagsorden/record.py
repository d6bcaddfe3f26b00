"""Recording a meeting: attendance, decisions, votes and notes, written into the meeting's file.

Each function checks its input against the project before it writes, writes through `edit`
(round-trip YAML under a lock, atomically), and refuses to touch approved minutes except by a
dated correction (KSL § 13; docs/domain.md §4.2). Every recording can be withdrawn by its
`withdraw_…` function; a recording that replaces one says what it replaced (`Recorded`).
Items are named by number or by case number (`_refs.ItemRef`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._keys import REASONS, STANDARD_DECISIONS
from ._nodes import suggest
from ._record_state import approve, correct, freeze_everything, freeze_missing, set_status
from ._recording import clean_text as _clean
from ._recording import ensure_list as _list
from ._recording import flow, item_node, shown_value
from ._recording import located as _located
from ._recording import open_meeting as _open
from ._recording import write as _write
from ._refs import ItemRef, clock, item_label, item_numbers
from ._refs import item_number as _item_number
from ._refs import member as _member
from ._refs import person as _person
from .context import item_span, participants
from .edit import append_value, delete_value, set_value, text_value
from .errors import Problem, RecordError
from .forward import forward
from .plan import (
    ItemOverview,
    MeetingOverview,
    add_item,
    item_overview,
    move_item,
    new_meeting,
    remove_item,
    set_item_access,
)

__all__ = [
    "REASONS",
    "STANDARD_DECISIONS",
    "ItemOverview",
    "ItemRef",
    "MeetingOverview",
    "RecordError",
    "Recorded",
    "absent",
    "add_item",
    "approve",
    "correct",
    "decide",
    "forward",
    "freeze_everything",
    "freeze_missing",
    "item_overview",
    "item_position",
    "move_item",
    "new_meeting",
    "not_taking_part",
    "note",
    "partial",
    "remove_item",
    "set_item_access",
    "set_status",
    "vote",
    "withdraw_absence",
    "withdraw_decision",
    "withdraw_non_participation",
    "withdraw_note",
    "withdraw_partial",
    "withdraw_vote",
]


@dataclass(frozen=True)
class Recorded:
    """What a recording did, for the command to say.

    `warnings` are those the change brought in the meeting's own file; `item` names the item
    ('punkt 1 (sag 22/291)'); `previous` is what was replaced or withdrawn: a text quoted
    (`'Godkendt.'`), a vote as `for: A, F; imod: V`, a stedfortræder by name.
    """

    warnings: list[Problem]
    item: str | None = None
    previous: str | None = None


# -- attendance ---------------------------------------------------------------------------------


@_located
def absent(root: Path, name: str, person: str, *, substitute: str | None = None) -> Recorded:
    """Record afbud for a member, and the stedfortræder who comes instead, if any.

    For a member already under afbud, a stedfortræder is added (or replaces the one recorded).
    """
    project, meeting = _open(root, name)
    _member(project, meeting, person)
    if substitute is not None:
        _person(project, substitute)
    replaced: list[str] = []

    def change(doc: Any) -> None:
        names = _list(doc, "afbud", after="sted")
        already = person in [str(n) for n in names]
        if already and substitute is None:
            raise RecordError(f"{person} står allerede under afbud til mødet {name}")
        if not already:
            append_value(names, person)
        if substitute is None:
            return
        subs = _list(doc, "stedfortrædere", after="afbud")
        for index, entry in enumerate(subs):
            if str(entry.get("for")) == person:
                replaced.append(str(entry.get("navn")))
                delete_value(doc, "stedfortrædere", index)
                subs = _list(doc, "stedfortrædere", after="afbud")
                break
        append_value(subs, {"navn": substitute, "for": person})

    warnings = _write(root, meeting, change)
    return Recorded(warnings, previous=replaced[0] if replaced else None)


@_located
def withdraw_absence(root: Path, name: str, person: str) -> Recorded:
    """Take back a member's afbud, and the stedfortræder recorded for them."""
    _, meeting = _open(root, name)
    removed: list[str] = []

    def change(doc: Any) -> None:
        names = [str(n) for n in doc.get("afbud") or []]
        if person not in names:
            raise RecordError(
                f"{person} står ikke under afbud til mødet {name}"
                + (suggest(person, tuple(names)) if names else " (ingen har meldt afbud)")
            )
        delete_value(doc, "afbud", names.index(person))
        subs = doc.get("stedfortrædere") or []
        for index in reversed(range(len(subs))):
            if str(subs[index].get("for")) == person:
                removed.append(str(subs[index].get("navn")))
                delete_value(doc, "stedfortrædere", index)

    warnings = _write(root, meeting, change)
    return Recorded(warnings, previous=removed[0] if removed else None)


@_located
def partial(
    root: Path,
    name: str,
    person: str,
    *,
    arrived: str | None = None,
    left: str | None = None,
    items: Iterable[ItemRef] = (),
) -> Recorded:
    """Record a member who came late or left early, and the items they were not there for."""
    project, meeting = _open(root, name)
    _member(project, meeting, person)
    numbers = item_numbers(meeting, items)
    if not numbers:
        raise RecordError("skriv de punkter, medlemmet ikke var med til (--punkter 1,2)")
    if arrived is None and left is None:
        raise RecordError("skriv, hvornår medlemmet ankom (--ankom) eller gik (--gik)")
    entry: dict[str, Any] = {"navn": person}
    if arrived is not None:
        entry["ankom"] = clock(arrived)
    if left is not None:
        entry["gik"] = clock(left)
    entry["punkter"] = flow([str(n) for n in sorted(set(numbers))])

    def change(doc: Any) -> None:
        append_value(_list(doc, "delvis", after="afbud"), entry)

    return Recorded(_write(root, meeting, change), item=f"punkt {item_span(numbers)}")


@_located
def withdraw_partial(root: Path, name: str, person: str) -> Recorded:
    """Take back what was recorded of a member's late arrival or early departure."""
    _, meeting = _open(root, name)
    removed: list[str] = []

    def change(doc: Any) -> None:
        entries = doc.get("delvis") or []
        found = [i for i, e in enumerate(entries) if str(e.get("navn")) == person]
        if not found:
            names = tuple(str(e.get("navn")) for e in entries)
            raise RecordError(
                f"{person} står ikke under delvis på mødet {name}"
                + (suggest(person, names) if names else " (der er intet skrevet under delvis)")
            )
        for index in reversed(found):
            entry = entries[index]
            times = [f"{k} {entry[k]}" for k in ("ankom", "gik") if entry.get(k) is not None]
            numbers = [int(str(n)) for n in entry.get("punkter") or [] if str(n).isdigit()]
            removed.insert(0, ", ".join([*times, f"punkt {item_span(numbers)}"]))
            delete_value(doc, "delvis", index)

    warnings = _write(root, meeting, change)
    return Recorded(warnings, previous="; ".join(removed))


# -- what was decided at an item --------------------------------------------------------------


@_located
def decide(root: Path, name: str, item: ItemRef, text: str, *, public: bool = False) -> Recorded:
    """Record an item's decision (or, with `public`, the decision a closed item publishes)."""
    _, meeting = _open(root, name)
    number = _item_number(meeting, item)
    text = _clean(text)
    if not text.strip():
        raise RecordError("beslutningen er tom; skriv teksten eller brug --standard")
    key = "offentlig_beslutning" if public else "beslutning"
    replaced: list[str] = []

    def change(doc: Any) -> None:
        node = item_node(doc, number)
        if node.get(key) is not None:
            replaced.append(shown_value(node[key]))
        set_value(node, key, text_value(text.strip()))

    warnings = _write(root, meeting, change)
    return Recorded(warnings, item_label(meeting, number), replaced[0] if replaced else None)


@_located
def withdraw_decision(root: Path, name: str, item: ItemRef, *, public: bool = False) -> Recorded:
    """Take back an item's decision (with `public`, the decision a closed item publishes)."""
    _, meeting = _open(root, name)
    number = _item_number(meeting, item)
    key = "offentlig_beslutning" if public else "beslutning"
    what = "offentlig beslutning" if public else "beslutning"
    return _remove_key(
        root, meeting, number, key, f"{item_label(meeting, number)} har ingen {what}"
    )


@_located
def not_taking_part(
    root: Path, name: str, item: ItemRef, person: str, *, reason: str | None = None
) -> Recorded:
    """Record that a member did not take part in one item, with the reason."""
    project, meeting = _open(root, name)
    number = _item_number(meeting, item)
    _member(project, meeting, person)
    if reason is not None and reason not in REASONS:
        raise RecordError(
            f"årsagen '{reason}' er ukendt; brug {', '.join(REASONS)}{suggest(reason, REASONS)}"
        )

    def change(doc: Any) -> None:
        entries = _list(item_node(doc, number), "deltog_ikke")
        if person in [str(e.get("navn")) for e in entries if hasattr(e, "get")]:
            raise RecordError(f"{person} står allerede under deltog_ikke ved punkt {number}")
        append_value(entries, {"navn": person, "årsag": reason} if reason else {"navn": person})

    return Recorded(_write(root, meeting, change), item_label(meeting, number))


@_located
def withdraw_non_participation(root: Path, name: str, item: ItemRef, person: str) -> Recorded:
    """Take back that a member did not take part in one item."""
    _, meeting = _open(root, name)
    number = _item_number(meeting, item)
    label = item_label(meeting, number)

    def change(doc: Any) -> None:
        entries = item_node(doc, number).get("deltog_ikke") or []
        names = [str(e.get("navn")) if hasattr(e, "get") else "" for e in entries]
        if person not in names:
            raise RecordError(
                f"{person} står ikke under deltog_ikke ved {label}"
                + (suggest(person, tuple(names)) if names else "")
            )
        delete_value(item_node(doc, number), "deltog_ikke", names.index(person))

    return Recorded(_write(root, meeting, change), label)


@_located
def vote(
    root: Path,
    name: str,
    item: ItemRef,
    *,
    for_: Iterable[str] = (),
    against: Iterable[str] = (),
    abstained: Iterable[str] = (),
) -> Recorded:
    """Record a vote: parties or members for, against and abstaining (replacing one recorded)."""
    project, meeting = _open(root, name)
    number = _item_number(meeting, item)
    assert project.organisation is not None
    present = participants(project.organisation, meeting, number)
    known = sorted({p for _, p in present if p} | {n for n, _ in present})
    sides = {"for": list(for_), "imod": list(against), "undlod": list(abstained)}
    if not any(sides.values()):
        raise RecordError("skriv, hvem der stemte: --for, --imod og/eller --undlod")
    for who in (w for side in sides.values() for w in side):
        if who not in known:
            raise RecordError(
                f"'{who}' er hverken et parti eller et medlem, der deltog i punkt {number}"
                f"{suggest(who, tuple(known))}"
            )
    replaced: list[str] = []

    def change(doc: Any) -> None:
        node = item_node(doc, number)
        if node.get("afstemning") is not None:
            replaced.append(shown_value(node["afstemning"]))
        set_value(node, "afstemning", {k: flow(v) for k, v in sides.items() if v})

    warnings = _write(root, meeting, change)
    return Recorded(warnings, item_label(meeting, number), replaced[0] if replaced else None)


@_located
def withdraw_vote(root: Path, name: str, item: ItemRef) -> Recorded:
    """Take back the vote recorded at an item."""
    _, meeting = _open(root, name)
    number = _item_number(meeting, item)
    label = item_label(meeting, number)
    return _remove_key(root, meeting, number, "afstemning", f"der er ikke stemt om {label}")


@_located
def note(root: Path, name: str, item: ItemRef, text: str, *, person: str | None = None) -> Recorded:
    """Record a protocol note, for a member's dissent when `person` is given."""
    project, meeting = _open(root, name)
    number = _item_number(meeting, item)
    if person is not None:
        _member(project, meeting, person)
    text = _clean(text)
    if not text.strip():
        raise RecordError("bemærkningen er tom")

    def change(doc: Any) -> None:
        notes = _list(item_node(doc, number), "protokolbemærkninger")
        value = text_value(text.strip())
        append_value(notes, {"navn": person, "tekst": value} if person else value)

    return Recorded(_write(root, meeting, change), item_label(meeting, number))


@_located
def withdraw_note(root: Path, name: str, item: ItemRef, position: int) -> Recorded:
    """Take back protocol note number `position` (1, 2, … as the item lists them)."""
    _, meeting = _open(root, name)
    number = _item_number(meeting, item)
    label = item_label(meeting, number)
    removed: list[str] = []

    def change(doc: Any) -> None:
        notes = item_node(doc, number).get("protokolbemærkninger") or []
        if not notes:
            raise RecordError(f"{label} har ingen protokolbemærkninger")
        if not 1 <= position <= len(notes):
            listed = "; ".join(f"{n} {_note_text(v)}" for n, v in enumerate(notes, start=1))
            raise RecordError(
                f"{label} har ingen protokolbemærkning {position}; bemærkningerne er: {listed}"
            )
        removed.append(_note_text(notes[position - 1]))
        delete_value(item_node(doc, number), "protokolbemærkninger", position - 1)

    warnings = _write(root, meeting, change)
    return Recorded(warnings, label, removed[0])


def _note_text(value: Any) -> str:
    if hasattr(value, "get"):
        return f"{value.get('navn')}: {shown_value(value.get('tekst'), 40)}"
    return shown_value(value, 40)


def _remove_key(root: Path, meeting: Any, number: int, key: str, missing: str) -> Recorded:
    removed: list[str] = []

    def change(doc: Any) -> None:
        node = item_node(doc, number)
        if node.get(key) is None:
            raise RecordError(missing)
        removed.append(shown_value(node[key]))
        delete_value(node, key)

    warnings = _write(root, meeting, change)
    return Recorded(warnings, item_label(meeting, number), removed[0])


@_located
def item_position(root: Path, name: str, item: ItemRef) -> int:
    """The number of the item `item` names (its number or its case number) on meeting `name`."""
    _, meeting = _open(root, name, allow_approved=True)
    return _item_number(meeting, item)


# -- the meeting's state -------------------------------------------------------------------------
