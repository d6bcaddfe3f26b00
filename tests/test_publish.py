"""The published site (udgiv): pages, OParl 1.1 crawled over HTTP, calendar feeds, the same
bytes from the same data, and all or nothing."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from conftest import MakeProject
from dagsorden.cli import main
from dagsorden.errors import ProblemsError
from dagsorden.publish import Published, oparl, publish
from site_support import COMMIT_TIME, copy_example, free_port, serve, tree

SCHEMAS = Path(__file__).parent / "data" / "oparl-schema-v1.1.1"
_NON_STANDARD = ("schema", "references", "backreference", "cardinality", "description")
VENDOR = r"^[a-z]+:[A-Za-z0-9_]+$"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Published]]:
    """The example project with two more meetings, published with its PDFs and served on
    127.0.0.1 at the address the site was published for."""
    root = copy_example(tmp_path_factory.mktemp("projekt") / "p")
    port = free_port()
    out = root.parent / "websted"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(oparl, "PAGE_SIZE", 20)  # so that lists have several pages to follow
        done = publish(root, out, base_url=f"http://127.0.0.1:{port}/", pdf=True)
    with serve(out, port) as base:
        yield out, base, done


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- pages ----------------------------------------------------------------------------------


def test_front_page_lists_the_committees_and_the_coming_meetings(
    site: tuple[Path, str, Published],
) -> None:
    out, _, _ = site
    page = _visible(_text(out / "index.html"))
    for body in ("Økonomiudvalget", "Kommunalbestyrelsen", "Hovedudvalget"):
        assert body in page
    coming = page.split("Kommende møder")[1].split("Seneste møder")[0]
    assert "Hovedudvalget, Torsdag den 13. april 2023 Planlagt" in coming
    assert "Hovedudvalget, Torsdag den 23. marts 2023 Aflyst" in coming
    assert '<html lang="da">' in _text(out / "index.html")


def test_committee_page_has_its_members_and_its_meetings_by_year(
    site: tuple[Path, str, Published],
) -> None:
    out, _, _ = site
    page = _visible(_text(out / "udvalg" / "hu" / "index.html"))
    members = page.split("Medlemmer")[1].split("Møder")[0]
    assert members.startswith(" Pr. 13-04-2023. Christian Bertelsen (Kommunaldirektør) (Formand)")
    assert "Lone Damsgaard Krogh (FOA) (Næstformand)" in members
    assert "Jens Meilvang" not in members  # on ØK and KB, not on Hovedudvalget
    assert page.index("2023") < page.index("Torsdag den 13. april 2023")
    assert _text(out / "udvalg" / "hu" / "index.html").count("moeder/2023-") == 3


def test_meeting_page_shows_a_closed_item_by_its_public_title_and_decision_only(
    site: tuple[Path, str, Published],
) -> None:
    out, _, _ = site
    meeting = out / "moeder" / "2022-12-13-kb"
    page = _visible(_text(meeting / "index.html"))
    assert "Byrådssalen, Rådhuset, Grenaa" in page
    assert "kl. 17:00–20:00" in page
    assert "Lukket punkt: Salg af byggegrund" in page
    assert "Kommunalbestyrelsen godkendte salget af en byggegrund." in page
    # The internal decision and the closed case's text and number are not on the site at all.
    closed = _text(meeting / "lukket-punkt-salg-af-byggegrund.html")
    assert "22/12954" not in closed and "Godkendt." not in _visible(closed)
    assert "Søren Mølgaard Friis" not in closed  # left the meeting for the closed item
    for name in ("referat", "beslutningsprotokol-offentlig.pdf", "dagsordenspakke-offentlig.pdf"):
        if name.endswith(".pdf"):
            assert f'href="{name}"' in _text(meeting / "index.html")
            assert (meeting / name).read_bytes().startswith(b"%PDF")
    assert not list(out.rglob("*-intern.*"))


def test_item_page_has_the_case_text_history_and_bilag(
    site: tuple[Path, str, Published],
) -> None:
    out, _, _ = site
    page = _visible(_text(out / "moeder" / "2023-03-02-hu" / "sag-22-291.html"))
    assert "22/291 Åben Sag" in page
    assert "Beslutning i Økonomiudvalget den 06-12-2022" in page
    assert "Beslutning i Kommunalbestyrelsen den 13-12-2022" in page
    assert "Fællesforvaltningsdirektør Kim Bruun Nielsen indledte punktet." in page
    assert "Udmøntningsplan" in page.split("Bilag")[1]


def test_cancelled_meeting_says_so(site: tuple[Path, str, Published]) -> None:
    out, _, _ = site
    page = _visible(_text(out / "moeder" / "2023-03-23-hu" / "index.html"))
    assert "Aflyst" in page and "Mødet er aflyst." in page


# -- OParl ----------------------------------------------------------------------------------


def _strict(schema: Any) -> Any:
    """An OParl schema as draft-07: 'schema' references become $ref, the non-standard keys go."""
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "schema" in schema:
        return {"$ref": schema["schema"]}
    out = {k: _strict(v) for k, v in schema.items() if k not in (*_NON_STANDARD, "properties")}
    if "properties" in schema:  # names of properties, not keywords ('description' is one)
        out["properties"] = {k: _strict(v) for k, v in schema["properties"].items()}
    return out


def strict_validators() -> dict[str, Draft7Validator]:
    """One validator per OParl type, made strict as the spec's prose is: created and modified
    required, no key outside the schema but vendor keys (prefix:key), urls and date-times
    checked."""
    schemas = {}
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = _strict(json.loads(path.read_text(encoding="utf-8")))
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
        schema["$id"] = path.name
        schema["required"] = sorted({*schema.get("required", []), "created", "modified"})
        schema["additionalProperties"] = False
        schema["patternProperties"] = {VENDOR: {}}
        schemas[path.stem] = schema
    registry: Registry[Any] = Registry().with_resources(
        (f"{name}.json", Resource.from_contents(s, default_specification=DRAFT7))
        for name, s in schemas.items()
    )
    checker = FormatChecker(formats=())

    @checker.checks("url")
    def _url(value: object) -> bool:
        parts = urlsplit(str(value))
        return parts.scheme in ("http", "https") and bool(parts.netloc)

    @checker.checks("date-time")
    def _moment(value: object) -> bool:
        text = str(value)
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", text):
            return False
        dt.datetime.fromisoformat(text)
        return True

    @checker.checks("date", raises=ValueError)
    def _day(value: object) -> bool:
        return bool(re.fullmatch(r"\d{4}-\d\d-\d\d", str(value))) and bool(
            dt.date.fromisoformat(str(value))
        )

    return {
        name: Draft7Validator(s, registry=registry, format_checker=checker)
        for name, s in schemas.items()
    }


VALIDATORS = strict_validators()


def _errors(obj: dict[str, Any]) -> list[str]:
    name = str(obj.get("type", "")).rsplit("/", 1)[-1]
    if name not in VALIDATORS:
        return [f"ukendt type {obj.get('type')}"]
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in VALIDATORS[name].iter_errors(obj)
    ]


def test_the_strict_schemas_catch_what_the_published_ones_let_through() -> None:
    broken = {
        "id": "http://127.0.0.1/oparl/meeting/x.json",
        "type": "https://schema.oparl.org/1.1/Meeting",
        "start": "2023-03-02 13:00",
        "organisation": [],
        "location": {"id": "ikke en url", "type": "https://schema.oparl.org/1.1/Location"},
    }
    found = _errors(broken)
    assert any("'created' is a required property" in e for e in found)
    assert any(e.startswith("start:") for e in found)
    assert any("'organisation' does not match any of the regexes" in e for e in found)
    assert any(e.startswith("location:") or e.startswith("location/") for e in found)


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.headers.get_content_type(), answer.read()


class _Crawler:
    """A client walking the export from system.json: every list page, every object at its id,
    every URL it names."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.fetched: dict[str, Any] = {}
        self.objects: dict[str, dict[str, Any]] = {}
        self.problems: list[str] = []
        self.lists = 0

    def json(self, url: str) -> Any:
        if url not in self.fetched:
            status, _, body = _get(url)
            assert status == 200, url
            self.fetched[url] = json.loads(body)
        return self.fetched[url]

    def walk(self, start: str) -> None:
        todo = [start]
        seen: set[str] = set()
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            if not url.endswith(".json"):
                status, _, _ = _get(url)
                if status != 200:
                    self.problems.append(f"{url}: {status}")
                continue
            data = self.json(url)
            if "data" in data and "pagination" in data:
                todo += self.page(url, data)
            else:
                todo += self.object(data, at=url)

    def page(self, url: str, data: dict[str, Any]) -> list[str]:
        self.lists += 1
        links, pagination = data["links"], data["pagination"]
        if pagination["currentPage"] < pagination["totalPages"]:
            if "next" not in links:
                self.problems.append(f"{url}: links.next mangler")
        elif "next" in links:
            self.problems.append(f"{url}: links.next på sidste side")
        found = [links[k] for k in ("next", "first", "last") if k in links]
        for obj in data["data"]:
            found += self.object(obj, at=None)
        return found

    def object(self, obj: dict[str, Any], at: str | None) -> list[str]:
        self.problems += [f"{obj.get('id')}: {e}" for e in _errors(obj)]
        if at is not None and obj.get("id") != at:
            self.problems.append(f"{at}: id er {obj.get('id')}")
        known = self.objects.setdefault(obj["id"], obj)
        if known != obj:
            self.problems.append(f"{obj['id']}: forskellig fra objektet på sin adresse")
        found = [obj["id"]]
        for value in _values(obj):
            if isinstance(value, dict) and "id" in value and "type" in value:
                found += self.object(value, at=None)
            elif isinstance(value, str) and value.startswith(self.base):
                found.append(value)
        return found


