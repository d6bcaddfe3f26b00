"""Speed benchmark: `dagsorden byg` beside pandoc on synthetic meetings of N items.

For each size N a synthetic data project is generated (the example organisation, N cases, one
meeting of Økonomiudvalget with N items, each decided, and an earlier meeting that gives some
cases a history), together with the same content as one Markdown file. Then, interleaved and
`--repeat` times each, fresh processes are timed:

* `dagsorden byg <møde> --projekt P --ud O`: the whole command; renders 2 documents
  (dagsorden and beslutningsprotokol);
* the same pipeline for 1 document (the minutes, a superset of the agenda's content): imports
  `dagsorden.cli` like the command, then load, check, context, render, save of one document;
* in-process: `import dagsorden.cli` once, then `dagsorden.build.build(...)` three times, to
  separate interpreter start-up and import cost from the work;
* `pandoc in.md -o out.docx --reference-doc ref.docx --toc`.

Wall time is measured around each child process; peak RSS comes from the child's own rusage
(`os.wait4`, the per-child equivalent of `getrusage(RUSAGE_CHILDREN)` in a wrapper). The Python
children cache their bytecode under the workdir (see `child_env`). The report is Markdown on
stdout. `--profile` adds, per size, the inclusive time of the main functions of one build(), and
at the largest size `python -X importtime` and a cProfile of one build. Speed is measured here,
never asserted in unit tests. Results: docs/performance.md.

    .venv/bin/python bench/benchmark.py [--sizes 60 300] [--repeat 5] [--profile]
    .venv/bin/python bench/benchmark.py --quick     # N=10, one run: does it still run?
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MEETING = "2023-03-07-oek"
EARLIER = "2023-02-07-oek"
ONWARD = "2023-03-30-kb"  # the cases' next body in their sagsgang, so none of them stalls
MEETING_DATE = dt.date(2023, 3, 7)
EARLIER_DATE = dt.date(2023, 2, 7)
BODY = "ØK"
BODY_NAME = "Økonomiudvalget"

# --------------------------------------------------------------------------------------------
# Synthetic Danish text
# --------------------------------------------------------------------------------------------

PLACES = (
    "Grenaa",
    "Auning",
    "Ørsted",
    "Allingåbro",
    "Glesborg",
    "Bønnerup",
    "Trustrup",
    "Ørum",
    "Vivild",
    "Gjerrild",
    "Fjellerup",
    "Hemmed",
    "Anholt",
    "Voer",
    "Vestervang",
)
STREETS = ("Kastanievej", "Søndervangen", "Engvej", "Bøgevej", "Skovgårdsvej", "Møllevej")
TITLES = (
    "Budgetopfølgning pr. 31. januar 2023 for {area}",
    "Anlægsbevilling til renovering af {place} Skole",
    "Salg af byggegrund, {street} {n}, {place}",
    "Endelig vedtagelse af lokalplan {n}-7{m:02d}, boligområde i {place}",
    "Tillægsbevilling til {area}",
    "Takster for {service} 2024",
    "Høring om kollektiv trafik mellem {place} og {place2}",
    "Frigivelse af rådighedsbeløb til cykelsti ved {place}",
    "Status på klimatilpasning ved kysten i {place}",
    "Ansøgning om kommunegaranti, {place} Varmeværk",
    "Udbud af rengøring på de kommunale ejendomme i {place}",
    "Evaluering af forsøg med åbne biblioteker i {place}",
)
AREAS = (
    "ældreområdet",
    "det specialiserede socialområde",
    "dagtilbudsområdet",
    "vejområdet",
    "skoleområdet",
    "beskæftigelsesområdet",
    "kultur- og fritidsområdet",
)
SERVICES = ("dagtilbud", "madservice", "affaldshåndtering", "vinterberedskab", "svømmehallen")
SUBJECTS = (
    "Forvaltningen",
    "Direktionen",
    "Styregruppen",
    "Økonomiafdelingen",
    "Teknik og Miljø",
    "Arbejdsgruppen",
    "Administrationen",
    "Kommunens revisor",
)
VERBS = (
    "vurderer, at",
    "bemærker, at",
    "foreslår, at",
    "oplyser, at",
    "har konstateret, at",
    "anbefaler, at",
    "forventer, at",
)
CLAUSES = (
    "udgifterne til el og varme i de kommunale bygninger er steget med {p} procent",
    "der er behov for en yderligere indsats på {area}",
    "projektet kan gennemføres inden for den afsatte ramme på {m},{p} mio. kr.",
    "høringssvarene fra lokalrådene i {place} og {place2} giver anledning til mindre ændringer",
    "tidsplanen for udbuddet forskydes til efteråret 2023",
    "børnetallet i skoledistrikterne omkring {place} falder frem mod 2030",
    "søgningen til dagtilbuddene i {place} er større end forventet",
    "vedligeholdelsesefterslæbet på vejene udgør omkring {m} mio. kr.",
    "samarbejdet med de frivillige foreninger i {place} bør styrkes",
    "kystbeskyttelsen ved {place} skal prioriteres i de kommende år",
    "mindreforbruget på {area} skyldes tidsforskydninger i en række projekter",
    "borgerne i {place} har udtrykt ønske om bedre busforbindelser til {place2}",
    "der er afsat {m} mio. kr. i budget 2023-2026 til formålet",
    "de forventede merudgifter kan finansieres af kassebeholdningen",
    "rekrutteringen af social- og sundhedspersonale fortsat er en væsentlig udfordring",
    "beslutningen får betydning for de grønne områder og biodiversiteten i {place}",
)
OPENERS = (
    "Det betyder blandt andet, at",
    "Samtidig gælder det, at",
    "På den baggrund forventes det, at",
    "Det skal i den forbindelse nævnes, at",
    "Endelig er det værd at bemærke, at",
    "Erfaringerne fra de seneste år viser, at",
)
BULLETS = (
    "udskiftning af oliefyr og naturgasfyr i kommunale bygninger med varmepumper",
    "energirenovering af Rådhuset og to skoler",
    "kortlægning af arealer til solceller og vindmøller",
    "etablering af et fælles grønt areal med regnvandsbassin",
    "bedre skiltning og belysning ved stoppestederne i {place}",
    "**forlænget åbningstid** i borgerservice i {place}",
    "*Næse for vand*: klimatilpasning langs vandløbene",
    "opfølgning på trivselsmålingen blandt medarbejderne",
    "øget samarbejde med erhvervslivet om praktikpladser",
    "en ny aftale om vintertjeneste på de mindre veje",
    "udvidelse af hjemmeplejens ruter i {place} og {place2}",
    "digital selvbetjening til ansøgning om byggetilladelse",
)
DECISIONS = (
    "Tiltrådt.",
    "Godkendt.",
    "Anbefales over for Kommunalbestyrelsen.",
    "Taget til efterretning.",
)
REASONS = ("inhabil", "forlod mødet", "ankom senere")
WEEKDAYS = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class Member:
    name: str
    label: str  # 'Jens Meilvang (I)', as the documents show the person
    rank: int


@dataclass
class SynthCase:
    number: str
    kle: str
    title: str
    sagsfremstilling: str  # the dagsorden Markdown subset: paragraphs and '- ' bullets
    economy: str
    recommendation: str
    # id, title, doc number, and whether it was added at this meeting ('tilføjet'); the
    # others belong to the case from its first treatment, so they are (H) when it has history
    attachments: list[tuple[str, str, str, bool]]
    decision: str
    non_participant: Member
    reason: str
    earlier_decision: str | None = None


class Words:
    """Deterministic Danish filler built from the pools above."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(self, pattern: str) -> str:
        place, place2 = self.rng.sample(PLACES, 2)
        return pattern.format(
            place=place,
            place2=place2,
            area=self.rng.choice(AREAS),
            service=self.rng.choice(SERVICES),
            street=self.rng.choice(STREETS),
            n=self.rng.randint(2, 140),
            m=self.rng.randint(1, 60),
            p=self.rng.randint(2, 9),
        )

    def sentence(self, first: bool) -> str:
        clause = self.fill(self.rng.choice(CLAUSES)).removesuffix(".")
        if first or self.rng.random() < 0.5:
            lead = f"{self.rng.choice(SUBJECTS)} {self.rng.choice(VERBS)}"
        else:
            lead = self.rng.choice(OPENERS)
        return f"{lead} {clause}."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence(i == 0) for i in range(sentences))


