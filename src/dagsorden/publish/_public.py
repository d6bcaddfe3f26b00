"""The one place the publisher reads the public template context.

Every page, OParl object and calendar event is made from a meeting's *view*: a plain, JSON-able
dict made here from the public edition's contexts (`frozen.document_context(...,
Edition.PUBLIC)`), which is what the public documents print, frozen where the meeting's records
say so. What the public context leaves out (closed text, closed bilag, a closed item's case
number), the view never receives. From the model itself only what no context carries and what
is no secret: the meeting's state, its ISO date and its bodies' abbreviations.

The context keys read are listed in `CONTEXT_KEYS`; a change of the context's shape touches
this module only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from ..context import DocumentKind, Edition, History
from ..frozen import document_context, frozen_document, supplement_context
from ..model import Access, Meeting, Project, Status
from ..records import data_key

__all__ = ["CONTEXT_KEYS", "STATUS_LABELS", "meeting_view", "plain", "slug"]

# The keys of the public context this module reads (docs/templates.md).
CONTEXT_KEYS = (
    "municipality",
    "document.notices",
    "document.cancelled",
    "body.name",
    "meeting.place",
    "meeting.date_long",
    "meeting.start",
    "meeting.end",
    "meeting.members",
    "meeting.absent",
    "items[].number",
    "items[].title",
    "items[].heading",
    "items[].note",
    "items[].case_line",
    "items[].route",
    "items[].text",
    "items[].sections[].heading",
    "items[].sections[].blocks",
    "items[].recommendation",
    "items[].attachments",
    "items[].treatments[].heading",
    "items[].treatments[].recommendation",
    "items[].treatments[].decided",
    "items[].treatments[].decision",
    "items[].treatments[].votes",
    "items[].treatments[].notes",
    "items[].treatments[].non_participation",
    "items[].treatments[].corrections[].heading",
    "items[].treatments[].corrections[].blocks",
    "corrections[].heading",
    "corrections[].blocks",
)

STATUS_LABELS = {
    Status.PLANNED.value: "Planlagt",
    Status.SENT.value: "Dagsorden udsendt",
    Status.HELD.value: "Afholdt",
    Status.APPROVED.value: "Referat godkendt",
    Status.CANCELLED.value: "Aflyst",
}


def meeting_view(project: Project, meeting: Meeting, history: History) -> dict[str, Any]:
    """Everything the site, OParl and the feeds show of `meeting`: its public edition only."""
    agenda = document_context(project, meeting, DocumentKind.AGENDA, Edition.PUBLIC, history)
    supplement = supplement_context(project, meeting, Edition.PUBLIC, history)
    minutes = (
        document_context(project, meeting, DocumentKind.MINUTES, Edition.PUBLIC, history)
        if meeting.has_decisions
        else None
    )
    shown = minutes or agenda
    kind = DocumentKind.MINUTES if minutes else DocumentKind.AGENDA
    opened = _open_items(project, meeting, kind, len(shown["items"]))
    ids = _Ids()
    items = [
        _item(raw, ids.make(raw), minutes is not None, is_open)
        for raw, is_open in zip(shown["items"], opened, strict=True)
    ]
    return {
        "name": meeting.name,
        "municipality": shown["municipality"],
        "bodies": list(meeting.bodies),
        "body_name": shown["body"]["name"],
        "date": meeting.date.isoformat(),
        "date_long": shown["meeting"]["date_long"],
        "start": _clock(shown["meeting"]["start"]),
        "end": _clock(shown["meeting"]["end"]),
        "place": shown["meeting"]["place"],
        "status": meeting.status.value,
        "status_label": STATUS_LABELS[meeting.status.value],
        "cancelled": bool(shown["document"].get("cancelled")),
        "notices": list(shown["document"].get("notices", [])),
        "members": list(shown["meeting"].get("members", [])) if minutes else [],
        "absent": list(shown["meeting"].get("absent", [])) if minutes else [],
        "documents": [k.value for k, c in _kinds(agenda, supplement, minutes) if c is not None],
        "items": items,
        "supplement": [
            {"heading": i["heading"], "note": i.get("note", "")}
            for i in (supplement or {}).get("items", [])
        ],
        "corrections": [_correction(c) for c in (minutes or {}).get("corrections", [])],
        "sequence": _sequence(project, meeting),
    }


def _kinds(agenda: Any, supplement: Any, minutes: Any) -> Iterable[tuple[DocumentKind, Any]]:
    return (
        (DocumentKind.AGENDA, agenda),
        (DocumentKind.SUPPLEMENT, supplement),
        (DocumentKind.MINUTES, minutes),
    )


def _open_items(project: Project, meeting: Meeting, kind: DocumentKind, count: int) -> list[bool]:
    """Whether each item of the document was treated openly: as frozen with the record the
    document comes from, else as the data says now. Counted from the context when the two
    cannot be matched: an item that shows nothing but its title is taken for closed."""
    record = frozen_document(project, meeting, kind, Edition.PUBLIC)
    if record is not None:
        stage = project.records[meeting.name][
            "godkendt" if kind is DocumentKind.MINUTES else "udsendt"
        ]
        keys = [data_key(i) for i in stage.data.get("punkter", [])]
        found = [stage.access.get(k) for k in keys]
        if len(found) == count and None not in found:
            return [a == Access.OPEN.value for a in found]
        return [True] * count
    if len(meeting.items) != count:
        return [True] * count
    return [project.item_access(i) is Access.OPEN for i in meeting.items]


def _item(raw: Mapping[str, Any], item_id: str, minutes: bool, is_open: bool) -> dict[str, Any]:
    case = _case_number(raw.get("case_line", ""))
    treatments = list(raw.get("treatments", []))
    current = treatments[-1] if treatments else {}
    return {
        "id": item_id,
        "number": raw["number"],
        "title": raw["title"],
        "heading": raw["heading"],
        "open": is_open,
        "case": case,
        "case_line": raw.get("case_line", ""),
        "route": raw.get("route", ""),
        "note": raw.get("note", ""),
        "text": groups(raw.get("text", [])),
        "sections": [
            {"heading": s["heading"], "text": groups(s.get("blocks", []))}
            for s in raw.get("sections", [])
        ],
        "recommendation": groups(raw.get("recommendation", [])),
        "history": [_treatment(t) for t in treatments[:-1]],
        "here": _treatment(current) if current else None,
        "decided": bool(minutes and current.get("decided")),
        "attachments": list(raw.get("attachments", [])),
    }


def _treatment(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "heading": raw.get("heading", ""),
        "recommendation": groups(raw.get("recommendation", [])),
        "decided": bool(raw.get("decided")),
        "decision": groups(raw.get("decision", [])),
        "votes": list(raw.get("votes", [])),
        "notes": groups(raw.get("notes", [])),
        "non_participation": list(raw.get("non_participation", [])),
        "corrections": [_correction(c) for c in raw.get("corrections", []) or []],
    }


def _correction(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {"heading": raw.get("heading", ""), "text": groups(raw.get("blocks", []))}


def _case_number(case_line: str) -> str:
    """'22/291' from '22/291 Åben Sag' or '00.01.00 22/291 Åben Sag'; '' when not shown."""
    words = case_line.split()
    return words[-3] if len(words) >= 3 else ""


def _clock(value: str) -> str:
    """'13:00' from the context's '13:00' or '9:30' ('' stays '')."""
    if not value:
        return ""
    hours, _, minutes = value.partition(":")
    return f"{int(hours):02d}:{minutes}"


