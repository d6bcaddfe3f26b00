"""Load a data project: YAML files to model records, every value with its location.

Scalars are read as the text the secretary wrote (YAML's implicit typing never applies) and
converted explicitly, so `13:00` is a time and `no` stays the word "no". Every problem found is
collected; a file that cannot be read at all is skipped, the rest is still checked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import yaml

from ._keys import (
    CLOSED_WORDING,
    KEYS,
    MINUTES_TITLES,
    REASONS,
    VOTE_WORDING,
)
from ._meeting import MeetingReader
from ._nodes import is_null, one_of
from ._settings import SettingsReader, default_forms
from .cache import Store, content_digest
from .errors import Location, Problem, Problems, Severity
from .inside import relative_name
from .model import (
    Attachment,
    Body,
    Case,
    Meeting,
    Membership,
    Organisation,
    Person,
    Project,
    Section,
)
from .records import read_records

__all__ = ["KEYS", "REASONS", "load_project"]

_MEETING_NAME = re.compile(r"[\w][\w-]*")


def load_project(
    root: Path, store: Store | None = None, override: Mapping[str, bytes] | None = None
) -> tuple[Project, Problems]:
    """Read every record of the data project at `root`; never raises on bad data.

    With a `store`, a file whose bytes were read before is not parsed again: what reading it
    gave (its record, problems and CPR candidates) comes from the store, keyed by its content.
    `override` gives the content of some files (by path relative to `root`, under agenda/ or
    cases/) instead of what is on disk: the project as it would be after a change.
    """
    override = override or {}
    problems = Problems()
    problems.items.extend(not_files(root, "cases") + not_files(root, "agenda"))
    files: list[FileRead] = [read_organisation(root, store)]
    organisation = files[0].record if isinstance(files[0].record, Organisation) else None

    cases: dict[str, Case] = {}
    for path in yaml_files(root, "cases", override):
        read = read_file(root, path, "case", store, override)
        files.append(read)
        case = read.record
        if not isinstance(case, Case):
            continue
        earlier = cases.get(case.number)
        if earlier is not None:
            read.problems.append(duplicate_case(case.number, case.location, earlier.location))
            continue
        cases[case.number] = case

    meetings: dict[str, Meeting] = {}
    for path in yaml_files(root, "agenda", override):
        if not valid_meeting_name(path.stem):
            problems.items.append(bad_meeting_name(root, path))
            continue
        read = read_file(root, path, "meeting", store, override)
        files.append(read)
        meeting = read.record
        if not isinstance(meeting, Meeting):
            continue
        other = meetings.get(meeting.name)
        if other is not None:
            read.problems.append(
                duplicate_meeting(meeting.name, meeting.location.file, other.location.file)
            )
            continue
        meetings[meeting.name] = meeting

    if store is not None:
        store.save()
    for read in files:
        problems.items.extend(read.problems)
    cpr = tuple(c for read in files for c in read.cpr)
    records, corrections = read_records(root, problems)
    six_digits = {read.file: read.six for read in files if read.six}
    project = Project(root, organisation, cases, meetings, cpr, records, corrections, six_digits)
    return project, problems


def duplicate_case(number: str, location: Location, earlier: Location) -> Problem:
    return Problem(Severity.ERROR, location, f"sagsnummeret {number} er også brugt i {earlier}")


def duplicate_meeting(name: str, file: str, other: str) -> Problem:
    return Problem(
        Severity.ERROR,
        Location(file),
        f"mødet {name} har også filen {other}; et møde skal stå i én fil",
    )


def read_organisation(root: Path, store: Store | None) -> FileRead:
    """The organisation file, read (or its absence reported)."""
    org_path = root / "organisation.yaml"
    if org_path.is_file():
        return read_file(root, org_path, "organisation", store)
    missing = Problem(
        Severity.ERROR,
        Location("organisation.yaml"),
        "filen mangler; den beskriver kommunen, udvalgene og personerne",
    )
    return FileRead(None, [missing], (), frozenset())


@dataclass(frozen=True)
class FileRead:
    """What reading one data file gave; what the store keeps per file content."""

    record: Organisation | Case | Meeting | None
    problems: list[Problem]
    cpr: tuple[tuple[str, Location], ...]
    six: frozenset[str]
    file: str = ""
    digest: str = ""  # "kind:SHA-256" of the bytes read; "" when the file could not be read


def is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file, or a link to one; False for a link that loops."""
    try:
        return entry.is_file()
    except OSError:
        return False


def not_files(root: Path, folder: str) -> list[Problem]:
    """Entries of `folder` named like data files that are not files: each is an error, so a
    meeting or case does not vanish without a word."""
    with suppress(OSError), os.scandir(root / folder) as entries:
        return [
            not_a_file(folder, entry)
            for entry in sorted(entries, key=lambda e: e.name)
            if entry.name.endswith((".yaml", ".yml")) and not is_file(entry)
        ]
    return []


