"""The secretary's year at a glance: every meeting per body with its status, and what needs
doing next (a meeting to send, minutes to approve, a case waiting in its sagsgang).

Pure functions over a loaded project; the web app's front page shows them, and any other face
may. The rules are the ones the recording commands enforce (status only moves forward, only a
held meeting with decisions is approved, a decided case goes on to the next body of its
sagsgang unless it was postponed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Meeting, Project, Status

__all__ = ["BodyYear", "MeetingLine", "Step", "next_steps", "year_overview"]


@dataclass(frozen=True)
class MeetingLine:
    """One meeting as the overview lists it."""

    name: str
    body: str
    date: dt.date
    status: str
    items: int
    decided: int


@dataclass(frozen=True)
class BodyYear:
    """A body's meetings in one year, in date order."""

    abbreviation: str
    name: str
    meetings: tuple[MeetingLine, ...]


@dataclass(frozen=True)
class Step:
    """Something the secretary should do next: what, and the meeting (or case) it concerns."""

    text: str
    meeting: str | None = None
    case: str | None = None


def years(project: Project) -> list[int]:
    """The years the project has meetings in, newest first."""
    return sorted({m.date.year for m in project.meetings.values()}, reverse=True)


def year_overview(project: Project, year: int) -> list[BodyYear]:
    """The meetings of `year` per body, bodies in the organisation's order."""
    org = project.organisation
    bodies = dict(org.bodies) if org is not None else {}
    per_body: dict[str, list[MeetingLine]] = {abbreviation: [] for abbreviation in bodies}
    for meeting in sorted(project.meetings.values(), key=lambda m: m.sort_key):
        if meeting.date.year != year:
            continue
        per_body.setdefault(meeting.body.name, []).append(_line(meeting))
    return [
        BodyYear(
            abbreviation, bodies[abbreviation].name if abbreviation in bodies else "", tuple(lines)
        )
        for abbreviation, lines in per_body.items()
        if lines
    ]


def _line(meeting: Meeting) -> MeetingLine:
    decided = sum(item.decision is not None for item in meeting.items)
    return MeetingLine(
        meeting.name,
        meeting.body.name,
        meeting.date,
        meeting.status.value,
        len(meeting.items),
        decided,
    )


def next_steps(project: Project, today: dt.date) -> list[Step]:
    """What needs doing, oldest first: meetings to send, to record, minutes to approve, and
    cases whose sagsgang goes on but which no later meeting of the next body treats yet."""
    steps: list[Step] = []
    meetings = sorted(project.meetings.values(), key=lambda m: m.sort_key)
    for meeting in meetings:
        label = f"{meeting.body.name} {meeting.date:%d-%m-%Y}"
        if meeting.status is Status.PLANNED and meeting.date >= today:
            if meeting.items:
                steps.append(Step(f"Send dagsordenen til {label}", meeting.name))
            else:
                steps.append(Step(f"Sæt punkter på dagsordenen til {label}", meeting.name))
        elif meeting.status in (Status.PLANNED, Status.SENT) and meeting.date < today:
            if meeting.has_decisions:
                steps.append(Step(f"Sæt status afholdt for {label}", meeting.name))
            else:
                steps.append(
                    Step(f"Skriv beslutningerne fra {label} og sæt status afholdt", meeting.name)
                )
        elif meeting.status is Status.HELD:
            if meeting.has_decisions:
                steps.append(Step(f"Få protokollen fra {label} godkendt", meeting.name))
            else:
                steps.append(Step(f"Skriv beslutningerne fra {label}", meeting.name))
    steps.extend(_waiting_cases(project, meetings))
    return steps


def _waiting_cases(project: Project, meetings: list[Meeting]) -> list[Step]:
    """Cases decided by one body whose sagsgang names a next body that has not got them."""
    latest: dict[str, Meeting] = {}
    for meeting in meetings:
        if meeting.status is Status.CANCELLED:
            continue
        for item in meeting.items:
            if item.case is not None:
                latest[item.case.name] = meeting
    steps = []
    for number, meeting in latest.items():
        case = project.cases.get(number)
        if case is None:
            continue
        item = next(i for i in meeting.items if i.case is not None and i.case.name == number)
        if item.decision is None or item.postponed:
            continue
        route = [r.name for r in case.route]
        body = next((b for b in reversed(route) if b in meeting.bodies), None)
        if body is None or route.index(body) == len(route) - 1:
            continue
        following = route[route.index(body) + 1]
        steps.append(
            Step(
                f"Sag {number} ({case.title}) venter på {following} efter"
                f" {meeting.body.name} {meeting.date:%d-%m-%Y}",
                meeting.name,
                number,
            )
        )
    return steps
