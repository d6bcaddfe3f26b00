"""What a secretary sees for broken data: the exact message, where it is, and nothing written.

Each case breaks the minimal project (conftest.MINIMAL_FILES) in one way and pins the first line
of every problem `dagsorden tjek` prints. A few also pin the offending line and the caret under it.
"""

from __future__ import annotations

import re
import textwrap
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from conftest import MINIMAL_FILES, MakeProject
from dagsorden.build import build, context_for
from dagsorden.cli import main
from dagsorden.context import DocumentKind
from docxdump import dump

ORG = "organisation.yaml"
CASE = "cases/22-1.yaml"
MEETING = "agenda/2023-01-10-oek.yaml"


def edit(name: str, old: str, new: str) -> str:
    """The minimal project's file `name` with the one occurrence of `old` replaced."""
    text = textwrap.dedent(MINIMAL_FILES[name])
    assert text.count(old) == 1, f"{old!r} skal stå præcis én gang i {name}"
    return text.replace(old, new)


def append(name: str, more: str) -> str:
    return textwrap.dedent(MINIMAL_FILES[name]) + more


def project(make_project: MakeProject, files: Mapping[str, str | bytes | None]) -> Path:
    root = make_project({k: v for k, v in files.items() if not isinstance(v, bytes)})
    for name, content in files.items():
        if isinstance(content, bytes):
            (root / name).write_bytes(content)
    return root


def tjek(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["tjek", "--projekt", str(root), *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def first_lines(err: str) -> list[str]:
    """Each problem's first line, and the summary: every line but the shown source and caret."""
    # Split on newlines only: str.splitlines() would also split a shown line at \x0b or \x0c.
    return [line for line in err.split("\n") if line and not line.startswith("    ")]


def summary(errors: int, warnings: int = 0, *, wrote: bool = False) -> str:
    """The closing line of a failed run; `byg` adds that nothing was written."""
    noun = "advarsel" if warnings == 1 else "advarsler"
    return f"{errors} fejl og {warnings} {noun}" + ("; intet er skrevet." if wrote else ".")


THREE_BODIES = edit(
    ORG,
    "    navn: Økonomiudvalget\n",
    "    navn: Økonomiudvalget\n  KB:\n    navn: Kommunalbestyrelsen\n"
    "  HU:\n    navn: Hovedudvalget\n",
)

# -- the whole message, with the offending line and a caret under the place --------------------

SHOWN = [
    pytest.param(
        {CASE: edit(CASE, "sagsgang: [ØK]", "sagsgang: [ØK]\ntitel: Budget 2024")},
        """\
        cases/22-1.yaml:4:1: fejl: nøglen 'titel' står to gange (første gang i linje 2)
            titel: Budget 2024
            ^
        """,
        id="duplicate-key",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "dato: 2023-01-10", "dato: 2023-02-30")},
        """\
        agenda/2023-01-10-oek.yaml:2:7: fejl: datoen '2023-02-30' findes ikke i kalenderen
            dato: 2023-02-30
                  ^
        """,
        id="impossible-date",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "slut: 18:00", "slut: 15:30")},
        """\
        agenda/2023-01-10-oek.yaml:4:7: fejl: mødet slutter kl. 15:30, før det starter kl. 16:00
            slut: 15:30
                  ^
        """,
        id="end-before-start",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "punkter:", "afbud:\n  - Bo Bærg\npunkter:")},
        """\
        agenda/2023-01-10-oek.yaml:7:5: fejl: ukendt person 'Bo Bærg'; mente du 'Bo Berg'?
              - Bo Bærg
                ^
        """,
        id="unknown-person-in-afbud",
    ),
    pytest.param(
        {CASE: edit(CASE, "titel: Budget 2023", "titel: Budget: 2023")},
        """\
        cases/22-1.yaml:2:14: fejl: ugyldig YAML: et kolon her kan ikke læses; sæt værdien i \
anførselstegn, eller ret indrykningen
            titel: Budget: 2023
                         ^
        """,
        id="yaml-colon-inside-a-value",
    ),
    pytest.param(
        {CASE: edit(CASE, "  Sagsfremstilling", "\tSagsfremstilling")},
        """\
        cases/22-1.yaml:5:1: fejl: ugyldig YAML: tabulatortegn kan ikke bruges til indrykning; \
brug mellemrum
             Sagsfremstilling: Teksten.
            ^
        """,
        id="yaml-tab-indentation",
    ),
    pytest.param(
        {CASE: edit(CASE, "titel: Budget 2023", 'titel: "Budget 2023')},
        """\
        cases/22-1.yaml:2:8: fejl: ugyldig YAML: et anførselstegn er ikke lukket
            titel: "Budget 2023
                   ^
        """,
        id="yaml-unclosed-quote",
    ),
]


