"""The CPR guard builds only the public documents a candidate can reach, with the same result.

A candidate is reported when its number stands anywhere in a public document; these projects
put the number where only some meetings show it, and in places other than the candidate's own
file, and pin what `tjek` says.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MakeProject
from dagsorden.cli import main

ORGANISATION = """\
    kommune: Testrup Kommune
    standardafsnit: [Sagsfremstilling]
    udvalg:
      ØK:
        navn: Økonomiudvalget
      KB:
        navn: Kommunalbestyrelsen
    personer:
      Anna Andersen:
        - {udvalg: ØK, parti: A, fra: 2022-01-01}
        - {udvalg: KB, parti: A, fra: 2022-01-01}
      Bo Berg:
        - {udvalg: ØK, parti: V, fra: 2022-01-01%s}
        - {udvalg: KB, parti: V, fra: 2022-01-01}
    """


def _case(number: str, text: str, *, closed: bool = False) -> str:
    access = "adgang: Lukket\n" if closed else ""
    return (
        f"sagsnr: {number}\ntitel: Sag {number}\n{access}sagsgang: [ØK, KB]\n"
        f"afsnit:\n  Sagsfremstilling: {text}\n"
    )


def _meeting(body: str, date: str, items: str) -> str:
    return f"udvalg: {body}\ndato: {date}\nstart: 16:00\nsted: Rådhuset\npunkter:\n{items}"


def _project(make_project: MakeProject, files: dict[str, str | None], org: str = "") -> Path:
    return make_project(
        {
            "organisation.yaml": ORGANISATION % org,
            "cases/22-1.yaml": None,
            "agenda/2023-01-10-oek.yaml": None,
            "cases/23-1.yaml": _case("23/1", "Åben tekst."),
            "cases/23-2.yaml": _case("23/2", "Lukket tekst.", closed=True),
            "agenda/2023-02-07-oek.yaml": _meeting("ØK", "2023-02-07", "  - sag: 23/2\n"),
            "agenda/2023-03-07-oek.yaml": _meeting("ØK", "2023-03-07", "  - sag: 23/1\n"),
            **files,
        }
    )


def _errors(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    code = main(["--projekt", str(root), "tjek"])
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).splitlines()
    errors = [line.split(": fejl: ")[0] for line in lines if ": fejl: " in line]
    assert code == (1 if errors else 0)
    return errors


def test_a_number_only_in_closed_text_is_no_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(
        make_project, {"cases/23-2.yaml": _case("23/2", "CPR 010203-1234.", closed=True)}
    )
    assert _errors(root, capsys) == []


def test_a_closed_number_is_reported_when_the_same_number_is_public_elsewhere(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    # The open case's copy is opted out, and is on another meeting than the closed case.
    root = _project(
        make_project,
        {
            "cases/23-1.yaml": _case("23/1", "!ikke-cpr Aftale 010203-1234."),
            "cases/23-2.yaml": _case("23/2", "CPR 010203-1234.", closed=True),
        },
    )
    assert _errors(root, capsys) == ["cases/23-2.yaml:6:25"]


def test_a_closed_number_is_reported_when_a_line_break_makes_it_public_elsewhere(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    # A single line break inside a paragraph reads as a space: "010203 1234". The open text is
    # a candidate of its own, and it makes the closed one's number public too.
    root = _project(
        make_project,
        {
            "cases/23-1.yaml": _case("23/1", "|\n    Nummer 010203\n    1234 her."),
            "cases/23-2.yaml": _case("23/2", "CPR 010203-1234.", closed=True),
        },
    )
    assert _errors(root, capsys) == ["cases/23-1.yaml:6:12", "cases/23-2.yaml:6:25"]


def test_a_closed_number_is_reported_when_an_opted_out_text_in_another_form_is_public(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same number with dots, a thin space and a minus sign is the same number to a reader.
    root = _project(
        make_project,
        {
            "cases/23-1.yaml": _case("23/1", "!ikke-cpr Aftale 01.02.03\u2009\u22121234."),
            "cases/23-2.yaml": _case("23/2", "CPR 010203-1234.", closed=True),
        },
    )
    assert _errors(root, capsys) == ["cases/23-2.yaml:6:25"]


def test_a_decision_reaches_the_case_s_later_meetings_in_the_history(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    # Decided openly in ØK, the decision is public in ØK's minutes and in KB's history.
    decided = "  - sag: 23/1\n    beslutning: Borgeren 010203-1234 klagede.\n"
    root = _project(
        make_project,
        {
            "agenda/2023-03-07-oek.yaml": _meeting("ØK", "2023-03-07", decided),
            "agenda/2023-03-30-kb.yaml": _meeting("KB", "2023-03-30", "  - sag: 23/1\n"),
        },
    )
    assert _errors(root, capsys) == ["agenda/2023-03-07-oek.yaml:7:26"]


def test_a_number_in_the_organisation_reaches_every_meeting(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(make_project, {}, org=", stilling: Nr. 010203-1234")
    assert _errors(root, capsys) == ["organisation.yaml:13:61"]