def make_case(index: int, words: Words, members: Sequence[Member], absent: Member) -> SynthCase:
    rng = words.rng
    paragraphs = [words.paragraph(rng.randint(3, 4)) for _ in range(3)]
    bullets = [words.fill(b) for b in rng.sample(BULLETS, rng.randint(3, 5))]
    body = [
        *paragraphs[:2],
        "Indsatsen omfatter blandt andet:\n" + "\n".join(f"- {b}" for b in bullets),
        paragraphs[2],
    ]
    if rng.random() < 0.5:
        recommendation = (
            "Kommunaldirektøren indstiller,\n"
            f"- at {_lower_first(words.fill(rng.choice(TITLES)))} godkendes\n"
            "- at udgiften finansieres af kassebeholdningen."
        )
    else:
        clause = words.fill(rng.choice(CLAUSES)).removesuffix(".")
        recommendation = (
            f"Kommunaldirektøren indstiller, at {clause}, "
            "og at sagen sendes videre til Kommunalbestyrelsen."
        )
    history = index % 4 == 0
    count = rng.randint(2, 3)
    attachments = [
        (
            str(3_400_000 + index * 10 + k),
            words.fill(rng.choice(TITLES)),
            f"{rng.randint(10_000, 199_999)}/23",
            history and k == count - 1,
        )
        for k in range(count)
    ]
    decision = rng.choice(DECISIONS)
    if rng.random() < 0.3:
        other = rng.choice([m for m in members if m != absent])
        decision += f"\n\n{other.label} tog forbehold frem til behandlingen i Kommunalbestyrelsen."
    candidates = [m for m in members if m != absent]
    group, subject, task = rng.randint(0, 85), rng.randint(0, 20), rng.randint(0, 20)
    kle = f"{group:02d}.{subject:02d}.{task:02d}P{rng.randint(10, 35)}"
    return SynthCase(
        number=f"23/{1000 + index}",
        kle=kle,
        title=words.fill(rng.choice(TITLES)),
        sagsfremstilling="\n\n".join(body),
        economy=words.paragraph(2),
        recommendation=recommendation,
        attachments=attachments,
        decision=decision,
        non_participant=rng.choice(candidates),
        reason=rng.choice(REASONS),
        earlier_decision=(
            "Udsat. Sagen sendes tilbage til forvaltningen med henblik på yderligere belysning."
            if history
            else None
        ),
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def members_of(organisation: Path, body: str) -> list[Member]:
    """The body's members in document order (Formand, Næstformand, then file order)."""
    data = yaml.safe_load(organisation.read_text(encoding="utf-8"))
    found: list[Member] = []
    for name, memberships in data["personer"].items():
        for ms in memberships:
            if ms["udvalg"] != body:
                continue
            parts = [ms.get("parti") or ms.get("organisation"), ms.get("stilling"), ms.get("rolle")]
            label = " ".join([name, *(f"({p})" for p in parts if p)])
            role = ms.get("rolle")
            rank = (
                ("Formand", "Næstformand").index(role) if role in ("Formand", "Næstformand") else 2
            )
            found.append(Member(name, label, rank * 1000 + len(found)))
    return sorted(found, key=lambda m: m.rank)


# --------------------------------------------------------------------------------------------
# Writing the data project and the Markdown
# --------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9ÆØÅæøåé][^:#\n\"'\[\]{}]*")


def _scalar(value: str) -> str:
    return (
        value
        if _PLAIN.fullmatch(value) and not value.endswith(" ")
        else json.dumps(value, ensure_ascii=False)
    )


def _block(value: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in value.split("\n")) + "\n"


def write_case(path: Path, case: SynthCase) -> None:
    lines = [
        f"sagsnr: {case.number}",
        f"kle: {case.kle}",
        f"titel: {_scalar(case.title)}",
        "adgang: Åben",
        "sagsgang: [ØK, KB]",
        "afsnit:",
    ]
    text = "\n".join(lines) + "\n"
    text += f"  Sagsfremstilling: {_block(case.sagsfremstilling, 4)}"
    text += f"  Økonomiske konsekvenser: {_block(case.economy, 4)}"
    text += f"indstilling: {_block(case.recommendation, 2)}"
    text += "bilag:\n"
    for system_id, title, doc_number, added_here in case.attachments:
        text += f"  - id: {system_id}\n    titel: {_scalar(title)}\n    dokumentnr: {doc_number}\n"
        if added_here:
            text += f"    tilføjet: {MEETING}\n"
    path.write_text(text, encoding="utf-8")


def write_meeting(
    path: Path, date: dt.date, absent: Sequence[Member], items: Sequence[tuple[SynthCase, bool]]
) -> None:
    """items: (case, earlier) pairs; `earlier` writes the earlier meeting's short decision."""
    text = (
        f"udvalg: {BODY}\ndato: {date.isoformat()}\nstart: 14:00\nslut: 18:00\n"
        "sted: Mødelokale 1, Rådhuset, Torvet 3, 8500 Grenaa\n"
    )
    if absent:
        text += "afbud:\n" + "".join(f"  - {m.name}\n" for m in absent)
    text += "punkter:\n"
    for case, earlier in items:
        text += f"  - sag: {case.number}\n"
        if earlier:
            assert case.earlier_decision is not None
            text += f"    beslutning: {_scalar(case.earlier_decision)}\n"
            continue
        text += f"    beslutning: {_block(case.decision, 6)}"
        text += (
            f"    deltog_ikke:\n      - navn: {case.non_participant.name}\n"
            f"        årsag: {case.reason}\n"
        )
    path.write_text(text, encoding="utf-8")


def write_onward(path: Path, cases: Sequence[SynthCase]) -> None:
    """The Kommunalbestyrelse meeting the decided cases go on to, planned, as `videresend`
    would leave it; without it every case's sagsgang would stall (a warning each)."""
    text = (
        "udvalg: KB\ndato: 2023-03-30\nstart: 18:00\n"
        "sted: Byrådssalen, Rådhuset, Torvet 3, 8500 Grenaa\npunkter:\n"
    )
    path.write_text(text + "".join(f"  - sag: {c.number}\n" for c in cases), encoding="utf-8")


def long_date(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} den {day.day}. {MONTHS[day.month - 1]} {day.year}"


def markdown(
    cases: Sequence[SynthCase], members: Sequence[Member], absent: Sequence[Member]
) -> str:
    """The minutes' content as pandoc Markdown: front page, then one '#' section per item."""
    out = [
        BODY_NAME,
        "BESLUTNINGSPROTOKOL",
        "Sted: Mødelokale 1, Rådhuset, Torvet 3, 8500 Grenaa",
        f"Dato: {long_date(MEETING_DATE)}",
        "Start kl.: 14:00",
        "Slut kl.: 18:00",
        "Medlemmer:",
        *(m.label for m in members),
        "Fraværende:",
        *(m.label for m in absent),
    ]

    def decision(date: dt.date, text: str, extra: Sequence[str]) -> None:
        out.extend([f"## Beslutning i {BODY_NAME} den {date:%d-%m-%Y}", text, *extra])

    for number, case in enumerate(cases, start=1):
        out += [
            f"# {number}. {case.title}",
            f"{case.kle} {case.number} Åben Sag",
            "## Sagsgang",
            "ØK, KB",
            "## Sagsfremstilling",
            case.sagsfremstilling,
            "## Økonomiske konsekvenser",
            case.economy,
            "## Indstilling",
            case.recommendation.replace(",\n- ", ",\n\n- "),
        ]
        if case.earlier_decision:
            decision(EARLIER_DATE, case.earlier_decision, [])
        decision(
            MEETING_DATE,
            case.decision,
            [
                f"{case.non_participant.label} deltog ikke under behandling af punktet.",
                "Afbud:",
                *(m.label for m in absent),
            ],
        )
        out.append("Bilag:")
        out += [
            f"{n} - {sid} Åben {title} ({doc})"
            + (" (H)" if case.earlier_decision and not added_here else "")
            for n, (sid, title, doc, added_here) in enumerate(case.attachments, start=1)
        ]
    # Markdown wants a blank line before a list; dagsorden's subset does not.
    return "\n\n".join(out).replace(":\n- ", ":\n\n- ") + "\n"


@dataclass
class Fixture:
    size: int
    root: Path
    markdown: Path
    yaml_bytes: int


def generate(size: int, workdir: Path, seed: int) -> Fixture:
    rng = random.Random(seed * 1_000_003 + size)
    words = Words(rng)
    base = workdir / f"n{size}"
    shutil.rmtree(base, ignore_errors=True)
    root = base / "projekt"
    (root / "cases").mkdir(parents=True)
    (root / "agenda").mkdir()
    shutil.copyfile(REPO / "organisation.yaml", root / "organisation.yaml")
    members = members_of(root / "organisation.yaml", BODY)
    absent = [members[-1]]
    cases = [make_case(i, words, members, absent[0]) for i in range(size)]
    for case in cases:
        write_case(root / "cases" / f"{case.number.replace('/', '-')}.yaml", case)
    write_meeting(
        root / "agenda" / f"{EARLIER}.yaml",
        EARLIER_DATE,
        [],
        [(c, True) for c in cases if c.earlier_decision],
    )
    write_meeting(
        root / "agenda" / f"{MEETING}.yaml", MEETING_DATE, absent, [(c, False) for c in cases]
    )
    write_onward(root / "agenda" / f"{ONWARD}.yaml", cases)
    md = base / "indhold.md"
    md.write_text(markdown(cases, members, absent), encoding="utf-8")
    yaml_bytes = sum(p.stat().st_size for p in root.rglob("*.yaml"))
    return Fixture(size, root, md, yaml_bytes)


# A build writes the agenda and the minutes, each in an internal and a public edition.
DOCS = 4

# --------------------------------------------------------------------------------------------
# Child processes
# --------------------------------------------------------------------------------------------

ONE_DOCUMENT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import dagsorden.cli  # the command's imports
    from dagsorden._outputs import output_path
    from dagsorden.build import check, select_meetings
    from dagsorden.context import DocumentKind, Edition, build_context, case_history
    from dagsorden.render import find_template, render_document, save_documents
    root, name, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    project, _ = check(root)
    (meeting,) = select_meetings(project, [name])
    kind = DocumentKind.MINUTES
    edition = Edition.INTERNAL
    context = build_context(project, meeting, kind, edition, case_history(project))
    title = f"{context['meeting']['header']} {context['document']['title'].capitalize()}"
    document = render_document(find_template(root, f"{kind.value}.docx"), context, title=title)
    save_documents([(document, output_path(out, project, meeting, kind, edition))])
    """
)

IN_PROCESS = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    import dagsorden.cli
    from dagsorden.build import build
    t1 = time.perf_counter()
    from pathlib import Path
    root, name, out, n = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    builds = []
    for i in range(n):
        s = time.perf_counter()
        build(root, [name], out=out / str(i))
        builds.append(time.perf_counter() - s)
    print(json.dumps({"import": t1 - t0, "builds": builds}))
    """
)

