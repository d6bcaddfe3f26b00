"""The CPR guard reads a number as a reader of the public document would read it.

Each form below is a CPR number to the eye; each stops `tjek` and `byg` at the place in the
YAML where the number begins. The look-alikes below them (dates, phone numbers, sums, case,
document and KLE numbers) do not.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, MakeProject
from dagsorden.cli import main
from dagsorden.cpr import cpr_numbers, date_prefixes, find_cpr

MESSAGE = (
    "fejl: her står noget, der ligner et CPR-nummer, og teksten kommer med i den offentlige"
    " udgave; fjern det, eller skriv !ikke-cpr lige efter feltets kolon"
    " (fx 'Sagsfremstilling: !ikke-cpr |'), hvis det ikke er et CPR-nummer"
)

# Stopped before the guard learnt to read as a reader does (issue 10's sweep: 26 forms).
EARLIER_FORMS = [
    "Borgeren 010190-1234 klager.",
    "Borgeren 0101901234 klager.",
    "Borgeren 010190 1234 klager.",
    "Borgeren 010190\u00a01234 klager.",  # no-break space
    "Borgeren 010190\u20101234 klager.",  # hyphen
    "Borgeren 010190\u20111234 klager.",  # non-breaking hyphen
    "Borgeren 010190\u20131234 klager.",  # en dash
    "Borgeren **010190**-1234 klager.",
    "Borgeren *010190*-1234 klager.",
    "Borgeren **010190-1234** klager.",
    "Borgeren *010190-1234* klager.",
    "Borgeren _010190-1234_ klager.",
    "Borgeren 010190-**1234** klager.",
    "Borgeren ***010190***-1234 klager.",
    "Borgeren **0101**90-1234 klager.",
    "Borgeren 290200-1234 klager.",  # the leap day of 2000
    "Borgeren 311299-1234 klager.",
    "Borgeren 010105-1234 klager.",
    "Borgeren (010190-1234) klager.",
    "Borgerens CPR: 010190-1234.",
    "Borgeren 010190-1234, som klager.",
    "010190-1234 klager.",
    "Klagen er fra CPR-nr.010190-1234",
    "- Borgeren 010190-1234 klager.",
    "1. Borgeren 010190-1234 klager.",
    "Borgeren \uff10\uff11\uff10\uff11\uff19\uff10-\uff11\uff12\uff13\uff14 klager.",  # fullwidth
]

# The 16 forms the sweep found in the public .docx.
READER_FORMS = [
    "Borgeren 010190\u20141234 klager.",  # em dash
    "Borgeren 010190\u22121234 klager.",  # minus sign
    "Borgeren 010190\u20121234 klager.",  # figure dash
    "Borgeren 010190\u202f1234 klager.",  # narrow no-break space
    "Borgeren 010190\u20091234 klager.",  # thin space
    "Borgeren 0101\u200b90-1234 klager.",  # zero-width space inside
    "Borgeren 010190-12\u00ad34 klager.",  # soft hyphen inside
    "Borgeren 01\u206001\u206090-1234 klager.",  # word joiners inside
    "Borgeren _010190_-1234 klager.",
    "Borgeren 010190\\-1234 klager.",
    "Borgeren 010190\\\n1234 klager.",  # a forced line break (Markdown's backslash)
    "Borgeren 010190-\n1234 klager.",  # a line break in the paragraph, after the dash
    "Borgeren 010190 - 1234 klager.",
    "Borgeren 010190/1234 klager.",
    "Borgeren 01.01.90-1234 klager.",
    "Borgeren 01 01 90-1234 klager.",
]

LOOK_ALIKES = [
    "Mødet den 2023-03-02, den 02-03-2023 og den 02.03.2023 kl. 16.00-18.00.",
    "Ring på 86 18 18 18 eller +45 89 59 10 00.",
    "Prisen er 1.234.567 kr., i alt 12 345 678,00 kr.",
    "Sagen har sagsnummer 23/1234 og 22/291.",
    "Notatet har dokumentnummer 12345/23 og 151433/22.",
    "Journalnummer (KLE) 01.02.05-P16-3-26 og 00.01.00P35.",
    "Fra 01.01.2023-31.12.2023, den 02.03.2023 1330, bilag 12.345.678 og konto 1234-0102031234.",
    "Journal 320103-1234 og 011399-1234; telefon 20 12 90 12.",
]


def _case(line: str, *, tag: str = "") -> str:
    text = line.replace("\n", "\n    ")
    return (
        "sagsnr: 22/1\ntitel: Budget\nsagsgang: [ØK]\nafsnit:\n"
        f"  Sagsfremstilling: {tag}|\n    Indledning.\n\n    {text}\n"
    )


def _column(line: str) -> int:
    """Where the number begins: the first digit of the line's text (after the list marker)."""
    start = len("1. ") if line.startswith("1. ") else 0
    return 5 + next(i for i in range(start, len(line)) if line[i].isdecimal())


def _tjek(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["tjek", "--projekt", str(root)])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if ": fejl: " in line or ": advarsel: " in line]


