"""Text fields: cleaning what was pasted from Word, and the Markdown subset turned into blocks."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .model import Block, BlockKind, Run

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["RAW_INVALID", "clean", "describe", "parse_markdown"]

# Characters that are not allowed in XML 1.0 or that Word uses as markers; \t and \n are fine.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# What a YAML file cannot hold, plus the line separators YAML would count as line breaks.
RAW_INVALID = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]"
)
_NAMES = {
    "\x0b": "linjeskift fra Word (Shift+Enter)",
    "\x0c": "sideskift fra Word",
    "\x07": "celleskift fra Word",
    "\u2028": "linjeskift fra Word",
    "\u2029": "afsnitsskift fra Word",
}


def describe(characters: str) -> str:
    """Name control characters for a secretary: 'sideskift fra Word', 'tegn U+0001'."""
    return ", ".join(sorted({_NAMES.get(ch, f"tegn U+{ord(ch):04X}") for ch in characters}))


def clean(value: str, *, one_line: bool = False) -> tuple[str, str]:
    """Remove control characters; return the clean text and a description of what was removed.

    In running text Word's manual line break becomes a Markdown hard line break and its page
    break a new paragraph, so the text reads as it did in Word; in a one-line field both
    become a space. Everything else is dropped.
    """
    if not _INVALID.search(value):
        return value, ""
    found = describe("".join(_INVALID.findall(value)))
    if one_line:
        value = value.replace("\x0b", " ").replace("\x0c", " ")
    else:
        value = value.replace("\x0b", "\\\n").replace("\x0c", "\n\n")
    return _INVALID.sub("", value), found


@cache
def _parser() -> MarkdownIt:
    # "zero" switches everything off; only the documented subset is switched back on, so
    # headings, links, code and HTML stay plain text. Imported here: a command whose files
    # are all in the store parses no Markdown.
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["list", "emphasis", "newline", "escape"])


# Bullets pasted from Word or a PDF are list items, as the secretary meant them.
_PASTED_BULLET = re.compile(r"^([ \t]*)[•\uf0b7▪◦‣∙·][ \t]*", re.MULTILINE)


# What can make a text more than paragraphs of plain words for the Markdown subset: marks,
# escapes, hard breaks (spaces before a line break), list markers at a line's start, pasted
# bullets, tabs and any whitespace but the space and the line break.
_MARKUP = re.compile(r"[*_\\\r\0\t•\uf0b7▪◦‣∙·]|[^\S \n]| \n|^ *(?:[-+]|\d+[.)])", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n *\n")


# The same short texts recur all through an archive ("Tiltrådt.", "Ingen.", …): each is parsed
# once per process. The result is immutable, so sharing it is safe.
@lru_cache(maxsize=4096)
def parse_markdown(source: str) -> tuple[tuple[Block, ...], bool]:
    """Parse a text field into blocks; the flag says whether nested lists were flattened."""
    if _MARKUP.search(source) is None:
        # Only paragraphs of plain text: what the parser would make of it, without the parser
        # (most texts of an archive; a test holds the two ways equal).
        return _paragraphs(source), False
    return _parse(source)


def _paragraphs(source: str) -> tuple[Block, ...]:
    blocks = []
    for paragraph in _BLANK_LINE.split(source):
        text = " ".join(line.lstrip(" ") for line in paragraph.strip(" \n").split("\n"))
        if text:
            blocks.append(Block(BlockKind.PARAGRAPH, (Run(text),)))
    return tuple(blocks)


def _parse(source: str) -> tuple[tuple[Block, ...], bool]:
    tokens = _parser().parse(_PASTED_BULLET.sub(r"\1- ", source))
    blocks: list[Block] = []
    lists: list[BlockKind] = []
    first_in_item = False
    nested = False
    for token in tokens:
        if token.type == "bullet_list_open":
            lists.append(BlockKind.BULLET)
            nested |= len(lists) > 1
        elif token.type == "ordered_list_open":
            lists.append(BlockKind.NUMBER)
            nested |= len(lists) > 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            first_in_item = True
        elif token.type == "inline":
            kind = lists[-1] if lists and first_in_item else BlockKind.PARAGRAPH
            first_in_item = False
            runs = _runs(token.children or [])
            if runs:
                blocks.append(Block(kind, runs))
    return tuple(blocks), nested


def _runs(children: list[Token]) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = 0
    for child in children:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type == "em_open":
            italic += 1
        elif child.type == "em_close":
            italic -= 1
        else:
            if child.type == "text":
                text = child.content
            elif child.type == "softbreak":
                text = " "
            elif child.type == "hardbreak":
                text = "\n"
            else:
                text = child.content
            if not text:
                continue
            run = Run(text, bold > 0, italic > 0)
            if runs and (runs[-1].bold, runs[-1].italic) == (run.bold, run.italic):
                runs[-1] = Run(runs[-1].text + text, run.bold, run.italic)
            else:
                runs.append(run)
    # Trailing spaces of a paragraph are never meant; a leading one after a break neither.
    if runs:
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic)
        if not runs[-1].text:
            runs.pop()
    return tuple(runs)
