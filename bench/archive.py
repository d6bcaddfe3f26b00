"""A synthetic archive: years of meetings of a municipality, as a data project.

Deterministic (seeded) and in the real format (docs/format.md): about ten bodies (ØK, KB and
eight fagudvalg) meeting in cycles of about 18 days (none in July), people with dated
memberships and parties over several election terms (and a party change within a term), about
five new cases per meeting whose sagsgang runs fagudvalg → ØK → KB, so most cases are treated
at two or three meetings and carry a history. Past meetings are held (`status: afholdt`) and
decided; the last few are planned. Closed cases with a public decision, bilag (optionally with
small PDF files), votes by party with a dissent, afbud, inhabile members and postponed cases
occur now and then. A few closed cases hold a CPR-like number, as real ones do, so the CPR
guard has candidates to follow; open texts hold journal numbers tagged `!ikke-cpr`.

Held meetings' agendas are frozen records (contents only), and their minutes are approved at
the body's next meeting (KSL § 13), when that one was held too: approved on its date, frozen as
`dagsorden godkend` freezes them, and sealed in the meeting file (`godkendt:` with the
record's checksum). Each body's last held meeting waits for its approval, as in real life.

Beside the project, `arkiv.json` lists every meeting (body, date, held, cases), every case's
treatments and file, and a suggested meeting to build: the last held KB meeting, whose cases
came through a fagudvalg and ØK.

    python bench/archive.py OUT_DIR --moeder 1000 [--seed 2021] [--bilagsfiler]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmark import BULLETS, CLAUSES, TITLES, Words

__all__ = ["Archive", "generate", "main"]

FIRST_DAY = dt.date(2021, 1, 4)
TERM_YEARS = 4
FIRST_TERM = 2018  # municipal election terms: 2018-2021, 2022-2025, ...
PLANNED_AT_END = 6  # the last meetings are still to be held
CYCLE_DAYS = 365 / 20  # every body meets about 20 times a year

# (abbreviation, name, file-name slug, protokoltitel)
COMMITTEES = (
    ("BU", "Børne- og Ungdomsudvalget", "bu", "REFERAT"),
    ("KFU", "Kultur- og Fritidsudvalget", "kfu", "BESLUTNINGSPROTOKOL"),
    ("MTU", "Miljø- og Teknikudvalget", "mtu", "BESLUTNINGSPROTOKOL"),
    ("SOU", "Social- og Omsorgsudvalget", "sou", "REFERAT"),
    ("AU", "Arbejdsmarkedsudvalget", "au", "BESLUTNINGSPROTOKOL"),
    ("EU", "Erhvervs- og Udviklingsudvalget", "eu", "BESLUTNINGSREFERAT"),
    ("PU", "Planudvalget", "pu", "BESLUTNINGSPROTOKOL"),
    ("SUU", "Sundheds- og Ældreudvalget", "suu", "REFERAT"),
)
OEK = ("ØK", "Økonomiudvalget", "oek", "BESLUTNINGSPROTOKOL")
KB = ("KB", "Kommunalbestyrelsen", "kb", "BESLUTNINGSPROTOKOL")
BODIES = (*COMMITTEES, OEK, KB)
SECTIONS = (
    "Sagsfremstilling",
    "Sammenhæng til andre politikker/strategier og fagområder",
    "Økonomiske konsekvenser",
)
# Seats on the council per party: 27 members.
PARTIES = ("A",) * 9 + ("V",) * 5 + ("I",) * 3 + ("C", "C", "D", "D", "F", "F", "O", "Ø", "Ø", "B")
FIRST_NAMES = (
    "Anne", "Birgitte", "Camilla", "Dorte", "Eva", "Hanne", "Inge", "Jette", "Karina", "Lene",
    "Maja", "Mette", "Pia", "Rikke", "Susanne", "Tina", "Anders", "Bent", "Carsten", "Erik",
    "Frederik", "Henrik", "Jakob", "Jens", "Kenneth", "Lars", "Michael", "Niels", "Ole", "Peter",
    "Rasmus", "Søren", "Thomas", "Torben",
)  # fmt: skip
MIDDLE_NAMES = ("Holm", "Bach", "Lind", "Krog", "Toft", "Vinding", "Dyrholm", "Egholm", "Friis")
LAST_NAMES = (
    "Andersen", "Bertelsen", "Christensen", "Dahl", "Eriksen", "Frandsen", "Gregersen",
    "Hansen", "Iversen", "Jensen", "Kristensen", "Larsen", "Madsen", "Nielsen", "Olsen",
    "Pedersen", "Rasmussen", "Sørensen", "Thomsen", "Vestergaard", "Winther", "Østergaard",
)  # fmt: skip
PLACE = "Mødelokale 1, Rådhuset, Torvet 3, 8500 Grenaa"
CLOSED_TITLES = (
    "Salg af byggegrund, {street} {n}, {place}",
    "Personalesag: fratrædelse i {area}",
    "Erstatningssag efter skade på ejendom i {place}",
    "Køb af ejendom til udvidelse af {place} Skole",
)
FINAL_DECISIONS = ("Godkendt.", "Tiltrådt.", "Godkendt som indstillet.", "Taget til efterretning.")
MEETING_ITEMS = (
    "Orientering om status på rekrutteringen i {area}.",
    "Orientering om henvendelser fra borgere i {place}.",
    "Formanden orienterede om mødet i KKR Midtjylland.",
    "Orientering om tidsplanen for budgetlægningen.",
    "Orientering om et kommende borgermøde i {place}.",
)


@dataclass
class Membership:
    body: str
    party: str
    start: dt.date
    end: dt.date
    role: str | None = None


@dataclass
class Person:
    name: str
    memberships: list[Membership] = field(default_factory=list)


@dataclass
class Slot:
    """One meeting in the schedule."""

    name: str
    body: str
    date: dt.date
    held: bool
    items: list[Item] = field(default_factory=list)
    written: int = 0  # items in the file, plain items included


@dataclass
class Treatment:
    slot: Slot
    postponed: bool = False


@dataclass
class Case:
    number: str
    title: str
    public_title: str | None
    closed: bool
    route: list[str]
    treatments: list[Treatment] = field(default_factory=list)
    text: str = ""  # the file content, written last


@dataclass
class Item:
    case: Case | None
    treatment: Treatment | None
    title: str = ""


@dataclass
class Archive:
    root: Path
    meetings: list[Slot]
    cases: list[Case]
    one: str  # the last held KB meeting: a late meeting with history
    yaml_bytes: int


def schedule(count: int) -> list[Slot]:
    """The first `count` meetings: in each cycle the fagudvalg (Monday to Thursday), ØK the
    Tuesday after and KB that Thursday. Cycles start about every 18 days, none in July."""
    slots: list[Slot] = []
    cycle = 0
    while len(slots) < count:
        start = FIRST_DAY + dt.timedelta(days=round(cycle * CYCLE_DAYS))
        start += dt.timedelta(days=(7 - start.weekday()) % 7)  # the Monday on or after
        cycle += 1
        if start.month == 7:
            continue
        days = [start + dt.timedelta(days=i // 2) for i in range(len(COMMITTEES))]
        days += [start + dt.timedelta(days=8), start + dt.timedelta(days=10)]
        for (abbr, _, slug, _), day in zip(BODIES, days, strict=True):
            slots.append(Slot(f"{day.isoformat()}-{slug}", abbr, day, held=True))
    slots = sorted(slots[:count], key=lambda s: (s.date, s.name))
    for slot in slots[max(0, count - PLANNED_AT_END) :]:
        slot.held = False
    return slots


class Generator:
    def __init__(self, count: int, seed: int) -> None:
        self.rng = random.Random(seed * 7_919 + count)
        self.words = Words(self.rng)
        self.slots = schedule(count)
        self.position = {s.name: i for i, s in enumerate(self.slots)}
        self.people: dict[str, Person] = {}
        self.cases: list[Case] = []
        self.case_serial: dict[int, int] = {}
        self.bilag_id = 3_100_000
        self.make_people()

    # -- organisation ----------------------------------------------------------------------

    def new_name(self) -> str:
        while True:
            first = self.rng.choice(FIRST_NAMES)
            middle = self.rng.choice(MIDDLE_NAMES) + " " if self.rng.random() < 0.5 else ""
            name = f"{first} {middle}{self.rng.choice(LAST_NAMES)}"
            if name not in self.people:
                return name

    def make_people(self) -> None:
        last = self.slots[-1].date if self.slots else FIRST_DAY
        council: list[tuple[str, str]] = []  # (name, party) of the term before
        year = FIRST_TERM
        while year <= last.year:
            start, end = dt.date(year, 1, 1), dt.date(year + TERM_YEARS - 1, 12, 31)
            members: list[tuple[str, str]] = []
            for party in PARTIES:
                again = [m for m in council if m[1] == party and m not in members]
                if again and self.rng.random() < 0.6:
                    members.append(again[0])
                    council.remove(again[0])
                else:
                    name = self.new_name()
                    self.people[name] = Person(name)
                    members.append((name, party))
            self.seat_term(members, start, end)
            council = members
            year += TERM_YEARS

    def seat_term(self, members: list[tuple[str, str]], start: dt.date, end: dt.date) -> None:
        rng = self.rng
        seats: dict[str, list[tuple[str, str | None]]] = {b[0]: [] for b in BODIES}
        seats["KB"] = [(n, "Formand" if i == 0 else None) for i, (n, _) in enumerate(members)]
        seats["ØK"] = [(members[0][0], "Formand")] + [(n, None) for n, _ in members[1:9]]
        order = [n for n, _ in members]
        rng.shuffle(order)
        for i, (abbr, *_) in enumerate(COMMITTEES):
            chosen = [order[(i * 7 + k) % len(order)] for k in range(7)]
            seats[abbr] = [
                (n, "Formand" if k == 0 else "Næstformand" if k == 1 else None)
                for k, n in enumerate(chosen)
            ]
        party = dict(members)
        # One member leaves the party halfway through the term and sits on as a løsgænger.
        switcher = members[rng.randrange(9, len(members))][0]
        switch = start + dt.timedelta(days=rng.randint(300, 1000))
        for body, seated in seats.items():
            for name, role in seated:
                person = self.people[name]
                if name == switcher:
                    person.memberships.append(
                        Membership(body, party[name], start, switch - dt.timedelta(days=1), role)
                    )
                    person.memberships.append(Membership(body, "UFG", switch, end, role))
                else:
                    person.memberships.append(Membership(body, party[name], start, end, role))

    def members(self, body: str, day: dt.date) -> list[tuple[str, str]]:
        return [
            (p.name, m.party)
            for p in self.people.values()
            for m in p.memberships
            if m.body == body and m.start <= day <= m.end
        ]

    # -- cases and their way through the bodies --------------------------------------------

    def next_slot(self, body: str, after: Slot) -> Slot | None:
        index = self.position[after.name]
        return next((s for s in self.slots[index + 1 :] if s.body == body), None)

    def new_case(self, slot: Slot) -> Case:
        rng = self.rng
        yy = slot.date.year % 100
        serial = self.case_serial.get(yy, rng.randint(100, 900)) + rng.randint(1, 25)
        self.case_serial[yy] = serial
        closed = rng.random() < 0.06
        if closed:
            title = self.words.fill(rng.choice(CLOSED_TITLES))
            public_title = title.split(",")[0].split(":")[0] if rng.random() < 0.5 else None
        else:
            title, public_title = self.words.fill(rng.choice(TITLES)), None
        if slot.body == "KB":
            route = ["KB"]
        elif slot.body == "ØK":
            route = ["ØK", "KB"] if rng.random() < 0.8 else ["ØK"]
        else:
            draw = rng.random()
            route = (
                [slot.body] if draw < 0.15 else [slot.body, "ØK"] if draw < 0.25 else
                [slot.body, "ØK", "KB"]
            )  # fmt: skip
        case = Case(f"{yy}/{serial}", title, public_title, closed, route)
        self.plan(case, slot)
        self.cases.append(case)
        return case

    def plan(self, case: Case, slot: Slot) -> None:
        """Put the case on its meetings along the sagsgang, as `videresend` would.

        A decided case always reaches the next body's next meeting; when the archive ends
        before that meeting, the case's sagsgang ends where it was decided.
        """
        step = 0
        current: Slot | None = slot
        while current is not None:
            postpone = False
            if current.held and self.rng.random() < 0.04:
                again = self.next_slot(current.body, current)
                postpone = again is not None
            treatment = Treatment(current, postponed=postpone)
            case.treatments.append(treatment)
            current.items.append(Item(case, treatment))
            if not current.held:
                return
            if postpone:
                current = self.next_slot(current.body, current)
                continue
            step += 1
            if step == len(case.route):
                return
            following = self.next_slot(case.route[step], current)
            if following is None:
                del case.route[step:]
            current = following

    # -- writing ---------------------------------------------------------------------------

    def organisation(self) -> str:
        out = ["# A synthetic municipality made by bench/archive.py.", "kommune: Arkiv Kommune"]
        out += ["standardafsnit:", *(f"  - {s}" for s in SECTIONS), "udvalg:"]
        for abbr, name, _, title in BODIES:
            out += [f"  {abbr}:", f"    navn: {name}", f"    protokoltitel: {title}"]
        out.append("personer:")
        for person in self.people.values():
            out.append(f"  {person.name}:")
            for m in person.memberships:
                out += [f"    - udvalg: {m.body}", f"      parti: {m.party}"]
                if m.role:
                    out.append(f"      rolle: {m.role}")
                out += [f"      fra: {m.start.isoformat()}", f"      til: {m.end.isoformat()}"]
        return "\n".join(out) + "\n"

    def case_text(self, case: Case, files: bool) -> str:
        rng, words = self.rng, self.words
        first = case.treatments[0].slot
        lines = [f"sagsnr: {case.number}"]
        if rng.random() < 0.7:
            lines.append(
                f"kle: {rng.randint(0, 85):02d}.{rng.randint(0, 20):02d}.00P{rng.randint(10, 35)}"
            )
        lines.append(f"titel: {_scalar(case.title)}")
        if case.closed:
            lines.append("adgang: Lukket")
            if case.public_title:
                lines += ["titel_følsom: ja", f"offentlig_titel: {_scalar(case.public_title)}"]
        else:
            lines.append("adgang: Åben")
        lines.append(f"sagsgang: [{', '.join(case.route)}]")
        paragraphs = [words.paragraph(rng.randint(3, 6)) for _ in range(rng.randint(3, 5))]
        if rng.random() < 0.5:
            bullets = [words.fill(b) for b in rng.sample(BULLETS, rng.randint(3, 5))]
            listed = "\n".join(f"- {b}" for b in bullets)
            paragraphs.insert(1, f"Indsatsen omfatter blandt andet:\n{listed}")
        if case.closed and rng.random() < 0.3:
            # A personal number in a closed case: never public, so never an error.
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20_000))
            paragraphs.append(
                f"Ansøgeren (CPR {born:%d%m%y}-{rng.randint(1000, 9999)}) har givet samtykke."
            )
        body = "\n\n".join(paragraphs)
        lines += ["afsnit:", f"  {SECTIONS[0]}: {_block(body, 4)}"]
        if rng.random() < 0.4:
            lines.append(f"  {SECTIONS[1]}: {_block(words.paragraph(2), 4)}")
        if rng.random() < 0.1:
            day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(0, 99)
            journal = f"{day:02d}{month:02d}{year:02d}-{rng.randint(1000, 9999)}"
            lines.append(f"  {SECTIONS[2]}: !ikke-cpr Aftale nr. {journal}; {words.paragraph(1)}")
        else:
            economy = "Ingen." if rng.random() < 0.4 else words.paragraph(2)
            lines.append(f"  {SECTIONS[2]}: {_value(economy, 4)}")
        clause = self.clause()
        lines.append(f"indstilling: {_block(f'Direktøren indstiller, at {clause}.', 2)}")
        bilag = []
        for _ in range(rng.choice((0, 0, 1, 1, 2, 2, 3))):
            self.bilag_id += rng.randint(1, 400)
            entry = [
                f"  - id: {self.bilag_id}",
                f"    titel: {_scalar(words.fill(rng.choice(TITLES)))}",
                f"    dokumentnr: {rng.randint(1000, 199_999)}/{first.date.year % 100:02d}",
            ]
            if rng.random() < 0.1:
                entry.append("    adgang: Lukket")
            held = [t.slot for t in case.treatments[1:] if t.slot.held]
            if held and rng.random() < 0.3:
                entry.append(f"    tilføjet: {held[0].name}")
            if files:
                entry.append(f"    fil: bilag/{self.bilag_id}.pdf")
            bilag += entry
        if bilag:
            lines += ["bilag:", *bilag]
        return "\n".join(lines) + "\n"

    def meeting_text(self, slot: Slot) -> str:
        rng = self.rng
        members = self.members(slot.body, slot.date)
        lines = [f"udvalg: {slot.body}", f"dato: {slot.date.isoformat()}"]
        lines += ["start: 14:00" if slot.body != "KB" else "start: 18:00"]
        lines += ["slut: 17:00" if slot.body != "KB" else "slut: 21:30", f"sted: {PLACE}"]
        if slot.held:
            lines.append("status: afholdt")
        absent: list[str] = []
        if rng.random() < 0.35:
            absent = [n for n, _ in rng.sample(members, rng.randint(1, 2))]
            lines += ["afbud:", *(f"  - {n}" for n in absent)]
        open_items = [i for i in slot.items if i.case is not None and not i.case.closed]
        closed_items = [i for i in slot.items if i.case is not None and i.case.closed]
        plain = [Item(None, None, "Meddelelser")]
        if slot.body in {c[0] for c in COMMITTEES} and rng.random() < 0.3:
            plain.insert(0, Item(None, None, "Arbejdsplan"))
        lines.append("punkter:")
        present = [(n, p) for n, p in members if n not in absent]
        slot.written = len(open_items) + len(plain) + len(closed_items)
        for item in [*open_items, *plain, *closed_items]:
            lines += self.item_lines(slot, item, present)
        return "\n".join(lines) + "\n"

    def item_lines(self, slot: Slot, item: Item, present: list[tuple[str, str]]) -> list[str]:
        rng, words = self.rng, self.words
        case, treatment = item.case, item.treatment
        if case is None:
            text = "\n".join(
                f"- {words.fill(rng.choice(MEETING_ITEMS))}" for _ in range(rng.randint(1, 3))
            )
            lines = [f"  - titel: {item.title}", f"    tekst: {_block(text, 6)}"]
            if slot.held:
                lines.append("    beslutning: Taget til efterretning.")
            return lines
        assert treatment is not None
        lines = [f"  - sag: {case.number}"]
        position = case.treatments.index(treatment)
        if position > 0 and rng.random() < 0.3:
            own = f"Direktionen indstiller, at {self.clause()}."
            lines.append(f"    indstilling: {_block(own, 6)}")
        if not slot.held:
            return lines
        remaining = case.route[case.route.index(slot.body) + 1 :]
        if treatment.postponed:
            decision = "Udsat."
        elif remaining:
            names = " og ".join(dict(b[:2] for b in BODIES)[r] for r in remaining)
            decision = rng.choice(("Anbefales over for " + names + ".", "Tiltrådt."))
        else:
            decision = rng.choice(FINAL_DECISIONS)
        if rng.random() < 0.2:
            decision += "\n\n" + words.paragraph(rng.randint(1, 2))
        lines.append(f"    beslutning: {_value(decision, 6)}")
        if case.closed and rng.random() < 0.5:
            lines.append("    offentlig_beslutning: Godkendt.")
        taking_part = present
        if rng.random() < 0.03 and len(present) > 3:
            who = rng.choice(present)
            lines += ["    deltog_ikke:", f"      - navn: {who[0]}", "        årsag: inhabil"]
            taking_part = [p for p in present if p != who]
        if slot.body in ("ØK", "KB") and not case.closed and rng.random() < 0.08:
            lines += self.vote(taking_part)
        return lines

    def clause(self) -> str:
        return self.words.fill(self.rng.choice(CLAUSES)).removesuffix(".")

    def vote(self, present: list[tuple[str, str]]) -> list[str]:
        """A vote by party, the largest parties for, one or two against, the rest abstaining;
        sometimes a dissent from one against."""
        count: dict[str, int] = {}
        for _, party in present:
            count[party] = count.get(party, 0) + 1
        parties = sorted(count, key=lambda p: (-count[p], p))
        if len(parties) < 3:
            return []
        split = max(1, len(parties) // 2)
        against = parties[split:][: self.rng.randint(1, 2)]
        for_, against_count = parties[:split], sum(count[p] for p in against)
        if sum(count[p] for p in for_) <= against_count:
            return []
        lines = [
            "    afstemning:",
            f"      for: [{', '.join(for_)}]",
            f"      imod: [{', '.join(against)}]",
        ]
        # Every party present votes: the rest abstain, so the votes add up to who took part.
        abstained = [p for p in parties if p not in for_ and p not in against]
        if abstained:
            lines.append(f"      undlod: [{', '.join(abstained)}]")
        if self.rng.random() < 0.4:
            name, party = next((n, p) for n, p in present if p == against[0])
            lines += [
                "    protokolbemærkninger:",
                f"      - navn: {name}",
                f"        tekst: {name} ({party}) ønskede sin afvigende mening tilført"
                " protokollen.",
            ]
        return lines


_PLAIN = re.compile(r"[A-Za-z0-9ÆØÅæøåé][^:#\n\"'\[\]{}]*")


def _scalar(value: str) -> str:
    if _PLAIN.fullmatch(value) and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def _value(value: str, indent: int) -> str:
    """One line as a scalar, more as a literal block."""
    return _block(value, indent) if "\n" in value or len(value) > 80 else _scalar(value)


def _block(value: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def generate(root: Path, count: int, *, seed: int = 2021, files: bool = False) -> Archive:
    """Write a data project of `count` meetings to `root` (replacing what was there)."""
    gen = Generator(count, seed)
    for slot in gen.slots:  # cases begin at every meeting, in date order
        new = {"ØK": gen.rng.randint(1, 3), "KB": 1}.get(slot.body) or gen.rng.randint(5, 7)
        for _ in range(new):
            gen.new_case(slot)
    shutil.rmtree(root, ignore_errors=True)
    (root / "cases").mkdir(parents=True)
    (root / "agenda").mkdir()
    (root / "organisation.yaml").write_text(gen.organisation(), encoding="utf-8")
    pdf = _pdf() if files else b""
    if files:
        (root / "bilag").mkdir()
    for case in gen.cases:
        text = gen.case_text(case, files)
        path = root / "cases" / f"{case.number.replace('/', '-')}.yaml"
        path.write_text(text, encoding="utf-8")
        for system_id in re.findall(r"fil: bilag/(\d+)\.pdf", text):
            (root / "bilag" / f"{system_id}.pdf").write_bytes(pdf)
    for slot in gen.slots:
        (root / "agenda" / f"{slot.name}.yaml").write_text(gen.meeting_text(slot), encoding="utf-8")
    # Held meetings were sent and held: their agendas are frozen records (contents only; the
    # Word files of five years would only make the generator slow).
    from dagsorden.freeze import freeze_all

    freeze_all(root, files=False)
    _approve(root, gen.slots)
    held_kb = [s for s in gen.slots if s.body == "KB" and s.held]
    one = (held_kb or [s for s in gen.slots if s.held] or gen.slots)[-1].name
    archive = Archive(
        root, gen.slots, gen.cases, one, sum(p.stat().st_size for p in root.rglob("*.yaml"))
    )
    (root / "arkiv.json").write_text(json.dumps(manifest(archive), ensure_ascii=False, indent=1))
    return archive


def _approve(root: Path, slots: list[Slot]) -> None:
    """Approve every held meeting's minutes at the body's next held meeting (see the module)."""
    from dagsorden.context import case_history
    from dagsorden.freeze import freeze
    from dagsorden.load import load_project

    project, _ = load_project(root)
    history = case_history(project)
    later: dict[str, Slot] = {}
    for slot in sorted(slots, key=lambda s: s.date, reverse=True):
        nxt = later.get(slot.body)
        later[slot.body] = slot
        if not (slot.held and nxt is not None and nxt.held):
            continue
        meeting = project.meetings[slot.name]
        seal = freeze(root, project, meeting, "godkendt", on=nxt.date, files=False, history=history)
        path = root / "agenda" / f"{slot.name}.yaml"
        sealed = (
            f"status: godkendt\ngodkendt:\n  dato: {nxt.date.isoformat()}\n  kontrolsum: {seal}\n"
        )
        path.write_text(
            path.read_text(encoding="utf-8").replace("status: afholdt\n", sealed, 1),
            encoding="utf-8",
        )


def manifest(archive: Archive) -> dict[str, object]:
    return {
        "one": archive.one,
        "yaml_bytes": archive.yaml_bytes,
        "meetings": {
            s.name: {
                "body": s.body,
                "date": s.date.isoformat(),
                "held": s.held,
                "items": s.written,
                "cases": [i.case.number for i in s.items if i.case is not None],
            }
            for s in archive.meetings
        },
        "cases": {
            c.number: {
                "file": f"cases/{c.number.replace('/', '-')}.yaml",
                "meetings": [t.slot.name for t in c.treatments],
            }
            for c in archive.cases
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    parser.add_argument("--moeder", type=int, default=1000, help="number of meetings")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--bilagsfiler", action="store_true", help="a small PDF per bilag")
    args = parser.parse_args(argv)
    archive = generate(args.out, args.moeder, seed=args.seed, files=args.bilagsfiler)
    items = sum(s.written for s in archive.meetings)
    print(
        f"{len(archive.meetings)} møder, {len(archive.cases)} sager, {items} punkter,"
        f" {archive.yaml_bytes / 1e6:.1f} MB YAML i {archive.root}; seneste KB-møde: {archive.one}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