@pytest.mark.parametrize("line", EARLIER_FORMS + READER_FORMS)
def test_every_form_a_reader_reads_as_a_cpr_number_stops_the_public_build(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    root = make_project({"cases/22-1.yaml": _case(line)})
    assert _tjek(root, capsys) == (1, [f"cases/22-1.yaml:8:{_column(line)}: {MESSAGE}"])


def test_the_forms_are_42_and_each_is_the_same_number() -> None:
    forms = EARLIER_FORMS + READER_FORMS
    assert len(set(forms)) == 42
    for line in forms:
        dates = ("290200-1234", "311299-1234", "010105-1234")
        expected = next((n for n in dates if n[:6] in line), "010190-1234")
        assert [n for _, n in find_cpr(line)] == [expected], line
        assert cpr_numbers([line]) == {expected}, line


def test_a_build_stops_before_writing_anything(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"cases/22-1.yaml": _case("Borgeren 01.01.90\u20141234 klager.")})
    code = main(["byg", "--projekt", str(root), "--uden-pdf"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"cases/22-1.yaml:8:14: {MESSAGE}" in err.splitlines()
    assert "Traceback" not in err
    assert not (root / "out").exists()


@pytest.mark.parametrize("line", READER_FORMS[:3] + READER_FORMS[-3:])
def test_the_opt_out_and_a_closed_case_still_hold(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    assert _tjek(make_project({"cases/22-1.yaml": _case(line, tag="!ikke-cpr ")}), capsys) == (
        0,
        [],
    )
    closed = _case(line).replace("sagsgang:", "adgang: Lukket\nsagsgang:")
    assert _tjek(make_project({"cases/22-1.yaml": closed}), capsys) == (0, [])


@pytest.mark.parametrize("line", LOOK_ALIKES)
def test_dates_phone_numbers_sums_and_case_numbers_are_not_cpr_numbers(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    assert find_cpr(line) == []
    titled = _case(line).replace("titel: Budget", f"titel: {line.split(',')[0]}")
    assert _tjek(make_project({"cases/22-1.yaml": titled}), capsys) == (0, [])


def test_a_number_never_runs_from_one_text_into_the_next() -> None:
    assert cpr_numbers(["Borgeren 010190", "1234 klager."]) == set()
    assert cpr_numbers(["Borgeren 010190\n1234 klager."]) == {"010190-1234"}


def test_a_digit_hidden_before_the_number_by_an_invisible_character_still_counts() -> None:
    # "1​010190-1234" reads as eleven digits: no CPR number.
    assert find_cpr("Konto 1\u200b010190-1234") == []
    assert find_cpr("Konto 1-\u00ad010190-1234") == []
    assert find_cpr("Konto 1234\u200b-0102031234") == []


def test_the_date_parts_follow_every_way_of_writing_the_date() -> None:
    assert "010190" in date_prefixes("01.01.90")
    assert "010190" in date_prefixes("01 01 90")
    assert "010190" in date_prefixes("0101\u200b90")
    assert "010190" in date_prefixes("**0101**90")
    assert date_prefixes("Sag 23/1234 af 2023-03-02") == set()


def test_a_number_after_a_word_and_a_dash_is_one(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    # Only a dash after a digit makes the number part of a longer one (1234-0102031234).
    line = "Borgerens CPR-010190-1234 er noteret."
    root = make_project({"cases/22-1.yaml": _case(line)})
    assert _tjek(root, capsys) == (1, [f"cases/22-1.yaml:8:{_column(line)}: {MESSAGE}"])


_INVISIBLE = st.sampled_from(["", "", "\u200b", "\u00ad", "\u2060", "\ufeff", "*", "_", "\\"])
_DATE_SEP = st.sampled_from(["", ".", " ", ". ", "\u00a0", "\u202f", "\u2009"])
_GAP = st.sampled_from(
    [
        *["", "-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"],
        *[" ", "\u00a0", "\u202f", "\u2009", "\n", " - ", " \u2013 ", "/", "-\n", "\\\n", "  \n"],
    ]
)


@given(st.data())
def test_any_mix_of_separators_and_invisible_characters_is_read_as_the_number(
    data: st.DataObject,
) -> None:
    def noise() -> str:
        return data.draw(_INVISIBLE)

    def two(pair: str) -> str:
        return pair[0] + noise() + pair[1]

    date_sep = data.draw(_DATE_SEP)
    written = (
        two("01") + noise() + date_sep + noise() + two("01") + noise() + date_sep + noise()
        + two("90") + noise() + data.draw(_GAP) + noise() + two("12") + noise() + two("34")
    )  # fmt: skip
    text = f"Borgeren {written} klager."
    assert find_cpr(text) == [(written, "010190-1234")]
    assert cpr_numbers([text]) == {"010190-1234"}
    assert "010190" in date_prefixes(text)


def test_the_example_project_has_no_false_stop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "eksempel"
    root.mkdir()
    shutil.copy(ROOT / "organisation.yaml", root)
    for folder in ("cases", "agenda", "bilag", "templates"):
        shutil.copytree(ROOT / folder, root / folder)
    assert main(["tjek", "--projekt", str(root)]) == 0
    assert capsys.readouterr().out == "Alt er i orden.\n"
