"""Public and internal editions: nothing closed can ever reach a public document."""

from __future__ import annotations

import itertools
import shutil
import tempfile
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import MakeProject
from dagsorden.build import build
from dagsorden.cli import main
from docxdump import dump

ORGANISATION = """\
kommune: Testrup Kommune
standardafsnit: [Sagsfremstilling, Økonomiske konsekvenser]
udvalg:
  ØK:
    navn: Økonomiudvalget
    lukket_punkt: "Lukket sag: {titel}"
  KB:
    navn: Kommunalbestyrelsen
personer:
  Anna Andersen:
    - {udvalg: ØK, parti: A, fra: 2022-01-01}
    - {udvalg: KB, parti: A, fra: 2022-01-01}
  Bo Berg:
    - {udvalg: ØK, parti: V, fra: 2022-01-01}
    - {udvalg: KB, parti: V, fra: 2022-01-01}
"""


@dataclass
class Generated:
    """A random project, the canaries hidden in its closed fields, and the cases generated."""

    files: dict[str, str] = field(default_factory=dict)
    canaries: list[str] = field(default_factory=list)
    cases: int = 0


class _Canaries:
    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.made: list[str] = []

    def word(self) -> str:
        # Letters only, so Markdown cannot turn it into anything else.
        made = "kanarie" + "".join("qxzjw"[int(d) % 5] for d in str(next(self.counter))) + "fugl"
        self.made.append(made)
        return made

    def doc_number(self) -> str:
        made = f"{90000 + next(self.counter)}/22"
        self.made.append(made)
        return made


def _block(text: str, indent: int) -> str:
    return "|\n" + textwrap.indent(text, " " * indent)


@st.composite
def projects(draw: st.DrawFn) -> Generated:
    """8–12 cases, some closed (by the case or by every one of its items), over two meetings."""
    canary = _Canaries()
    out = Generated(files={"organisation.yaml": ORGANISATION})
    n = draw(st.integers(8, 12))
    out.cases = n
    oek_items: list[str] = []
    kb_items: list[str] = []
    for i in range(1, n + 1):
        closed = draw(st.booleans())
        by_items = closed and draw(st.booleans())  # closed through every item's adgang
        secret = canary.word if closed else (lambda: "åben tekst")
        sensitive = closed and draw(st.booleans())
        title = canary.word() if sensitive else f"Sag nummer {i}"
        lines = [f"sagsnr: 22/{i}", f"titel: {title}", "sagsgang: [ØK, KB]"]
        if sensitive:
            lines += ["titel_følsom: ja", f"offentlig_titel: Offentlig titel {i}"]
        if closed and not by_items:
            lines.append("adgang: Lukket")
        lines.append("afsnit:")
        story = f"{secret()}\n\n- {secret()}\n- **{secret()}**"
        if draw(st.booleans()):  # a table, a link and a picture: cells, target and alt text
            story += (
                f"\n\n| {secret()} | Pris |\n| --- | --: |\n| {secret()} | 1 kr. |"
                f"\n\nSe [{secret()}](https://{secret().replace(' ', '')}.dk/)."
                f"\n\n![{secret()}](kort.png)"
            )
        lines.append(f"  Sagsfremstilling: {_block(story, 4)}")
        if draw(st.booleans()):
            lines.append(f"  Økonomiske konsekvenser: {secret()}")
        lines.append(f"indstilling: {_block(f'Direktøren indstiller, at {secret()}', 2)}")
        bilag = draw(st.lists(st.booleans(), max_size=3))
        if bilag:
            lines.append("bilag:")
        for j, closed_bilag in enumerate(bilag):
            hidden = closed or closed_bilag
            lines += [
                f"  - id: {1000000 + i * 10 + j}",
                f"    titel: {canary.word() if hidden else f'Åbent bilag {i}.{j}'}",
                f"    dokumentnr: {canary.doc_number() if hidden else f'{i}{j}/22'}",
            ]
            if closed_bilag:
                lines.append("    adgang: Lukket")
        out.files[f"cases/22-{i}.yaml"] = "\n".join(lines) + "\n"
        treatments = [oek_items] + ([kb_items] if draw(st.booleans()) else [])
        for items in treatments:
            item = [f"  - sag: 22/{i}"]
            if by_items:
                item.append("    adgang: Lukket")
            item.append(f"    beslutning: {_block(f'Godkendt. {secret()}', 6)}")
            if closed and draw(st.booleans()):
                item.append("    offentlig_beslutning: Godkendt.")
            if draw(st.booleans()):
                item.append(f"    indstilling: {secret()}")
            if draw(st.booleans()):
                item.append(f"    protokolbemærkninger: [{secret()}]")
            items.append("\n".join(item))
    # Closed items last, as the check wants; and one closed plain item.
    closed_plain = f"  - titel: Personalesag\n    adgang: Lukket\n    tekst: {canary.word()}\n"
    closed_plain += f"    beslutning: {canary.word()}"
    for name, body, day, items in [
        ("2023-01-10-oek", "ØK", "2023-01-10", oek_items),
        ("2023-01-17-kb", "KB", "2023-01-17", kb_items),
    ]:
        ordered = sorted(items, key=lambda it: "Lukket" in it or _case_closed(out, it))
        ordered.append(closed_plain)
        out.files[f"agenda/{name}.yaml"] = (
            f"udvalg: {body}\ndato: {day}\nstart: 16:00\nsted: Rådhuset\npunkter:\n"
            + "\n".join(ordered)
            + "\n"
        )
    out.canaries = canary.made
    return out