@pytest.mark.parametrize(("files", "shown"), SHOWN)
def test_problem_is_shown_with_its_line_and_a_caret(
    make_project: MakeProject,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    shown: str,
) -> None:
    code, out, err = tjek(project(make_project, files), capsys)
    assert code == 1
    assert err == textwrap.dedent(shown) + summary(1) + "\n"
    assert out == ""


# -- the first line of every problem --------------------------------------------------------

MESSAGES = [
    pytest.param(
        {CASE: edit(CASE, "titel: Budget 2023", "titel Budget 2023")},
        ["cases/22-1.yaml:2:1: fejl: ugyldig YAML: der mangler et kolon efter nøglen"],
        id="yaml-missing-colon",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "sted: Mødelokale 1", "  sted: Mødelokale 1")},
        [
            "agenda/2023-01-10-oek.yaml:5:7: fejl: ugyldig YAML: et kolon her kan ikke læses; "
            "sæt værdien i anførselstegn, eller ret indrykningen"
        ],
        id="yaml-line-indented-too-far",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "sted: Mødelokale 1\n", "sted: Mødelokale 1\n- sag: 22/2\n")},
        [
            "agenda/2023-01-10-oek.yaml:6:1: fejl: ugyldig YAML: indrykningen passer ikke, "
            "eller der står noget efter værdien; her ventedes en ny nøgle"
        ],
        id="yaml-list-item-where-a-key-belongs",
    ),
    pytest.param(
        {CASE: edit(CASE, "sagsgang: [ØK]", "sagsgang: [ØK")},
        ["cases/22-1.yaml:3:11: fejl: ugyldig YAML: listen i [ ] er ikke lukket; der mangler ']'"],
        id="yaml-unclosed-flow-list",
    ),
    pytest.param(
        {CASE: edit(CASE, "titel:", "titl:")},
        ["cases/22-1.yaml:2:1: fejl: ukendt nøgle 'titl' i sagen; mente du 'titel'?"],
        id="unknown-key-did-you-mean-required",
    ),
    pytest.param(
        {CASE: edit(CASE, "indstilling:", "indstiling:")},
        ["cases/22-1.yaml:6:1: fejl: ukendt nøgle 'indstiling' i sagen; mente du 'indstilling'?"],
        id="unknown-key-did-you-mean-optional",
    ),
    pytest.param(
        {CASE: edit(CASE, "titel: Budget 2023", "titel: [Budget, 2023]")},
        ["cases/22-1.yaml:2:8: fejl: sagens titel skal være en tekst, ikke en liste"],
        id="list-where-text-belongs",
    ),
    pytest.param(
        {CASE: edit(CASE, "sagsgang: [ØK]", "sagsgang:\n  ØK: ja")},
        [
            "cases/22-1.yaml:4:3: fejl: sagsgangen skal være en liste (linjer, der begynder med "
            "'- '), ikke nøgler med værdier"
        ],
        id="mapping-where-a-list-belongs",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "punkter:", "afbud:\n  - navn: Bo Berg\npunkter:")},
        [
            "agenda/2023-01-10-oek.yaml:7:5: fejl: et navn under afbud skal være en tekst, "
            "ikke nøgler med værdier"
        ],
        id="afbud-entry-written-like-deltog-ikke",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "dato: 2023-01-10", "dato: 10-01-2023")},
        [
            "agenda/2023-01-10-oek.yaml:2:7: fejl: datoen '10-01-2023' er ikke en dato på formen "
            "ÅÅÅÅ-MM-DD (fx 2023-03-02)"
        ],
        id="malformed-date",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "start: 16:00", "start: 25:00")},
        [
            "agenda/2023-01-10-oek.yaml:3:8: fejl: starttidspunktet '25:00' er ikke et klokkeslæt "
            "(timer 0-23, minutter 0-59)"
        ],
        id="impossible-time",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "sag: 22/1", "sag: 22/2")},
        ["agenda/2023-01-10-oek.yaml:7:10: fejl: ukendt sag '22/2'; mente du '22/1'?"],
        id="unknown-case",
    ),
    pytest.param(
        {ORG: THREE_BODIES, CASE: edit(CASE, "sagsgang: [ØK]", "sagsgang: [ØU, KB]")},
        ["cases/22-1.yaml:3:12: fejl: ukendt udvalg 'ØU' i sagsgangen (kendte: ØK, KB, HU)"],
        id="unknown-body-in-sagsgang",
    ),
    pytest.param(
        {
            ORG: edit(
                ORG,
                "      parti: V\n      fra: 2022-01-01\n",
                "      parti: V\n      fra: 2022-01-01\n      til: 2022-12-31\n",
            ),
            MEETING: edit(MEETING, "punkter:", "afbud:\n  - Bo Berg\npunkter:"),
        },
        [
            "agenda/2023-01-10-oek.yaml:7:5: fejl: Bo Berg er ikke medlem af Økonomiudvalget "
            "den 10-01-2023 (medlemskabet sluttede 31-12-2022)"
        ],
        id="not-a-member-on-the-day",
    ),
    pytest.param(
        {"cases/22-2.yaml": "titel: Andet\nsagsnr: 22/1\nsagsgang: [ØK]\n"},
        ["cases/22-2.yaml:2:9: fejl: sagsnummeret 22/1 er også brugt i cases/22-1.yaml:1:9"],
        id="case-number-used-twice",
    ),
    pytest.param(
        {CASE: append(CASE, "bilag:\n  - id: 1\n    titel: Plan\n    fil: bilag/plan.pdf\n")},
        ["cases/22-1.yaml:10:10: fejl: bilagsfilen 'bilag/plan.pdf' findes ikke"],
        id="attachment-file-missing",
    ),
    pytest.param(
        {CASE: edit(CASE, "sagsnr: 22/1", "sagsnr: 2022-1")},
        [
            # The case is still read, so the meeting's old number is named too, with a hint.
            "agenda/2023-01-10-oek.yaml:7:10: fejl: ukendt sag '22/1'; mente du '2022-1'?",
            "cases/22-1.yaml:1:9: fejl: sagsnummeret '2022-1' har ikke formen ÅÅ/løbenummer "
            "(fx 22/291)",
        ],
        id="malformed-case-number",
    ),
    pytest.param(
        {
            MEETING: append(
                MEETING, "    deltog_ikke:\n      - navn: Bo Berg\n        årsag: inhabl\n"
            )
        },
        [
            "agenda/2023-01-10-oek.yaml:10:16: fejl: årsagen 'inhabl' er ukendt; brug 'inhabil', "
            "'forlod mødet' eller 'ankom senere'; mente du 'inhabil'?"
        ],
        id="unknown-reason-in-deltog-ikke",
    ),
    pytest.param(
        {CASE: edit(CASE, "  Sagsfremstilling:", "  Sagsfremstiling:")},
        [
            "cases/22-1.yaml:5:3: fejl: ukendt afsnitsoverskrift 'Sagsfremstiling' (kendte: "
            "Sagsfremstilling, Økonomiske konsekvenser); mente du 'Sagsfremstilling'?"
        ],
        id="unknown-section-heading",
    ),
    pytest.param(
        {CASE: edit(CASE, "titel: Budget 2023\n", "")},
        ["cases/22-1.yaml:1:1: fejl: sagen mangler nøglen 'titel'"],
        id="missing-required-key-in-case",
    ),
    pytest.param(
        {MEETING: edit(MEETING, "sted: Mødelokale 1\n", "")},
        ["agenda/2023-01-10-oek.yaml:1:1: fejl: mødet mangler nøglen 'sted'"],
        id="missing-required-key-in-meeting",
    ),
    pytest.param(
        # "mangler" reads right whatever the noun's gender ("mødestedet er tom" did not).
        {MEETING: edit(MEETING, "sted: Mødelokale 1", "sted: ''")},
        ["agenda/2023-01-10-oek.yaml:5:7: fejl: mødestedet mangler"],
        id="empty-text-in-a-one-line-field",
    ),
    pytest.param(
        {CASE: edit(CASE, "Sagsfremstilling: Teksten.", "Sagsfremstilling: ''")},
        [
            "cases/22-1.yaml:5:21: fejl: afsnittet 'Sagsfremstilling' er tomt; skriv fx 'Ingen.' "
            "eller fjern det"
        ],
        id="empty-section",
    ),
    pytest.param(
        {CASE: ""},
        ["cases/22-1.yaml: fejl: filen er tom"],
        id="empty-file",
    ),
    pytest.param(
        {CASE: "# kommer senere\n"},
        ["cases/22-1.yaml: fejl: filen er tom"],
        id="file-with-only-a-comment",
    ),
    pytest.param(
        {CASE: textwrap.dedent(MINIMAL_FILES[CASE]).encode("latin-1")},
        [
            "cases/22-1.yaml:3:1: fejl: filen er ikke gemt som UTF-8; gem den igen med "
            "tegnsættet UTF-8"
        ],
        id="not-utf8",
    ),
    pytest.param(
        {"agenda/2023-01-10-oek.yml": edit(MEETING, "sted: Mødelokale 1", "sted: Rådhuset")},
        [
            "agenda/2023-01-10-oek.yml: fejl: mødet 2023-01-10-oek har også filen "
            "agenda/2023-01-10-oek.yaml; et møde skal stå i én fil"
        ],
        id="meeting-in-two-files",
    ),
    pytest.param(
        {ORG: None},
        ["organisation.yaml: fejl: filen mangler; den beskriver kommunen, udvalgene og personerne"],
        id="organisation-missing",
    ),
    # All at once: an error that leaves nothing out of a record does not hide the rules that
    # read it (issue 10).
    pytest.param(
        {
            ORG: edit(ORG, "navn: Økonomiudvalget", "navn: Økonomiudvalget\n    protokoltitel: X"),
            MEETING: edit(MEETING, "punkter:", "afbud: [Bo Bærg]\npunkter:"),
        },
        [
            "agenda/2023-01-10-oek.yaml:6:9: fejl: ukendt person 'Bo Bærg'; mente du 'Bo Berg'?",
            "organisation.yaml:6:20: fejl: protokoltitlen 'X' er ukendt; brug"
            " 'BESLUTNINGSPROTOKOL', 'REFERAT' eller 'BESLUTNINGSREFERAT'",
        ],
        id="wrong-protokoltitel-hides-nothing",
    ),
    pytest.param(
        {
            MEETING: edit(MEETING, "start: 16:00", "start: 25:00").replace(
                "punkter:", "afbud: [Bo Bærg]\npunkter:"
            )
        },
        [
            "agenda/2023-01-10-oek.yaml:3:8: fejl: starttidspunktet '25:00' er ikke et klokkeslæt"
            " (timer 0-23, minutter 0-59)",
            "agenda/2023-01-10-oek.yaml:6:9: fejl: ukendt person 'Bo Bærg'; mente du 'Bo Berg'?",
        ],
        id="bad-start-hides-nothing",
    ),
    pytest.param(
        {MEETING: append(MEETING, "status: godkendt\n")},
        [
            "agenda/2023-01-10-oek.yaml:8:9: fejl: mødet har status godkendt, men dets dagsorden er"
            " ikke frosset i arkiv/2023-01-10-oek/udsendt; kør 'dagsorden frys 2023-01-10-oek'"
            " for at fryse den (eller 'dagsorden frys --alle' for alle møder fra før arkivet)",
        ],
        id="status-without-its-record-at-the-status",
    ),
]


