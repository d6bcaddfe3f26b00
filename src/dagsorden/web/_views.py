"""What the pages show, made from the library's records: plain values for the templates.

Presentation only: which members, parties and problems belong where on the page. Every rule
(who may vote, what a status freezes, what is valid) is the library's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._attendance import not_there_for, participants
from ..errors import ChangeRefused, DagsordenError, Problem, RecordError
from ..model import Access, Block, BlockKind, Meeting, Project, Run, Status, Text
from ..plan import removal
from ..text import clean, parse_markdown
from ._fields import FieldPath, fields_of

__all__ = [
    "STEPS",
    "FieldPlaces",
    "MeetingFields",
    "case_places",
    "grouped",
    "html_blocks",
    "meeting_fields",
    "meeting_view",
    "preview",
    "problems_by_place",
    "refused_at",
]

# What each step of a meeting's life freezes (README, 'Udsendt og godkendt er arkiv').
STEPS = [
    (Status.PLANNED, "Planlagt", "Dagsordenen kan ændres frit."),
    (
        Status.SENT,
        "Udsendt",
        "Dagsordenen fryses, som den er; ændringer bagefter bliver en tillægsdagsorden.",
    ),
    (
        Status.HELD,
        "Afholdt",
        "Dagsordenen fryses, som mødet behandler den, med en eventuel tillægsdagsorden.",
    ),
    (
        Status.APPROVED,
        "Godkendt",
        "Protokollen fryses; derefter kan den kun ændres ved en dateret rettelse.",
    ),
]


@dataclass(frozen=True)
class Places:
    """The meeting's problems by where they belong on its page."""

    meeting: list[Problem]  # front page facts and attendance: the file before its items
    items: dict[int, list[Problem]]
    elsewhere: list[Problem]  # other files the meeting uses


def problems_by_place(meeting: Meeting, problems: list[Problem]) -> Places:
    file = meeting.location.file
    starts = [item.location.line for item in meeting.items]
    places = Places([], {n: [] for n in range(1, len(starts) + 1)}, [])
    for problem in problems:
        if problem.location.file != file:
            places.elsewhere.append(problem)
            continue
        line = problem.location.line
        number = max((n for n, s in enumerate(starts, start=1) if s and s <= line), default=0)
        if number and line:
            places.items[number].append(problem)
        else:
            places.meeting.append(problem)
    return places


@dataclass(frozen=True)
class FieldPlaces:
    """Problems of one file by the field of the page they concern; `top` those at none."""

    fields: dict[str, list[Problem]]
    top: list[Problem]

    def at(self, key: str) -> list[Problem]:
        return self.fields.get(key, [])


def case_places(root: Path, file: str, problems: list[Problem]) -> FieldPlaces:
    """The case file's problems by the case page's fields (see `_case_key`)."""
    paths = fields_of(problems, file, root)
    places = FieldPlaces({}, [])
    for problem in problems:
        path = paths.get(problem)
        key = case_key(path) if path else None
        if key is None:
            places.top.append(problem)
        else:
            places.fields.setdefault(key, []).append(problem)
    return places


def case_key(path: FieldPath) -> str | None:
    """The place on the case page of a field of the case's file: a fact ('felt:titel'), a
    section ('afsnit:Sagsfremstilling'), a bilag ('bilag:2'), the recommendation."""
    if path[0] in ("afsnit", "bilag") and len(path) > 1:
        return f"{path[0]}:{path[1]}"
    if path[0] in _CASE_FACTS:
        return f"felt:{path[0]}"
    return None


_CASE_FACTS = (
    "sagsnr",
    "titel",
    "titel_følsom",
    "offentlig_titel",
    "kle",
    "adgang",
    "sagsgang",
    "indstilling",
)


def refused_at(
    exc: DagsordenError, key: str, keyer: Callable[[FieldPath], str | None]
) -> dict[str, str]:
    """A refused change's message for a form: each of the check's errors at the field it
    concerns (`keyer` names the field of a path), the rest at the form (`key`)."""
    if not isinstance(exc, ChangeRefused):
        return {key: str(exc)}
    paths = fields_of(exc.problems, exc.file, text=exc.text)
    at: dict[str, list[str]] = {}
    unplaced = False
    for problem in exc.problems:
        path = paths.get(problem)
        place = keyer(path) if path else None
        unplaced = unplaced or place is None
        at.setdefault(place or key, []).append(str(problem))
    if unplaced:
        at[key].insert(0, "ændringen ville give fejl i data, så intet er skrevet:")
    return {place: "\n".join(lines) for place, lines in at.items()}