PROFILE = textwrap.dedent(
    """
    import cProfile, io, pstats, sys
    from pathlib import Path
    import dagsorden.cli
    from dagsorden.build import build
    root, name, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    profiler = cProfile.Profile()
    profiler.enable()
    build(root, [name], out=out)
    profiler.disable()
    for key in ("tottime", "cumulative"):
        s = io.StringIO()
        pstats.Stats(profiler, stream=s).strip_dirs().sort_stats(key).print_stats(18)
        print(s.getvalue())
    """
)


# Inclusive wall time of named functions during one build(), first call after import (as in
# the command): each is wrapped with a timer; a name that no longer exists is skipped.
STAGES = textwrap.dedent(
    """
    import importlib, json, sys, time
    from pathlib import Path
    import dagsorden.cli
    from dagsorden.build import build
    root, name, out, specs = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4:]
    totals, calls = {}, {}
    def wrap(spec):
        module, _, attr = spec.partition(":")
        owner = importlib.import_module(module)
        *path, last = attr.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        fn = getattr(owner, last, None)
        if fn is None:
            return
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[spec] = totals.get(spec, 0.0) + time.perf_counter() - start
                calls[spec] = calls.get(spec, 0) + 1
        setattr(owner, last, timed)
    for spec in specs:
        wrap(spec)
    start = time.perf_counter()
    build(root, [name], out=out)
    total = time.perf_counter() - start
    print(json.dumps({"total": total, "stages": totals, "calls": calls}))
    """
)
STAGE_SPECS = (
    ("dagsorden.build:load_project", "load_project: YAML → model"),
    ("yaml:compose", "  yaml.compose (libyaml + node objects)"),
    ("dagsorden.load:parse_markdown", "  parse_markdown (markdown-it)"),
    ("dagsorden.build:check_project", "check_project"),
    ("dagsorden.build:build_context", "build_context"),
    ("dagsorden.build:render_document", "render_document"),
    ("docxtpl.template:DocxTemplate.render_init", "  DocxTemplate.render_init (open the .docx)"),
    ("docxtpl.template:DocxTemplate.render", "  DocxTemplate.render"),
    ("jinja2.environment:Environment.from_string", "    Jinja: compile the template"),
    ("jinja2.environment:Template.render", "    Jinja: render"),
    ("docxtpl.template:DocxTemplate.resolve_listing", "    docxtpl resolve_listing (regex)"),
    ("docxtpl.template:DocxTemplate.fix_tables", "    docxtpl fix_tables (parse the XML)"),
    ("docxtpl.template:DocxTemplate.map_tree", "    docxtpl map_tree (graft the body)"),
    ("dagsorden.render:_restart_numbered_lists", "  _restart_numbered_lists"),
    ("dagsorden.render:save_documents", "save_documents (zip + write)"),
)


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    stdout: str