@pytest.mark.parametrize(("files", "expected"), MESSAGES)
def test_error_message(
    make_project: MakeProject,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str | bytes | None],
    expected: list[str],
) -> None:
    code, out, err = tjek(project(make_project, files), capsys)
    assert code == 1
    assert first_lines(err) == [*expected, summary(len(expected))]
    assert out == ""


def test_time_and_place_that_yaml_would_guess_are_read_as_text(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    # YAML 1.1 reads 12:30 as the number 750 and `no` as false; the format reads text.
    meeting = edit(MEETING, "start: 16:00", "start: 12:30").replace(
        "sted: Mødelokale 1", "sted: no"
    )
    root = make_project({MEETING: meeting})
    code, out, err = tjek(root, capsys)
    assert (code, out, err) == (0, "Alt er i orden.\n", "")
    context = context_for(root, "2023-01-10-oek", DocumentKind.AGENDA)
    assert context["meeting"]["start"] == "12:30"
    assert context["meeting"]["place"] == "no"


# -- control characters pasted from Word ---------------------------------------------------

# A control character pasted from Word is removed with a warning at the character itself (it
# is invisible, so the caret is the only way to find it); in a one-line field Word's line or
# page break becomes a space, so the title is still one line.
WORD_CHARACTERS = [
    pytest.param("\x0b", "linjeskift fra Word (Shift+Enter)", id="line-break"),
    pytest.param("\x0c", "sideskift fra Word", id="page-break"),
]


def _title_with(character: str) -> dict[str, str]:
    return {CASE: edit(CASE, "titel: Budget 2023", f"titel: Budget{character}2023")}


@pytest.mark.parametrize(("character", "name"), WORD_CHARACTERS)
def test_control_character_from_word_is_a_warning(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], character: str, name: str
) -> None:
    root = make_project(_title_with(character))
    warning = (
        f"cases/22-1.yaml:2:14: advarsel: teksten indeholdt kontroltegn ({name}), som er fjernet"
    )

    code, out, err = tjek(root, capsys)
    assert code == 0
    assert first_lines(err) == [warning]
    assert out == "Ingen fejl, 1 advarsel.\n"

    code, out, err = tjek(root, capsys, "--strikt")
    assert code == 1
    assert first_lines(err) == [warning, summary(0, 1)]


