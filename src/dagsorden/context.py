"""The template context: one plain dict per document, every value already formatted.

This is the single contract between the data and the Word templates (docs/templates.md). A
case's history is derived here from the meetings that treated it; nothing is copied.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from enum import Enum
from typing import Any

from babel.dates import format_date

from .model import Block, Case, Item, Meeting, Organisation, Project, Text

__all__ = ["DocumentKind", "build_context", "case_history", "format_person"]

ROLE_ORDER = ("Formand", "Næstformand")
NOT_TAKING_PART = "deltog ikke under behandling af punktet."


class DocumentKind(Enum):
    AGENDA = "dagsorden"
    MINUTES = "protokol"


History = Mapping[str, list[tuple[Meeting, Item]]]


def case_history(project: Project) -> History:
    """Every treatment of every case, oldest first."""
    history: dict[str, list[tuple[Meeting, Item]]] = defaultdict(list)
    for meeting in sorted(project.meetings.values(), key=lambda m: m.sort_key):
        for item in meeting.items:
            if item.case is not None:
                history[item.case.name].append((meeting, item))
    return history


def build_context(
    project: Project,
    meeting: Meeting,
    kind: DocumentKind,
    history: History | None = None,
) -> dict[str, Any]:
    """The context for one document of `meeting`; the project must have passed the check."""
    org = project.organisation
    assert org is not None, "the check guarantees an organisation"
    if history is None:
        history = case_history(project)
    body = org.bodies[meeting.body.name]
    minutes = kind is DocumentKind.MINUTES
    date = meeting.date.strftime("%d-%m-%Y")
    items = []
    for number, item in enumerate(meeting.items, start=1):
        case = project.cases[item.case.name] if item.case is not None else None
        items.append(_item(org, number, item, case, meeting, minutes, history))
    return {
        "municipality": org.municipality,
        "document": {
            "kind": kind.value,
            "title": body.minutes_title if minutes else "DAGSORDEN",
            "is_minutes": minutes,
        },
        "body": {"name": body.name, "abbreviation": body.abbreviation},
        "meeting": {
            "place": meeting.place,
            "date": date,
            "date_long": long_date(meeting.date),
            "start": _time(meeting.start),
            "end": _time(meeting.end) if meeting.end else "",
            "header": f"{body.name} {date}",
            "members": _members(org, meeting),
            "absent": [format_person(org, r.name, meeting) for r in meeting.absent],
        },
        "items": items,
        "attachment_overview": [
            {"heading": item["heading"], "attachments": item["attachments"]}
            for item in items
            if item["attachments"]
        ],
    }


def long_date(day: dt.date) -> str:
    """'Torsdag den 2. marts 2023', as on Norddjurs' front pages."""
    text = format_date(day, "EEEE 'den' d. MMMM y", locale="da_DK")
    return text[:1].upper() + text[1:]


def format_person(org: Organisation, name: str, meeting: Meeting) -> str:
    """'Jens Meilvang (I)', 'Christian Bertelsen (Kommunaldirektør) (Formand)'."""
    person = org.people.get(name)
    membership = person.membership(meeting.body.name, meeting.date) if person else None
    if membership is None:
        return name
    parts = (membership.party or membership.organisation, membership.job_title, membership.role)
    return " ".join([name, *(f"({p})" for p in parts if p)])


def _time(value: dt.time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _members(org: Organisation, meeting: Meeting) -> list[str]:
    found = []
    for index, person in enumerate(org.people.values()):
        membership = person.membership(meeting.body.name, meeting.date)
        if membership is None:
            continue
        rank = (
            ROLE_ORDER.index(membership.role) if membership.role in ROLE_ORDER else len(ROLE_ORDER)
        )
        found.append((rank, index, format_person(org, person.name, meeting)))
    return [label for _, _, label in sorted(found)]


def _item(
    org: Organisation,
    number: int,
    item: Item,
    case: Case | None,
    meeting: Meeting,
    minutes: bool,
    history: History,
) -> dict[str, Any]:
    title = case.title if case is not None else item.title or ""
    out: dict[str, Any] = {
        "number": number,
        "title": title,
        "heading": f"{number}. {title}",
        "case_line": "",
        "route": "",
        "text": _blocks(item.text),
        "sections": [],
        "recommendation": [],
        "treatments": [],
        "attachments": [],
    }
    if case is None:
        out["treatments"] = [_treatment(org, meeting, item, decided=minutes)]
        return out
    out["case_line"] = " ".join(filter(None, (case.kle, case.number, f"{case.access.value} Sag")))
    out["route"] = ", ".join(r.name for r in case.route)
    out["sections"] = [{"heading": s.heading, "blocks": _blocks(s.text)} for s in case.sections]
    out["recommendation"] = _blocks(case.recommendation)
    treatments = []
    for earlier_meeting, earlier_item in history.get(case.number, []):
        if earlier_meeting.sort_key >= meeting.sort_key:
            break
        treatments.append(_treatment(org, earlier_meeting, earlier_item, decided=True))
    treatments.append(_treatment(org, meeting, item, decided=minutes))
    out["treatments"] = treatments
    out["attachments"] = _attachments(case, meeting, history)
    return out


def _attachments(case: Case, meeting: Meeting, history: History) -> list[str]:
    """The bilag lines as this meeting shows them.

    A bilag belongs to the case from the meeting it was added at (by default the case's first
    treatment): it is not shown before that, and is marked (H) at every later treatment.
    """
    treatments = history.get(case.number, [])
    by_name = {m.name: m for m, _ in treatments}
    first = treatments[0][0].sort_key if treatments else meeting.sort_key
    lines: list[str] = []
    for a in case.attachments:
        added = by_name[a.added.name].sort_key if a.added and a.added.name in by_name else first
        if meeting.sort_key < added:
            continue
        line = f"{len(lines) + 1} - {a.system_id} {a.access.value} {a.title}"
        line += f" ({a.doc_number})" if a.doc_number else ""
        line += " (H)" if meeting.sort_key > added else ""
        lines.append(line)
    return lines


def _treatment(org: Organisation, meeting: Meeting, item: Item, *, decided: bool) -> dict[str, Any]:
    decided = decided and item.decision is not None
    body = org.bodies[meeting.body.name]
    return {
        "recommendation": _blocks(item.recommendation),
        "decided": decided,
        "heading": f"Beslutning i {body.name} den {meeting.date:%d-%m-%Y}",
        "decision": _blocks(item.decision) if decided else [],
        "notes": [b for note in item.notes for b in _blocks(note)] if decided else [],
        "non_participation": [
            f"{format_person(org, np.person.name, meeting)} {NOT_TAKING_PART}"
            for np in item.non_participation
        ]
        if decided
        else [],
        "absent": [format_person(org, r.name, meeting) for r in meeting.absent] if decided else [],
    }


def _blocks(text: Text | None) -> list[dict[str, Any]]:
    if text is None:
        return []
    return [_block(b) for b in text.blocks]


def _block(block: Block) -> dict[str, Any]:
    return {
        "kind": block.kind.value,
        "runs": [{"text": r.text, "bold": r.bold, "italic": r.italic} for r in block.runs],
    }