def _values(obj: Any) -> Iterator[Any]:
    for value in obj.values() if isinstance(obj, dict) else obj:
        if isinstance(value, list):
            yield from (v for v in value if not isinstance(v, list))
        else:
            yield value


def test_oparl_export_crawled_over_http_is_valid_and_complete(
    site: tuple[Path, str, Published],
) -> None:
    _, base, _ = site
    crawler = _Crawler(base)
    crawler.walk(base + "oparl/system.json")
    assert crawler.problems == []
    kinds = Counter(o["type"].rsplit("/", 1)[1] for o in crawler.objects.values())
    assert kinds["System"] == 1 and kinds["Body"] == 1
    assert kinds["Meeting"] == 5
    assert kinds["AgendaItem"] == 6 + 4 + 3 + 1 + 1
    assert kinds["Paper"] == 5  # every open case; the closed 22/12954 is no Paper
    assert kinds["Organization"] >= 3 + 8  # three bodies, the parties
    system = crawler.objects[base + "oparl/system.json"]
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    meeting = crawler.objects[base + "oparl/meeting/2022-12-13-kb.json"]
    assert meeting["start"] == "2022-12-13T17:00:00+01:00"
    assert meeting["resultsProtocol"]["accessUrl"].endswith("beslutningsprotokol-offentlig.pdf")
    closed = meeting["agendaItem"][3]
    assert closed["public"] is False and "consultation" not in closed
    assert closed["resolutionText"] == "Kommunalbestyrelsen godkendte salget af en byggegrund."
    assert crawler.objects[base + "oparl/meeting/2023-03-23-hu.json"]["cancelled"] is True
    paper = crawler.objects[base + "oparl/paper/22-291.json"]
    assert paper["reference"] == "22/291"
    assert [c["authoritative"] for c in paper["consultation"]] == [True, True, True]
    # Times from git, the same for every object made from committed files.
    assert meeting["created"] == COMMIT_TIME and meeting["modified"] == COMMIT_TIME


