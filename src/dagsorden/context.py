"""The template context: one plain dict per document, every value already formatted.

This is the single contract between the data and the Word templates (docs/templates.md). A
case's history is derived here from the meetings that treated it; nothing is copied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ._attendance import (
    away_line,
    dotted,
    format_person,
    item_span,
    members,
    not_there_for,
    partial_line,
    participants,
    person_values,
    words,
)
from ._keys import WORDING
from .model import (
    Access,
    Attachment,
    Block,
    BlockKind,
    Case,
    Correction,
    Item,
    Meeting,
    Organisation,
    Project,
    Run,
    Status,
    Text,
)
from .pictures import stamp_pictures
from .records import item_key

__all__ = [
    "CANCELLED",
    "DocumentKind",
    "Edition",
    "approval_checksum",
    "build_context",
    "case_history",
    "correction_entry",
    "format_person",
    "item_span",
    "long_date",
    "overview",
    "participants",
    "shown_attachments",
    "vote_count",
    "vote_lines",
    "words",
]

CANCELLED = WORDING["aflyst"][0]


class DocumentKind(Enum):
    AGENDA = "dagsorden"
    MINUTES = "protokol"
    SUPPLEMENT = "tillaeg"  # tillægsdagsorden: what changed after the agenda was sent


# What the title of each kind of document says (minutes: the body's own word): an ordlyd key.
AGENDA_TITLES = {DocumentKind.AGENDA: "dagsorden", DocumentKind.SUPPLEMENT: "tillægsdagsorden"}


History = Mapping[str, list[tuple[Meeting, Item]]]


def case_history(project: Project) -> History:
    """Every treatment of every case, oldest first."""
    history: dict[str, list[tuple[Meeting, Item]]] = defaultdict(list)
    for meeting in sorted(project.meetings.values(), key=lambda m: m.sort_key):
        for item in meeting.items:
            if item.case is not None:
                history[item.case.name].append((meeting, item))
    return history


class Edition(Enum):
    INTERNAL = "intern"
    PUBLIC = "offentlig"


def build_context(
    project: Project,
    meeting: Meeting,
    kind: DocumentKind,
    edition: Edition = Edition.INTERNAL,
    history: History | None = None,
) -> dict[str, Any]:
    """The context for one document of `meeting`; the project must have passed the check.

    The public edition is made here, by leaving closed content out: what a template never
    receives, it cannot print.
    """
    org = project.organisation
    assert org is not None, "the check guarantees an organisation"
    builder = _Builder(project, org, meeting, kind, edition, history or case_history(project))
    body = org.bodies[meeting.body.name]
    date = meeting.date.strftime("%d-%m-%Y")
    items = [builder.item(number, item) for number, item in enumerate(meeting.items, start=1)]
    shown = members(org, meeting)
    context: dict[str, Any] = {
        "municipality": org.municipality,
        "document": {
            "kind": kind.value,
            "title": body.minutes_title if builder.minutes else words(org, AGENDA_TITLES[kind]),
            "is_minutes": builder.minutes,
            "edition": edition.value,
            "edition_label": words(org, f"{edition.value}_udgave"),
            "is_public": builder.public,
            "cancelled": meeting.status is Status.CANCELLED,
            "extraordinary": meeting.extraordinary,
            "closed_meeting": meeting.closed,
            "notices": _notices(org, meeting),
        },
        "body": {"name": body_names(org, meeting), "abbreviation": "/".join(meeting.bodies)},
        "meeting": {
            "place": meeting.place,
            "date": date,
            "date_iso": meeting.date.isoformat(),
            "date_long": long_date(meeting.date),
            "start": _time(meeting.start),
            "start_note": meeting.start_note or "",
            "end": _time(meeting.end) if meeting.end else "",
            "header": f"{body_names(org, meeting)} {date}",
            "members": [m["label"] for m in shown]
            + [
                words(
                    org,
                    "stedfortræder",
                    navn=format_person(org, s.person.name, meeting),
                    **{"for": format_person(org, s.replaces.name, meeting)},
                )
                for s in meeting.substitutes
            ],
            "absent": [format_person(org, r.name, meeting) for r in meeting.absent]
            + [partial_line(org, meeting, p) for p in meeting.partial],
            # The same people as values, for a template that composes its own lines.
            "member_list": shown,
            "absent_list": [person_values(org, r.name, meeting) for r in meeting.absent],
            "substitute_list": [
                {
                    **person_values(org, s.person.name, meeting),
                    "replaces": person_values(org, s.replaces.name, meeting),
                }
                for s in meeting.substitutes
            ],
            "partial_list": [
                {
                    **person_values(org, p.person.name, meeting),
                    "items": item_span(p.items),
                    "arrived": dotted(p.arrived) if p.arrived else "",
                    "left": dotted(p.left) if p.left else "",
                }
                for p in meeting.partial
            ],
        },
        "items": items,
        "corrections": [
            correction_entry(c, org)
            for c in meeting.corrections
            if c.item is None and builder.minutes
        ],
        "signature": {
            "title": words(org, "underskriftsblad"),
            "members": [
                format_person(org, name, meeting) for name, _ in participants(org, meeting)
            ],
        }
        if builder.minutes and body.signature_page
        else None,
        "attachment_overview": overview(items),
    }
    stamp_pictures(context, project.root)
    return context


def overview(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Bilagsoversigt: every item with bilag, its heading and its bilag."""
    return [
        {
            "heading": item["heading"],
            "number": item["number"],
            "title": item["title"],
            "attachments": item["attachments"],
            "attachment_fields": item.get("attachment_fields", []),
        }
        for item in items
        if item["attachments"]
    ]


