"""Golden dumps of every example document: one line per paragraph with its Word style."""

from __future__ import annotations

from pathlib import Path

import pytest

from docxdump import dump

GOLDEN = Path(__file__).parent / "golden"


DOCUMENTS = [
    f"{meeting}/{document}-{edition}"
    for meeting, minutes in [
        ("2022-12-06-oek", "beslutningsprotokol"),
        ("2022-12-13-kb", "beslutningsprotokol"),
        ("2023-03-02-hu", "referat"),
    ]
    for document in ("dagsorden", minutes)
    for edition in ("intern", "offentlig")
]


def test_every_example_meeting_gives_both_editions_of_agenda_and_minutes(
    built_examples: dict[str, Path],
) -> None:
    assert sorted(built_examples) == sorted(DOCUMENTS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_matches_golden_dump(
    name: str, built_examples: dict[str, Path], request: pytest.FixtureRequest
) -> None:
    golden = GOLDEN / f"{name}.txt"
    actual = dump(built_examples[name])
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} mangler; kør 'make golden' og gennemse resultatet"
    assert actual == golden.read_text(encoding="utf-8")