def _case_closed(project: Generated, item: str) -> bool:
    number = item.split("sag: 22/")[1].split("\n")[0]
    return "adgang: Lukket" in project.files[f"cases/22-{number}.yaml"]


def _write(root: Path, generated: Generated) -> None:
    for name, text in generated.files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    shutil.copyfile(PICTURE, root / "kort.png")


PICTURE = Path(__file__).parent / "data" / "kort.png"


def _parts(path: Path) -> Iterator[tuple[str, str]]:
    """Every part of the .docx package as text: body, headers, footers, settings, properties."""
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            yield name, package.read(name).decode("utf-8", errors="replace")


GENERATED_CASES: list[int] = []


@settings(
    max_examples=110,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(projects())
def test_no_closed_text_reaches_any_part_of_a_public_document(generated: Generated) -> None:
    root = Path(tempfile.mkdtemp(prefix="dagsorden-leak-"))
    try:
        _write(root, generated)
        built, _ = build(root, out=root / "out")
        public = [b.path for b in built if b.path.name.endswith("-offentlig.docx")]
        internal = [b.path for b in built if b.path.name.endswith("-intern.docx")]
        assert public and len(public) == len(internal)
        for path in public:
            for part, text in _parts(path):
                leaked = [c for c in generated.canaries if c in text]
                assert not leaked, f"{path.name}:{part} indeholder lukket tekst: {leaked}"
        # The canaries are real content: the internal edition shows every one of them.
        everything = "".join(text for p in internal for _, text in _parts(p))
        missing = [c for c in generated.canaries if c not in everything]
        assert not missing, f"den interne udgave mangler {missing}"
        GENERATED_CASES.append(generated.cases)
    finally:
        shutil.rmtree(root)


def test_the_leak_test_covered_at_least_a_thousand_cases() -> None:
    if not GENERATED_CASES:
        pytest.skip("lækagetesten blev ikke kørt i denne kørsel")
    assert sum(GENERATED_CASES) >= 1000, sum(GENERATED_CASES)


# -- the example data ---------------------------------------------------------------------


def test_public_minutes_show_the_closed_item_by_its_public_title_and_decision_only(
    built_examples: dict[str, Path],
) -> None:
    text = dump(built_examples["2022-12-13-kb/beslutningsprotokol-offentlig"])
    closed = text.split("[Heading 1] 4. ")[1].split("[Heading 1] ")[0]
    assert closed.splitlines()[0] == "Lukket punkt: Salg af byggegrund"
    assert "[Normal] Kommunalbestyrelsen godkendte salget af en byggegrund." in closed
    assert "Kastanievej" not in text and "285.000" not in text
    assert "143996/22" not in text, "det lukkede bilag på et åbent punkt er med"
    internal = dump(built_examples["2022-12-13-kb/beslutningsprotokol-intern"])
    assert "Salg af byggegrund, Kastanievej 12, Ørsted" in internal
    assert "3 - 3378420 Lukket Notat om merforbrug" in internal


# -- located errors -------------------------------------------------------------------------


def _tjek(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["tjek", "--projekt", str(root), *args])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if ": fejl: " in line or ": advarsel: " in line]


