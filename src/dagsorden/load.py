"""Load a data project: YAML files to model records, every value with its location.

Scalars are read as the text the secretary wrote (YAML's implicit typing never applies) and
converted explicitly, so `13:00` is a time and `no` stays the word "no". Every problem found is
collected; a file that cannot be read at all is skipped, the rest is still checked.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import yaml

from .errors import Location, Problems
from .model import (
    Access,
    Attachment,
    Body,
    Case,
    Item,
    Meeting,
    Membership,
    NonParticipation,
    Organisation,
    Person,
    Project,
    Ref,
    Section,
    Text,
)
from .text import RAW_INVALID, clean, describe, parse_markdown

__all__ = ["KEYS", "REASONS", "load_project"]

T = TypeVar("T")

# Every key the format knows, per kind of record: key -> required. The reference page
# (docs/format.md) documents each of them; a test keeps the two in step.
KEYS: dict[str, dict[str, bool]] = {
    "organisation": {"kommune": True, "standardafsnit": True, "udvalg": True, "personer": True},
    "udvalg": {"navn": True, "protokoltitel": False, "afsnit": False},
    "medlemskab": {
        "udvalg": True,
        "fra": True,
        "til": False,
        "parti": False,
        "organisation": False,
        "stilling": False,
        "rolle": False,
    },
    "sag": {
        "sagsnr": True,
        "kle": False,
        "titel": True,
        "adgang": False,
        "sagsgang": True,
        "afsnit": False,
        "indstilling": False,
        "bilag": False,
    },
    "bilag": {
        "id": True,
        "titel": True,
        "dokumentnr": False,
        "adgang": False,
        "tilføjet": False,
        "fil": False,
    },
    "møde": {
        "udvalg": True,
        "dato": True,
        "start": True,
        "slut": False,
        "sted": True,
        "afbud": False,
        "punkter": True,
    },
    "punkt": {
        "sag": False,
        "titel": False,
        "tekst": False,
        "indstilling": False,
        "beslutning": False,
        "deltog_ikke": False,
        "protokolbemærkninger": False,
    },
    "deltog_ikke": {"navn": True, "årsag": False},
}
REASONS = ("inhabil", "forlod mødet", "ankom senere")
MINUTES_TITLES = ("BESLUTNINGSPROTOKOL", "REFERAT", "BESLUTNINGSREFERAT")

_CASE_NUMBER = re.compile(r"\d{2}/\d+")
_MEETING_NAME = re.compile(r"[\w][\w-]*")
_DOC_NUMBER = re.compile(r"\d+/\d{2}")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")

# libyaml's problems in Danish: (what libyaml says, whether the place to fix is where the
# construct began rather than where libyaml gave up, the Danish sentence).
_YAML_PROBLEMS = [
    (
        "mapping values are not allowed",
        False,
        "et kolon her kan ikke læses; sæt værdien i anførselstegn, eller ret indrykningen",
    ),
    ("tab character", False, "tabulatortegn kan ikke bruges til indrykning; brug mellemrum"),
    ("found unexpected end of stream", True, "et anførselstegn er ikke lukket"),
    ("could not find expected ':'", True, "der mangler et kolon efter nøglen"),
    ("did not find expected ',' or ']'", True, "listen i [ ] er ikke lukket; der mangler ']'"),
    ("did not find expected ',' or '}'", True, "{ } er ikke lukket; der mangler '}'"),
    (
        "did not find expected key",
        False,
        "indrykningen passer ikke, eller der står noget efter værdien; her ventedes en ny nøgle",
    ),
    (
        "did not find expected '-' indicator",
        False,
        "indrykningen passer ikke; her ventedes et '- ' listepunkt",
    ),
    (
        "block sequence entries are not allowed",
        False,
        "et '- ' listepunkt kan ikke stå her; skriv listen på linjerne nedenunder,"
        " eller sæt værdien i anførselstegn",
    ),
    (
        "found undefined alias",
        False,
        "* skal henvise til et anker (&navn);"
        " sæt værdien i anførselstegn, hvis * hører til teksten",
    ),
    (
        "did not find expected alphabetic or numeric character",
        True,
        "efter & eller * skal der stå et navn; sæt værdien i anførselstegn,"
        " hvis tegnet hører til teksten",
    ),
    ("found duplicate anchor", False, "det samme anker (&navn) er brugt to gange"),
    (
        "but found another document",
        False,
        "filen må kun indeholde ét dokument; fjern linjen med --- eller ...",
    ),
    ("directive", True, "en linje kan ikke begynde med %; sæt værdien i anførselstegn"),
    (
        "found unknown escape character",
        False,
        "ukendt tegn efter \\ i tekst i dobbelte anførselstegn; brug enkelte anførselstegn",
    ),
    ("did not find expected node content", False, "her mangler en værdi"),
    (
        "expected comment or line break",
        False,
        "der står noget efter værdien på samme linje; sæt hele værdien i anførselstegn",
    ),
    (
        "expected whitespace or line break",
        False,
        "der står noget efter værdien på samme linje; sæt hele værdien i anførselstegn",
    ),
]


def load_project(root: Path) -> tuple[Project, Problems]:
    """Read every record of the data project at `root`; never raises on bad data."""
    problems = Problems()
    org_path = root / "organisation.yaml"
    organisation = None
    if org_path.is_file():
        node = _Reader(root, org_path, problems).document()
        if node is not None:
            organisation = node[0].organisation(node[1])
    else:
        problems.error(
            Location("organisation.yaml"),
            "filen mangler; den beskriver kommunen, udvalgene og personerne",
        )

    cases: dict[str, Case] = {}
    for path in _yaml_files(root / "cases"):
        doc = _Reader(root, path, problems).document()
        if doc is None:
            continue
        case = doc[0].case(doc[1])
        if case is None:
            continue
        earlier = cases.get(case.number)
        if earlier is not None:
            problems.error(
                case.location,
                f"sagsnummeret {case.number} er også brugt i {earlier.location}",
            )
            continue
        cases[case.number] = case

    meetings: dict[str, Meeting] = {}
    for path in _yaml_files(root / "agenda"):
        if not _MEETING_NAME.fullmatch(path.stem):
            problems.error(
                Location(path.relative_to(root).as_posix()),
                "mødefilens navn må kun indeholde bogstaver, tal, bindestreg og understregning"
                " (fx 2023-03-02-hu.yaml)",
            )
            continue
        doc = _Reader(root, path, problems).document()
        if doc is None:
            continue
        meeting = doc[0].meeting(doc[1], path.stem)
        if meeting is None:
            continue
        other = meetings.get(meeting.name)
        if other is not None:
            problems.error(
                Location(doc[0].file),
                f"mødet {meeting.name} har også filen {other.location.file};"
                " et møde skal stå i én fil",
            )
            continue
        meetings[meeting.name] = meeting

    return Project(root, organisation, cases, meetings), problems


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def suggest(word: str, known: list[str] | tuple[str, ...]) -> str:
    """A Danish did-you-mean suffix, or nothing when no known word is close."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.casefold(), [k.casefold() for k in known], n=1)
        close = [k for k in known if close and k.casefold() == close[0]]
    return f"; mente du '{close[0]}'?" if close else ""