@pytest.mark.parametrize(
    ("escape", "name"),
    [("\\v", "linjeskift fra Word (Shift+Enter)"), ("\\f", "sideskift fra Word")],
)
def test_control_character_written_as_an_escape_in_double_quotes_is_a_warning(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], escape: str, name: str
) -> None:
    root = make_project({CASE: edit(CASE, "titel: Budget 2023", f'titel: "Budget{escape}2023"')})
    code, out, err = tjek(root, capsys)
    assert (code, out) == (0, "Ingen fejl, 1 advarsel.\n")
    assert first_lines(err) == [
        f"cases/22-1.yaml:2:8: advarsel: teksten indeholdt kontroltegn ({name}), som er fjernet"
    ]


@pytest.mark.parametrize(("character", "name"), WORD_CHARACTERS)
def test_control_character_from_word_never_reaches_the_document(
    make_project: MakeProject, tmp_path: Path, character: str, name: str
) -> None:
    root = make_project(_title_with(character))
    built, warnings = build(root, out=tmp_path / "out")
    assert [w.message for w in warnings] == [
        f"teksten indeholdt kontroltegn ({name}), som er fjernet"
    ]
    assert built
    for b in built:
        with zipfile.ZipFile(b.path) as docx:
            xml = docx.read("word/document.xml").decode("utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)
        assert "[Heading 1] 1. Budget 2023\n" in dump(b.path)


# -- every problem at once, and nothing written -------------------------------------------

SEVERAL_FILES_BROKEN = {
    ORG: edit(
        ORG,
        "    navn: Økonomiudvalget\n",
        "    navn: Økonomiudvalget\n    protokoltitel: REFERATT\n",
    ),
    CASE: edit(CASE, "sagsnr: 22/1", "sagsnr: 2022-1"),
    "cases/22-2.yaml": "sagsnr: 22/2\ntitel: A\ntitel: B\nsagsgang: [ØK]\n",
    MEETING: edit(MEETING, "dato: 2023-01-10", "dato: 2023-02-30").replace("16:00", "25:00"),
}


# Five independent errors in four files: all of them come out of one run.
SEVERAL_PROBLEMS = [
    "agenda/2023-01-10-oek.yaml:2:7: fejl: datoen '2023-02-30' findes ikke i kalenderen",
    "agenda/2023-01-10-oek.yaml:3:8: fejl: starttidspunktet '25:00' er ikke et klokkeslæt "
    "(timer 0-23, minutter 0-59)",
    "cases/22-1.yaml:1:9: fejl: sagsnummeret '2022-1' har ikke formen ÅÅ/løbenummer (fx 22/291)",
    "cases/22-2.yaml:3:1: fejl: nøglen 'titel' står to gange (første gang i linje 2)",
    "organisation.yaml:6:20: fejl: protokoltitlen 'REFERATT' er ukendt; brug "
    "'BESLUTNINGSPROTOKOL', 'REFERAT' eller 'BESLUTNINGSREFERAT'",
]


def test_every_problem_in_every_file_is_reported_in_one_run(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = tjek(make_project(SEVERAL_FILES_BROKEN), capsys)
    assert code == 1
    assert len(SEVERAL_PROBLEMS) == 5
    assert first_lines(err) == [*SEVERAL_PROBLEMS, summary(5)]
    assert out == ""


def test_byg_with_errors_writes_nothing(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(SEVERAL_FILES_BROKEN)

    def files() -> list[Path]:
        # The store of what commands remember (.dagsorden/, ignored by git) is not output.
        return sorted(p for p in tmp_path.rglob("*") if ".dagsorden" not in p.parts)

    before = files()
    capsys.readouterr()
    code = main(["byg", "--projekt", str(root), "--ud", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert first_lines(captured.err) == [*SEVERAL_PROBLEMS, summary(5, wrote=True)]
    assert files() == before


def test_a_folder_or_a_looping_link_where_a_file_should_be_is_named(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    (root / "agenda" / "2023-02-14-oek.yaml").mkdir()
    (root / "cases" / "22-2.yaml").symlink_to("22-2.yaml")
    code, _, err = tjek(root, capsys)
    assert code == 1
    assert first_lines(err) == [
        "agenda/2023-02-14-oek.yaml: fejl: agenda/2023-02-14-oek.yaml er en mappe, ikke en fil",
        "cases/22-2.yaml: fejl: cases/22-2.yaml er en genvej, der ikke fører til en fil (den"
        " peger på noget, der mangler, eller på sig selv)",
        summary(2),
    ]


def test_a_key_with_a_yaml_tag_is_refused_by_a_recording_command_not_a_crash(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({MEETING: edit(MEETING, "punkter:", "!!str punkter:")})
    assert tjek(root, capsys)[0] == 0  # YAML says the same with or without the tag
    code = main(["beslut", "--projekt", str(root), "2023-01-10-oek", "1", "Godkendt."])
    err = capsys.readouterr().err
    assert code == 1
    assert first_lines(err)[0] == (
        "agenda/2023-01-10-oek.yaml:6:1: fejl: filen kan ikke opdateres: nøglen 'punkter' har"
        " et YAML-tag eller er ikke et ord; skriv den som et ord uden tag"
    )
    assert "!!str punkter:" in (root / MEETING).read_text(encoding="utf-8")