def not_a_file(folder: str, entry: os.DirEntry[str]) -> Problem:
    where = Location(f"{folder}/{entry.name}")
    if entry.is_symlink():
        why = "er en genvej, der ikke fører til en fil (den peger på noget, der mangler, eller på"
        why += " sig selv)"
    elif entry.is_dir():
        why = "er en mappe, ikke en fil"
    else:
        why = "er ikke en almindelig fil"
    return Problem(Severity.ERROR, where, f"{where.file} {why}")


def valid_meeting_name(stem: str) -> bool:
    return _MEETING_NAME.fullmatch(stem) is not None


def bad_meeting_name(root: Path, path: Path) -> Problem:
    return Problem(
        Severity.ERROR,
        Location(path.relative_to(root).as_posix()),
        "mødefilens navn må kun indeholde bogstaver, tal, bindestreg og understregning"
        " (fx 2023-03-02-hu.yaml)",
    )


# What reading a file gave, by its path and content, already in this process: a recording
# command checks twice (before and after its change), and the records are immutable.
_SEEN: dict[tuple[str, str], FileRead] = {}
_SEEN_AT_MOST = 20_000


def read_file(
    root: Path,
    path: Path,
    kind: str,
    store: Store | None,
    override: Mapping[str, bytes] | None = None,
) -> FileRead:
    relative = relative_name(root, path) or path.relative_to(root).as_posix()
    data: bytes | None
    if override and relative in override:
        data = override[relative]
    else:
        try:
            data = path.read_bytes()
        except OSError:
            data = None  # the reader reports why
    digest = f"{kind}:{content_digest(data)}" if data is not None else ""
    seen = _SEEN.get((relative, digest))
    if seen is not None:
        return FileRead(seen.record, list(seen.problems), seen.cpr, seen.six, relative, digest)
    if store is not None and data is not None:
        known = store.parsed(relative, digest)
        if isinstance(known, FileRead):
            if len(_SEEN) > _SEEN_AT_MOST:
                _SEEN.clear()
            _SEEN[(relative, digest)] = known
            return FileRead(
                known.record, list(known.problems), known.cpr, known.six, relative, digest
            )
    problems = Problems()
    reader = _Reader(root, path, problems)
    node = reader.document(data)
    record: Organisation | Case | Meeting | None = None
    if node is not None:
        if kind == "organisation":
            record = reader.organisation(node)
        elif kind == "case":
            record = reader.case(node)
        else:
            record = reader.meeting(node, path.stem)
    read = FileRead(
        record,
        list(problems.items),
        tuple(reader.cpr_candidates),
        frozenset(reader.six_digits),
        relative,
    )
    if store is not None and data is not None:
        store.remember_parsed(relative, digest, read)
    if data is not None:
        if len(_SEEN) > _SEEN_AT_MOST:  # a long-running process (the web app) starts afresh
            _SEEN.clear()
        _SEEN[(relative, digest)] = read
    return FileRead(read.record, list(read.problems), read.cpr, read.six, relative, digest)


def yaml_files(root: Path, folder: str, override: Mapping[str, bytes] | None = None) -> list[Path]:
    """The data files of `folder` (cases/ or agenda/), in a stable order; with the files
    `override` adds there."""
    found = set()
    if (root / folder).is_dir():
        found = {
            p for p in (root / folder).iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
        }
    for relative in override or ():
        path = root / relative
        if path.parent == root / folder and path.suffix in (".yaml", ".yml"):
            found.add(path)
    return sorted(found)


