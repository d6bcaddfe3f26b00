"""Calendar feeds (iCalendar, RFC 5545): one per committee and one for every meeting.

KSL § 8: the council publishes its meeting plan. Each meeting is one event with a UID that never
changes (the meeting's name at the site's host), its time in Europe/Copenhagen, its place, its
status (TENTATIVE planned, CONFIRMED sent or held, CANCELLED kept in the feed), a link to its
page and its public PDFs, and the public titles of its items; never a member's name. DTSTAMP
and LAST-MODIFIED come from git or the data (`_stamps`), SEQUENCE from how often the time or
place changed after the agenda went out, so the same data gives the same bytes.

The Europe/Copenhagen VTIMEZONE is written here by its rules (last Sunday of March 02:00,
last Sunday of October 03:00): the one icalendar derives puts summer time's start at 03:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from ._material import Made, Material
from ._public import slug
from ._stamps import COPENHAGEN

__all__ = ["feeds"]

_STATUS = {
    "planlagt": "TENTATIVE",
    "udsendt": "CONFIRMED",
    "afholdt": "CONFIRMED",
    "godkendt": "CONFIRMED",
    "aflyst": "CANCELLED",
}


def feeds(material: Material) -> Iterator[Made]:
    """kalender/alle.ics and kalender/<udvalg>.ics, made anew every time (they are small)."""
    org = material.org
    ordered = material.ordered()
    host = urlsplit(material.base).hostname or f"{slug(org['municipality'])}.invalid"
    events = {v["name"]: _event(v, host, material) for v in ordered}
    every = _calendar(f"{org['municipality']}: alle udvalg", [events[v["name"]] for v in ordered])
    yield "kalender/alle.ics", partial(bytes, every), False
    for body in org["bodies"]:
        mine = [events[v["name"]] for v in ordered if body["abbr"] in v["bodies"]]
        made = _calendar(f"{org['municipality']}: {body['name']}", mine)
        yield f"kalender/{body['slug']}.ics", partial(bytes, made), False


def _calendar(name: str, events: list[Event]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//dagsorden//Mødekalender//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    cal.add_component(_copenhagen())
    for event in events:
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


# (component, name, first onset at the wall clock it leaves, offset before, after, month)
_RULES = (
    (TimezoneDaylight, "CEST", dt.datetime(1981, 3, 29, 2, 0), 1, 2, 3),
    (TimezoneStandard, "CET", dt.datetime(1996, 10, 27, 3, 0), 2, 1, 10),
)


def _copenhagen() -> Timezone:
    zone = Timezone()
    zone.add("tzid", "Europe/Copenhagen")
    for kind, name, onset, before, after, month in _RULES:
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", onset)
        part.add("tzoffsetfrom", dt.timedelta(hours=before))
        part.add("tzoffsetto", dt.timedelta(hours=after))
        part.add("rrule", vRecur(freq="YEARLY", bymonth=month, byday="-1SU"))
        zone.add_component(part)
    return zone


def _event(view: Mapping[str, Any], host: str, material: Material) -> Event:
    day = dt.date.fromisoformat(view["date"])
    created, modified = material.stamps.of(material.sources.get(view["name"], []), day)
    page = f"{material.base}moeder/{view['name']}/"
    event = Event()
    event.add("uid", f"{view['name']}@{host}")
    event.add("dtstamp", _utc(modified))
    event.add("created", _utc(created))
    event.add("last-modified", _utc(modified))
    event.add("sequence", view["sequence"])
    event.add("summary", f"{view['body_name']}: møde" + (" (aflyst)" if view["cancelled"] else ""))
    event.add("dtstart", _local(day, view["start"]))
    if view["end"]:
        event.add("dtend", _local(day, view["end"]))
    event.add("location", view["place"])
    event.add("status", _STATUS["aflyst" if view["cancelled"] else view["status"]])
    event.add("url", page)
    lines = [item["heading"] for item in view["items"]]
    description = "\n".join(lines) if lines else "Dagsordenen er endnu ikke offentliggjort."
    event.add("description", f"{description}\n\n{page}")
    for f in material.files.get(view["name"], []):
        if f["kind"] in ("dagsorden", "tillaeg", "referat"):
            event.add("attach", page + f["file"], parameters={"FMTTYPE": "application/pdf"})
    return event


def _local(day: dt.date, clock: str) -> dt.datetime:
    hours, minutes = (int(x) for x in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), COPENHAGEN)


def _utc(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).astimezone(dt.UTC)
