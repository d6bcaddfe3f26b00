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

from ._public import slug
from ._stamps import COPENHAGEN, Stamps
from .site import Made

__all__ = ["feeds"]

_STATUS = {
    "planlagt": "TENTATIVE",
    "udsendt": "CONFIRMED",
    "afholdt": "CONFIRMED",
    "godkendt": "CONFIRMED",
    "aflyst": "CANCELLED",
}


def feeds(
    base: str,
    org: Mapping[str, Any],
    views: Mapping[str, Mapping[str, Any]],
    files: Mapping[str, list[dict[str, Any]]],
    sources: Mapping[str, list[str]],
    stamps: Stamps,
) -> Iterator[Made]:
    """kalender/alle.ics and kalender/<udvalg>.ics, made anew every time (they are small)."""
    ordered = sorted(views.values(), key=lambda v: (v["date"], v["start"], v["name"]))
    host = urlsplit(base).hostname or f"{slug(org['municipality'])}.invalid"
    events = {v["name"]: _event(v, base, host, files, sources, stamps) for v in ordered}
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


def _copenhagen() -> Timezone:
    zone = Timezone()
    zone.add("tzid", "Europe/Copenhagen")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", dt.datetime(1981, 3, 29, 2, 0))
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", dt.datetime(1996, 10, 27, 3, 0))
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _event(
    view: Mapping[str, Any],
    base: str,
    host: str,
    files: Mapping[str, list[dict[str, Any]]],
    sources: Mapping[str, list[str]],
    stamps: Stamps,
) -> Event:
    day = dt.date.fromisoformat(view["date"])
    created, modified = stamps.of(sources.get(view["name"], []), day)
    page = f"{base}moeder/{view['name']}/"
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
    for f in files.get(view["name"], []):
        if f["kind"] in ("dagsorden", "tillaeg", "referat"):
            event.add("attach", page + f["file"], parameters={"FMTTYPE": "application/pdf"})
    return event


def _local(day: dt.date, clock: str) -> dt.datetime:
    hours, minutes = (int(x) for x in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), COPENHAGEN)


def _utc(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).astimezone(dt.UTC)
