"""Contexts frozen by an earlier version, brought up to today's keys.

A frozen record keeps each document's template context as JSON and is rebuilt from it with
the current templates (frozen.py). Templates now compose the case line, the bilag lines, the
decision headings and the attendance from structured values (issue 11); a context frozen
before those values existed has only the composed lines. This derives the values from the
lines, so that the built-in templates print exactly what the record showed. What a line does
not hold (a member's party apart from the rest of the label, a body's full name for each
abbreviation of a sagsgang) stays empty.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["upgrade_context"]

_CASE_LINE = re.compile(r"(?:(?P<kle>\S+) )?(?P<number>\S+) (?P<access>Åben|Lukket) Sag")
_ATTACHMENT = re.compile(
    r"(?P<number>\d+) -(?: (?P<id>\S+))? (?P<access>Åben|Lukket) (?P<title>.*?)"
    r"(?: \((?P<doc>[^()]+)\))?(?P<inherited> \(H\))?"
)
_DECISION = re.compile(r"Beslutning i (?P<body>.+) den (?P<date>\d{2}-\d{2}-\d{4})")
_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")
_NAME = re.compile(r"(?P<name>.*?)(?: \((?P<first>[^()]*)\))?(?: \(.*)?")


def upgrade_context(context: dict[str, Any]) -> dict[str, Any]:
    """`context` with every structured value it lacks derived from its composed lines
    (changed in place and returned); a context that has them is left as it is."""
    meeting = context.get("meeting")
    if isinstance(meeting, dict):
        meeting.setdefault("date_iso", _iso(meeting.get("date", "")))
        meeting.setdefault("start_note", "")
        meeting.setdefault("member_list", [_person(m) for m in meeting.get("members", [])])
        meeting.setdefault("absent_list", [_person(m) for m in meeting.get("absent", [])])
        meeting.setdefault("substitute_list", [])
        meeting.setdefault("partial_list", [])
    for item in context.get("items", []):
        item.setdefault("case", _case(item.get("case_line", ""), item.get("route", "")))
        item.setdefault("attachment_fields", _attachments(item.get("attachments", [])))
        for treatment in item.get("treatments", []):
            found = _DECISION.fullmatch(treatment.get("heading", ""))
            treatment.setdefault("body", found["body"] if found else "")
            treatment.setdefault("body_abbreviation", "")
            treatment.setdefault("date", found["date"] if found else "")
            treatment.setdefault("date_iso", _iso(found["date"]) if found else "")
            treatment.setdefault("item_number", "")
            treatment.setdefault("absent_list", [_person(m) for m in treatment.get("absent", [])])
    for entry in context.get("attachment_overview", []):
        number, _, title = entry.get("heading", "").partition(". ")
        entry.setdefault("number", int(number) if number.isdigit() else "")
        entry.setdefault("title", title)
        entry.setdefault("attachment_fields", _attachments(entry.get("attachments", [])))
    return context


def _iso(date: str) -> str:
    found = _DATE.fullmatch(date)
    return f"{found[3]}-{found[2]}-{found[1]}" if found else ""


def _case(line: str, route: str) -> dict[str, Any] | None:
    found = _CASE_LINE.fullmatch(line)
    if found is None:
        return None
    abbreviations = route.split(", ") if route else []
    return {
        "number": found["number"],
        "kle": found["kle"] or "",
        "access": found["access"],
        "route": abbreviations,
        "route_names": list(abbreviations),
    }


def _attachments(lines: list[str]) -> list[dict[str, Any]]:
    out = []
    for line in lines:
        found = _ATTACHMENT.fullmatch(line)
        if found is None:  # not a line this version made: shown whole as its title
            out.append(
                {
                    "number": "",
                    "id": "",
                    "access": "",
                    "title": line,
                    "doc_number": "",
                    "inherited": False,
                }
            )
            continue
        out.append(
            {
                "number": int(found["number"]),
                "id": found["id"] or "",
                "access": found["access"],
                "title": found["title"],
                "doc_number": found["doc"] or "",
                "inherited": bool(found["inherited"]),
            }
        )
    return out


def _person(label: str) -> dict[str, str]:
    """A front page's 'Jens Meilvang (I)' as values: the label whole, the name before it."""
    found = _NAME.fullmatch(label)
    name = found["name"] if found else label
    return {
        "name": name,
        "party": "",
        "organisation": "",
        "job_title": "",
        "role": "",
        "label": label,
    }