class _Reader:
    """Reads one YAML file's node tree into model records, reporting problems with locations."""

    def __init__(self, root: Path, path: Path, problems: Problems) -> None:
        self.problems = problems
        self.path = path
        self.file = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        self.lines: list[str] = []

    # -- plumbing -----------------------------------------------------------------------

    def document(self) -> tuple[_Reader, yaml.MappingNode] | None:
        """Parse the file to a node tree; None (with the problem reported) if that fails."""
        whole = Location(self.file)
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except PermissionError:
            self.problems.error(whole, "filen kan ikke læses: du har ikke adgang til den")
            return None
        except OSError:
            self.problems.error(whole, "filen kan ikke læses")
            return None
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            self.problems.error(
                Location(self.file, line, 1),
                "filen er ikke gemt som UTF-8; gem den igen med tegnsættet UTF-8",
            )
            return None
        text = self._without_control_characters(text.replace("\r\n", "\n").replace("\r", "\n"))
        self.lines = text.split("\n")
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            message, at_start = _yaml_problem(exc, text)
            mark = (exc.context_mark if at_start else None) or exc.problem_mark
            loc = whole if mark is None else self.at(mark.line, mark.column)
            self.problems.error(loc, "ugyldig YAML: " + message)
            return None
        except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
            self.problems.error(whole, f"ugyldig YAML: {exc}")
            return None
        if node is None:
            self.problems.error(whole, "filen er tom")
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problems.error(
                self.loc(node), "filen skal bestå af nøgler med værdier (nøgle: værdi)"
            )
            return None
        return self, node

    def _without_control_characters(self, text: str) -> str:
        """Replace what a YAML file cannot hold by spaces, warning once per line, at the spot."""
        if not RAW_INVALID.search(text):
            return text
        reported: set[int] = set()
        for match in RAW_INVALID.finditer(text):
            line = text.count("\n", 0, match.start())
            if line in reported:
                continue
            reported.add(line)
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.start())
            line_text = text[line_start : line_end if line_end >= 0 else len(text)]
            found = describe("".join(RAW_INVALID.findall(line_text)))
            self.lines = text.split("\n")
            self.problems.warning(
                self.at(line, match.start() - line_start),
                f"teksten indeholdt kontroltegn ({found}), som er fjernet",
            )
        return RAW_INVALID.sub(" ", text)

    def at(self, line: int, column: int) -> Location:
        """A location from 0-based line and column."""
        src = self.lines[line] if 0 <= line < len(self.lines) else None
        return Location(self.file, line + 1, column + 1, src)

    def loc(self, node: yaml.Node) -> Location:
        line = node.start_mark.line
        src = self.lines[line] if 0 <= line < len(self.lines) else None
        return Location(self.file, line + 1, node.start_mark.column + 1, src)

    def error(self, node: yaml.Node, message: str) -> None:
        self.problems.error(self.loc(node), message)

    def pairs(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]] | None:
        """The (key, key node, value node) of a mapping, with duplicate keys reported."""
        if _is_null(node):
            self.error(node, f"{what} mangler indhold")
            return None
        if not isinstance(node, yaml.MappingNode):
            self.error(
                node, f"{what} skal være nøgler med værdier (nøgle: værdi), ikke {_kind(node)}"
            )
            return None
        seen: dict[str, yaml.Node] = {}
        out: list[tuple[str, yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"en nøgle i {what} skal være et ord, ikke {_kind(key_node)}")
                continue
            key = self.scalar_text(key_node, one_line=True).strip()
            if not key or "\n" in key:
                self.error(key_node, f"en nøgle i {what} skal være et ord på én linje")
                continue
            if key in seen:
                first = self.loc(seen[key])
                self.error(
                    key_node, f"nøglen '{key}' står to gange (første gang i linje {first.line})"
                )
                continue
            seen[key] = key_node
            out.append((key, key_node, value_node))
        return out

    def fields(self, node: yaml.Node, kind: str, what: str) -> dict[str, yaml.Node] | None:
        """A record's fields, checked against the keys its kind allows."""
        pairs = self.pairs(node, what)
        if pairs is None:
            return None
        spec = KEYS[kind]
        out: dict[str, yaml.Node] = {}
        suggested: set[str] = set()
        for key, key_node, value_node in pairs:
            if key not in spec:
                hint = suggest(key, tuple(spec))
                suggested.add(hint.split("'")[1] if hint else "")
                self.error(key_node, f"ukendt nøgle '{key}' i {what}{hint}")
                continue
            if _is_null(value_node):
                if spec[key]:
                    self.error(
                        value_node
                        if value_node.start_mark.line == key_node.start_mark.line
                        else key_node,
                        f"'{key}' mangler en værdi",
                    )
                continue
            out[key] = value_node
        missing = [k for k, required in spec.items() if required and k not in out]
        for key in missing:
            # A typo in a required key is reported once, as the unknown key with its suggestion.
            if key not in suggested and not any(k == key for k, _, _ in pairs):
                self.error(node, f"{what} mangler nøglen '{key}'")
        return out

    def scalar_text(self, node: yaml.ScalarNode, *, one_line: bool = False) -> str:
        value, removed = clean(node.value, one_line=one_line)
        if removed:
            self.problems.warning(
                self.loc(node),
                f"teksten indeholdt kontroltegn ({removed}), som er fjernet",
            )
        return value

    def string(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} skal være en tekst, ikke {_kind(node)}")
            return None
        value = self.scalar_text(node, one_line=True).strip()
        if not value:
            self.error(node, f"{what} mangler")
            return None
        if "\n" in value:
            self.error(node, f"{what} skal stå på én linje")
            return None
        return value

    def opt_string(self, fields: dict[str, yaml.Node], key: str, what: str) -> str | None:
        node = fields.get(key)
        return None if node is None else self.string(node, what)

    def text(self, node: yaml.Node, what: str) -> Text | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} skal være en tekst, ikke {_kind(node)}")
            return None
        blocks, nested = parse_markdown(self.scalar_text(node))
        if nested:
            self.problems.warning(
                self.loc(node), f"{what} har lister i lister; de vises som én liste"
            )
        if not blocks:
            self.error(node, f"{what} mangler tekst")
            return None
        return Text(blocks, self.loc(node))

    def seq(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        self.error(
            node, f"{what} skal være en liste (linjer, der begynder med '- '), ikke {_kind(node)}"
        )
        return []

    def date(self, node: yaml.Node, what: str) -> dt.date | None:
        value = self.string(node, what)
        if value is None:
            return None
        m = _DATE.fullmatch(value)
        if m is None:
            self.error(
                node, f"{what} '{value}' er ikke en dato på formen ÅÅÅÅ-MM-DD (fx 2023-03-02)"
            )
            return None
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            self.error(node, f"{what} '{value}' findes ikke i kalenderen")
            return None

    def time(self, node: yaml.Node, what: str) -> dt.time | None:
        value = self.string(node, what)
        if value is None:
            return None
        m = _TIME.fullmatch(value)
        if m is None:
            self.error(node, f"{what} '{value}' er ikke et klokkeslæt på formen TT:MM (fx 13:00)")
            return None
        try:
            return dt.time(int(m[1]), int(m[2]))
        except ValueError:
            self.error(node, f"{what} '{value}' er ikke et klokkeslæt (timer 0-23, minutter 0-59)")
            return None

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        value = self.string(node, what)
        if value is None:
            return None
        word = value.casefold()
        if word in ("ja", "yes", "true"):
            return True
        if word in ("nej", "no", "false"):
            return False
        self.error(node, f"{what} skal være 'ja' eller 'nej', ikke '{value}'")
        return None

    def access(self, fields: dict[str, yaml.Node], what: str) -> Access | None:
        node = fields.get("adgang")
        if node is None:
            return Access.OPEN
        value = self.string(node, what)
        if value is None:
            return None
        for access in Access:
            if value.casefold() == access.value.casefold():
                return access
        self.error(node, f"{what} '{value}' er ukendt; brug 'Åben' eller 'Lukket'")
        return None

    def ref(self, node: yaml.Node, what: str) -> Ref | None:
        value = self.string(node, what)
        return None if value is None else Ref(value, self.loc(node))

    def refs(self, node: yaml.Node, what: str, each: str) -> tuple[Ref, ...]:
        found = (self.ref(n, each) for n in self.seq(node, what))
        return tuple(r for r in found if r is not None)

    def each(
        self, node: yaml.Node, what: str, read: Callable[[yaml.Node], T | None]
    ) -> Iterator[T]:
        for child in self.seq(node, what):
            value = read(child)
            if value is not None:
                yield value

    # -- records ------------------------------------------------------------------------

    def organisation(self, node: yaml.MappingNode) -> Organisation | None:
        f = self.fields(node, "organisation", "organisationen")
        if f is None:
            return None
        municipality = self.opt_string(f, "kommune", "kommunens navn")
        sections: tuple[str, ...] = ()
        if "standardafsnit" in f:
            sections = self.headings(f["standardafsnit"], "standardafsnit")
            if not sections and isinstance(f["standardafsnit"], yaml.SequenceNode):
                self.error(
                    f["standardafsnit"], "standardafsnit mangler overskrifter; skriv mindst én"
                )
        bodies: dict[str, Body] = {}
        for abbr, key_node, value in (
            self.pairs(f["udvalg"], "udvalg") or [] if "udvalg" in f else []
        ):
            body = self.body(abbr, key_node, value)
            if body is not None:
                bodies[abbr] = body
        people: dict[str, Person] = {}
        for name, key_node, value in (
            self.pairs(f["personer"], "personer") or [] if "personer" in f else []
        ):
            memberships = tuple(self.each(value, f"medlemskaberne for {name}", self.membership))
            people[name] = Person(name, memberships, self.loc(key_node))
        if municipality is None:
            return None
        return Organisation(municipality, sections, bodies, people, self.loc(node))

    def headings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        out: list[str] = []
        for child in self.seq(node, what):
            heading = self.string(child, f"en overskrift i {what}")
            if heading is None:
                continue
            if heading in out:
                self.error(child, f"overskriften '{heading}' står to gange i {what}")
                continue
            out.append(heading)
        return tuple(out)

    def body(self, abbr: str, key_node: yaml.Node, node: yaml.Node) -> Body | None:
        f = self.fields(node, "udvalg", f"udvalget {abbr}")
        if f is None:
            return None
        name = self.opt_string(f, "navn", "udvalgets navn")
        title = self.opt_string(f, "protokoltitel", "protokoltitlen") or MINUTES_TITLES[0]
        if title not in MINUTES_TITLES and "protokoltitel" in f:
            self.error(
                f["protokoltitel"],
                f"protokoltitlen '{title}' er ukendt; brug {_or(MINUTES_TITLES)}",
            )
        sections = self.headings(f["afsnit"], f"afsnit for {abbr}") if "afsnit" in f else None
        if name is None:
            return None
        return Body(abbr, name, title, sections, self.loc(key_node))

    def membership(self, node: yaml.Node) -> Membership | None:
        f = self.fields(node, "medlemskab", "et medlemskab")
        if f is None:
            return None
        body = self.ref(f["udvalg"], "udvalget") if "udvalg" in f else None
        start = self.date(f["fra"], "fra-datoen") if "fra" in f else None
        end = self.date(f["til"], "til-datoen") if "til" in f else None
        if start and end and end < start:
            self.error(
                f["til"], f"til-datoen {end.isoformat()} ligger før fra-datoen {start.isoformat()}"
            )
        if "parti" in f and "organisation" in f:
            self.error(
                f["organisation"],
                "et medlemskab har enten et parti eller en organisation, ikke begge",
            )
        party = self.opt_string(f, "parti", "partiet")
        organisation = self.opt_string(f, "organisation", "medlemskabets organisation")
        job = self.opt_string(f, "stilling", "stillingen")
        role = self.opt_string(f, "rolle", "rollen")
        if body is None or start is None:
            return None
        return Membership(body, start, end, party, organisation, job, role, self.loc(node))

    def case(self, node: yaml.MappingNode) -> Case | None:
        f = self.fields(node, "sag", "sagen")
        if f is None:
            return None
        number = self.opt_string(f, "sagsnr", "sagsnummeret")
        if number is not None and not _CASE_NUMBER.fullmatch(number):
            self.error(
                f["sagsnr"], f"sagsnummeret '{number}' har ikke formen ÅÅ/løbenummer (fx 22/291)"
            )
            number = None
        kle = self.opt_string(f, "kle", "KLE-koden")
        title = self.opt_string(f, "titel", "sagens titel")
        access = self.access(f, "adgangen")
        route = (
            self.refs(f["sagsgang"], "sagsgangen", "et udvalg i sagsgangen")
            if "sagsgang" in f
            else ()
        )
        if (
            "sagsgang" in f
            and not f["sagsgang"].value
            and isinstance(f["sagsgang"], yaml.SequenceNode)
        ):
            self.error(f["sagsgang"], "sagsgangen er tom; skriv mindst ét udvalg, fx [ØK, KB]")
        sections: list[Section] = []
        for heading, key_node, value in (
            self.pairs(f["afsnit"], "afsnit") or [] if "afsnit" in f else []
        ):
            empty = _is_null(value) or (
                isinstance(value, yaml.ScalarNode) and not value.value.strip()
            )
            text = None if empty else self.text(value, f"afsnittet '{heading}'")
            if empty:
                self.error(
                    value if value.start_mark.line == key_node.start_mark.line else key_node,
                    f"afsnittet '{heading}' er tomt; skriv fx 'Ingen.' eller fjern det",
                )
            if text is not None:
                sections.append(Section(heading, text, self.loc(key_node)))
        recommendation = (
            self.text(f["indstilling"], "indstillingen") if "indstilling" in f else None
        )
        attachments = tuple(self.each(f["bilag"], "bilag", self.attachment)) if "bilag" in f else ()
        if number is None or title is None or access is None:
            return None
        return Case(
            number,
            kle,
            title,
            access,
            route,
            tuple(sections),
            recommendation,
            attachments,
            self.loc(f["sagsnr"]),
        )

    def attachment(self, node: yaml.Node) -> Attachment | None:
        f = self.fields(node, "bilag", "bilaget")
        if f is None:
            return None
        system_id = self.opt_string(f, "id", "bilagets id")
        title = self.opt_string(f, "titel", "bilagets titel")
        doc_number = self.opt_string(f, "dokumentnr", "dokumentnummeret")
        if doc_number is not None and not _DOC_NUMBER.fullmatch(doc_number):
            self.error(
                f["dokumentnr"],
                f"dokumentnummeret '{doc_number}' har ikke formen løbenummer/ÅÅ (fx 151433/22)",
            )
        access = self.access(f, "bilagets adgang")
        added = self.ref(f["tilføjet"], "mødet, bilaget blev tilføjet") if "tilføjet" in f else None
        file = self.ref(f["fil"], "bilagsfilen") if "fil" in f else None
        if system_id is None or title is None or access is None:
            return None
        return Attachment(system_id, title, doc_number, access, added, file, self.loc(node))

    def meeting(self, node: yaml.MappingNode, name: str) -> Meeting | None:
        f = self.fields(node, "møde", "mødet")
        if f is None:
            return None
        body = self.ref(f["udvalg"], "udvalget") if "udvalg" in f else None
        date = self.date(f["dato"], "datoen") if "dato" in f else None
        start = self.time(f["start"], "starttidspunktet") if "start" in f else None
        end = self.time(f["slut"], "sluttidspunktet") if "slut" in f else None
        if start and end and end <= start:
            self.error(
                f["slut"], f"mødet slutter kl. {end:%H:%M}, før det starter kl. {start:%H:%M}"
            )
        place = self.opt_string(f, "sted", "mødestedet")
        absent = self.refs(f["afbud"], "afbud", "et navn under afbud") if "afbud" in f else ()
        items = tuple(self.each(f["punkter"], "punkterne", self.item)) if "punkter" in f else ()
        if body is None or date is None or start is None or place is None:
            return None
        return Meeting(name, body, date, start, end, place, absent, items, self.loc(node))

    def item(self, node: yaml.Node) -> Item | None:
        f = self.fields(node, "punkt", "punktet")
        if f is None:
            return None
        case = self.ref(f["sag"], "sagsnummeret") if "sag" in f else None
        title = self.opt_string(f, "titel", "punktets titel")
        if case is None and title is None and "sag" not in f:
            self.error(
                node,
                "punktet mangler enten 'sag' (et sagsnummer) eller 'titel' (et punkt uden sag)",
            )
        if "sag" in f and ("titel" in f or "tekst" in f):
            key = "titel" if "titel" in f else "tekst"
            self.error(f[key], f"et punkt med en sag tager titel og tekst fra sagen; fjern '{key}'")
        text = self.text(f["tekst"], "punktets tekst") if "tekst" in f else None
        recommendation = (
            self.text(f["indstilling"], "indstillingen") if "indstilling" in f else None
        )
        decision = self.text(f["beslutning"], "beslutningen") if "beslutning" in f else None
        absent = (
            tuple(self.each(f["deltog_ikke"], "deltog_ikke", self.non_participation))
            if "deltog_ikke" in f
            else ()
        )
        notes = (
            tuple(
                self.each(
                    f["protokolbemærkninger"],
                    "protokolbemærkningerne",
                    lambda n: self.text(n, "protokolbemærkningen"),
                )
            )
            if "protokolbemærkninger" in f
            else ()
        )
        return Item(case, title, text, recommendation, decision, absent, notes, self.loc(node))

    def non_participation(self, node: yaml.Node) -> NonParticipation | None:
        if isinstance(node, yaml.ScalarNode) and not _is_null(node):
            self.error(
                node,
                f"skriv personen under deltog_ikke med navn:, fx '- navn: {node.value.strip()}'",
            )
            return None
        f = self.fields(node, "deltog_ikke", "deltog_ikke")
        if f is None:
            return None
        person = self.ref(f["navn"], "navnet") if "navn" in f else None
        reason = self.opt_string(f, "årsag", "årsagen")
        if reason is not None and reason not in REASONS:
            self.error(
                f["årsag"],
                f"årsagen '{reason}' er ukendt; brug {_or(REASONS)}{suggest(reason, REASONS)}",
            )
            reason = None
        return None if person is None else NonParticipation(person, reason)


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Composes nodes only; values are never resolved by YAML's implicit typing."""


def _is_null(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == "tag:yaml.org,2002:null"
        and node.value in ("", "~", "null", "Null", "NULL")
    )


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "nøgler med værdier"
    if isinstance(node, yaml.SequenceNode):
        return "en liste"
    return f"teksten '{node.value}'"


def _or(words: tuple[str, ...]) -> str:
    quoted = [f"'{w}'" for w in words]
    return ", ".join(quoted[:-1]) + " eller " + quoted[-1]


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, bool]:
    """libyaml's problem in Danish, and whether to point where the construct began."""
    said = f"{exc.context or ''} {exc.problem or ''}"
    if "cannot start any token" in said and exc.problem_mark is not None:
        mark = exc.problem_mark
        char = text.split("\n")[mark.line][mark.column : mark.column + 1]
        if char == "\t":
            return "tabulatortegn kan ikke bruges til indrykning; brug mellemrum", False
        return f"tegnet '{char}' kan ikke stå først i en værdi; sæt værdien i anførselstegn", False
    for english, at_start, danish in _YAML_PROBLEMS:
        if english in said:
            return danish, at_start
    return f"filen kan ikke læses som YAML ({(exc.problem or exc.context or '').strip()})", False