# A meeting file's keys by the row of the meeting page's front page facts that shows them.
_FACT_ROWS = {
    "udvalg": "udvalg",
    "dato": "dato",
    "start": "tid",
    "slut": "tid",
    "start_bemærkning": "tid",
    "sted": "sted",
    "status": "status",
    "godkendt": "status",
    "afbud": "fremmoede",
    "stedfortrædere": "fremmoede",
    "delvis": "fremmoede",
}
# An item's keys by the part of the item the meeting page shows them in.
_ITEM_PARTS = {
    "beslutning": "beslutning",
    "offentlig_beslutning": "beslutning",
    "afstemning": "afstemning",
    "deltog_ikke": "deltog_ikke",
    "protokolbemærkninger": "bemaerkninger",
}


@dataclass(frozen=True)
class MeetingFields:
    """The meeting page's problems at the fields they concern: a front page fact ('dato',
    'tid', 'fremmoede', …), a part of an item ((2, 'beslutning'); (2, 'sag') for the item's
    case file; (2, 'punkt') for the rest of it), and `top` for the rest."""

    facts: dict[str, list[Problem]]
    items: dict[tuple[int, str], list[Problem]]
    top: list[Problem]

    def fact(self, key: str) -> list[Problem]:
        return self.facts.get(key, [])

    def item(self, number: int, part: str) -> list[Problem]:
        return self.items.get((number, part), [])


def meeting_fields(root: Path, view: dict[str, Any], places: Places) -> MeetingFields:
    """`places` in finer grain for the meeting page (the recording page keeps the items'
    lists): the meeting file's problems by the field their line stands in, a case file's at
    the item treating the case."""
    at = MeetingFields({}, {}, [])
    file = view["file"]
    paths = fields_of([*places.meeting, *(p for n in places.items.values() for p in n)], file, root)
    for problem in places.meeting:
        row = _FACT_ROWS.get(paths[problem][0]) if problem in paths else None
        if row is None:
            at.top.append(problem)
        else:
            at.facts.setdefault(row, []).append(problem)
    for number, found in places.items.items():
        for problem in found:
            path = paths.get(problem, ())
            part = _ITEM_PARTS.get(path[2], "punkt") if len(path) > 2 else "punkt"
            at.items.setdefault((number, part), []).append(problem)
    case_items = {e["case_file"]: e["number"] for e in view["entries"] if e["case_file"]}
    for problem in places.elsewhere:
        treating = case_items.get(problem.location.file)
        if treating is None:
            at.top.append(problem)
        else:
            at.items.setdefault((treating, "sag"), []).append(problem)
    return at


def html_blocks(text: Text | None) -> list[dict[str, Any]]:
    """A text field's blocks as the page shows them: paragraphs and lists, bold and italic,
    as the Word document does."""
    return grouped(text.blocks) if text is not None else []


def preview(source: str) -> list[dict[str, Any]]:
    """Typed text as the documents will show it: cleaned and parsed as on load."""
    return grouped(parse_markdown(clean(source)[0]).blocks)


