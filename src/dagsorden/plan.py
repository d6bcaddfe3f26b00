"""A meeting's plan: a new meeting file from the body's defaults, and the list of its items with
what has been recorded at each."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._nodes import suggest
from ._recording import (
    check_with,
    ensure_list,
    flow,
    item_node,
    located,
    mapping,
    open_meeting,
    own_new_warnings,
    set_key,
    write,
)
from ._refs import ItemRef, clock, item_label, item_number
from .build import check
from .context import item_span
from .edit import append_value, create_yaml, delete_value, insert_value
from .errors import Problem, RecordError
from .load import load_project
from .model import Access, Meeting, Project, Status
from .records import data_key, item_key

__all__ = [
    "ItemOverview",
    "MeetingOverview",
    "Removal",
    "add_item",
    "insert_item",
    "item_overview",
    "meeting_slug",
    "move_item",
    "new_meeting",
    "planned_removal",
    "removal",
    "remove_item",
    "renumber",
    "set_item_access",
]

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def meeting_slug(abbreviation: str) -> str:
    """'ØK' → 'oek', as the example's file names write a body: lower case, æøå spelled out."""
    slug = abbreviation.casefold().translate(_DANISH_LETTERS)
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or "moede"


def new_meeting(
    root: Path,
    body: str,
    date: str,
    *,
    start: str | None = None,
    place: str | None = None,
) -> tuple[str, list[Problem]]:
    """Write agenda/<dato>-<udvalg>.yaml for a planned meeting with no items yet.

    Start and place default to those of the body's latest earlier meeting. Refuses if the file
    exists. Returns the file written and the warnings about it.
    """
    project, _ = load_project(root)
    org = project.organisation
    if org is None:
        raise RecordError("organisation.yaml kan ikke læses; 'dagsorden tjek' viser fejlen")
    abbreviation = _body(project, body)
    day = _date(date)
    name = f"{day.isoformat()}-{meeting_slug(abbreviation)}"
    file = f"agenda/{name}.yaml"
    if (root / file).exists() or (root / "agenda" / f"{name}.yml").exists():
        raise RecordError(f"{file}: fejl: mødefilen findes allerede; intet er skrevet")
    earlier = sorted(
        (m for m in project.meetings.values() if m.body.name == abbreviation and m.date < day),
        key=lambda m: m.sort_key,
    )
    latest = earlier[-1] if earlier else None
    if start is None and latest is None:
        raise RecordError(
            f"{abbreviation} har intet tidligere møde at tage starttidspunktet fra;"
            " skriv starttidspunktet (TT:MM; i terminalen med --start)"
        )
    if place is None and latest is None:
        raise RecordError(
            f"{abbreviation} har intet tidligere møde at tage mødestedet fra;"
            " skriv mødestedet (i terminalen med --sted)"
        )
    start_text = clock(start) if start is not None else _time(latest.start if latest else None)
    place_text = " ".join(place.split()) if place is not None else latest.place if latest else ""
    if not place_text:
        raise RecordError("mødestedet er tomt; skriv mødestedet (i terminalen med --sted)")
    found: list[Problem] = []

    def validate(data: bytes) -> None:
        found.extend(check_with(root, file, data, name))

    (root / "agenda").mkdir(exist_ok=True)
    create_yaml(
        root / file,
        {
            "udvalg": abbreviation,
            "dato": day.isoformat(),
            "start": start_text,
            "sted": place_text,
            "status": Status.PLANNED.value,
            "punkter": [],
        },
        name=file,
        validate=validate,
    )
    return file, own_new_warnings(found, file, [])


def _body(project: Project, given: str) -> str:
    assert project.organisation is not None
    bodies = project.organisation.bodies
    for abbreviation, body in bodies.items():
        if given.casefold() in (abbreviation.casefold(), body.name.casefold()):
            return abbreviation
    known = tuple(bodies)
    raise RecordError(
        f"ukendt udvalg '{given}' (kendte: {', '.join(known)}){suggest(given.upper(), known)}"
    )


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RecordError(
            f"'{value}' er ikke en dato på formen ÅÅÅÅ-MM-DD (fx 2023-04-13)"
        ) from None


def _time(value: dt.time | None) -> str:
    return "" if value is None else f"{value.hour}:{value.minute:02d}"


@dataclass(frozen=True)
class ItemOverview:
    """One item as `dagsorden punkter` lists it."""

    number: int
    case: str | None
    title: str
    access: str
    recorded: tuple[str, ...]


@dataclass(frozen=True)
class MeetingOverview:
    """A meeting's items and its attendance, as recorded so far."""

    name: str
    heading: str
    status: str
    items: tuple[ItemOverview, ...]
    attendance: tuple[str, ...]


