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

from ._keys import WORDING
from ._upgrade import upgrade_context
from .context import (
    STRUCTURED_ITEM_KEYS,
    STRUCTURED_TREATMENT_KEYS,
    DocumentKind,
    Edition,
    History,
    build_context,
    correction_entry,
    overview,
    words,
)
from .model import Access, FrozenDocument, Meeting, Organisation, Project, Status
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

# The notes' default words; organisation.yaml's ordlyd: may change them.
ADDED_AFTER_SENDING = WORDING["nyt_punkt"][0]
CHANGED_AFTER_SENDING = WORDING["ændret_punkt"][0]
WITHDRAWN = WORDING["taget_af"][0].replace("{nr}", "{number}")
ADDED_DURING_MEETING = WORDING["optaget_under_mødet"][0]

# The stage whose record holds each kind of document.
_STAGE = {
    DocumentKind.AGENDA: "udsendt",
    DocumentKind.SUPPLEMENT: "afholdt",
    DocumentKind.MINUTES: "godkendt",
}
# What an item shows from other files (the case, earlier meetings): frozen with the agenda.
_FROM_THE_CASE = (
    "title",
    "case_line",
    "route",
    "sections",
    "recommendation",
    "attachments",
    "case",
    "attachment_fields",
)
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
            _add_corrections(project, context, meeting, frozen.corrections_at)
        if meeting.status is Status.CANCELLED:
            # The agenda went out, then the meeting was called off: the front page says so
            # (the record in arkiv/ stays as it was sent).
            context["document"]["cancelled"] = True
            cancelled = words(project.organisation, "aflyst")
            context["document"]["notices"] = [cancelled, *context["document"]["notices"]]
        return context
    if kind is DocumentKind.SUPPLEMENT:
        return supplement_context(project, meeting, edition, history) or {}
    context = build_context(project, meeting, kind, edition, history)
    treated = _as_treated(project, meeting, edition)
    if kind is DocumentKind.MINUTES and treated is not None:
        data, agenda, held = treated
        # In the public edition, an item closed now shows only what a closed item shows.
        closed = {
            item_key(i)
            for i in meeting.items
            if edition is Edition.PUBLIC and project.item_access(i) is Access.CLOSED
        }
        org = project.organisation
        _as_sent(context, agenda, data, meeting, held=held, skip=closed, org=org)
    return context


def supplement_context(
    project: Project, meeting: Meeting, edition: Edition, history: History | None = None
) -> dict[str, Any] | None:
    """The tillægsdagsorden: items added, changed or withdrawn since the agenda was sent, and
    a changed time or place, or None when nothing changed. Once the meeting is held it is its
    frozen copy.

    What changed is judged on the internal edition, so both editions list the same items (a
    closed item by its public title only): the public edition exists whenever the internal
    one does.
    """
    stages = project.records.get(meeting.name, {})
    if "afholdt" in stages:
        frozen = stages["afholdt"].document(DocumentKind.SUPPLEMENT.value, edition.value)
        return _load(project, frozen) if frozen is not None else None
    sent = stages.get("udsendt")
    if sent is None:
        return None
    documents = {
        e: sent.document(DocumentKind.AGENDA.value, e.value) for e in (Edition.INTERNAL, edition)
    }
    internal, agenda = documents[Edition.INTERNAL], documents[edition]
    if internal is None or agenda is None:
        return None
    live_internal = build_context(
        project, meeting, DocumentKind.SUPPLEMENT, Edition.INTERNAL, history
    )
    sent_internal = _load(project, internal)
    was = _by_key(sent.data, sent_internal)
    notes: dict[str, str] = {}
    for item, shown in zip(meeting.items, live_internal["items"], strict=True):
        old = was.pop(item_key(item), None)
        if old is None:
            notes[item_key(item)] = words(project.organisation, "nyt_punkt")
        elif _content(old) != _content(shown):
            notes[item_key(item)] = words(project.organisation, "ændret_punkt")
    moved = _moved(sent_internal["meeting"], live_internal["meeting"])
    if not notes and not was and not moved:
        return None
    live = (
        live_internal
        if edition is Edition.INTERNAL
        else build_context(project, meeting, DocumentKind.SUPPLEMENT, edition, history)
    )
    items = [
        {**shown, "note": notes[item_key(item)]}
        for item, shown in zip(meeting.items, live["items"], strict=True)
        if item_key(item) in notes
    ]
    withdrawn = set(was)
    sent_edition = _by_key(sent.data, _load(project, agenda))
    items += [
        _withdrawn(old, project.organisation)
        for key, old in sent_edition.items()
        if key in withdrawn
    ]
    live["items"] = items
    live["attachment_overview"] = _overview(items)
    live["document"]["notices"] = [*moved, *live["document"]["notices"]]
    return live