def grouped(blocks: tuple[Block, ...]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for block in blocks:
        kind = block.kind.value
        if block.kind is BlockKind.TABLE:
            groups.append({"kind": "table", "rows": [[_plain(c) for c in r] for r in block.rows]})
            continue
        if block.kind in (BlockKind.IMAGE, BlockKind.PAGE_BREAK):
            groups.append({"kind": kind, "alt": block.plain, "file": block.target})
            continue
        if kind != BlockKind.PARAGRAPH.value and groups and groups[-1]["kind"] == kind:
            groups[-1]["entries"].append(_runs(block))
        else:
            groups.append({"kind": kind, "entries": [_runs(block)]})
    return groups


def _runs(block: Block) -> list[dict[str, Any]]:
    return _plain(block.runs)


def _plain(runs: tuple[Run, ...]) -> list[dict[str, Any]]:
    return [{"text": r.text, "bold": r.bold, "italic": r.italic, "link": r.link} for r in runs]


def meeting_view(project: Project, meeting: Meeting) -> dict[str, Any]:
    """The meeting's front page facts, members and items, as the pages show them."""
    org = project.organisation
    assert org is not None
    body = org.bodies.get(meeting.body.name)
    absent = {r.name for r in meeting.absent}
    substitutes = {s.replaces.name: s.person.name for s in meeting.substitutes}
    partial = {p.person.name: p for p in meeting.partial}
    members = []
    for person in org.people.values():
        membership = person.membership(meeting.bodies, meeting.date)
        if membership is None:
            continue
        part = partial.get(person.name)
        members.append(
            {
                "name": person.name,
                "party": membership.party or membership.organisation or "",
                "role": membership.role or "",
                "absent": person.name in absent,
                "substitute": substitutes.get(person.name, ""),
                "arrived": f"{part.arrived:%H:%M}" if part and part.arrived else "",
                "left": f"{part.left:%H:%M}" if part and part.left else "",
                "partial_items": ", ".join(str(n) for n in part.items) if part else "",
            }
        )
    items = []
    for number, item in enumerate(meeting.items, start=1):
        case = project.cases.get(item.case.name) if item.case is not None else None
        title = case.title if case is not None else item.title or "(uden titel)"
        present = participants(org, meeting, number)
        # Votes are cast by party where members have one, else member by member (a MED body).
        parties: dict[str, int] = {}
        for person_name, party in present:
            key = party or person_name
            parties[key] = parties.get(key, 0) + 1
        items.append(
            {
                "number": number,
                "case": item.case.name if item.case is not None else None,
                "case_file": case.location.file if case is not None else None,
                "title": title,
                "closed": project.item_access(item) is Access.CLOSED,
                "decision": item.decision.source.strip() if item.decision else "",
                "decision_blocks": html_blocks(item.decision),
                "public_decision": item.public_decision.source.strip()
                if item.public_decision
                else "",
                "recommendation_blocks": html_blocks(
                    item.recommendation or (case.recommendation if case else None)
                ),
                "text_blocks": html_blocks(item.text),
                "own_text": item.text.source.strip() if item.text else "",
                "own_recommendation": item.recommendation.source.strip()
                if item.recommendation
                else "",
                "away": [
                    {"name": np.person.name, "reason": np.reason or ""}
                    for np in item.non_participation
                ],
                "not_there": not_there_for(meeting, number),
                "present": present,
                "parties": sorted(parties.items()),
                "votes": _votes(item.votes),
                "notes": [
                    {
                        "person": n.person.name if n.person else "",
                        "text": " ".join(b.plain for b in n.text.blocks),
                    }
                    for n in item.notes
                ],
                "postponed": item.postponed,
                "removable": _removable(project, meeting, number),
            }
        )
    order = [s for s, _, _ in STEPS]
    current = meeting.status
    return {
        "name": meeting.name,
        "file": meeting.location.file,
        "body": meeting.body.name,
        "body_name": body.name if body else meeting.body.name,
        "date": f"{meeting.date:%d-%m-%Y}",
        "start": f"{meeting.start:%H:%M}",
        "end": f"{meeting.end:%H:%M}" if meeting.end else "",
        "place": meeting.place,
        "status": current.value,
        "cancelled": current is Status.CANCELLED,
        "approved": current is Status.APPROVED,
        "approval": f"{meeting.approval.date:%d-%m-%Y}" if meeting.approval else "",
        "steps": [
            {
                "label": label,
                "value": status.value,
                "freezes": freezes,
                "done": current in order and order.index(status) <= order.index(current),
                "current": status is current,
            }
            for status, label, freezes in STEPS
        ],
        "members": members,
        "people": sorted(org.people),
        "entries": items,
    }


def _removable(project: Project, meeting: Meeting, number: int) -> bool:
    """Whether the page offers to take the item off the agenda (the library decides)."""
    try:
        removal(project, meeting, number)
    except RecordError:
        return False
    return True


def _votes(votes: Any) -> dict[str, str]:
    if votes is None:
        return {}
    return {
        side: ", ".join(r.name for r in refs)
        for side, refs in (
            ("for", votes.for_),
            ("imod", votes.against),
            ("undlod", votes.abstained),
        )
        if refs
    }
