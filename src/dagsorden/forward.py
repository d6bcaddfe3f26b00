"""Sending a case on along its sagsgang: the next body's meeting gets an item pointing at it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._nodes import suggest
from ._recording import located, mapping, open_meeting, write
from ._refs import ItemRef, item_number
from .errors import Problem, RecordError
from .model import Access, Status
from .plan import insert_item

__all__ = ["forward"]


@located
def forward(
    root: Path,
    name: str,
    item: ItemRef,
    *,
    to: str | None = None,
    outside_route: bool = False,
) -> tuple[str, list[Problem]]:
    """Put an item's case on its next meeting: the next body of its sagsgang, or the same
    body again when it was postponed ("Udsat.") or its meeting cancelled; or meeting `to`.

    With `outside_route` the secretary sends it to `to` though the sagsgang says otherwise.
    The case is not copied: the new item points at it, so the next agenda shows the whole
    history. Returns the meeting the case was put on.
    """
    project, meeting = open_meeting(root, name, allow_approved=True, whole=True)
    number = item_number(meeting, item)
    treated = meeting.items[number - 1]
    if treated.case is None or treated.case.name not in project.cases:
        raise RecordError(f"punkt {number} på {name} er ikke en sag og kan ikke sendes videre")
    case = project.cases[treated.case.name]
    cancelled = meeting.status is Status.CANCELLED
    if treated.decision is None and not cancelled:
        raise RecordError(
            f"{meeting.body.name} har ikke besluttet punkt {number} endnu (skriv fx"
            f" 'dagsorden beslut {name} {number} --standard udsat', hvis sagen er udsat)"
        )
    route = [r.name for r in case.route]
    # A joint meeting moves the case on from the body furthest along its sagsgang.
    body = next((b for b in reversed(route) if b in meeting.bodies), meeting.body.name)
    again = cancelled or treated.postponed
    if outside_route:
        if to is None:
            raise RecordError("skriv med --til, hvilket møde sagen skal på uden om sagsgangen")
        following = None
    elif again:
        following = body
    elif body not in route or route.index(body) == len(route) - 1:
        raise RecordError(
            f"sagsgangen for {case.number} ({', '.join(route)}) går ikke videre efter {body};"
            " skal sagen alligevel videre, så nævn mødet med --til og skriv --uden-om-sagsgangen"
        )
    else:
        following = route[route.index(body) + 1]
    if to is None:
        later = sorted(
            (
                m
                for m in project.meetings.values()
                if m.body.name == following
                and m.sort_key > meeting.sort_key
                and m.status is not Status.CANCELLED
            ),
            key=lambda m: m.sort_key,
        )
        if not later:
            raise RecordError(
                f"{following} har intet møde efter {meeting.date:%d-%m-%Y}; opret mødet med"
                f" 'dagsorden nyt-møde {following} ÅÅÅÅ-MM-DD', eller nævn et møde med --til"
            )
        target = later[0]
    else:
        if to not in project.meetings:
            known = tuple(project.meetings)
            raise RecordError(f"ukendt møde '{to}'{suggest(to, known)}")
        target = project.meetings[to]
        if following is not None and target.body.name != following and not again:
            raise RecordError(
                f"mødet {to} er i {target.body.name}, men sagen skal til {following} efter"
                f" sagsgangen ({', '.join(route)}); skriv --uden-om-sagsgangen, hvis den skal"
                f" til {target.body.name} alligevel"
            )
        if target.sort_key <= meeting.sort_key:
            raise RecordError(f"mødet {to} ligger ikke efter {name}")
        if target.status is Status.CANCELLED:
            raise RecordError(f"mødet {to} er aflyst")
    if any(i.case and i.case.name == case.number for i in target.items):
        raise RecordError(f"sagen {case.number} står allerede på mødet {target.name}")
    if target.status is Status.APPROVED:
        raise RecordError(f"mødet {target.name} er godkendt og kan ikke få nye punkter")
    # Closed items stay last on the agenda: the case goes in before the first of them.
    closed = [i for i, it in enumerate(target.items) if project.item_access(it) is Access.CLOSED]
    position = closed[0] if closed else len(target.items)

    def change(doc: Any) -> None:
        entry = mapping({"sag": case.number})
        why = "udsat" if treated.postponed else "aflyst" if cancelled else "fra"
        what = f"{why} {name}" if why == "fra" else f"{why} på {name}"
        comment = f"{what}; skriv {target.body.name}s egen indstilling her"
        entry.yaml_add_eol_comment(comment, "sag")
        insert_item(doc, position, entry)

    return target.name, write(root, target, change)