def item_overview(root: Path, name: str) -> MeetingOverview:
    """The meeting's items (number, case, title, access, what is recorded) and attendance."""
    project, _ = check(root, meetings=[name])
    meeting = project.meetings.get(name)
    if meeting is None:
        raise RecordError(f"ukendt møde '{name}'{suggest(name, tuple(project.meetings))}")
    org = project.organisation
    assert org is not None
    items = []
    for number, item in enumerate(meeting.items, start=1):
        case = project.cases.get(item.case.name) if item.case is not None else None
        recorded = []
        if item.decision is not None:
            recorded.append("beslutning")
        if item.public_decision is not None:
            recorded.append("offentlig beslutning")
        if item.votes is not None:
            recorded.append("afstemning")
        if item.notes:
            count = len(item.notes)
            recorded.append("1 bemærkning" if count == 1 else f"{count} bemærkninger")
        away = [np.person.name for np in item.non_participation]
        if away:
            recorded.append(f"deltog ikke: {', '.join(away)}")
        items.append(
            ItemOverview(
                number,
                item.case.name if item.case is not None else None,
                case.title if case is not None else item.title or "",
                project.item_access(item).value,
                tuple(recorded),
            )
        )
    substitutes = {s.replaces.name: s.person.name for s in meeting.substitutes}
    attendance = []
    if meeting.absent:
        names = [
            r.name + (f" (stedfortræder: {substitutes[r.name]})" if r.name in substitutes else "")
            for r in meeting.absent
        ]
        attendance.append(f"afbud: {', '.join(names)}")
    for part in meeting.partial:
        times = [f"ankom {_time(part.arrived)}"] if part.arrived else []
        times += [f"gik {_time(part.left)}"] if part.left else []
        attendance.append(
            f"delvis: {part.person.name} ({', '.join(times)}; ikke med til punkt"
            f" {item_span(part.items)})"
        )
    body = org.bodies[meeting.body.name].name
    return MeetingOverview(
        name,
        f"{body} {meeting.date:%d-%m-%Y} kl. {_time(meeting.start)}, {meeting.place}",
        meeting.status.value,
        tuple(items),
        tuple(attendance),
    )


# -- the items of a planned meeting ---------------------------------------------------------


@located
def add_item(
    root: Path, name: str, *, case: str | None = None, title: str | None = None
) -> tuple[int, list[Problem]]:
    """Put an item on the meeting: a case (by number) or a plain item with a title. It goes in
    before the first closed item, as closed items stay last. Returns its number."""
    if (case is None) == (title is None):
        raise RecordError("skriv enten et sagsnummer eller en titel på punktet")
    project, meeting = open_meeting(root, name, whole=case is not None)
    entry: dict[str, str]
    if case is not None:
        case = case.strip()
        if case not in project.cases:
            known = tuple(project.cases)
            raise RecordError(f"ukendt sag '{case}'{suggest(case, known)}")
        if any(i.case is not None and i.case.name == case for i in meeting.items):
            raise RecordError(f"sagen {case} står allerede på mødet {name}")
        entry = {"sag": case}
    else:
        text = " ".join((title or "").split())
        if not text:
            raise RecordError("punktets titel er tom")
        entry = {"titel": text}
    closed = [i for i, it in enumerate(meeting.items) if project.item_access(it) is Access.CLOSED]
    position = closed[0] if closed else len(meeting.items)

    def change(doc: Any) -> None:
        insert_item(doc, position, mapping(entry))

    return position + 1, write(root, meeting, change)


@located
def move_item(root: Path, name: str, item: ItemRef, to: int) -> list[Problem]:
    """Move an item to position `to` (1, 2, …); what was recorded by number moves with it."""
    _, meeting = open_meeting(root, name)
    number = item_number(meeting, item)
    if not 1 <= to <= len(meeting.items):
        raise RecordError(f"mødet har punkt 1 til {len(meeting.items)}; {to} findes ikke")
    if to == number:
        raise RecordError(f"punktet står allerede som punkt {to}")
    order = list(range(1, len(meeting.items) + 1))
    order.insert(to - 1, order.pop(number - 1))
    new_number = {old: new for new, old in enumerate(order, start=1)}

    def change(doc: Any) -> None:
        items = doc["punkter"]
        moved = items[number - 1]
        del items[number - 1]
        items.insert(to - 1, moved)
        renumber(doc, new_number)

    return write(root, meeting, change)


@located
def set_item_access(root: Path, name: str, item: ItemRef, access: str) -> list[Problem]:
    """Open or close one item (`adgang: Åben` or `Lukket` on the item, over its case's)."""
    _, meeting = open_meeting(root, name)
    number = item_number(meeting, item)
    wanted = next((a for a in Access if a.value.casefold() == access.strip().casefold()), None)
    if wanted is None:
        raise RecordError(f"adgang '{access}' er ukendt; brug Åben eller Lukket")

    def change(doc: Any) -> None:
        set_key(item_node(doc, number), "adgang", wanted.value, after="sag")

    return write(root, meeting, change)


def insert_item(doc: Any, position: int, entry: Any) -> None:
    """Insert an item at 0-based `position`; items after it move down, and what was recorded
    by number (delvis, rettelser) follows them."""
    items = ensure_list(doc, "punkter")
    if position == len(items):
        append_value(items, entry)
        return
    insert_value(items, position, entry)
    renumber(doc, {n: n + 1 if n > position else n for n in range(1, len(items) + 1)})


