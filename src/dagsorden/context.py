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

from ._keys import WORDING
from .model import (
    Access,
    Attachment,
    Block,
    Case,
    Correction,
    Item,
    Meeting,
    Membership,
    Organisation,
    Partial,
    Person,
    Project,
    Status,
    Text,
)
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


def words(org: Organisation | None, key: str, **values: str) -> str:
    """The fixed words `key` (ordlyd: in organisation.yaml, else the default) with `values`
    put in for their {…}."""
    text = org.wording.get(key) if org is not None else None
    text = text if text is not None else WORDING[key][0]
    for name, value in values.items():
        text = text.replace(f"{{{name}}}", value)
    return text


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
    members = _members(org, meeting)
    return {
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
            "members": [m["label"] for m in members]
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
            + [_partial_line(org, meeting, p) for p in meeting.partial],
            # The same people as values, for a template that composes its own lines.
            "member_list": members,
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
                    "arrived": _dotted(p.arrived) if p.arrived else "",
                    "left": _dotted(p.left) if p.left else "",
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


def format_person(org: Organisation, name: str, meeting: Meeting) -> str:
    """'Jens Meilvang (I)', 'Christian Bertelsen (Kommunaldirektør) (Formand)'.

    A stedfortræder, who is no member of the body, is shown with his own party.
    """
    values = person_values(org, name, meeting)
    parts = (values["party"] or values["organisation"], values["job_title"], values["role"])
    return " ".join([values["name"], *(f"({p})" for p in parts if p)])


def person_values(org: Organisation, name: str, meeting: Meeting) -> dict[str, str]:
    """A person at a meeting as values: the name printed then, party or organisation, job
    title, role, and the label the built-in templates print ('Jens Meilvang (I)')."""
    person = org.people.get(name)
    membership = person.membership(meeting.bodies, meeting.date) if person else None
    values = {"name": name, "party": "", "organisation": "", "job_title": "", "role": ""}
    if person is not None:
        values["name"] = printed_name(person, meeting.date)
    if membership is None:
        substitute = person is not None and any(s.person.name == name for s in meeting.substitutes)
        party = own_party(person, meeting.date) if person is not None and substitute else None
        values["party"] = party or ""
        values["label"] = f"{values['name']} ({party})" if party else values["name"]
        return values
    values.update(
        party=membership.party or "",
        organisation=membership.organisation or "",
        job_title=membership.job_title or "",
        role=membership.role or "",
    )
    parts = (membership.party or membership.organisation, membership.job_title, membership.role)
    values["label"] = " ".join([values["name"], *(f"({p})" for p in parts if p)])
    return values


def printed_name(person: Person, day: dt.date) -> str:
    """The name printed on `day`: a membership's `navn:` while it lasts (a name changed by
    marriage), else the person's name as organisation.yaml keys it."""
    for m in person.memberships:
        if m.printed_name and m.active_on(day):
            return m.printed_name
    return person.name


def own_party(person: Person, day: dt.date) -> str | None:
    """The party of someone outside the body (a stedfortræder): from a membership of another
    body on the day, else the latest one that names a party."""
    with_party = [m for m in person.memberships if m.party]
    current = [m for m in with_party if m.active_on(day)]
    chosen = current or sorted(with_party, key=lambda m: m.start, reverse=True)
    return chosen[0].party if chosen else None


def item_span(numbers: list[int] | tuple[int, ...]) -> str:
    """'1-3, 5': item numbers as minutes write them."""
    parts: list[str] = []
    ordered = sorted(set(numbers))
    start = 0
    for index, number in enumerate(ordered):
        if index + 1 < len(ordered) and ordered[index + 1] == number + 1:
            continue
        first = ordered[start]
        parts.append(str(first) if first == number else f"{first}-{number}")
        start = index + 1
    return ", ".join(parts)


def _dotted(value: dt.time) -> str:
    """'17.45', as running text in minutes writes a time."""
    return f"{value.hour}.{value.minute:02d}"


def _times(org: Organisation, partial: Partial) -> str:
    """'ankom kl. 17.45', 'gik kl. 19.30', or both."""
    times = [words(org, "ankom", kl=_dotted(partial.arrived))] if partial.arrived else []
    times += [words(org, "gik", kl=_dotted(partial.left))] if partial.left else []
    return ", ".join(times)


def _partial_line(org: Organisation, meeting: Meeting, partial: Partial) -> str:
    """'Anna Andersen (A) deltog ikke i punkt 1-3 (ankom kl. 17.45)', under Fraværende."""
    who = format_person(org, partial.person.name, meeting)
    return words(
        org, "delvis", navn=who, punkter=item_span(partial.items), tid=_times(org, partial)
    )


def _away_line(org: Organisation, meeting: Meeting, number: int, name: str) -> str:
    """One line under an item for someone who was not there for it: the seed's sentence, with
    the time for a member who came late or left early."""
    who = format_person(org, name, meeting)
    item = meeting.items[number - 1]
    if any(np.person.name == name for np in item.non_participation):
        return words(org, "deltog_ikke", navn=who)
    partial = next(p for p in meeting.partial if p.person.name == name and number in p.items)
    return words(org, "deltog_ikke_tid", navn=who, tid=_times(org, partial))


def _time(value: dt.time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _members(org: Organisation, meeting: Meeting) -> list[dict[str, str]]:
    """The members on the day: those the body's `medlemsorden` names first, in its order,
    then by role (`rolleorden`), then as organisation.yaml lists them."""
    body = org.bodies.get(meeting.body.name)
    ordered = [r.name for r in body.member_order] if body is not None else []
    roles = org.role_order
    found: list[tuple[int, int, int, dict[str, str]]] = []
    for index, person in enumerate(org.people.values()):
        membership: Membership | None = person.membership(meeting.bodies, meeting.date)
        if membership is None:
            continue
        place = ordered.index(person.name) if person.name in ordered else len(ordered)
        rank = roles.index(membership.role) if membership.role in roles else len(roles)
        found.append((place, rank, index, person_values(org, person.name, meeting)))
    return [values for *_, values in sorted(found, key=lambda f: f[:3])]


def participants(
    org: Organisation, meeting: Meeting, number: int | None = None
) -> list[tuple[str, str | None]]:
    """Who took part (name, party): the members less afbud, plus substitutes; for an item
    also less those who did not take part in it or were not there for it."""
    away = {r.name for r in meeting.absent}
    if number is not None:
        away |= set(not_there_for(meeting, number))
    found: list[tuple[str, str | None]] = []
    for person in org.people.values():
        membership = person.membership(meeting.bodies, meeting.date)
        if membership is not None and person.name not in away:
            found.append((person.name, membership.party))
    for sub in meeting.substitutes:
        substitute = org.people.get(sub.person.name)
        if substitute is None or substitute.name in away:
            continue
        own = substitute.membership(meeting.bodies, meeting.date)
        found.append((substitute.name, own.party if own else own_party(substitute, meeting.date)))
    return found


def not_there_for(meeting: Meeting, number: int) -> list[str]:
    """Who did not take part in item `number`: deltog_ikke, then late or early (delvis)."""
    item = meeting.items[number - 1]
    names = [np.person.name for np in item.non_participation]
    names += [
        p.person.name for p in meeting.partial if number in p.items and p.person.name not in names
    ]
    return names


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
            "non_participation": [_away_line(org, meeting, number, name) for name in away]
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
    return {
        "kind": block.kind.value,
        "runs": [{"text": r.text, "bold": r.bold, "italic": r.italic} for r in block.runs],
    }