def _moved(sent: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """What changed about the meeting itself since the agenda was sent, as front-page lines."""
    lines = []
    for key, what in (
        ("date_long", "Ny dato"),
        ("start", "Nyt starttidspunkt"),
        ("end", "Nyt sluttidspunkt"),
        ("place", "Nyt mødested"),
    ):
        if sent.get(key) != now.get(key):
            lines.append(f"{what}: {now.get(key) or 'intet'} (før: {sent.get(key) or 'intet'})")
    return lines


def _by_key(data: Mapping[str, Any], context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    keys = [data_key(i) for i in data.get("punkter", [])]
    return dict(zip(keys, context["items"], strict=False))


def _content(item: Mapping[str, Any]) -> dict[str, Any]:
    """What an item says, apart from its place: its number, and this meeting's date in its
    own decision heading (a moved meeting is announced once, on the front page)."""
    content = {k: v for k, v in item.items() if k not in _POSITION + STRUCTURED_ITEM_KEYS}
    # The structured values say what the composed lines say; an agenda frozen before they
    # existed has them derived (less complete), so only the lines are compared.
    treatments = [
        {k: v for k, v in t.items() if k not in STRUCTURED_TREATMENT_KEYS}
        for t in content.get("treatments", [])
    ]
    if treatments:
        treatments[-1].pop("heading", None)
        content["treatments"] = treatments
    return content


def _withdrawn(item: dict[str, Any], org: Organisation | None) -> dict[str, Any]:
    """A withdrawn item: its title, and its number on the sent agenda in the note (the
    supplement's other items carry their new numbers)."""
    empty = {k: [] if isinstance(v, list) else "" for k, v in item.items()}
    return {
        **empty,
        "number": item["number"],
        "title": item["title"],
        "heading": item["title"],
        "note": words(org, "taget_af", nr=str(item["number"])),
    }


def _overview(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return overview(items)


def _as_treated(
    project: Project, meeting: Meeting, edition: Edition
) -> tuple[Mapping[str, Any], dict[str, Any], set[str] | None] | None:
    """The agenda as the meeting treated it and the meeting data frozen with it: frozen when
    the meeting was held (when the agenda had changed since sending; else the sent one
    stands), else when it was sent. Third, the items the meeting had when it was held."""
    stages = project.records.get(meeting.name, {})
    held, sent = stages.get("afholdt"), stages.get("udsendt")
    keys = {data_key(i) for i in held.data.get("punkter", [])} if held is not None else None
    for record in (held, sent):
        agenda = record.document(DocumentKind.AGENDA.value, edition.value) if record else None
        if record is not None and agenda is not None:
            return record.data, _load(project, agenda), keys
    return None


def _load(project: Project, document: FrozenDocument) -> dict[str, Any]:
    path = project.root / document.context_file
    context: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return upgrade_context(context)


def _add_corrections(
    project: Project, context: dict[str, Any], meeting: Meeting, at: tuple[int, ...]
) -> None:
    org = project.organisation
    context["corrections"] = [
        correction_entry(c, org) for c in meeting.corrections if c.item is None
    ]
    for item in context["items"]:
        if item["number"] in at:
            item["treatments"][-1]["corrections"] = [
                correction_entry(c, org) for c in meeting.corrections if c.item == item["number"]
            ]


def _as_sent(
    context: dict[str, Any],
    agenda: dict[str, Any],
    data: Mapping[str, Any],
    meeting: Meeting,
    *,
    held: set[str] | None,
    skip: set[str],
    org: Organisation | None = None,
) -> None:
    """Items on the agenda as treated show the case as it was then; items added since show it
    as it is, and those added after the meeting was held (not in `held`) say so."""
    was = _by_key(data, agenda)
    for item, shown in zip(meeting.items, context["items"], strict=True):
        key = item_key(item)
        if held is not None and key not in held:
            shown["note"] = words(org, "optaget_under_mødet")
        old = was.get(key)
        if old is None:
            continue
        if item.case is None or item_key(item) in skip:
            continue
        for key in _FROM_THE_CASE:
            shown[key] = old[key]
        shown["heading"] = f"{shown['number']}. {shown['title']}"
        shown["treatments"] = [*old["treatments"][:-1], shown["treatments"][-1]]
    context["attachment_overview"] = _overview(context["items"])