def approval_checksum(project: Project, meeting: Meeting, history: History | None = None) -> str:
    """A checksum of everything the approved minutes print, corrections aside.

    Taken over the internal minutes' context, so it covers the decisions, votes and notes as
    written and everything derived from other files that the minutes show (names, parties,
    vote counts, the case's text and history). Corrections are additions and stay outside.
    """
    context = build_context(project, meeting, DocumentKind.MINUTES, Edition.INTERNAL, history)
    context.pop("corrections", None)
    # Only what the minutes' context held when approvals were written with this checksum.
    for key in STRUCTURED_MEETING_KEYS:
        context["meeting"].pop(key, None)
    for entry in context["attachment_overview"]:
        for key in STRUCTURED_OVERVIEW_KEYS:
            entry.pop(key, None)
    for item in context["items"]:
        for key in STRUCTURED_ITEM_KEYS:
            item.pop(key, None)
        for treatment in item["treatments"]:
            treatment.pop("corrections", None)
            for key in STRUCTURED_TREATMENT_KEYS:
                treatment.pop(key, None)
    data = json.dumps(context, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return "sha256:" + hashlib.sha256(data).hexdigest()


# The structured values added beside the composed lines (issue 11); contexts frozen before
# them lack them (frozen.upgrade derives them), and the approval checksum leaves them out.
STRUCTURED_MEETING_KEYS = (
    "date_iso",
    "start_note",
    "member_list",
    "absent_list",
    "substitute_list",
    "partial_list",
)
STRUCTURED_ITEM_KEYS = ("case", "attachment_fields")
STRUCTURED_TREATMENT_KEYS = (
    "body",
    "body_abbreviation",
    "date",
    "date_iso",
    "item_number",
    "absent_list",
)
STRUCTURED_OVERVIEW_KEYS = ("number", "title", "attachment_fields")


def _notices(org: Organisation, meeting: Meeting) -> list[str]:
    """The lines the front page adds for a meeting out of the ordinary."""
    notices = []
    if meeting.status is Status.CANCELLED:
        notices.append(words(org, "aflyst"))
    if meeting.extraordinary:
        notices.append(words(org, "ekstraordinært"))
    if meeting.closed:
        notices.append(words(org, "lukket_møde"))
    return notices


def body_names(org: Organisation, meeting: Meeting) -> str:
    """'Økonomiudvalget', or a joint meeting's 'Teknik- og miljøudvalget og Økonomiudvalget'."""
    names = [org.bodies[b].name for b in meeting.bodies if b in org.bodies]
    return " og ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def treated_access(project: Project, meeting: Meeting, item: Item) -> Access:
    """The access a treatment had: as frozen with its meeting's record, if it has one (a case
    opened later does not open an earlier closed treatment), else as the data says now."""
    stages = project.records.get(meeting.name, {})
    key = item_key(item)
    for stage in ("godkendt", "afholdt", "udsendt"):
        record = stages.get(stage)
        if record is not None and key in record.access:
            return Access(record.access[key])
    return project.item_access(item)


def correction_entry(correction: Correction, org: Organisation | None = None) -> dict[str, Any]:
    """A correction as the minutes print it: 'Rettelse den 20-12-2022' and its text."""
    return {
        "heading": words(org, "rettelse", dato=f"{correction.date:%d-%m-%Y}"),
        "date": f"{correction.date:%d-%m-%Y}",
        "date_iso": correction.date.isoformat(),
        "blocks": _blocks(correction.text),
    }


def long_date(day: dt.date) -> str:
    """'Torsdag den 2. marts 2023', as on Norddjurs' front pages."""
    from babel.dates import format_date  # its locale data only when a document is made

    text = format_date(day, "EEEE 'den' d. MMMM y", locale="da_DK")
    return text[:1].upper() + text[1:]


def _time(value: dt.time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def vote_lines(org: Organisation, meeting: Meeting, item: Item, number: int) -> list[str]:
    """'For stemte 11 (A, F, Ø)': by person (one vote) or by party (its members present)."""
    if item.votes is None:
        return []
    body = org.bodies[meeting.body.name]
    present = participants(org, meeting, number)
    lines = []
    sides = (item.votes.for_, item.votes.against, item.votes.abstained)
    for refs, form in zip(sides, body.vote_wording, strict=True):
        if not refs:
            continue
        count = sum(vote_count(r.name, present) for r in refs)
        who = ", ".join(r.name for r in refs)
        lines.append(form.replace("{antal}", str(count)).replace("{hvem}", who))
    return lines


def vote_count(name: str, present: list[tuple[str, str | None]]) -> int:
    if any(person == name for person, _ in present):
        return 1
    return sum(1 for _, party in present if party == name)


class _Builder:
    """Makes the item dicts of one document, for one edition."""

    def __init__(
        self,
        project: Project,
        org: Organisation,
        meeting: Meeting,
        kind: DocumentKind,
        edition: Edition,
        history: History,
    ) -> None:
        self.project = project
        self.org = org
        self.meeting = meeting
        self.minutes = kind is DocumentKind.MINUTES
        self.public = edition is Edition.PUBLIC
        self.history = history

    def item(self, number: int, item: Item) -> dict[str, Any]:
        case = self.project.cases[item.case.name] if item.case is not None else None
        access = self.project.item_access(item)
        title = case.title if case is not None else item.title or ""
        out: dict[str, Any] = {
            "number": number,
            "title": title,
            "heading": f"{number}. {title}",
            "note": "",
            "case_line": "",
            "route": "",
            "text": [],
            "sections": [],
            "recommendation": [],
            "treatments": [],
            "attachments": [],
            "case": None,
            "attachment_fields": [],
        }
        if self.public and access is Access.CLOSED:
            # Number and title only, in the body's wording; a decision only where the meeting
            # wrote one for the public.
            public_title = (
                item.public_title or (case.public_title if case is not None else None) or title
            )
            out["title"] = self.org.bodies[self.meeting.body.name].closed_heading(public_title)
            out["heading"] = f"{number}. {out['title']}"
            out["treatments"] = [
                self.treatment(self.meeting, item, number, access, decided=self.minutes)
            ]
            return out
        out["text"] = _blocks(item.text)
        current = self.treatment(self.meeting, item, number, access, decided=self.minutes)
        if case is None:
            out["treatments"] = [current]
            return out
        out["case_line"] = " ".join(filter(None, (case.kle, case.number, f"{access.value} Sag")))
        out["route"] = ", ".join(r.name for r in case.route)
        out["case"] = {
            "number": case.number,
            "kle": case.kle or "",
            "access": access.value,
            "route": [r.name for r in case.route],
            "route_names": [
                self.org.bodies[r.name].name if r.name in self.org.bodies else r.name
                for r in case.route
            ],
        }
        out["sections"] = [{"heading": s.heading, "blocks": _blocks(s.text)} for s in case.sections]
        out["recommendation"] = _blocks(case.recommendation)
        treatments = []
        for earlier_meeting, earlier_item in self.history.get(case.number, []):
            if earlier_meeting.sort_key >= self.meeting.sort_key:
                break
            if earlier_meeting.status is Status.CANCELLED:
                continue  # a cancelled meeting treated nothing
            earlier_access = treated_access(self.project, earlier_meeting, earlier_item)
            position = earlier_meeting.items.index(earlier_item) + 1
            treatment = self.treatment(
                earlier_meeting, earlier_item, position, earlier_access, decided=True
            )
            if treatment["decided"] or treatment["recommendation"]:
                treatments.append(treatment)
        out["treatments"] = [*treatments, current]
        out["attachment_fields"] = self.attachment_fields(case)
        out["attachments"] = [attachment_line(a) for a in out["attachment_fields"]]
        return out

    def treatment(
        self, meeting: Meeting, item: Item, number: int, access: Access, *, decided: bool
    ) -> dict[str, Any]:
        org = self.org
        hidden = self.public and access is Access.CLOSED
        decision = item.public_decision if hidden else item.decision
        decided = decided and decision is not None
        shown = decided and not hidden
        away = not_there_for(meeting, number)
        corrections = [c for c in meeting.corrections if c.item == number] if shown else []
        date = f"{meeting.date:%d-%m-%Y}"
        return {
            "recommendation": [] if hidden else _blocks(item.recommendation),
            "decided": decided,
            "heading": f"Beslutning i {body_names(org, meeting)} den {date}",
            "body": body_names(org, meeting),
            "body_abbreviation": "/".join(meeting.bodies),
            "date": date,
            "date_iso": meeting.date.isoformat(),
            "item_number": number,
            "decision": _blocks(decision) if decided else [],
            "votes": vote_lines(org, meeting, item, number) if shown else [],
            "notes": [b for note in item.notes for b in _blocks(note.text)] if shown else [],
            "non_participation": [away_line(org, meeting, number, name) for name in away]
            if shown
            else [],
            "absent": [format_person(org, r.name, meeting) for r in meeting.absent]
            if decided
            else [],
            "absent_list": [person_values(org, r.name, meeting) for r in meeting.absent]
            if decided
            else [],
            "corrections": [correction_entry(c, org) for c in corrections],
        }

    def attachment_fields(self, case: Case) -> list[dict[str, Any]]:
        return [
            {
                "number": shown.number,
                "id": shown.attachment.system_id or "",
                "access": shown.attachment.access.value,
                "title": shown.attachment.title,
                "doc_number": shown.attachment.doc_number or "",
                "inherited": shown.inherited,
            }
            for shown in shown_attachments(case, self.meeting, self.history, public=self.public)
        ]


def attachment_line(a: Mapping[str, Any]) -> str:
    """'1 - 3389825 Åben Udmøntningsplan … (151433/22) (H)', the seed's bilag line."""
    line = f"{a['number']} -{' ' + a['id'] if a['id'] else ''} {a['access']} {a['title']}"
    line += f" ({a['doc_number']})" if a["doc_number"] else ""
    return line + (" (H)" if a["inherited"] else "")


@dataclass(frozen=True)
class ShownAttachment:
    number: int
    attachment: Attachment
    inherited: bool


def shown_attachments(
    case: Case, meeting: Meeting, history: History, *, public: bool
) -> list[ShownAttachment]:
    """The bilag of `case` as `meeting` shows them, numbered, in one edition.

    A bilag belongs to the case from the meeting it was added at (by default the case's first
    treatment): it is not shown before that, and is marked (H) at every later treatment. The
    public edition leaves closed bilag out and keeps the others' numbers, so "bilag 3" in the
    text still means the same bilag.
    """
    treatments = history.get(case.number, [])
    by_name = {m.name: m for m, _ in treatments}
    first = treatments[0][0].sort_key if treatments else meeting.sort_key
    shown: list[ShownAttachment] = []
    number = 0
    for a in case.attachments:
        added = by_name[a.added.name].sort_key if a.added and a.added.name in by_name else first
        if meeting.sort_key < added:
            continue
        number += 1
        if public and a.access is Access.CLOSED:
            continue
        shown.append(ShownAttachment(number, a, meeting.sort_key > added))
    return shown


def _blocks(text: Text | None) -> list[dict[str, Any]]:
    if text is None:
        return []
    return [_block(b) for b in text.blocks]


def _block(block: Block) -> dict[str, Any]:
    """A block as plain JSON values; a table's rows and a picture as their own keys, and a
    run's `link` only where there is one, so the texts of earlier records read as before.

    Every block has `runs`, so a template written before tables and pictures (whose loop
    prints `b.runs` for any kind it does not know) still works: a table reads as its rows,
    one line each, a picture as its alt text, a page break as an empty paragraph."""
    if block.kind is BlockKind.TABLE:
        lines = [" | ".join(_plain(cell) for cell in row) for row in block.rows]
        return {
            "kind": "table",
            "rows": [[{"runs": _runs(cell)} for cell in row] for row in block.rows],
            "align": list(block.align),
            "runs": [{"text": "\n".join(lines), "bold": False, "italic": False}],
        }
    if block.kind is BlockKind.IMAGE:
        alt = {"text": block.plain, "bold": False, "italic": False}
        return {"kind": "image", "file": block.target, "alt": block.plain, "runs": [alt]}
    if block.kind is BlockKind.PAGE_BREAK:
        return {"kind": "pagebreak", "runs": []}
    return {"kind": block.kind.value, "runs": _runs(block.runs)}


def _plain(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


def _runs(runs: tuple[Run, ...]) -> list[dict[str, Any]]:
    return [
        {"text": r.text, "bold": r.bold, "italic": r.italic, **({"link": r.link} if r.link else {})}
        for r in runs
    ]