def renumber(doc: Any, new_number: dict[int, int]) -> None:
    """Rewrite the item numbers `delvis` and `rettelser` name, old number → new."""

    def moved(value: Any) -> str:
        old = int(str(value))
        return str(new_number.get(old, old))

    for part in doc.get("delvis") or []:
        part["punkter"] = flow([moved(n) for n in part.get("punkter") or []])
    for fix in doc.get("rettelser") or []:
        if fix.get("punkt") is not None:
            fix["punkt"] = moved(fix["punkt"])


# -- taking an item off the agenda ------------------------------------------------------------

_GONE = "Punktet fjernes fra mødefilen."
_ON_SENT = "Punktet står på den udsendte dagsorden; det kommer på tillægsdagsordenen som taget af."
_NOT_SENT = (
    "Punktet er sat på efter udsendelsen; det fjernes fra mødefilen og fra tillægsdagsordenen."
)


@dataclass(frozen=True)
class Removal:
    """An item taken off the agenda (or about to be): how messages name it, and what its
    removal means for the documents, as a sentence for the secretary."""

    item: str
    consequence: str
    warnings: tuple[Problem, ...] = ()


def removal(project: Project, meeting: Meeting, number: int) -> Removal:
    """What taking item `number` off the agenda would do, or a RecordError saying why it
    cannot be. The item goes from the meeting file: a planned meeting simply loses it; a sent
    one lists it on the supplementary agenda as withdrawn (frozen.supplement_context), since
    its sent agenda has it. Once the meeting is held, its agenda is what was treated."""
    label = item_label(meeting, number)
    if meeting.status is Status.HELD:
        raise RecordError(
            f"mødet {meeting.name} er afholdt, så {label} kan ikke tages af dagsordenen;"
            " skriv i stedet beslutningen (fx 'Udsat.')"
        )
    if meeting.status is Status.APPROVED:
        raise RecordError(
            f"protokollen for {meeting.name} er godkendt, så {label} kan ikke tages af"
            " dagsordenen; skriv en rettelse med 'dagsorden ret'"
        )
    if meeting.status is Status.CANCELLED:
        raise RecordError(
            f"mødet {meeting.name} er aflyst; {label} bliver stående, så sagen kan sendes"
            " videre med 'dagsorden videresend'"
        )
    item = meeting.items[number - 1]
    recorded = [
        what
        for what, there in (
            ("en beslutning", item.decision is not None),
            ("en offentlig beslutning", item.public_decision is not None),
            ("en afstemning", item.votes is not None),
            ("protokolbemærkninger", bool(item.notes)),
            ("deltog ikke", bool(item.non_participation)),
        )
        if there
    ]
    if recorded:
        raise RecordError(
            f"ved {label} er der skrevet {' og '.join(recorded)}; fjern det først, hvis"
            " punktet skal af dagsordenen"
        )
    only_here = [p.person.name for p in meeting.partial if tuple(p.items) == (number,)]
    if only_here:
        raise RecordError(
            f"{', '.join(only_here)} er under delvis skrevet som fraværende kun ved {label};"
            " fjern det først (delvis --fjern), hvis punktet skal af dagsordenen"
        )
    if meeting.status is not Status.SENT:
        return Removal(label, _GONE)
    sent = project.records.get(meeting.name, {}).get("udsendt")
    if sent is None:  # sent before dagsorden froze agendas: there is no supplement to make
        return Removal(label, _GONE)
    listed = any(data_key(entry) == item_key(item) for entry in sent.data.get("punkter", []))
    return Removal(label, _ON_SENT if listed else _NOT_SENT)


@located
def planned_removal(root: Path, name: str, item: ItemRef) -> Removal:
    """What `remove_item` would do, for a confirmation; writes nothing."""
    project, meeting = open_meeting(root, name)
    return removal(project, meeting, item_number(meeting, item))


@located
def remove_item(root: Path, name: str, item: ItemRef) -> Removal:
    """Take an item off a planned or sent meeting (see `removal`): it goes from the file, the
    items after it move up, and what was recorded by number (delvis) follows them."""
    project, meeting = open_meeting(root, name)
    number = item_number(meeting, item)
    planned = removal(project, meeting, number)
    new_number = {n: n - 1 if n > number else n for n in range(1, len(meeting.items) + 1)}

    def change(doc: Any) -> None:
        if len(doc["punkter"]) > 1:
            delete_value(doc, "punkter", number - 1)
        else:  # the last item: the meeting keeps an empty list, as a new meeting has
            at = list(doc).index("punkter")
            delete_value(doc, "punkter")
            doc.insert(at, "punkter", flow([]))
        for part in doc.get("delvis") or []:
            part["punkter"] = [n for n in part.get("punkter") or [] if int(str(n)) != number]
        renumber(doc, new_number)

    warnings = write(root, meeting, change)
    return Removal(planned.item, planned.consequence, tuple(warnings))
