"""Taking an item off the agenda (`plan.remove_item`, `dagsorden punkter MØDE --fjern PUNKT`):
gone from a planned meeting, on the supplementary agenda as withdrawn once the agenda is sent,
refused once the meeting is held or when something was recorded at the item."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_example
from dagsorden import record
from dagsorden.errors import RecordError
from docxdump import dump
from test_record import HU_AGENDA, run

MEETING = "2023-03-02-hu"
FILE = f"agenda/{MEETING}.yaml"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = copy_example(tmp_path / "projekt")
    (root / FILE).write_text(HU_AGENDA, encoding="utf-8")
    return root


def text(root: Path) -> str:
    return (root / FILE).read_text(encoding="utf-8")


def test_an_item_goes_from_a_planned_meeting_and_delvis_follows_the_numbers(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / FILE).write_text(
        text(example).replace(
            "punkter:\n",
            "delvis:\n  - navn: Jan Hove Ebbesen  # kom efter punkt 2\n"
            "    ankom: 13:40\n    punkter: [1, 2]\n"
            "  - navn: Christian Bertelsen\n    gik: 14:30\n    punkter: [3]\npunkter:\n",
        ),
        encoding="utf-8",
    )
    assert run(example, "punkter", MEETING, "--fjern", "22/291") == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "punkt 1 (sag 22/291) er taget af dagsordenen. Punktet fjernes fra mødefilen.\n"
    )
    assert "1    23/1532  Sygefravær og arbejdsmiljø 2022" in out
    written = text(example)
    assert "22/291" not in written
    assert "# Hovedudvalgets møde i marts: dagsordenen, som den blev sendt ud.\n" in written
    assert "  - navn: Jan Hove Ebbesen  # kom efter punkt 2\n" in written
    assert "    punkter: [1]\n" in written  # was item 2
    assert "    punkter: [2]\n" in written  # Meddelelser, was item 3
    assert written.index("  - sag: 23/1532\n") < written.index("  - titel: Meddelelser\n")


def test_on_a_sent_meeting_the_item_is_listed_as_withdrawn_on_the_supplement(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record.set_status(example, MEETING, "udsendt", pdf=False)
    assert run(example, "punkter", MEETING, "--fjern", "2") == 0
    assert capsys.readouterr().out.startswith(
        "punkt 2 (sag 23/1532) er taget af dagsordenen. Punktet står på den udsendte"
        " dagsorden; det kommer på tillægsdagsordenen som taget af.\n"
    )
    assert run(example, "byg", MEETING, "--uden-pdf") == 0
    for edition in ("intern", "offentlig"):
        shown = dump(example / "out" / MEETING / f"tillaegsdagsorden-{edition}.docx")
        assert (
            "[Heading 1] Sygefravær og arbejdsmiljø 2022\n"
            "[Normal] Punktet (nr. 2 på den udsendte dagsorden) er taget af dagsordenen.\n"
        ) in shown
    # An item put on after sending was never on the sent agenda: it simply goes again.
    record.add_item(example, MEETING, title="Eventuelt")
    done = record.remove_item(example, MEETING, 3)
    assert done.item == "punkt 3 (Eventuelt)"
    assert done.consequence == (
        "Punktet er sat på efter udsendelsen; det fjernes fra mødefilen og fra tillægsdagsordenen."
    )
    assert "Eventuelt" not in text(example)


def test_a_held_meeting_and_an_item_with_a_decision_keep_their_items(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record.decide(example, MEETING, 3, "Taget til efterretning.")
    before = text(example)
    assert run(example, "punkter", MEETING, "--fjern", "3") == 1
    assert capsys.readouterr().err == (
        "agenda/2023-03-02-hu.yaml: fejl: ved punkt 3 (Meddelelser) er der skrevet en"
        " beslutning; fjern det først, hvis punktet skal af dagsordenen\n"
    )
    record.set_status(example, MEETING, "udsendt", pdf=False)
    record.set_status(example, MEETING, "afholdt", pdf=False)
    before = text(example)
    with pytest.raises(RecordError) as refused:
        record.remove_item(example, MEETING, "23/1532")
    assert str(refused.value) == (
        "agenda/2023-03-02-hu.yaml: fejl: mødet 2023-03-02-hu er afholdt, så punkt 2"
        " (sag 23/1532) kan ikke tages af dagsordenen; skriv i stedet beslutningen"
        " (fx 'Udsat.')"
    )
    assert text(example) == before
