"""Lists and emphasis without the parser: the blocks markdown-it makes of a text written only in
the plain forms of the subset, or None for any text that holds something else.

Accepted: paragraphs; list items at a line's start (`- `, `* `, `+ `, `1. `, `1) `) with text
after the marker and lazy continuation lines; `**bold**`, `__bold__`, `*italic*`, `_italic_`
that open after a space, a line break or `(` and before a letter or digit, and close after a
letter or digit and before a space, a line break or one of `.,:;?)`, never a kind inside the
same kind. Everything else goes to the parser: a wrong block is a wrong legal document, while
the parser costs only a fraction of a millisecond. A property test (tests/test_text.py) holds
this module's blocks equal to the parser's.
"""

from __future__ import annotations

import re

from .model import Block, BlockKind, Run

__all__ = ["fast_blocks"]

# Every white space character (`str.isspace`) but the space and the line break, as ranges.
_OTHER_SPACE = "\t\r\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Escapes, the characters of links, pictures, tables, code, strikethrough, HTML and what is
# outside the subset, and other white space. (One character class, with the tests for hard
# breaks and indented lines in `fast_blocks`, costs a quarter of one search that has
# `[^\S \n]| \n|^ ` in it.)
_DOUBTFUL = re.compile(r"[\\\0\[\]<>`|~#!" + _OTHER_SPACE + "]")
# A list item with text after its marker; an ordered one's number as the parser reads it.
_ITEM = re.compile(r"(?:[-*+]|(\d{1,9})[.)]) (?=\S)")
# What the parser may take as a list marker: where `_ITEM` finds none (an empty item, a number
# of ten digits) or in an item's text (a list in a list), the text goes to the parser.
_MARKER = re.compile(r"(?:[-*+]|\d+[.)])(?: |$)")
_THEMATIC_BREAK = re.compile(r"([-*_])(?: *\1){2,} *")
_MARKER_STARTS = frozenset("-*+_0123456789")  # how a list item or a thematic break begins
_DELIMITER = re.compile(r"\*+|_+")
_OPENS_AFTER = " \n("
_CLOSES_BEFORE = " \n.,:;?)"


def fast_blocks(source: str) -> tuple[Block, ...] | None:
    """The blocks of a text of plain paragraphs, lists and emphasis; None for anything else."""
    if (
        _DOUBTFUL.search(source)
        or " \n" in source  # a hard break or a trailing space
        or "\n " in source  # an indented line
        or source.startswith(" ")
    ):
        return None
    blocks: list[Block] = []
    kind: BlockKind | None = None  # the block the current line continues; None after a blank
    lines: list[str] = []
    for line in [*source.split("\n"), ""]:
        item = None
        if line[:1] in _MARKER_STARTS:
            item = _ITEM.match(line)
            if _THEMATIC_BREAK.fullmatch(line) or (item is None and _MARKER.match(line)):
                return None
        if line and item is None:
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
                or _MARKER.match(text)  # a list in a list
                or _THEMATIC_BREAK.fullmatch(text)
            ):
                return None
            kind = BlockKind.NUMBER if number is not None else BlockKind.BULLET
            lines = [text]
    return tuple(blocks)


def _runs(text: str) -> tuple[Run, ...] | None:
    """The runs of one paragraph or item, or None when its emphasis is not in a plain form.

    Each delimiter changes the formatting (no kind inside the same kind, no empty span), so no
    two neighbouring runs look the same: there is nothing left for `text._add` to join."""
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
