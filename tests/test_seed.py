"""Our minutes for 22/291 must read like Norddjurs' own: every line of the seed, in order."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document

# shared/ lies beside the repository, in the work tree and in CI's clone alike.
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_308bee20ca87f98f.txt"
BULLET = "\uf0b7"
PAGE_HEADER = "Hovedudvalget 02-03-2023"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _seed_lines() -> list[tuple[str, bool]]:
    """The seed's non-empty lines, whitespace collapsed, with a flag for bullet items."""
    lines = []
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = raw.replace("\x0c", "")
        bullet = BULLET in line
        line = _norm(line.replace(BULLET, ""))
        if line and line != PAGE_HEADER:
            lines.append((line, bullet))
    return lines


def _item_paragraphs(path: Path, heading: str) -> list[tuple[str, str]]:
    """(style, text) of the paragraphs of the item whose Heading 1 is `heading`."""
    doc = Document(str(path))
    out: list[tuple[str, str]] = []
    inside = False
    for p in doc.paragraphs:
        style = p.style.name if p.style is not None else ""
        if style == "Heading 1":
            if inside:
                break
            inside = p.text == heading
            continue
        if inside:
            out.append((style, _norm(p.text)))
    return out


def test_seed_item_contains_every_seed_line_in_order(built_examples: dict[str, Path]) -> None:
    paragraphs = _item_paragraphs(
        built_examples["2023-03-02-hu/referat-intern"], "1. Udmøntningsplan 2023-2026"
    )
    assert paragraphs, "punktet 1. Udmøntningsplan 2023-2026 mangler i referatet"
    # Walk the seed's lines through the item's text; each must follow the previous one.
    text = ""
    starts: list[tuple[int, str]] = []
    for style, para in paragraphs:
        starts.append((len(text), style))
        text += para + " "
    position = 0
    for line, bullet in _seed_lines():
        found = text.find(line, position)
        assert found >= 0, f"seed-linjen mangler eller står forkert: {line!r}"
        style = [s for start, s in starts if start <= found][-1]
        if bullet:
            assert style == "List Bullet", f"{line!r} skulle være et punkt i en punktopstilling"
        position = found + len(line)


def test_seed_test_would_notice_a_missing_line(built_examples: dict[str, Path]) -> None:
    """The seed has the lines we check for; a test over an empty seed would prove nothing."""
    lines = [line for line, _ in _seed_lines()]
    assert len(lines) == 100
    assert lines[0] == "22/291 Åben Sag"
    assert "Afbud:" in lines and "Bilag:" in lines
    assert sum(bullet for _, bullet in _seed_lines()) == 5