class _Reader(MeetingReader, SettingsReader):
    """Reads the records of the data format: organisation and case here, meeting inherited."""

    left_out = False  # the organisation file names something that could not be read

    def organisation(self, node: yaml.MappingNode) -> Organisation | None:
        f = self.fields(node, KEYS["organisation"], "organisationen")
        if f is None:
            return None
        municipality = self.opt_string(f, "kommune", "kommunens navn")
        self.left_out = False
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
            else:
                self.left_out = True
        people: dict[str, Person] = {}
        for name, key_node, value in (
            self.pairs(f["personer"], "personer") or [] if "personer" in f else []
        ):
            memberships = tuple(self.each(value, f"medlemskaberne for {name}", self.membership))
            if not isinstance(value, yaml.SequenceNode) or len(memberships) < len(value.value):
                self.left_out = True
            people[name] = Person(name, memberships, self.loc(key_node))
        if municipality is None:
            return None
        forms = self.number_forms(f["numre"]) if "numre" in f else default_forms()
        wording = self.wording(f["ordlyd"]) if "ordlyd" in f else {}
        roles = self.headings(f["rolleorden"], "rolleorden") if "rolleorden" in f else None
        whole = not self.left_out and all(
            isinstance(f.get(key), yaml.MappingNode) for key in ("udvalg", "personer")
        )
        return Organisation(
            municipality,
            sections,
            bodies,
            people,
            self.loc(node),
            whole,
            forms,
            wording,
            roles if roles is not None else ("Formand", "Næstformand"),
        )

    def headings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        out: list[str] = []
        if not isinstance(node, yaml.SequenceNode):
            self.left_out = True
        for child in self.seq(node, what):
            heading = self.string(child, f"en overskrift i {what}")
            if heading is None:
                self.left_out = True
                continue
            if heading in out:
                self.error(child, f"overskriften '{heading}' står to gange i {what}")
                continue
            out.append(heading)
        return tuple(out)

    def body(self, abbr: str, key_node: yaml.Node, node: yaml.Node) -> Body | None:
        f = self.fields(node, KEYS["udvalg"], f"udvalget {abbr}")
        if f is None:
            return None
        name = self.opt_string(f, "navn", "udvalgets navn")
        title = self.opt_string(f, "protokoltitel", "protokoltitlen") or MINUTES_TITLES[0]
        if title not in MINUTES_TITLES and "protokoltitel" in f:
            self.error(
                f["protokoltitel"],
                f"protokoltitlen '{title}' er ukendt; brug {one_of(MINUTES_TITLES)}",
            )
        sections = self.headings(f["afsnit"], f"afsnit for {abbr}") if "afsnit" in f else None
        wording = self.opt_string(f, "lukket_punkt", "lukket_punkt") or CLOSED_WORDING
        if "{titel}" not in wording or re.search(r"\{(?!titel\})", wording):
            self.error(
                f["lukket_punkt"],
                "lukket_punkt skal indeholde {titel} og ingen andre {…},"
                f" fx '{CLOSED_WORDING}'",
            )
        signature = (
            self.boolean(f["underskriftsblad"], "underskriftsblad")
            if "underskriftsblad" in f
            else False
        )
        votes = []
        for key, default in zip(
            ("afstemning_for", "afstemning_imod", "afstemning_undlod"), VOTE_WORDING, strict=True
        ):
            form = self.opt_string(f, key, key) or default
            if "{antal}" not in form or re.search(r"\{(?!antal\}|hvem\})", form):
                self.error(
                    f[key],
                    f"{key} skal indeholde {{antal}} og kan indeholde {{hvem}}, fx '{default}'",
                )
            votes.append(form)
        order = (
            self.refs(f["medlemsorden"], "medlemsordenen", "et navn i medlemsordenen")
            if "medlemsorden" in f
            else ()
        )
        if name is None:
            return None
        return Body(
            abbr,
            name,
            title,
            sections,
            wording,
            bool(signature),
            (votes[0], votes[1], votes[2]),
            self.loc(key_node),
            order,
        )

    def membership(self, node: yaml.Node) -> Membership | None:
        f = self.fields(node, KEYS["medlemskab"], "et medlemskab")
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
        printed = self.opt_string(f, "navn", "navnet i perioden")
        if body is None or start is None:
            return None
        return Membership(body, start, end, party, organisation, job, role, self.loc(node), printed)

    def case(self, node: yaml.MappingNode) -> Case | None:
        f = self.fields(node, KEYS["sag"], "sagen")
        if f is None:
            return None
        # Its form is the organisation's (numre:), checked with the other rules (check.py).
        number = self.opt_string(f, "sagsnr", "sagsnummeret")
        kle = self.opt_string(f, "kle", "KLE-koden")
        title = self.opt_string(f, "titel", "sagens titel")
        public_title = self.opt_string(f, "offentlig_titel", "den offentlige titel")
        sensitive = (
            self.boolean(f["titel_følsom"], "titel_følsom") if "titel_følsom" in f else False
        )
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
            empty = is_null(value) or (
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
            public_title,
            bool(sensitive),
            access,
            route,
            tuple(sections),
            recommendation,
            attachments,
            self.loc(f["sagsnr"]),
        )

    def attachment(self, node: yaml.Node) -> Attachment | None:
        f = self.fields(node, KEYS["bilag"], "bilaget")
        if f is None:
            return None
        system_id = self.opt_string(f, "id", "bilagets id")
        title = self.opt_string(f, "titel", "bilagets titel")
        doc_number = self.opt_string(f, "dokumentnr", "dokumentnummeret")
        access = self.access(f, "bilagets adgang")
        added = self.ref(f["tilføjet"], "mødet, bilaget blev tilføjet") if "tilføjet" in f else None
        file = self.ref(f["fil"], "bilagsfilen") if "fil" in f else None
        if title is None or access is None or (system_id is None and "id" in f):
            return None
        return Attachment(
            system_id,
            title,
            doc_number,
            access,
            added,
            file,
            self.loc(node),
            self.loc(f["id"]) if "id" in f else None,
            self.loc(f["dokumentnr"]) if "dokumentnr" in f else None,
        )
