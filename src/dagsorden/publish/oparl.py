"""OParl 1.1 as static files: the system, the body, paginated lists and one file per object.

Made from the meetings' public views (`_public`) and the organisation (bodies, people, dated
memberships: public facts). Mapping (../shared/docs/web-and-open-data.md §2): the municipality
is the Body; a udvalg an Organization of type "Gremium", a party one of type "Partei"
(`onBehalfOf` of a membership); a møde a Meeting (its public PDFs as `invitation`,
`resultsProtocol` and `auxiliaryFile`), a punkt an AgendaItem, an open case a Paper with one
Consultation per open treatment, a public PDF a File, a place a Location. What OParl has no
place for is under `dagsorden:` keys, filled from the public views only.

Every object lies at its id; `created` and `modified` come from git or the data (`_stamps`), so
the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from ._material import Made, Material
from ._public import plain, slug
from ._stamps import COPENHAGEN

__all__ = ["OPARL_VERSION", "PAGE_SIZE", "objects"]

OPARL_VERSION = "https://schema.oparl.org/1.1/"
PAGE_SIZE = 100
_TYPE = "https://schema.oparl.org/1.1/"
_LISTS = (
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaItem",
    "paper",
    "consultation",
    "file",
    "location",
)


class _Export:
    def __init__(self, material: Material) -> None:
        self.base = material.base
        self.api = f"{material.base}oparl/"
        self.org = material.org
        self.views = material.ordered()
        self.files = material.files
        self.sources = material.sources
        self.stamps = stamps = material.stamps
        first = self.views[0]["date"] if self.views else "2000-01-01"
        self.org_times = stamps.of(["organisation.yaml"], _date(first))
        every = ["organisation.yaml", *(f for fs in self.sources.values() for f in fs)]
        self.all_times = stamps.of(every, _date(first))
        self.lists: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.out: dict[str, dict[str, Any]] = {}  # path -> object
        self.owner: dict[str, str] = {}  # path -> the meeting an object is made from alone

    def url(self, path: str) -> str:
        return f"{self.api}{path}.json"

    def stamp(self, obj: dict[str, Any], times: tuple[str, str]) -> dict[str, Any]:
        obj["created"], obj["modified"] = times
        return obj

    def put(
        self, path: str, obj: dict[str, Any], listed: str | None, owner: str | None = None
    ) -> dict[str, Any]:
        self.out[path] = obj
        if owner is not None:
            self.owner[path] = owner
        if listed is not None:
            self.lists[listed].append(obj)
        return obj

    def run(self) -> None:
        body_url = self.url("body/0")
        self.body_url = body_url
        parties: dict[str, str] = {}
        for person in self.org["people"]:
            for m in person["memberships"]:
                if m["party"]:
                    parties.setdefault(
                        m["party"], self.url(f"organization/parti-{slug(m['party'])}")
                    )
        meetings_of: dict[str, list[str]] = defaultdict(list)
        for view in self.views:
            for abbr in view["bodies"]:
                meetings_of[abbr].append(view["name"])
        members_of: dict[str, list[str]] = defaultdict(list)
        for person in self.org["people"]:
            self.person(person, parties, members_of)
        for body in self.org["bodies"]:
            self.organization(body, members_of[body["abbr"]], meetings_of[body["abbr"]])
        for party, url in sorted(parties.items()):
            party_obj = {
                "id": url,
                "type": _TYPE + "Organization",
                "body": body_url,
                "name": party,
                "shortName": party,
                "organizationType": "Partei",
            }
            self.put(
                url.removeprefix(self.api).removesuffix(".json"),
                self.stamp(party_obj, self.org_times),
                "organization",
            )
        places: dict[str, list[str]] = defaultdict(list)
        for view in self.views:
            places[view["place"]].append(view["name"])
        self.locations: dict[str, dict[str, Any]] = {}
        for place, meetings in sorted(places.items()):
            path = f"location/{_place_slug(place)}"
            obj: dict[str, Any] = {
                "id": self.url(path),
                "type": _TYPE + "Location",
                "description": place,
            }
            obj["meetings"] = [self.url(f"meeting/{m}") for m in meetings]
            times = self._times([f for m in meetings for f in self.sources.get(m, [])], meetings)
            self.locations[place] = self.put(path, self.stamp(obj, times), "location")
        papers: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]] = defaultdict(list)
        for view in self.views:
            self.meeting(view, papers)
        for number, treatments in sorted(papers.items()):
            self.paper(number, treatments)
        body = {
            "id": body_url,
            "type": _TYPE + "Body",
            "system": self.url("system"),
            "name": self.org["municipality"],
            "website": self.base,
            "organization": self.list_url("organization"),
            "person": self.list_url("person"),
            "meeting": self.list_url("meeting"),
            "paper": self.list_url("paper"),
            "legislativeTerm": [],
            "agendaItem": self.list_url("agendaItem"),
            "consultation": self.list_url("consultation"),
            "file": self.list_url("file"),
            "locationList": self.list_url("location"),
            "membership": self.list_url("membership"),
            "web": self.base + "index.html",
        }
        self.put("body/0", self.stamp(body, self.all_times), "body")
        system = {
            "id": self.url("system"),
            "type": _TYPE + "System",
            "oparlVersion": OPARL_VERSION,
            "body": self.list_url("body"),
            "name": f"{self.org['municipality']}: udvalg og møder",
            "website": self.base,
            "web": self.base + "index.html",
        }
        self.put("system", self.stamp(system, self.all_times), None)

    def list_url(self, name: str, page: int = 1) -> str:
        return self.url(f"lister/{name}/{page}")

    def _times(self, files: list[str], meetings: list[str]) -> tuple[str, str]:
        dates = [v["date"] for v in self.views if v["name"] in set(meetings)]
        return self.stamps.of(files, _date(min(dates) if dates else "2000-01-01"))

    def person(
        self,
        person: Mapping[str, Any],
        parties: Mapping[str, str],
        members_of: dict[str, list[str]],
    ) -> None:
        path = f"person/{slug(person['name'])}"
        memberships = []
        for m in person["memberships"]:
            mpath = f"membership/{slug(person['name'])}-{slug(m['body'])}-{m['start']}"
            obj: dict[str, Any] = {
                "id": self.url(mpath),
                "type": _TYPE + "Membership",
                "person": self.url(path),
                "organization": self.url(f"organization/{slug(m['body'])}"),
            }
            if m["role"]:
                obj["role"] = m["role"]
            obj["votingRight"] = True
            obj["startDate"] = m["start"]
            if m["end"]:
                obj["endDate"] = m["end"]
            if m["party"]:
                obj["onBehalfOf"] = parties[m["party"]]
            extra = {
                "dagsorden:stilling": m["job_title"],
                "dagsorden:organisation": m["organisation"],
            }
            obj.update({k: v for k, v in extra.items() if v})
            self.put(mpath, self.stamp(obj, self.org_times), "membership")
            members_of[m["body"]].append(obj["id"])
            memberships.append(obj)
        obj = {
            "id": self.url(path),
            "type": _TYPE + "Person",
            "body": self.body_url,
            "name": person["name"],
            "membership": memberships,
        }
        self.put(path, self.stamp(obj, self.org_times), "person")

    def organization(
        self, body: Mapping[str, Any], members: list[str], meetings: list[str]
    ) -> None:
        path = f"organization/{body['slug']}"
        obj = {
            "id": self.url(path),
            "type": _TYPE + "Organization",
            "body": self.body_url,
            "name": body["name"],
            "shortName": body["abbr"],
            "organizationType": "Gremium",
            "classification": "Udvalg",
            "membership": members,
            "meeting": self.url(f"lister/organization-meeting/{body['slug']}/1"),
            "web": f"{self.base}udvalg/{body['slug']}/index.html",
        }
        self.put(path, self.stamp(obj, self.org_times), "organization")
        self.lists[f"organization-meeting/{body['slug']}"] = [
            {"id": self.url(f"meeting/{name}")} for name in meetings
        ]  # replaced by the meetings themselves once made

    def meeting(
        self,
        view: Mapping[str, Any],
        papers: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]],
    ) -> None:
        name = view["name"]
        path = f"meeting/{name}"
        url = self.url(path)
        times = self.stamps.of(self.sources.get(name, []), _date(view["date"]))
        web = f"{self.base}moeder/{name}/"
        files: dict[str, dict[str, Any]] = {}
        for f in self.files.get(name, []):
            fpath = f"file/{name}/{f['kind']}"
            fobj = {
                "id": self.url(fpath),
                "type": _TYPE + "File",
                "name": f["label"],
                "fileName": f["file"],
                "mimeType": "application/pdf",
                "date": view["date"],
                "size": f["bytes"],
                "sha1Checksum": f["sha1"],
                "accessUrl": web + f["file"],
                "downloadUrl": web + f["file"],
                "meeting": [url],
            }
            files[f["kind"]] = self.put(fpath, self.stamp(fobj, times), "file", name)
        items = []
        for order, item in enumerate(view["items"], start=1):
            items.append(self.agenda_item(view, item, order, url, times, papers))
        obj: dict[str, Any] = {
            "id": url,
            "type": _TYPE + "Meeting",
            "name": f"{view['body_name']} {_danish(view['date'])}",
            "meetingState": view["status_label"],
            "cancelled": view["cancelled"],
            "start": _moment(view["date"], view["start"]),
        }
        if view["end"]:
            obj["end"] = _moment(view["date"], view["end"])
        obj["location"] = self.locations[view["place"]]
        obj["organization"] = [self.url(f"organization/{slug(b)}") for b in view["bodies"]]
        if "dagsorden" in files:
            obj["invitation"] = files["dagsorden"]
        if "referat" in files:
            obj["resultsProtocol"] = files["referat"]
        auxiliary = [files[k] for k in ("tillaeg", "pakke") if k in files]
        if auxiliary:
            obj["auxiliaryFile"] = auxiliary
        obj["agendaItem"] = items
        obj["web"] = web
        vendor = {
            "dagsorden:status": view["status"],
            "dagsorden:meddelelser": view["notices"],
            "dagsorden:deltagere": view["members"],
            "dagsorden:fravaerende": view["absent"],
            "dagsorden:tillaegsdagsorden": [s["heading"] for s in view["supplement"]],
            "dagsorden:rettelser": [
                {"overskrift": c["heading"], "tekst": plain(c["text"])} for c in view["corrections"]
            ],
        }
        obj.update({k: v for k, v in vendor.items() if v})
        self.stamp(obj, times)
        self.put(path, obj, "meeting", name)
        for abbr in view["bodies"]:
            key = f"organization-meeting/{slug(abbr)}"
            self.lists[key] = [obj if o["id"] == url else o for o in self.lists.get(key, [])]

    def agenda_item(
        self,
        view: Mapping[str, Any],
        item: Mapping[str, Any],
        order: int,
        meeting_url: str,
        times: tuple[str, str],
        papers: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]],
    ) -> dict[str, Any]:
        name = view["name"]
        path = f"agendaitem/{name}/{item['id']}"
        obj: dict[str, Any] = {
            "id": self.url(path),
            "type": _TYPE + "AgendaItem",
            "meeting": meeting_url,
            "number": str(item["number"]),
            "order": order,
            "name": item["title"],
            "public": item["open"],
        }
        if item["case"]:
            obj["consultation"] = self.url(f"consultation/{name}/{item['id']}")
            papers[item["case"]].append((view, item))
        here = item["here"] or {}
        if item["decided"] and here.get("decision"):
            obj["resolutionText"] = plain(here["decision"])
        obj["web"] = f"{self.base}moeder/{name}/{item['id']}.html"
        vendor: dict[str, Any] = {
            "dagsorden:note": item["note"],
            "dagsorden:tekst": plain(item["text"]),
            "dagsorden:afsnit": [
                {"overskrift": s["heading"], "tekst": plain(s["text"])} for s in item["sections"]
            ],
            "dagsorden:indstilling": plain(item["recommendation"]),
            "dagsorden:udvalgetsIndstilling": plain(here.get("recommendation", [])),
            "dagsorden:afstemning": here.get("votes", []) if item["decided"] else [],
            "dagsorden:protokolbemaerkninger": plain(here.get("notes", [])),
            "dagsorden:deltogIkke": here.get("non_participation", []) if item["decided"] else [],
            "dagsorden:bilag": item["attachments"],
        }
        obj.update({k: v for k, v in vendor.items() if v})
        return self.put(path, self.stamp(obj, times), "agendaItem", name)

    def paper(
        self, number: str, treatments: list[tuple[Mapping[str, Any], Mapping[str, Any]]]
    ) -> None:
        path = f"paper/{slug(number)}"
        url = self.url(path)
        last_view, last_item = treatments[-1]
        files = [f for v, _ in treatments for f in self.sources.get(v["name"], [])]
        files += self.sources.get(f"sag {number}", [])
        times = self.stamps.of(files, _date(treatments[0][0]["date"]))
        consultations = []
        for view, item in treatments:
            cpath = f"consultation/{view['name']}/{item['id']}"
            cobj = {
                "id": self.url(cpath),
                "type": _TYPE + "Consultation",
                "paper": url,
                "agendaItem": self.url(f"agendaitem/{view['name']}/{item['id']}"),
                "meeting": self.url(f"meeting/{view['name']}"),
                "organization": [self.url(f"organization/{slug(b)}") for b in view["bodies"]],
                "authoritative": bool(item["decided"]),
                "role": "Beslutning" if item["decided"] else "Behandling",
            }
            ctimes = self.stamps.of(self.sources.get(view["name"], []), _date(view["date"]))
            consultations.append(
                self.put(cpath, self.stamp(cobj, ctimes), "consultation", view["name"])
            )
        obj: dict[str, Any] = {
            "id": url,
            "type": _TYPE + "Paper",
            "body": self.body_url,
            "name": last_item["title"],
            "reference": number,
            "date": treatments[0][0]["date"],
            "consultation": consultations,
            "web": f"{self.base}moeder/{last_view['name']}/{last_item['id']}.html",
        }
        if last_item["route"]:
            obj["dagsorden:sagsgang"] = [r.strip() for r in last_item["route"].split(",")]
        self.put(path, self.stamp(obj, times), "paper")

    def pages(self) -> Iterator[tuple[str, dict[str, Any]]]:
        yield from self.out.items()
        for name in ("body", *_LISTS):
            yield from self.paginate(name, self.lists.get(name, []))
        for key, entries in sorted(self.lists.items()):
            if key.startswith("organization-meeting/"):
                yield from self.paginate(key, entries)

    def paginate(
        self, name: str, entries: list[dict[str, Any]]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        total = max(1, -(-len(entries) // PAGE_SIZE))
        for page in range(1, total + 1):
            links = {
                "first": self.list_url(name, 1),
                "last": self.list_url(name, total),
                "self": self.list_url(name, page),
            }
            if page > 1:
                links["prev"] = self.list_url(name, page - 1)
            if page < total:
                links["next"] = self.list_url(name, page + 1)
            yield (
                f"lister/{name}/{page}",
                {
                    "data": entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
                    "pagination": {
                        "totalElements": len(entries),
                        "elementsPerPage": PAGE_SIZE,
                        "currentPage": page,
                        "totalPages": total,
                    },
                    "links": links,
                },
            )


def objects(material: Material) -> Iterator[Made]:
    """Every file of the OParl export. An object made from one meeting in `unchanged` alone
    may be kept as it is."""
    export = _Export(material)
    export.run()
    for path, obj in export.pages():
        keep = export.owner.get(path) in material.unchanged
        yield f"oparl/{path}.json", partial(_dumps, obj), keep


def _dumps(obj: dict[str, Any]) -> bytes:
    # Compact: the C encoder (an indented dump runs in Python, several times slower).
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _place_slug(place: str) -> str:
    """A place's file name: readable, and distinct for places that read alike."""
    import hashlib

    digest = hashlib.sha256(place.encode("utf-8")).hexdigest()[:8]
    return f"{slug(place)[:40] or 'sted'}-{digest}"


def _date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _danish(iso: str) -> str:
    return _date(iso).strftime("%d-%m-%Y")


def _moment(day: str, clock: str) -> str:
    hours, minutes = (int(x) for x in clock.split(":"))
    moment = dt.datetime.combine(_date(day), dt.time(hours, minutes), COPENHAGEN)
    return moment.isoformat()
