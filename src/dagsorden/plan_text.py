"""A planned meeting's own words: its front page facts (start, slut, sted) and an item's own
text and recommendation. Written as `plan.add_item` writes: the meeting opened through the
check, the change made under the file's lock, checked before the file is replaced, comments
kept. The values are written as typed, so what is wrong is said by the check, as `tjek` says
it, at the line of the field (a refusal is a `errors.ChangeRefused` with those errors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._recording import clean_text, item_node, located, open_meeting, set_key, write
from ._refs import ItemRef, item_label, item_number
from .edit import delete_value, set_value, text_value
from .errors import Problem, RecordError

__all__ = ["set_item_text", "set_meeting_facts"]


@located
def set_meeting_facts(root: Path, name: str, *, start: str, end: str, place: str) -> list[Problem]:
    """Write the meeting's start and place and its end (`slut`, none when empty). The date is
    the file's name and is not changed here. Refused once the minutes are approved."""
    _, meeting = open_meeting(root, name)

    def change(doc: Any) -> None:
        set_value(doc, "start", start.strip())
        if end.strip():
            set_key(doc, "slut", end.strip(), after="start")
        elif "slut" in doc:
            delete_value(doc, "slut")
        set_value(doc, "sted", " ".join(clean_text(place).split()))

    return write(root, meeting, change)


@located
def set_item_text(
    root: Path,
    name: str,
    item: ItemRef,
    *,
    text: str | None = None,
    recommendation: str | None = None,
) -> list[Problem]:
    """Write an item's own `tekst:` (only an item without a case has one; its case's
    sections are the text of the other items) and its `indstilling:`, which for this meeting
    takes the place of the case's. Several lines are written as a `|` block; an empty value
    removes the key; None leaves it as it is."""
    _, meeting = open_meeting(root, name)
    number = item_number(meeting, item)
    if text is not None and text.strip() and meeting.items[number - 1].case is not None:
        raise RecordError(
            f"{item_label(meeting, number)} har en sag; dens tekst skrives i sagens afsnit"
        )

    def change(doc: Any) -> None:
        node = item_node(doc, number)
        for key, value in (("tekst", text), ("indstilling", recommendation)):
            if value is None:
                continue
            typed = clean_text(value.replace("\r\n", "\n")).strip()
            if typed:
                after = [k for k in ("sag", "titel", "adgang", "tekst") if k in node]
                set_key(node, key, text_value(typed), after=after[-1] if after else None)
            elif key in node:
                delete_value(node, key)

    return write(root, meeting, change)