def test_oparl_lists_are_paginated(site: tuple[Path, str, Published]) -> None:
    out, _, _ = site
    people = json.loads(_text(out / "oparl" / "lister" / "membership" / "1.json"))
    total = people["pagination"]["totalElements"]
    assert total > 40  # the example's memberships fill three pages of 20
    assert people["pagination"]["totalPages"] == -(-total // 20) == 3
    assert len(people["data"]) == 20
    assert people["links"]["next"].endswith("oparl/lister/membership/2.json")


# -- calendar -------------------------------------------------------------------------------


def _events(path: Path) -> dict[str, Any]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_feeds_read_back(site: tuple[Path, str, Published]) -> None:
    out, base, _ = site
    host = "127.0.0.1"
    every = _events(out / "kalender" / "alle.ics")
    assert sorted(every) == sorted(
        f"{n}@{host}"
        for n in (
            "2022-12-06-oek",
            "2022-12-13-kb",
            "2023-03-02-hu",
            "2023-03-23-hu",
            "2023-04-13-hu",
        )
    )
    hu = _events(out / "kalender" / "hu.ics")
    assert sorted(hu) == [f"2023-03-02-hu@{host}", f"2023-03-23-hu@{host}", f"2023-04-13-hu@{host}"]
    # Winter and summer time: 13:00 in Copenhagen is 12:00 UTC in March and 11:00 in April.
    before = hu[f"2023-03-02-hu@{host}"]["DTSTART"].dt
    after = hu[f"2023-04-13-hu@{host}"]["DTSTART"].dt
    assert str(before.tzinfo) == str(after.tzinfo) == "Europe/Copenhagen"
    assert before.astimezone(dt.UTC).hour == 12 and after.astimezone(dt.UTC).hour == 11
    assert str(hu[f"2023-03-23-hu@{host}"]["STATUS"]) == "CANCELLED"
    assert str(hu[f"2023-04-13-hu@{host}"]["STATUS"]) == "TENTATIVE"
    kb = every[f"2022-12-13-kb@{host}"]
    assert str(kb["URL"]) == base + "moeder/2022-12-13-kb/"
    attached = [str(a) for a in kb.get("ATTACH")]
    assert base + "moeder/2022-12-13-kb/beslutningsprotokol-offentlig.pdf" in attached
    assert "4. Lukket punkt: Salg af byggegrund" in str(kb["DESCRIPTION"])
    assert kb["DTSTAMP"].dt == dt.datetime.fromisoformat(COMMIT_TIME)


def test_calendar_names_no_one(site: tuple[Path, str, Published]) -> None:
    out, _, _ = site
    organisation = _text(Path(__file__).resolve().parent.parent / "organisation.yaml")
    names = re.findall(r"^  ([A-ZÆØÅ][^:#\n]+):\n", organisation, re.M)
    assert len(names) > 20
    feed = (out / "kalender" / "alle.ics").read_bytes().replace(b"\r\n ", b"").decode()
    assert [n for n in names if n in feed] == []


def test_calendar_time_zone_says_when_summer_time_begins(
    site: tuple[Path, str, Published],
) -> None:
    out, _, _ = site
    calendar = Calendar.from_ical((out / "kalender" / "alle.ics").read_bytes())
    (zone,) = calendar.walk("VTIMEZONE")
    summer: Any
    winter: Any
    (summer,) = zone.walk("DAYLIGHT")
    (winter,) = zone.walk("STANDARD")
    assert summer["DTSTART"].dt.time() == dt.time(2, 0)
    assert winter["DTSTART"].dt.time() == dt.time(3, 0)
    assert summer["RRULE"]["BYDAY"] == ["-1SU"] and summer["RRULE"]["BYMONTH"] == [3]


# -- same bytes, all or nothing, the command ------------------------------------------------


def test_the_same_data_gives_the_same_site(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "p")
    one = publish(root, tmp_path / "a", base_url="https://kommune.example/moeder/", pdf=False)
    publish(root, tmp_path / "b", base_url="https://kommune.example/moeder/", pdf=False)
    assert one.written and tree(tmp_path / "a") == tree(tmp_path / "b")


def test_a_failing_publishing_leaves_the_old_site_whole(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "p", git=False)
    site = tmp_path / "websted"
    publish(root, site, pdf=False)
    before = tree(site)
    meeting = root / "agenda" / "2023-03-02-hu.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace(
            "- Christian Bertelsen", "- Christian Bertelsn"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProblemsError):
        publish(root, site, pdf=False)
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".websted.ny-")) == []


