"""The template context of a document whose meeting is frozen, from its records.

A sent agenda is rebuilt from the context frozen when it was sent, approved minutes from the
context frozen when they were approved (with the corrections added since), so neither changes
when a case is revised for its next treatment. What changed on the agenda after it was sent is
a supplementary agenda (tillægsdagsorden) of its own. Minutes of a meeting not yet approved show
each item as the meeting treated it: as it stood when the meeting was held (frozen then), else
as it was sent, with what the meeting file records now.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .context import (
    CANCELLED,
    DocumentKind,
    Edition,
    History,
    build_context,
    correction_entry,
)
from .model import FrozenDocument, FrozenRecord, Meeting, Project, Status
from .records import data_key, item_key

__all__ = [
    "ADDED_AFTER_SENDING",
    "ADDED_DURING_MEETING",
    "CHANGED_AFTER_SENDING",
    "WITHDRAWN",
    "document_context",
    "frozen_document",
    "is_frozen",
    "supplement_context",
]

ADDED_AFTER_SENDING = "Nyt punkt, optaget på dagsordenen efter udsendelsen."
CHANGED_AFTER_SENDING = "Punktet er ændret efter udsendelsen af dagsordenen."
WITHDRAWN = "Punktet er taget af dagsordenen."
ADDED_DURING_MEETING = "Punktet blev optaget på dagsordenen under mødet."

# The stage whose record holds each kind of document.
_STAGE = {
    DocumentKind.AGENDA: "udsendt",
    DocumentKind.SUPPLEMENT: "afholdt",
    DocumentKind.MINUTES: "godkendt",
}
# What an item shows from other files (the case, earlier meetings): frozen with the agenda.
_FROM_THE_CASE = ("title", "case_line", "route", "sections", "recommendation", "attachments")
_POSITION = ("number", "heading", "note")


def frozen_document(
    project: Project, meeting: Meeting, kind: DocumentKind, edition: Edition
) -> FrozenDocument | None:
    """The frozen document this build must reproduce, if the meeting has one."""
    record = project.records.get(meeting.name, {}).get(_STAGE[kind])
    return record.document(kind.value, edition.value) if record is not None else None


def is_frozen(project: Project, meeting: Meeting, kind: DocumentKind) -> bool:
    """The document's content is settled: frozen, or (a supplement) the meeting is held."""
    if kind is DocumentKind.SUPPLEMENT:
        return "afholdt" in project.records.get(meeting.name, {})
    return frozen_document(project, meeting, kind, Edition.INTERNAL) is not None


def document_context(
    project: Project,
    meeting: Meeting,
    kind: DocumentKind,
    edition: Edition,
    history: History | None = None,
) -> dict[str, Any]:
    """The context of one document, as the meeting's records say it must read."""
    frozen = frozen_document(project, meeting, kind, edition)
    if frozen is not None:
        context = _load(project, frozen)
        if kind is DocumentKind.MINUTES:
            _add_corrections(context, meeting, frozen.corrections_at)
        if meeting.status is Status.CANCELLED:
            # The agenda went out, then the meeting was called off: the front page says so
            # (the record in arkiv/ stays as it was sent).
            context["document"]["cancelled"] = True
            context["document"]["notices"] = [CANCELLED, *context["document"]["notices"]]
        return context
    if kind is DocumentKind.SUPPLEMENT:
        return supplement_context(project, meeting, edition, history) or {}
    context = build_context(project, meeting, kind, edition, history)
    treated = _as_treated(project, meeting, edition)
    if kind is DocumentKind.MINUTES and treated is not None:
        record, agenda = treated
        _as_sent(context, agenda, record.data, meeting, during=record.stage == "afholdt")
    return context


def supplement_context(
    project: Project, meeting: Meeting, edition: Edition, history: History | None = None
) -> dict[str, Any] | None:
    """The tillægsdagsorden: items added, changed or withdrawn since the agenda was sent, or
    None when nothing changed. Once the meeting is held it is its frozen copy."""
    stages = project.records.get(meeting.name, {})
    if "afholdt" in stages:
        frozen = stages["afholdt"].document(DocumentKind.SUPPLEMENT.value, edition.value)
        return _load(project, frozen) if frozen is not None else None
    sent = stages.get("udsendt")
    agenda = sent.document(DocumentKind.AGENDA.value, edition.value) if sent else None
    if sent is None or agenda is None:
        return None
    live = build_context(project, meeting, DocumentKind.SUPPLEMENT, edition, history)
    was = _by_key(sent.data, _load(project, agenda))
    items = []
    for item, shown in zip(meeting.items, live["items"], strict=True):
        old = was.pop(item_key(item), None)
        if old is None:
            items.append({**shown, "note": ADDED_AFTER_SENDING})
        elif _content(old) != _content(shown):
            items.append({**shown, "note": CHANGED_AFTER_SENDING})
    for old in was.values():
        items.append(_withdrawn(old))
    if not items:
        return None
    live["items"] = items
    live["attachment_overview"] = _overview(items)
    return live


def _by_key(data: Mapping[str, Any], context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    keys = [data_key(i) for i in data.get("punkter", [])]
    return dict(zip(keys, context["items"], strict=False))


def _content(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in _POSITION}


def _withdrawn(item: dict[str, Any]) -> dict[str, Any]:
    """A withdrawn item: its number and title on the sent agenda, and nothing more."""
    empty = {k: [] if isinstance(v, list) else "" for k, v in item.items()}
    return {
        **empty,
        "number": item["number"],
        "title": item["title"],
        "heading": item["heading"],
        "note": WITHDRAWN,
    }


def _overview(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"heading": i["heading"], "attachments": i["attachments"]}
        for i in items
        if i["attachments"]
    ]


def _as_treated(
    project: Project, meeting: Meeting, edition: Edition
) -> tuple[FrozenRecord, dict[str, Any]] | None:
    """The agenda as the meeting treated it: frozen when it was held, else when it was sent."""
    stages = project.records.get(meeting.name, {})
    for stage in ("afholdt", "udsendt"):
        record = stages.get(stage)
        agenda = record.document(DocumentKind.AGENDA.value, edition.value) if record else None
        if record is not None and agenda is not None:
            return record, _load(project, agenda)
    return None


def _load(project: Project, document: FrozenDocument) -> dict[str, Any]:
    path = project.root / document.context_file
    context: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return context


def _add_corrections(context: dict[str, Any], meeting: Meeting, at: tuple[int, ...]) -> None:
    context["corrections"] = [correction_entry(c) for c in meeting.corrections if c.item is None]
    for item in context["items"]:
        if item["number"] in at:
            item["treatments"][-1]["corrections"] = [
                correction_entry(c) for c in meeting.corrections if c.item == item["number"]
            ]


def _as_sent(
    context: dict[str, Any],
    agenda: dict[str, Any],
    data: Mapping[str, Any],
    meeting: Meeting,
    *,
    during: bool,
) -> None:
    """Items on the agenda as treated show the case as it was then; items added since show it
    as it is, and (`during`: added after the meeting began) say so."""
    was = _by_key(data, agenda)
    for item, shown in zip(meeting.items, context["items"], strict=True):
        old = was.get(item_key(item))
        if old is None:
            shown["note"] = ADDED_DURING_MEETING if during else ""
            continue
        if item.case is None:
            continue
        for key in _FROM_THE_CASE:
            shown[key] = old[key]
        shown["heading"] = f"{shown['number']}. {shown['title']}"
        shown["treatments"] = [*old["treatments"][:-1], shown["treatments"][-1]]
    context["attachment_overview"] = _overview(context["items"])
