"""Load a data project: YAML files to model records, every value with its location.

Scalars are read as the text the secretary wrote (YAML's implicit typing never applies) and
converted explicitly, so `13:00` is a time and `no` stays the word "no". Every problem found is
collected; a file that cannot be read at all is skipped, the rest is still checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ._nodes import NodeReader, is_null, one_of, suggest
from .errors import Location, Problems
from .model import (
    Access,
    Approval,
    Attachment,
    Body,
    Case,
    Correction,
    Item,
    Meeting,
    Membership,
    NonParticipation,
    Note,
    Organisation,
    Partial,
    Person,
    Project,
    Section,
    Status,
    Substitute,
    Votes,
)

__all__ = ["KEYS", "REASONS", "load_project"]


# Every key the format knows, per kind of record: key -> required. The reference page
# (docs/format.md) documents each of them; a test keeps the two in step.
KEYS: dict[str, dict[str, bool]] = {
    "organisation": {"kommune": True, "standardafsnit": True, "udvalg": True, "personer": True},
    "udvalg": {
        "navn": True,
        "protokoltitel": False,
        "afsnit": False,
        "lukket_punkt": False,
        "underskriftsblad": False,
        "afstemning_for": False,
        "afstemning_imod": False,
        "afstemning_undlod": False,
    },
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
        "offentlig_titel": False,
        "titel_følsom": False,
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
        "stedfortrædere": False,
        "delvis": False,
        "punkter": True,
        "status": False,
        "godkendt": False,
        "rettelser": False,
    },
    "stedfortræder": {"navn": True, "for": True},
    "delvis": {"navn": True, "ankom": False, "gik": False, "punkter": True},
    "godkendt": {"dato": True, "kontrolsum": True},
    "rettelse": {"dato": True, "punkt": False, "tekst": True},
    "afstemning": {"for": False, "imod": False, "undlod": False},
    "protokolbemærkning": {"navn": False, "tekst": True},
    "punkt": {
        "sag": False,
        "titel": False,
        "adgang": False,
        "tekst": False,
        "indstilling": False,
        "beslutning": False,
        "offentlig_beslutning": False,
        "deltog_ikke": False,
        "protokolbemærkninger": False,
        "afstemning": False,
    },
    "deltog_ikke": {"navn": True, "årsag": False},
}
REASONS = ("inhabil", "forlod mødet", "ankom senere")
MINUTES_TITLES = ("BESLUTNINGSPROTOKOL", "REFERAT", "BESLUTNINGSREFERAT")
VOTE_WORDING = (
    "For stemte {antal} ({hvem}).",
    "Imod stemte {antal} ({hvem}).",
    "Undlod at stemme {antal} ({hvem}).",
)
CLOSED_WORDING = "Lukket punkt: {titel}"

_CASE_NUMBER = re.compile(r"\d{2}/\d+")
_MEETING_NAME = re.compile(r"[\w][\w-]*")
_DOC_NUMBER = re.compile(r"\d+/\d{2}")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


def load_project(root: Path) -> tuple[Project, Problems]:
    """Read every record of the data project at `root`; never raises on bad data."""
    problems = Problems()
    readers: list[_Reader] = []
    org_path = root / "organisation.yaml"
    organisation = None
    if org_path.is_file():
        reader = _Reader(root, org_path, problems)
        readers.append(reader)
        node = reader.document()
        if node is not None:
            organisation = reader.organisation(node)
    else:
        problems.error(
            Location("organisation.yaml"),
            "filen mangler; den beskriver kommunen, udvalgene og personerne",
        )

    cases: dict[str, Case] = {}
    for path in _yaml_files(root / "cases"):
        reader = _Reader(root, path, problems)
        readers.append(reader)
        doc = reader.document()
        if doc is None:
            continue
        case = reader.case(doc)
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
        reader = _Reader(root, path, problems)
        readers.append(reader)
        doc = reader.document()
        if doc is None:
            continue
        meeting = reader.meeting(doc, path.stem)
        if meeting is None:
            continue
        other = meetings.get(meeting.name)
        if other is not None:
            problems.error(
                Location(reader.file),
                f"mødet {meeting.name} har også filen {other.location.file};"
                " et møde skal stå i én fil",
            )
            continue
        meetings[meeting.name] = meeting

    cpr = tuple(c for r in readers for c in r.cpr_candidates)
    return Project(root, organisation, cases, meetings, cpr), problems


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


class _Reader(NodeReader):
    """Reads the records of the data format: organisation, case, meeting."""

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

    def organisation(self, node: yaml.MappingNode) -> Organisation | None:
        f = self.fields(node, KEYS["organisation"], "organisationen")
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
        if body is None or start is None:
            return None
        return Membership(body, start, end, party, organisation, job, role, self.loc(node))

    def case(self, node: yaml.MappingNode) -> Case | None:
        f = self.fields(node, KEYS["sag"], "sagen")
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
        f = self.fields(node, KEYS["møde"], "mødet")
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
        status = self.status(f["status"]) if "status" in f else Status.PLANNED
        substitutes = (
            tuple(self.each(f["stedfortrædere"], "stedfortrædere", self.substitute))
            if "stedfortrædere" in f
            else ()
        )
        partial = tuple(self.each(f["delvis"], "delvis", self.partial)) if "delvis" in f else ()
        approval = self.approval(f["godkendt"]) if "godkendt" in f else None
        corrections = (
            tuple(self.each(f["rettelser"], "rettelser", self.correction))
            if "rettelser" in f
            else ()
        )
        if body is None or date is None or start is None or place is None or status is None:
            return None
        return Meeting(
            name,
            body,
            date,
            start,
            end,
            place,
            absent,
            items,
            self.loc(node),
            status,
            substitutes,
            partial,
            approval,
            corrections,
        )

    def status(self, node: yaml.Node) -> Status | None:
        value = self.string(node, "status")
        for status in Status:
            if value == status.value:
                return status
        if value is not None:
            names = tuple(s.value for s in Status)
            self.error(
                node, f"status '{value}' er ukendt; brug {one_of(names)}{suggest(value, names)}"
            )
        return None

    def substitute(self, node: yaml.Node) -> Substitute | None:
        f = self.fields(node, KEYS["stedfortræder"], "stedfortræderen")
        if f is None or "navn" not in f or "for" not in f:
            return None
        person = self.ref(f["navn"], "stedfortræderens navn")
        replaces = self.ref(f["for"], "navnet på den, stedfortræderen er for")
        return Substitute(person, replaces) if person and replaces else None

    def partial(self, node: yaml.Node) -> Partial | None:
        f = self.fields(node, KEYS["delvis"], "delvis deltagelse")
        if f is None or "navn" not in f:
            return None
        person = self.ref(f["navn"], "navnet")
        arrived = self.time(f["ankom"], "ankomsttidspunktet") if "ankom" in f else None
        left = self.time(f["gik"], "tidspunktet, medlemmet gik") if "gik" in f else None
        numbers = []
        for child in self.seq(f["punkter"], "punkterne") if "punkter" in f else []:
            value = self.string(child, "et punktnummer")
            if value is not None and value.isdigit():
                numbers.append(int(value))
            elif value is not None:
                self.error(child, f"punkter skal være punktnumre (1, 2, …), ikke '{value}'")
        if "ankom" not in f and "gik" not in f:
            self.error(node, "delvis deltagelse skal have 'ankom' eller 'gik' (et klokkeslæt)")
        return Partial(person, arrived, left, tuple(numbers), self.loc(node)) if person else None

    def approval(self, node: yaml.Node) -> Approval | None:
        f = self.fields(node, KEYS["godkendt"], "godkendelsen")
        if f is None:
            return None
        date = self.date(f["dato"], "godkendelsesdatoen") if "dato" in f else None
        checksum = self.opt_string(f, "kontrolsum", "kontrolsummen")
        if date is None or checksum is None:
            return None
        return Approval(date, checksum, self.loc(node))

    def correction(self, node: yaml.Node) -> Correction | None:
        f = self.fields(node, KEYS["rettelse"], "rettelsen")
        if f is None:
            return None
        date = self.date(f["dato"], "rettelsens dato") if "dato" in f else None
        item = None
        if "punkt" in f:
            value = self.string(f["punkt"], "punktnummeret")
            if value is not None and value.isdigit():
                item = int(value)
            elif value is not None:
                self.error(f["punkt"], f"punkt skal være et punktnummer (1, 2, …), ikke '{value}'")
        text = self.text(f["tekst"], "rettelsens tekst") if "tekst" in f else None
        return Correction(date, item, text) if date and text else None

    def votes(self, node: yaml.Node) -> Votes | None:
        f = self.fields(node, KEYS["afstemning"], "afstemningen")
        if f is None:
            return None
        sides = [
            self.refs(f[key], key, f"et navn eller parti under {key}") if key in f else ()
            for key in ("for", "imod", "undlod")
        ]
        return Votes(sides[0], sides[1], sides[2], self.loc(node))

    def note(self, node: yaml.Node) -> Note | None:
        if isinstance(node, yaml.ScalarNode):
            text = self.text(node, "protokolbemærkningen")
            return Note(None, text) if text else None
        f = self.fields(node, KEYS["protokolbemærkning"], "protokolbemærkningen")
        if f is None or "tekst" not in f:
            return None
        person = self.ref(f["navn"], "navnet") if "navn" in f else None
        text = self.text(f["tekst"], "protokolbemærkningen")
        return Note(person, text) if text else None

    def item(self, node: yaml.Node) -> Item | None:
        f = self.fields(node, KEYS["punkt"], "punktet")
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
        access = self.access(f, "punktets adgang") if "adgang" in f else None
        text = self.text(f["tekst"], "punktets tekst") if "tekst" in f else None
        recommendation = (
            self.text(f["indstilling"], "indstillingen") if "indstilling" in f else None
        )
        decision = self.text(f["beslutning"], "beslutningen") if "beslutning" in f else None
        public_decision = (
            self.text(f["offentlig_beslutning"], "den offentlige beslutning")
            if "offentlig_beslutning" in f
            else None
        )
        absent = (
            tuple(self.each(f["deltog_ikke"], "deltog_ikke", self.non_participation))
            if "deltog_ikke" in f
            else ()
        )
        notes = (
            tuple(self.each(f["protokolbemærkninger"], "protokolbemærkningerne", self.note))
            if "protokolbemærkninger" in f
            else ()
        )
        votes = self.votes(f["afstemning"]) if "afstemning" in f else None
        return Item(
            case,
            title,
            access,
            text,
            recommendation,
            decision,
            public_decision,
            absent,
            notes,
            votes,
            self.loc(node),
        )

    def non_participation(self, node: yaml.Node) -> NonParticipation | None:
        if isinstance(node, yaml.ScalarNode) and not is_null(node):
            self.error(
                node,
                f"skriv personen under deltog_ikke med navn:, fx '- navn: {node.value.strip()}'",
            )
            return None
        f = self.fields(node, KEYS["deltog_ikke"], "deltog_ikke")
        if f is None:
            return None
        person = self.ref(f["navn"], "navnet") if "navn" in f else None
        reason = self.opt_string(f, "årsag", "årsagen")
        if reason is not None and reason not in REASONS:
            self.error(
                f["årsag"],
                f"årsagen '{reason}' er ukendt; brug {one_of(REASONS)}{suggest(reason, REASONS)}",
            )
            reason = None
        return None if person is None else NonParticipation(person, reason)
