"""The typed, immutable records a data project is made of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from .errors import Location, quick_unpickling

__all__ = [
    "Access",
    "Approval",
    "Attachment",
    "Block",
    "BlockKind",
    "Body",
    "Case",
    "Cell",
    "Correction",
    "FrozenCorrection",
    "FrozenDocument",
    "FrozenRecord",
    "Item",
    "Meeting",
    "Membership",
    "NonParticipation",
    "Note",
    "NumberForm",
    "Organisation",
    "Partial",
    "Person",
    "Project",
    "Ref",
    "Run",
    "Section",
    "Status",
    "Substitute",
    "Text",
    "Votes",
]


class Access(Enum):
    OPEN = "Åben"
    CLOSED = "Lukket"


class BlockKind(Enum):
    PARAGRAPH = "paragraph"
    BULLET = "bullet"
    NUMBER = "number"
    TABLE = "table"
    IMAGE = "image"
    PAGE_BREAK = "pagebreak"


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    link: str = ""  # a hyperlink's target (https:, http: or mailto:); "" for plain text


Cell = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, list item, table, picture or page break of a text field.

    Plain data all through (no file is opened here), so the block can become the template
    context's JSON and a web page alike.
    """

    kind: BlockKind
    runs: tuple[Run, ...]  # the text; a picture's alt text
    rows: tuple[tuple[Cell, ...], ...] = ()  # a table's rows, the header row first
    align: tuple[str, ...] = ()  # a table's column alignment: "", "left", "center", "right"
    target: str = ""  # a picture's file, relative to the project folder

    @property
    def plain(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Text:
    """A text field: what the secretary wrote, parsed into blocks."""

    blocks: tuple[Block, ...]
    location: Location
    source: str = ""  # the text as written, for the approval checksum
    pictures: tuple[Ref, ...] = ()  # the picture files it shows, each where it is written


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference by name to another record (a body, a person, a case, a file)."""

    name: str
    location: Location


@dataclass(frozen=True, slots=True)
class Membership:
    body: Ref
    start: dt.date
    end: dt.date | None
    party: str | None
    organisation: str | None
    job_title: str | None
    role: str | None
    location: Location
    printed_name: str | None = None  # the name printed while this membership lasts

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    memberships: tuple[Membership, ...]
    location: Location

    def membership(self, body: str | tuple[str, ...], day: dt.date) -> Membership | None:
        """The membership active on `day` of `body` (or of the first of several bodies, as a
        joint meeting has them, that the person belongs to)."""
        bodies = (body,) if isinstance(body, str) else body
        for name in bodies:
            for m in self.memberships:
                if m.body.name == name and m.active_on(day):
                    return m
        return None


@dataclass(frozen=True, slots=True)
class Body:
    abbreviation: str
    name: str
    minutes_title: str
    sections: tuple[str, ...] | None
    closed_wording: str
    signature_page: bool
    vote_wording: tuple[str, str, str]  # for, against, abstained: "For stemte {antal} ({hvem})"
    location: Location
    member_order: tuple[Ref, ...] = ()  # medlemsorden: these members first, in this order

    def closed_heading(self, title: str) -> str:
        """How a closed item's title reads in the public edition, e.g. 'Lukket punkt: Salg'."""
        return self.closed_wording.replace("{titel}", title)


@dataclass(frozen=True, slots=True)
class NumberForm:
    """The form of one kind of number in the municipality's own system (case numbers,
    document numbers, bilag ids): a pattern the whole value must match, an example for
    the check's message, and the form's name as messages say it (may be empty)."""

    pattern: str
    example: str
    name: str
    location: Location | None = None  # where organisation.yaml declares it; None: the default


@dataclass(frozen=True, slots=True)
class Organisation:
    municipality: str
    default_sections: tuple[str, ...]
    bodies: Mapping[str, Body]
    people: Mapping[str, Person]
    location: Location
    # Every body, person, membership and heading the file names was read. When the file has
    # errors that left one out, references to it cannot be judged, so they are not checked.
    whole: bool = True
    # "sagsnr", "dokumentnr", "bilag_id" -> its form (numre: in organisation.yaml); a kind
    # missing here is not checked (bilag ids by default).
    number_forms: Mapping[str, NumberForm] = field(default_factory=dict)
    # The fixed words the documents print (ordlyd: in organisation.yaml), by key.
    wording: Mapping[str, str] = field(default_factory=dict)
    # The order of roles on a front page (rolleorden:), before everyone without one.
    role_order: tuple[str, ...] = ("Formand", "Næstformand")

    def sections_for(self, body: str) -> tuple[str, ...]:
        found = self.bodies.get(body)
        if found is not None and found.sections is not None:
            return found.sections
        return self.default_sections


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    text: Text
    location: Location


@dataclass(frozen=True, slots=True)
class Attachment:
    system_id: str | None  # the id in a meeting system, where the municipality has one
    title: str
    doc_number: str | None
    access: Access
    added: Ref | None
    file: Ref | None
    location: Location
    system_id_at: Location | None = None
    doc_number_at: Location | None = None


@dataclass(frozen=True, slots=True)
class Case:
    number: str
    kle: str | None
    title: str
    public_title: str | None
    sensitive_title: bool
    access: Access
    route: tuple[Ref, ...]
    sections: tuple[Section, ...]
    recommendation: Text | None
    attachments: tuple[Attachment, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class NonParticipation:
    person: Ref
    reason: str | None


@dataclass(frozen=True, slots=True)
class Votes:
    """A vote on an item: who voted for, against, or abstained, by person or by party."""

    for_: tuple[Ref, ...]
    against: tuple[Ref, ...]
    abstained: tuple[Ref, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Note:
    """A protocol note (KSL § 13 stk. 2), with the member it is for when given."""

    person: Ref | None
    text: Text


@dataclass(frozen=True, slots=True)
class Substitute:
    person: Ref
    replaces: Ref


@dataclass(frozen=True, slots=True)
class Partial:
    """A member who came late or left early, and the items they were not there for."""

    person: Ref
    arrived: dt.time | None
    left: dt.time | None
    items: tuple[int, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Correction:
    """A dated addition to approved minutes, the only way they change (KSL § 13)."""

    date: dt.date
    item: int | None
    text: Text


@dataclass(frozen=True, slots=True)
class Approval:
    date: dt.date
    checksum: str
    location: Location


class Status(Enum):
    PLANNED = "planlagt"
    SENT = "udsendt"
    HELD = "afholdt"
    APPROVED = "godkendt"
    CANCELLED = "aflyst"


@dataclass(frozen=True, slots=True)
class Item:
    """One agenda item: a treatment of a case, or a plain item such as Meddelelser."""

    case: Ref | None
    title: str | None
    access: Access | None
    public_title: str | None
    text: Text | None
    recommendation: Text | None
    decision: Text | None
    public_decision: Text | None
    non_participation: tuple[NonParticipation, ...]
    notes: tuple[Note, ...]
    votes: Votes | None
    location: Location

    @property
    def postponed(self) -> bool:
        """The decision is "Udsat." (or begins so): the case goes on at a later meeting."""
        if self.decision is None or not self.decision.blocks:
            return False
        first = self.decision.blocks[0].plain.strip().lower()
        return first == "udsat" or first.startswith(("udsat.", "udsat ", "udsat,"))


@dataclass(frozen=True, slots=True)
class Meeting:
    name: str
    body: Ref
    date: dt.date
    start: dt.time
    end: dt.time | None
    place: str
    absent: tuple[Ref, ...]
    items: tuple[Item, ...]
    location: Location
    status: Status = Status.PLANNED
    substitutes: tuple[Substitute, ...] = ()
    partial: tuple[Partial, ...] = ()
    approval: Approval | None = None
    corrections: tuple[Correction, ...] = ()
    closed: bool = False  # a closed meeting: every item closed unless it says Åben
    extraordinary: bool = False
    joint: tuple[Ref, ...] = ()  # the other bodies of a joint meeting (fællesmøde)
    status_at: Location | None = None  # where `status:` stands, when it does
    start_note: str | None = None  # a remark printed after the start time

    @property
    def bodies(self) -> tuple[str, ...]:
        """Every body meeting: one, or all of a joint meeting's, the first one leading."""
        return (self.body.name, *(r.name for r in self.joint))

    @property
    def sort_key(self) -> tuple[dt.date, dt.time, str]:
        return (self.date, self.start, self.name)

    @property
    def has_decisions(self) -> bool:
        return any(item.decision is not None for item in self.items)


@dataclass(frozen=True, slots=True)
class FrozenDocument:
    """One document of a frozen record: its template context as a file, and the files made."""

    kind: str  # "dagsorden" or "protokol"
    edition: str  # "intern" or "offentlig"
    context_file: str  # relative to the project
    context_sha256: str
    files: Mapping[str, str]  # produced file (relative to the project) -> sha256
    corrections_at: tuple[int, ...]  # items whose decision prints the meeting's corrections


@dataclass(frozen=True, slots=True)
class FrozenRecord:
    """What a meeting's agenda showed when it was sent, or its minutes when approved.

    Written once by the tool under arkiv/<møde>/<fase>/ and never changed; `data` is the
    meeting file's own content at that moment, so a later edit can be named field by field.
    """

    meeting: str
    stage: str  # "udsendt" or "godkendt"
    date: dt.date
    data: Mapping[str, Any]
    documents: tuple[FrozenDocument, ...]
    attachments: tuple[tuple[str, str], ...]  # bilag file (relative) -> sha256
    checksum: str
    checksum_ok: bool
    location: Location
    # item key -> the access the item had ("Åben"/"Lukket"), whatever its case says later
    access: Mapping[str, str] = field(default_factory=dict)
    pictures: tuple[tuple[str, str], ...] = ()  # picture file (relative) -> sha256

    def document(self, kind: str, edition: str) -> FrozenDocument | None:
        return next((d for d in self.documents if d.kind == kind and d.edition == edition), None)


@dataclass(frozen=True, slots=True)
class FrozenCorrection:
    """A correction to approved minutes as it was written, kept beside the record."""

    meeting: str
    number: int
    data: Mapping[str, Any]
    checksum_ok: bool
    location: Location


@dataclass(frozen=True, slots=True)
class Project:
    root: Path
    organisation: Organisation | None
    cases: Mapping[str, Case]
    meetings: Mapping[str, Meeting]
    cpr_candidates: tuple[tuple[str, Location], ...] = ()
    # meeting name -> stage ("udsendt", "godkendt") -> record
    records: Mapping[str, Mapping[str, FrozenRecord]] = field(default_factory=dict)
    corrections: Mapping[str, tuple[FrozenCorrection, ...]] = field(default_factory=dict)
    # file -> the six digits of every date part in its values (010203, 01.02.03, …): where a
    # candidate's number may stand
    six_digits: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # A narrow read (scope.py) holds these meetings with their cases, and the other meetings
    # that treat those cases; only these are checked. None: the whole project was read.
    focus: frozenset[str] | None = None
    # Every case number of the project, when `cases` holds only some (for suggestions).
    case_numbers: frozenset[str] | None = None

    def checked_meetings(self) -> list[Meeting]:
        """The meetings whose own rules are checked: those in focus, else every one."""
        if self.focus is None:
            return list(self.meetings.values())
        return [m for name, m in self.meetings.items() if name in self.focus]

    def item_access(self, item: Item) -> Access:
        """The access of one treatment: the item's own, else its case's, else open."""
        if item.access is not None:
            return item.access
        case = self.cases.get(item.case.name) if item.case is not None else None
        return case.access if case is not None else Access.OPEN


quick_unpickling(globals())
