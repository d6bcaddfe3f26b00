"""Text fields: cleaning what was pasted from Word, and the Markdown subset turned into blocks."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from ._fast_markdown import fast_blocks
from .model import Block, BlockKind, Cell, Run

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "PICTURE_TYPES",
    "RAW_INVALID",
    "Notice",
    "Parsed",
    "Picture",
    "clean",
    "describe",
    "parse_markdown",
]

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


class Notice(NamedTuple):
    """Something in a text the subset does not show as written, at its 0-based line and
    column in the text; `{what}` in the message is the field ("sagsfremstillingen")."""

    line: int
    column: int
    message: str
    error: bool = False


class Picture(NamedTuple):
    """A picture a text shows: its file as written, at its 0-based line and column."""

    target: str
    line: int
    column: int


class Parsed(NamedTuple):
    blocks: tuple[Block, ...]
    notices: tuple[Notice, ...] = ()
    pictures: tuple[Picture, ...] = ()


# The picture files Word and LibreOffice both show, by their ending (SVG: see docs/decisions.md).
PICTURE_TYPES = (".png", ".jpg", ".jpeg")
# The link targets a reader can open from a document sent by mail or published.
_LINK_TARGET = re.compile(r"(?:https?://|mailto:)\S", re.IGNORECASE)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)

# The subset, and the constructs outside it that are recognised only to be reported (each is
# shown as the plain text it was written as, with a warning at its line).
_SUBSET = ["list", "emphasis", "newline", "escape", "table", "link", "image", "autolink", "hr"]
_REPORTED = ["heading", "blockquote", "fence", "html_block", "html_inline", "backticks"]
_UNSUPPORTED_BLOCKS = {
    "heading_open": "overskrifter med # hører ikke til tekstfelternes Markdown",
    "blockquote_open": "citater med > hører ikke til tekstfelternes Markdown",
    "fence": "kodeblokke med ``` eller ~~~ hører ikke til tekstfelternes Markdown",
    "html_block": "HTML hører ikke til tekstfelternes Markdown",
}
_AS_TEXT = "; det vises som almindelig tekst"


@cache
def _parser() -> MarkdownIt:
    # "zero" switches everything off; only the documented subset is switched back on, plus
    # what is reported as outside it. Imported here: a command whose files are all in the
    # store parses no Markdown.
    from markdown_it import MarkdownIt

    return MarkdownIt("zero", {"html": True}).enable([*_SUBSET, *_REPORTED, "strikethrough"])


# Bullets pasted from Word or a PDF are list items, as the secretary meant them.
_BULLETS = "•\uf0b7▪◦‣∙·"
_PASTED_BULLET = re.compile(rf"^([ \t]*)[{_BULLETS}][ \t]*", re.MULTILINE)


# What can make a text more than paragraphs of plain words for the Markdown subset: marks,
# escapes, pasted bullets, tabs and any whitespace but the space and the line break (`\\s` is
# what `str.isspace` says); tables, links, pictures and what is reported as outside the subset.
# With hard breaks (a space before a line break) and list markers at a line's start, looked for
# apart (`has_markup`): one class of characters and one pattern that begins with a line break
# are scanned five times as fast as the alternatives joined in one pattern.
_MARKUP_CHARACTERS = re.compile(
    rf"[*_\\\r\0\t{_BULLETS}\[|<>`~#"
    "\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
_MARKER_AFTER_BREAK = re.compile(r"\n *(?:[-+]|\d+[.)])")
_MARKER = re.compile(r" *(?:[-+]|\d+[.)])")


def has_markup(source: str) -> bool:
    """Whether the text may be more than paragraphs of plain words."""
    return (
        _MARKUP_CHARACTERS.search(source) is not None
        or " \n" in source
        or _MARKER_AFTER_BREAK.search(source) is not None
        or _MARKER.match(source) is not None
    )


_BLANK_LINE = re.compile(r"\n *\n")


# The same short texts recur all through an archive ("Tiltrådt.", "Ingen.", …): each is parsed
# once per process. The result is immutable, so sharing it is safe.
@lru_cache(maxsize=4096)
def parse_markdown(source: str) -> Parsed:
    """Parse a text field into blocks, with what it holds outside the subset and its pictures."""
    if not has_markup(source):
        # Only paragraphs of plain text: what the parser would make of it, without the parser
        # (most texts of an archive; a test holds the two ways equal).
        return Parsed(_paragraphs(source))
    # Lists and emphasis in their plain forms (most of the rest), also without the parser.
    fast = _fast(source)
    return _parse(source) if fast is None else fast


def _fast(source: str) -> Parsed | None:
    if any(bullet in source for bullet in _BULLETS):  # a tenth of the substitution's time
        source = _PASTED_BULLET.sub(r"\1- ", source)
    blocks = fast_blocks(source)
    return None if blocks is None else Parsed(blocks)


def _paragraphs(source: str) -> tuple[Block, ...]:
    blocks = []
    for paragraph in _BLANK_LINE.split(source):
        text = " ".join(line.lstrip(" ") for line in paragraph.strip(" \n").split("\n"))
        if text:
            blocks.append(Block(BlockKind.PARAGRAPH, (Run(text),)))
    return tuple(blocks)


def _parse(source: str) -> Parsed:
    text = _PASTED_BULLET.sub(r"\1- ", source)
    walk = _Walk(text.split("\n"))
    walk.tokens(_parser().parse(text))
    return Parsed(tuple(walk.blocks), tuple(walk.notices), tuple(walk.pictures))


class _Walk:
    """The parser's tokens turned into blocks, notices and pictures, in one pass."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.blocks: list[Block] = []
        self.notices: list[Notice] = []
        self.pictures: list[Picture] = []
        self.nested = False

    def tokens(self, tokens: list[Token]) -> None:
        lists: list[BlockKind] = []
        first_in_item = False
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type in ("bullet_list_open", "ordered_list_open"):
                lists.append(BlockKind.BULLET if token.type[0] == "b" else BlockKind.NUMBER)
                if len(lists) > 1 and not self.nested:
                    self.nested = True
                    self.note(token, "", "{what} har lister i lister; de vises som én liste")
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif token.type == "list_item_open":
                first_in_item = True
            elif token.type == "hr":
                self.blocks.append(Block(BlockKind.PAGE_BREAK, ()))
            elif token.type == "table_open":
                i = self.table(tokens, i)
            elif token.type in _UNSUPPORTED_BLOCKS:
                i = self.as_written(tokens, i)
            elif token.type == "inline":
                kind = lists[-1] if lists and first_in_item else BlockKind.PARAGRAPH
                first_in_item = False
                self.paragraph(kind, token, pictures=not lists)
            i += 1

    def paragraph(self, kind: BlockKind, token: Token, *, pictures: bool) -> None:
        """A paragraph or list item; a picture in a paragraph becomes a block of its own."""
        runs: list[Run] = []
        for piece in self.inline(token, pictures=pictures):
            if isinstance(piece, Block):
                if _strip(runs):
                    self.blocks.append(Block(kind, _strip(runs)))
                runs = []
                self.blocks.append(piece)
            else:
                _add(runs, piece)
        if _strip(runs):
            self.blocks.append(Block(kind, _strip(runs)))

    def table(self, tokens: list[Token], i: int) -> int:
        rows: list[tuple[Cell, ...]] = []
        row: list[Cell] = []
        align: list[str] = []
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type in ("th_open", "td_open") and not rows:
                style = str(token.attrs.get("style", ""))
                align.append(style.removeprefix("text-align:"))
            elif token.type == "inline":
                cell: list[Run] = []
                for piece in self.inline(token, pictures=False):
                    assert isinstance(piece, Run)
                    _add(cell, piece)
                row.append(_strip(cell))
            elif token.type == "tr_close":
                rows.append(tuple(row))
                row = []
            i += 1
        self.blocks.append(Block(BlockKind.TABLE, (), tuple(rows), tuple(align)))
        return i

    def as_written(self, tokens: list[Token], i: int) -> int:
        """A construct outside the subset: its lines as plain paragraphs, with a warning."""
        token = tokens[i]
        self.note(token, "", _UNSUPPORTED_BLOCKS[token.type] + _AS_TEXT)
        start, end = token.map or (0, 0)
        self.blocks.extend(_paragraphs("\n".join(self.lines[start:end])))
        if token.nesting == 1:  # skip to the matching close
            depth = 0
            while True:
                depth += tokens[i].nesting
                if depth == 0:
                    break
                i += 1
        return i

    def inline(self, token: Token, *, pictures: bool) -> list[Run | Block]:
        """The runs of an inline token (bold, italic, links); a picture as its block when
        `pictures`, else as its alt text with a warning."""
        out: list[Run | Block] = []
        bold = italic = 0
        link = ""
        for child in token.children or []:
            kind = child.type
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                link = self.link(token, str(child.attrs.get("href", "")))
            elif kind == "link_close":
                link = ""
            elif kind == "image":
                out.append(self.picture(token, child, pictures=pictures))
            else:
                text = self.text(token, child)
                if text:
                    out.append(Run(text, bold > 0, italic > 0, link))
        return out

    def text(self, token: Token, child: Token) -> str:
        if child.type == "softbreak":
            return " "
        if child.type == "hardbreak":
            return "\n"
        if child.type == "code_inline":
            written = child.markup + child.content + child.markup
            self.note(token, written, "`kode` hører ikke til tekstfelternes Markdown" + _AS_TEXT)
            return written
        if child.type in ("s_open", "s_close"):
            if child.type == "s_open":
                self.note(
                    token,
                    "~~",
                    "~~gennemstregning~~ hører ikke til tekstfelternes Markdown" + _AS_TEXT,
                )
            return child.markup
        if child.type == "html_inline":
            self.note(
                token, child.content, "HTML hører ikke til tekstfelternes Markdown" + _AS_TEXT
            )
        return child.content

    def link(self, token: Token, href: str) -> str:
        if _LINK_TARGET.match(href):
            return href
        self.note(
            token,
            href,
            f"linket til '{href}' er ikke en webadresse (https://…) eller en e-mailadresse"
            " (mailto:…); kun linkets tekst vises",
        )
        return ""

    def picture(self, token: Token, child: Token, *, pictures: bool) -> Run | Block:
        alt = "".join(c.content for c in child.children or []).strip()
        target = str(child.attrs.get("src", ""))
        line, column = self.find(token, "![")
        if not pictures:
            self.notices.append(
                Notice(
                    line,
                    column,
                    "et billede kan ikke stå i en liste eller en tabel; kun billedteksten"
                    " vises; skriv billedet i et afsnit for sig",
                )
            )
            return Run(alt)
        problem = None
        if not alt:
            problem = (
                "billedet mangler en billedtekst (alternativ tekst til den, der ikke kan se"
                f" det): skriv den mellem [ og ], fx ![Kort over Vestervej]({target})"
            )
        elif _SCHEME.match(target) or target.startswith("//"):
            problem = (
                f"billedet '{target}' er en webadresse; læg billedfilen i projektet"
                " (fx i billeder/), og skriv stien derfra"
            )
        elif not target.lower().endswith(PICTURE_TYPES):
            problem = f"billedet '{target}' skal være en PNG- eller JPEG-fil (.png, .jpg)"
        if problem is not None:
            self.notices.append(Notice(line, column, problem, error=True))
        else:
            self.pictures.append(Picture(target, line, column))
        return Block(BlockKind.IMAGE, (Run(alt),), target=target)

    def note(self, token: Token, fragment: str, message: str) -> None:
        """A warning at `fragment`, once per paragraph (`<b>` and `</b>` are one thing)."""
        line, column = self.find(token, fragment)
        start = (token.map or (line,))[0]
        if any(n.message == message and start <= n.line <= line for n in self.notices):
            return
        self.notices.append(Notice(line, column, message))

    def find(self, token: Token, fragment: str) -> tuple[int, int]:
        """Where `fragment` is first written in the lines of `token` (its first line's start
        when it cannot be found)."""
        start, end = token.map or (0, 1)
        for line in range(start, max(end, start + 1)):
            if line < len(self.lines) and (column := self.lines[line].find(fragment)) >= 0:
                if fragment or not self.lines[line].strip():
                    return line, column
                return line, len(self.lines[line]) - len(self.lines[line].lstrip())
        return start, 0


def _add(runs: list[Run], run: Run) -> None:
    """Append `run`, joined to the last one when they look the same."""
    last = runs[-1] if runs else None
    if last is not None and (last.bold, last.italic, last.link) == (run.bold, run.italic, run.link):
        runs[-1] = Run(last.text + run.text, run.bold, run.italic, run.link)
    else:
        runs.append(run)


def _strip(runs: list[Run]) -> tuple[Run, ...]:
    """Trailing spaces of a paragraph are never meant; a leading one after a picture neither."""
    out = list(runs)
    if out:
        out[0] = Run(out[0].text.lstrip(" "), out[0].bold, out[0].italic, out[0].link)
        if not out[0].text:
            out.pop(0)
    if out:
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold, out[-1].italic, out[-1].link)
        if not out[-1].text:
            out.pop()
    return tuple(out)