def test_public_decision_on_an_open_item_is_an_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        {
            "agenda/2023-01-10-oek.yaml": """\
                udvalg: ØK
                dato: 2023-01-10
                start: 16:00
                sted: Mødelokale 1
                punkter:
                  - sag: 22/1
                    beslutning: Godkendt.
                    offentlig_beslutning: Godkendt.
                """
        }
    )
    assert _tjek(root, capsys) == (
        1,
        [
            "agenda/2023-01-10-oek.yaml:8:27: fejl: punkt 1 er åbent, så beslutningen "
            "offentliggøres som den er; fjern offentlig_beslutning (den bruges kun ved lukkede "
            "punkter)"
        ],
    )


def test_closed_item_with_a_sensitive_title_needs_a_public_title(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        {
            "cases/22-1.yaml": """\
                sagsnr: 22/1
                titel: Afskedigelse af Jens Hansen
                titel_følsom: ja
                adgang: Lukket
                sagsgang: [ØK]
                """
        }
    )
    assert _tjek(root, capsys) == (
        1,
        [
            "agenda/2023-01-10-oek.yaml:7:5: fejl: punkt 1 er lukket, og sagen 22/1 har en "
            "følsom titel, men ingen offentlig_titel; skriv den titel, offentligheden må se, "
            "i sagen"
        ],
    )


def test_unknown_access_value(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        {
            "agenda/2023-01-10-oek.yaml": """\
                udvalg: ØK
                dato: 2023-01-10
                start: 16:00
                sted: Mødelokale 1
                punkter:
                  - sag: 22/1
                    adgang: Hemmelig
                """
        }
    )
    assert _tjek(root, capsys) == (
        1,
        [
            "agenda/2023-01-10-oek.yaml:7:13: fejl: punktets adgang 'Hemmelig' er ukendt; "
            "brug 'Åben' eller 'Lukket'"
        ],
    )


def test_closed_item_before_an_open_one_warns_and_fails_when_strict(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        {
            "agenda/2023-01-10-oek.yaml": """\
                udvalg: ØK
                dato: 2023-01-10
                start: 16:00
                sted: Mødelokale 1
                punkter:
                  - sag: 22/1
                    adgang: Lukket
                  - titel: Meddelelser
                """
        }
    )
    warning = (
        "agenda/2023-01-10-oek.yaml:8:5: advarsel: punkt 2 er åbent, men står efter et lukket "
        "punkt; lukkede punkter skal stå sidst på dagsordenen"
    )
    assert _tjek(root, capsys) == (0, [warning])
    assert _tjek(root, capsys, "--strikt") == (1, [warning])


# -- the CPR guard --------------------------------------------------------------------------


def _with_text(make_project: MakeProject, text: str, *, closed: bool = False) -> Path:
    access = "adgang: Lukket\n" if closed else ""
    return make_project(
        {
            "cases/22-1.yaml": f"sagsnr: 22/1\ntitel: Budget\n{access}sagsgang: [ØK]\n"
            f"afsnit:\n  Sagsfremstilling: {text}\n"
        }
    )