def test_udgiv_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "p", git=False)
    code = main(["--projekt", str(root), "udgiv", "--uden-pdf", "--ud", str(tmp_path / "s")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "udgav 5 møder i" in captured.out and "filer skrevet, 0 uændrede" in captured.out
    assert "angiv sitets rigtige adresse med --basis-url" in captured.err
    assert main(["udgiv", "--hjælp"]) == 0
    assert "Lav det offentlige mødesite" in capsys.readouterr().out
    bad = main(["--projekt", str(root), "udgiv", "--uden-pdf", "--basis-url", "kommune.dk"])
    assert bad == 1
    assert "--basis-url skal være en fuld adresse" in capsys.readouterr().err


def test_a_sent_agenda_is_published_as_it_was_sent(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project()
    assert main(["--projekt", str(root), "status", "2023-01-10-oek", "udsendt", "--uden-pdf"]) == 0
    case = root / "cases" / "22-1.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("Teksten.", "En ny tekst til næste behandling."),
        encoding="utf-8",
    )
    site = tmp_path / "websted"
    publish(root, site, pdf=False)
    meeting = site / "moeder" / "2023-01-10-oek"
    item = _visible(_text(meeting / "sag-22-1.html"))
    assert "Teksten." in item and "En ny tekst" not in item
    page = _visible(_text(meeting / "index.html"))
    assert "Dagsorden udsendt" in page
    assert "Tillægsdagsorden 1. Budget 2023 – Punktet er ændret efter udsendelsen" in page
    agenda_item = json.loads(
        _text(site / "oparl" / "agendaitem" / "2023-01-10-oek" / "sag-22-1.json")
    )
    assert agenda_item["dagsorden:afsnit"] == [
        {"overskrift": "Sagsfremstilling", "tekst": "Teksten."}
    ]


def test_the_context_keys_the_publisher_reads_exist(example_root: Path) -> None:
    """`_public.CONTEXT_KEYS` is the publisher's contract with the template context: each key
    is in the public minutes' context of the example meeting with a history and corrections'
    place."""
    from dagsorden.build import context_for
    from dagsorden.context import DocumentKind, Edition
    from dagsorden.publish._public import CONTEXT_KEYS

    context = context_for(example_root, "2023-03-02-hu", DocumentKind.MINUTES, Edition.PUBLIC)
    missing = []
    for key in CONTEXT_KEYS:
        values: list[Any] = [context]
        for part in key.split("."):
            name, many = part.removesuffix("[]"), part.endswith("[]")
            values = [v[name] for v in values if name in v]
            if many:
                values = [entry for v in values for entry in v]
        if not values and not key.startswith(("corrections", "items[].treatments[].corr")):
            missing.append(key)
    assert missing == []