class _Ids:
    """An item's id in its meeting's URLs: its case number when the public edition shows it,
    else its public title; made unique in the meeting. Stable when items are reordered."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def make(self, raw: Mapping[str, Any]) -> str:
        case = _case_number(raw.get("case_line", ""))
        base = f"sag-{slug(case)}" if case else slug(raw["title"]) or "punkt"
        made, n = base, 1
        while made in self.taken:
            n += 1
            made = f"{base}-{n}"
        self.taken.add(made)
        return made


def groups(blocks: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Blocks as HTML groups them: a paragraph alone, consecutive list blocks in one list."""
    out: list[dict[str, Any]] = []
    for block in blocks:
        kind = {"bullet": "ul", "number": "ol"}.get(block.get("kind", ""), "p")
        runs = [
            {"text": str(r["text"]), "bold": bool(r.get("bold")), "italic": bool(r.get("italic"))}
            for r in block.get("runs", [])
        ]
        if kind != "p" and out and out[-1]["tag"] == kind:
            out[-1]["items"].append(runs)
        else:
            out.append({"tag": kind, "items": [runs]})
    return out


def plain(text: list[dict[str, Any]]) -> str:
    """A group list as plain text: paragraphs and list entries on lines of their own."""
    lines = []
    for group in text:
        for runs in group["items"]:
            line = "".join(r["text"] for r in runs)
            lines.append(f"- {line}" if group["tag"] != "p" else line)
    return "\n".join(lines)


def _sequence(project: Project, meeting: Meeting) -> int:
    """How often the meeting's time or place changed since its agenda was first sent: the
    calendar's SEQUENCE, from the frozen records (the same data gives the same number)."""
    seen: list[tuple[str, ...]] = []
    stages = project.records.get(meeting.name, {})
    for stage in ("udsendt", "afholdt", "godkendt"):
        record = stages.get(stage)
        if record is not None:
            data = record.data
            seen.append(tuple(str(data.get(k, "")) for k in ("dato", "start", "slut", "sted")))
    now = (
        meeting.date.isoformat(),
        _clock(f"{meeting.start.hour}:{meeting.start.minute:02d}"),
        _clock(f"{meeting.end.hour}:{meeting.end.minute:02d}") if meeting.end else "",
        meeting.place,
    )
    distinct: list[tuple[str, ...]] = []
    for moment in [*(_normal(s) for s in seen), now]:
        if not distinct or distinct[-1] != moment:
            distinct.append(moment)
    return len(distinct) - 1


def _normal(data: tuple[str, ...]) -> tuple[str, ...]:
    day, start, end, place = data
    return (day, _clock(start) if start else "", _clock(end) if end else "", place)


_UNSAFE = re.compile(r"[^a-z0-9]+")
_LETTERS = {"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def slug(text: str) -> str:
    """'Økonomiudvalget' -> 'oekonomiudvalget', '22/291' -> '22-291': for file names and URLs."""
    lowered = "".join(_LETTERS.get(c, c) for c in text.lower())
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("-", ascii_text).strip("-")[:60].strip("-")
