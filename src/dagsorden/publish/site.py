"""The public meeting site: HTML pages made from the meetings' public views (`_public`).

Pages: the front page (committees, coming and latest meetings), one page per committee (its
members on the day of its latest meeting, its meetings by year), one per meeting (time, place,
status, documents, items) and one per item (the item's public text, bilag and decisions), the
search page and the calendar page. Links are relative, so the site works in any folder of any
web server.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import partial
from importlib import resources
from typing import Any

import jinja2

from ._material import Made, Material

__all__ = ["ASSETS", "body_members", "coming", "pages"]

# The site's own files, copied as they are: path in the site -> file in this package.
ASSETS = {"assets/site.css": "site.css", "assets/soeg.js": "soeg.js"}
LATEST = 10
_ROLE_ORDER = ("Formand", "Næstformand")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dagsorden.publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def pages(material: Material) -> Iterator[Made]:
    """Every page of the site. A page of a meeting in `unchanged` may be kept as it is."""
    env = _environment()
    org, files = material.org, material.files
    municipality = org["municipality"]
    ordered = material.ordered()
    by_body: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for view in ordered:
        for abbr in view["bodies"]:
            by_body[abbr].append(view)
    bodies = [{**b, "count": len(by_body.get(b["abbr"], []))} for b in org["bodies"]]

    def page(name: str, depth: int, crumbs: list[tuple[str, str]], **values: Any) -> bytes:
        root = "../" * depth
        text = env.get_template(name).render(
            municipality=municipality, root=root, crumbs=crumbs, **values
        )
        return text.encode("utf-8")

    home = ("Forside", "")
    front = page(
        "index.html",
        0,
        [],
        title="Udvalg og møder",
        coming=coming(ordered),
        latest=[v for v in reversed(ordered) if _has_minutes(v)][:LATEST],
        bodies=bodies,
    )
    yield "index.html", partial(bytes, front), False
    for body in bodies:
        meetings = by_body.get(body["abbr"], [])
        years: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for view in reversed(meetings):
            years[view["date"][:4]].append(view)
        on = meetings[-1]["date"] if meetings else None
        shown = {
            **body,
            "members": body_members(org, body["abbr"], on) if on else [],
            "members_on": _danish_date(on) if on else "",
            "years": sorted(years.items(), reverse=True),
        }
        made = page(
            "udvalg.html",
            2,
            [(home[0], "../../index.html"), (body["name"], "")],
            title=body["name"],
            body=shown,
        )
        yield f"udvalg/{body['slug']}/index.html", partial(bytes, made), False
    slugs = {b["abbr"]: b for b in org["bodies"]}
    for view in ordered:
        first = slugs.get(view["bodies"][0])
        body_crumb = (first["name"], f"../../udvalg/{first['slug']}/index.html") if first else None
        meeting_label = f"Møde {_danish_date(view['date'])}"
        crumbs = [(home[0], "../../index.html"), *([body_crumb] if body_crumb else [])]
        shown_files = files.get(view["name"], [])
        keep = view["name"] in material.unchanged
        yield (
            f"moeder/{view['name']}/index.html",
            partial(
                page,
                "moede.html",
                2,
                [*crumbs, (meeting_label, "")],
                title=f"{view['body_name']} {_danish_date(view['date'])}",
                m=view,
                files=shown_files,
            ),
            keep,
        )
        packet = next((f["file"] for f in shown_files if f["kind"] == "pakke"), "")
        for item in view["items"]:
            yield (
                f"moeder/{view['name']}/{item['id']}.html",
                partial(
                    page,
                    "punkt.html",
                    2,
                    [*crumbs, (meeting_label, "index.html"), (f"Punkt {item['number']}", "")],
                    title=item["heading"],
                    m=view,
                    i=item,
                    packet=packet,
                ),
                keep,
            )
    yield (
        "soeg/index.html",
        partial(page, "soeg.html", 1, [(home[0], "../index.html"), ("Søg", "")], title="Søg"),
        False,
    )
    yield (
        "kalender/index.html",
        partial(
            page,
            "kalender.html",
            1,
            [(home[0], "../index.html"), ("Mødekalender", "")],
            title="Mødekalender",
            bodies=org["bodies"],
        ),
        False,
    )
    for target, source in ASSETS.items():
        asset = resources.files("dagsorden.publish").joinpath("static", source)
        yield target, asset.read_bytes, False


def coming(ordered: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Meetings still ahead: planned or sent (or called off) and without minutes, by date."""
    wanted = ("planlagt", "udsendt", "aflyst")
    return [v for v in ordered if v["status"] in wanted and not _has_minutes(v)]


def _has_minutes(view: Mapping[str, Any]) -> bool:
    return "protokol" in view["documents"]


def body_members(org: Mapping[str, Any], abbr: str, on: str) -> list[str]:
    """'Jens Meilvang (I)', 'Anna Andersen (A) (Formand)': the body's members on a day, the
    chair and deputy first, then in the organisation file's order."""
    found = []
    for index, person in enumerate(org["people"]):
        for m in person["memberships"]:
            if m["body"] == abbr and m["start"] <= on and (not m["end"] or on <= m["end"]):
                parts = [m["party"] or m["organisation"], m["job_title"], m["role"]]
                label = " ".join([person["name"], *(f"({p})" for p in parts if p)])
                role = m["role"]
                rank = _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)
                found.append((rank, index, label))
                break
    return [label for _, _, label in sorted(found)]


def _danish_date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d-%m-%Y")