CHILD_ENV = dict(os.environ)


def child_env(workdir: Path, as_is: bool) -> None:
    """Children cache their bytecode under the workdir, as an installed package would have it.

    With PYTHONDONTWRITEBYTECODE set (as on the project's machines) and an editable install,
    dagsorden's own modules would otherwise be compiled from source in every process.
    """
    if not as_is:
        CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")


def run_child(cmd: Sequence[str]) -> Run:
    """Run `cmd` as a fresh process; wall time and that child's own peak RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=CHILD_ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    if proc.returncode != 0 or (err.strip() and "dagsorden" in cmd[0]):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out}\n{err}")
    return Run(elapsed, usage.ru_maxrss / 1024, out)  # Linux: ru_maxrss is in KiB


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def rss(self) -> float:
        return max(r.max_rss_mb for r in self.runs)


VARIANTS = ("byg2", "byg1", "inproc", "pandoc")
LABELS = {
    "byg2": "dagsorden byg (hele kommandoen, 4 dokumenter)",
    "byg1": "dagsorden, 1 dokument (protokol), frisk proces",
    "inproc": "frisk proces: import + 3 × build() (4 dok.)",
    "pandoc": "pandoc in.md --reference-doc --toc (1 dokument)",
}
IN_PROCESS_BUILDS = 3


def commands(fx: Fixture, out: Path, ref: Path) -> dict[str, Callable[[int], list[str]]]:
    dagsorden = str(Path(PYTHON).parent / "dagsorden")
    return {
        "byg2": lambda r: [
            dagsorden,
            "byg",
            MEETING,
            "--uden-pdf",  # the .docx step; PDF has its own benchmark (bench/pdf_benchmark.py)
            "--projekt",
            str(fx.root),
            "--ud",
            str(out / f"byg2-{r}"),
        ],
        "byg1": lambda r: [
            PYTHON,
            "-c",
            ONE_DOCUMENT,
            str(fx.root),
            MEETING,
            str(out / f"byg1-{r}"),
        ],
        "inproc": lambda r: [
            PYTHON,
            "-c",
            IN_PROCESS,
            str(fx.root),
            MEETING,
            str(out / f"inproc-{r}"),
            str(IN_PROCESS_BUILDS),
        ],
        "pandoc": lambda r: [
            "pandoc",
            str(fx.markdown),
            "-o",
            str(out / f"pandoc-{r}.docx"),
            "--reference-doc",
            str(ref),
            "--toc",
        ],
    }


@dataclass
class Result:
    fx: Fixture
    series: dict[str, Series]
    imports: list[float]
    first: list[float]
    warm: list[float]
    startup: list[float]  # in-process run's wall time minus import and builds
    docx_kb: dict[str, float]


def measure(fx: Fixture, ref: Path, repeat: int) -> Result:
    out = fx.root.parent / "ud"
    cmds = commands(fx, out, ref)
    dagsorden = str(Path(PYTHON).parent / "dagsorden")
    checked = run_child([dagsorden, "tjek", "--projekt", str(fx.root)])
    if "Alt er i orden" not in checked.stdout:  # a warning would be printed on every build
        raise SystemExit(f"the synthetic project is not clean:\n{checked.stdout}")
    for name in VARIANTS:  # warm-up: file cache, pyc files; not counted
        run_child(cmds[name](-1))
    series = {name: Series() for name in VARIANTS}
    imports: list[float] = []
    first: list[float] = []
    warm: list[float] = []
    startup: list[float] = []
    for r in range(repeat):
        shift = r % len(VARIANTS)  # rotate the order so no variant always runs first
        for name in VARIANTS[shift:] + VARIANTS[:shift]:
            run = run_child(cmds[name](r))
            series[name].runs.append(run)
            if name == "inproc":
                data = json.loads(run.stdout)
                imports.append(data["import"])
                first.append(data["builds"][0])
                warm.extend(data["builds"][1:])
                startup.append(run.seconds - data["import"] - sum(data["builds"]))
    docs = out / "byg2-0" / MEETING
    docx_kb = {p.name: p.stat().st_size / 1024 for p in sorted(docs.glob("*.docx"))}
    docx_kb["pandoc.docx"] = (out / "pandoc-0.docx").stat().st_size / 1024
    return Result(fx, series, imports, first, warm, startup, docx_kb)


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine() -> list[str]:
    pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True, check=True)
    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        m = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = m.group(1).strip() if m else cpu
    from importlib.metadata import version

    return [
        f"- dato: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- nproc: {len(os.sched_getaffinity(0))} ({cpu})",
        f"- system: {platform.platform()}",
        f"- python: {platform.python_version()} ({PYTHON})",
        f"- {pandoc.stdout.splitlines()[0]}",
        f"- dagsorden {version('dagsorden')}, docxtpl {version('docxtpl')}, "
        f"python-docx {version('python-docx')}, lxml {version('lxml')}",
        "- bytecode for the child processes: "
        + (
            f"cached in {CHILD_ENV['PYTHONPYCACHEPREFIX']} (PYTHONPYCACHEPREFIX)"
            if "PYTHONPYCACHEPREFIX" in CHILD_ENV
            else "environment as is"
            + (" (PYTHONDONTWRITEBYTECODE=1)" if "PYTHONDONTWRITEBYTECODE" in CHILD_ENV else "")
        ),
    ]


def _s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def report(results: Sequence[Result], repeat: int) -> str:
    lines = ["# dagsorden: hastighedsmåling", "", *machine(), ""]
    lines += [
        f"Median og bedste af {repeat} kørsler (friske processer, skiftende rækkefølge); "
        "RSS = højeste peak RSS for processen.",
        "",
        "| N | variant | median | min | peak RSS | pandoc ÷ variant (median) | (min) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for res in results:
        ref = res.series["pandoc"]
        for name in VARIANTS:
            s = res.series[name]
            ratios = (
                f"{ref.median / s.median:.1f}× | {ref.best / s.best:.1f}×"
                if name != "inproc"  # three builds: not comparable, see the next table
                else "– | –"
            )
            lines.append(
                f"| {res.fx.size} | {LABELS[name]} | {_s(s.median)} | {_s(s.best)} | "
                f"{s.rss:.0f} MB | {ratios} |"
            )
    lines += [
        "",
        "I processen (median af de friske processer med import + 3 × build()): opstart + "
        "afslutning = processens vægurtid minus import og builds.",
        "",
        "| N | import dagsorden.cli | første build() (4 dok.) | varm build() (4 dok.) | "
        "varm pr. dokument | opstart + afslutning | pandoc ÷ varm pr. dokument |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for res in results:
        imp, first, warm = (statistics.median(x) for x in (res.imports, res.first, res.warm))
        rest = statistics.median(res.startup)
        pandoc = res.series["pandoc"].median
        lines.append(
            f"| {res.fx.size} | {_s(imp)} | {_s(first)} | {_s(warm)} | {_s(warm / DOCS)} | "
            f"{_s(rest)} | {pandoc / (warm / DOCS):.1f}× |"
        )
    lines += ["", "| N | YAML i alt | Markdown | docx-filer |", "| ---: | ---: | ---: | --- |"]
    for res in results:
        docs = ", ".join(f"{k} {v:.0f} KB" for k, v in res.docx_kb.items())
        lines.append(
            f"| {res.fx.size} | {res.fx.yaml_bytes / 1024:.0f} KB | "
            f"{res.fx.markdown.stat().st_size / 1024:.0f} KB | {docs} |"
        )
    lines += [
        "",
        "Mål: mindst 5× hurtigere end pandoc ved begge størrelser; under 150 MB ved 300.",
        "",
    ]
    for res in results:
        byg2, byg1 = res.series["byg2"], res.series["byg1"]
        pandoc = res.series["pandoc"].median
        lines.append(
            f"- N={res.fx.size}: hele kommandoen {pandoc / byg2.median:.1f}× "
            f"({'nået' if pandoc / byg2.median >= 5 else 'IKKE nået'}), 1 dokument "
            f"{pandoc / byg1.median:.1f}× "
            f"({'nået' if pandoc / byg1.median >= 5 else 'IKKE nået'}); "
            f"peak RSS {byg2.rss:.0f} MB ({'under' if byg2.rss < 150 else 'OVER'} 150 MB)"
        )
    return "\n".join(lines) + "\n"


def stages(fx: Fixture, workdir: Path, repeat: int) -> str:
    """Where one build()'s time goes: median inclusive time per wrapped function."""
    specs = [spec for spec, _ in STAGE_SPECS]
    runs = []
    for r in range(repeat):
        out = workdir / f"n{fx.size}" / "ud" / f"stages-{r}"
        runs.append(
            json.loads(
                run_child([PYTHON, "-c", STAGES, str(fx.root), MEETING, str(out), *specs]).stdout
            )
        )
    total = statistics.median(run["total"] for run in runs)
    lines = [
        "",
        f"### Hvor tiden går i én build() ved N={fx.size} (median af {repeat}, første kald efter "
        f"import): {_s(total)}",
        "",
        "| funktion (inklusiv tid) | kald | tid | andel |",
        "| --- | ---: | ---: | ---: |",
    ]
    for spec, label in STAGE_SPECS:
        if spec not in runs[0]["stages"]:
            continue
        seconds = statistics.median(run["stages"].get(spec, 0.0) for run in runs)
        indent = "&nbsp;" * 4 * ((len(label) - len(label.lstrip())) // 2)
        lines.append(
            f"| {indent}`{label.strip()}` | {runs[0]['calls'][spec]} | {_s(seconds)} | "
            f"{100 * seconds / total:.0f} % |"
        )
    return "\n".join(lines) + "\n"


def profile(fx: Fixture, workdir: Path) -> str:
    """`-X importtime` of the command's imports and a cProfile of one build at this size."""
    command = [PYTHON, "-X", "importtime", "-c", "import dagsorden.cli"]
    subprocess.run(command, capture_output=True, check=True, env=CHILD_ENV)  # bytecode cached
    imp = subprocess.run(command, capture_output=True, text=True, check=True, env=CHILD_ENV)
    rows: list[tuple[int, int, str]] = []
    for line in imp.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m[1]), int(m[2]), (" " * (len(m[3]) - 1)) + m[4]))
    total = next((c for _, c, n in rows if n.strip() == "dagsorden.cli"), 0)
    lines = [
        "",
        f"## Import (python -X importtime -c 'import dagsorden.cli'): {total / 1000:.0f} ms",
        "",
        "Største kumulative (µs, self | cumulative | modul):",
        "```",
    ]
    lines += [f"{s:>8} | {c:>8} | {n}" for s, c, n in sorted(rows, key=lambda r: -r[1])[:25]]
    lines += ["```", "", "Største self-tider:", "```"]
    lines += [
        f"{s:>8} | {c:>8} | {n.strip()}" for s, c, n in sorted(rows, key=lambda r: -r[0])[:10]
    ]
    prof = subprocess.run(
        [PYTHON, "-c", PROFILE, str(fx.root), MEETING, str(workdir / f"profil-{fx.size}")],
        capture_output=True,
        text=True,
        check=True,
        env=CHILD_ENV,
    )
    lines += ["```", "", f"## cProfile af én build() ved N={fx.size} (efter import)", "", "```"]
    lines += [ln for ln in prof.stdout.splitlines() if ln.strip()]
    lines += ["```"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[60, 300])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench"))
    parser.add_argument(
        "--profile", action="store_true", help="stage times, import times and cProfile"
    )
    parser.add_argument("--quick", action="store_true", help="one small size, one run")
    parser.add_argument(
        "--env-as-is",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE alone (no bytecode cache for dagsorden's modules)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = [10], 1
    child_env(args.workdir, args.env_as_is)
    if shutil.which("pandoc") is None:
        raise SystemExit("pandoc is not installed")
    args.workdir.mkdir(parents=True, exist_ok=True)
    ref = args.workdir / "ref.docx"
    subprocess.run(
        ["pandoc", "-o", str(ref), "--print-default-data-file", "reference.docx"], check=True
    )
    results = []
    for size in args.sizes:
        fx = generate(size, args.workdir, args.seed)
        print(f"N={size}: {fx.root} ...", file=sys.stderr, flush=True)
        results.append(measure(fx, ref, args.repeat))
    text = report(results, args.repeat)
    if args.profile:
        text += "".join(stages(res.fx, args.workdir, args.repeat) for res in results)
        text += profile(results[-1].fx, args.workdir)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
