"""Lists and emphasis without the parser: the blocks markdown-it makes of a text written only in
the plain forms of the subset, or None for any text that holds something else.

Accepted: paragraphs; list items at a line's start (`- `, `* `, `+ `, `1. `, `1) `) with text
after the marker and lazy continuation lines; `**bold**`, `__bold__`, `*italic*`, `_italic_`
that open after a space, a line break or `(` and close before one or before `.,:;?)`, never a
kind inside the same kind. Everything else goes to the parser: a wrong block is a wrong legal
document, while the parser costs only a fraction of a millisecond. A property test
(tests/test_text.py) holds this module's blocks equal to the parser's.
"""

from __future__ import annotations

import re

from .model import Block, BlockKind, Run

__all__ = ["fast_blocks"]

# Escapes and the characters of links, pictures, tables, code, strikethrough, HTML and what is
# outside the subset; white space but the space and the line break. (Two searches and the
# tests for hard breaks and indented lines in `fast_blocks` take a third of one search for all.)
_DOUBTFUL = re.compile(r"[\\\0\[\]<>`|~#!]")
_OTHER_SPACE = re.compile(r"[^\S \n]")
# A list item with text after its marker; an ordered one's number as the parser reads it.
_ITEM = re.compile(r"(?:[-*+]|(\d{1,9})[.)]) (?=\S)")
# Anything the parser may take as a list marker: an empty item, a number of ten digits.
_MARKER = re.compile(r"(?:[-*+]|\d+[.)])(?: |$)")
_THEMATIC_BREAK = re.compile(r"([-*_])(?: *\1){2,} *")
_DELIMITER = re.compile(r"\*+|_+")
_OPENS_AFTER = " \n("
_CLOSES_BEFORE = " \n.,:;?)"


def fast_blocks(source: str) -> tuple[Block, ...] | None:
    """The blocks of a text of plain paragraphs, lists and emphasis; None for anything else."""
    if (
        _DOUBTFUL.search(source)
        or _OTHER_SPACE.search(source)
        or " \n" in source  # a hard break or a trailing space
        or "\n " in source  # an indented line
        or source.startswith(" ")
    ):
        return None
    blocks: list[Block] = []
    kind: BlockKind | None = None  # the block the current line continues; None after a blank
    lines: list[str] = []
    for line in [*source.split("\n"), ""]:
        item = _ITEM.match(line)
        if line and not item:
            if _MARKER.match(line) or _THEMATIC_BREAK.fullmatch(line):
                return None
            kind = kind or BlockKind.PARAGRAPH  # after an item: its lazy continuation
            lines.append(line)
            continue
        previous = kind
        if kind is not None:
            runs = _runs("\n".join(lines).strip(" "))
            if runs is None:
                return None
            blocks.append(Block(kind, runs))
        kind, lines = None, []
        if item:
            text = line[item.end() :]
            number = item[1]
            if (
                # a number other than 1 after a paragraph line continues the paragraph
                (previous is BlockKind.PARAGRAPH and number is not None and int(number) != 1)
                or _THEMATIC_BREAK.fullmatch(line)
                or _MARKER.match(text)  # a list in a list
                or _THEMATIC_BREAK.fullmatch(text)
            ):
                return None
            kind = BlockKind.NUMBER if number is not None else BlockKind.BULLET
            lines = [text]
    return tuple(blocks)


def _runs(text: str) -> tuple[Run, ...] | None:
    """The runs of one paragraph or item, or None when its emphasis is not in a plain form.

    Each delimiter changes the formatting (no kind inside the same kind, no empty span), so
    no two neighbouring runs look the same: they are the runs the parser's walk joins."""
    if "*" not in text and "_" not in text:
        return (Run(text.replace("\n", " ")),)
    runs: list[Run] = []
    spans: list[str] = []  # the open delimiters, outermost first
    start = 0
    for match in _DELIMITER.finditer(text):
        delimiter = match[0]
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if start < match.start():
            runs.append(_run(text[start : match.start()], spans))
        start = match.end()
        if (
            len(delimiter) <= 2
            and before in _OPENS_AFTER
            and after.isalnum()
            and all(len(span) != len(delimiter) for span in spans)
        ):
            spans.append(delimiter)
        elif spans and spans[-1] == delimiter and before.isalnum() and after in _CLOSES_BEFORE:
            spans.pop()
        else:
            return None
    if spans:
        return None
    if start < len(text):
        runs.append(_run(text[start:], spans))
    return tuple(runs)


def _run(text: str, spans: list[str]) -> Run:
    lengths = {len(span) for span in spans}
    return Run(text.replace("\n", " "), bold=2 in lengths, italic=1 in lengths)