@pytest.mark.parametrize("number", ["010203-1234", "0102031234", "290200-4321", "010203 1234"])
def test_cpr_number_headed_for_the_public_edition_is_an_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], number: str
) -> None:
    root = _with_text(make_project, f"Borgeren {number} har klaget.")
    assert _tjek(root, capsys) == (
        1,
        [
            "cases/22-1.yaml:5:30: fejl: her står noget, der ligner et CPR-nummer, og teksten "
            "kommer med i den offentlige udgave; fjern det, eller skriv !ikke-cpr lige efter "
            "feltets kolon (fx 'Sagsfremstilling: !ikke-cpr |'), hvis det ikke er et CPR-nummer"
        ],
    )


def test_cpr_error_points_at_the_line_inside_a_long_text(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _with_text(make_project, "|\n    Første afsnit.\n\n    Borgeren 010203-1234 klager.")
    code, lines = _tjek(root, capsys)
    assert code == 1
    assert lines[0].startswith("cases/22-1.yaml:8:14: fejl: her står noget, der ligner et CPR")


@pytest.mark.parametrize(
    ("text", "closed"),
    [
        ("Borgeren 010203-1234 har klaget.", True),  # closed: only the internal edition
        ("!ikke-cpr Aftale nr. 010203-1234 om vejbelysning.", False),  # the opt-out
        ("!ikke-cpr |\n    Aftale nr. 010203-1234.", False),  # the opt-out on a long text
        ("Journal 320103-1234 og 011399-1234.", False),  # no such dates
        ("Telefon 86 12 34 56, konto 1234-0102031234567.", False),  # longer digit runs
    ],
)
def test_no_cpr_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], text: str, closed: bool
) -> None:
    assert _tjek(_with_text(make_project, text, closed=closed), capsys) == (0, [])


def _pdf_text(path: Path) -> str:
    """A PDF's page text, metadata and bookmarks, with line breaks and hyphens taken out."""
    reader = PdfReader(path)
    parts = [page.extract_text() for page in reader.pages]
    parts += [str(v) for v in (reader.metadata or {}).values()]

    def walk(entries: Any) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                parts.append(str(entry.title))

    walk(reader.outline)
    # What a reader reaches besides the page text: link targets and pictures' alt texts.
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            parts.append(str(action.get("/URI", "")))
    root: Any = reader.trailer["/Root"]
    if "/StructTreeRoot" in root:
        parts += _alt_texts(root["/StructTreeRoot"])
    return "".join("".join(parts).split()).replace("-", "")


def _alt_texts(node: Any) -> list[str]:
    node = node.get_object() if hasattr(node, "get_object") else node
    found = []
    if isinstance(node, dict):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        found += _alt_texts(node.get("/K", []))
    elif isinstance(node, list):
        for child in node:
            found += _alt_texts(child)
    return found


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice mangler")
@settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(projects())
def test_no_closed_text_reaches_a_public_pdf_or_packet(generated: Generated) -> None:
    root = Path(tempfile.mkdtemp(prefix="dagsorden-leak-pdf-"))
    try:
        _write(root, generated)
        built, _ = build(root, out=root / "out", pdf=True)
        public = [b.path for b in built if b.path.name.endswith("-offentlig.pdf")]
        internal = [b.path for b in built if b.path.name.endswith("-intern.pdf")]
        assert any(p.name.startswith("dagsordenspakke") for p in public)
        canaries = [c.replace("-", "") for c in generated.canaries]
        for path in public:
            text = _pdf_text(path)
            leaked = [c for c in canaries if c in text]
            assert not leaked, f"{path.name} indeholder lukket tekst: {leaked}"
        everything = "".join(_pdf_text(p) for p in internal)
        assert [c for c in canaries if c not in everything] == []
    finally:
        shutil.rmtree(root)


@pytest.mark.parametrize(
    "text",
    ["Borgeren 010203–1234 klager.", "Borgeren 010203\u00a01234 klager.", "Nr. **010203**-1234."],
)
def test_cpr_behind_a_dash_a_hard_space_or_formatting_is_caught(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    code, lines = _tjek(_with_text(make_project, f'"{text}"'), capsys)
    assert code == 1
    assert "ligner et CPR-nummer" in lines[0]
