"""Writing back into the secretary's YAML files without losing anything she wrote.

Files are edited round-trip with ruamel.yaml, so comments, key order, quoting, flow lists and
block texts stay as she wrote them. Each edit holds an exclusive lock on the file, so two commands
cannot lose each other's update, and replaces the file atomically, so a crash leaves either the
old or the new file, never a half-written one (`_atomic`).

Change the yielded document with `set_value`, `append_value`, `insert_value` and `delete_value`,
and make texts with `text_value`: plain assignment and `del` work too, but put a new key below
the comment lines that end the block it joins, keep the old value's quoting, and lose or misplace
the comments around what is removed. `create_yaml` writes a new file in the same style.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from ._atomic import create, locked, read, remove_stale_temporaries, replace
from ._nodes import Composer
from .errors import DagsordenError, Location, Problem, ProblemsError, Severity
from .text import RAW_INVALID

__all__ = [
    "append_value",
    "create_yaml",
    "delete_value",
    "edit_yaml",
    "insert_value",
    "set_value",
    "text_value",
]

_DEFAULT_INDENT = (2, 4, 2)  # mapping, sequence, offset: "punkter:\n  - sag: 22/291"
# Plain words the reader takes for "no value"; written as text they need quotes.
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
# Characters the YAML parser refuses but the reader tolerates (pasted from Word) are carried
# through the edit as private-use stand-ins and put back as they were.
_MASK_BASE = 0xF0000
_MASKED = re.compile("[\U000f0000-\U000fffff]")


@contextmanager
def edit_yaml(
    path: Path,
    *,
    timeout: float = 10.0,
    name: str | None = None,
    validate: Callable[[bytes], None] | None = None,
) -> Iterator[CommentedMap]:
    """Lock a YAML file, yield its document for changing, and save the change atomically.

    Nothing is written if the block raises, if nothing changed, or if another program changed
    the file meanwhile. `name` is how messages name the file (default: the path as given).
    """
    shown = name if name is not None else str(path)
    target = Path(os.path.realpath(path))
    if not target.is_file():
        raise DagsordenError(f"{shown} findes ikke; intet er skrevet")
    with locked(target, shown, timeout):
        remove_stale_temporaries(target)
        original = read(target, shown)
        source = _Source.parse(original, shown)
        yield source.document
        new = source.render(shown)
        if new == original:
            return
        if validate is not None:  # may raise: then nothing is written
            validate(new)
        if read(target, shown) != original:
            raise DagsordenError(
                f"{shown} er ændret af et andet program, mens den blev opdateret;"
                " intet er skrevet – prøv igen"
            )
        replace(target, new, shown)


def text_value(text: str) -> str:
    """Text as the secretary writes it: one line plain, several lines as a `|` block."""
    body = text.strip("\n")
    value: str = body
    if "\n" in body:
        value = LiteralScalarString(body + "\n")
    elif body in _NULL_WORDS:
        value = SingleQuotedScalarString(body)
    return value


def set_value(mapping: CommentedMap, key: str, value: Any) -> None:
    """Set `mapping[key]`, keeping the comments and blank lines around it where they were.

    A new key goes last; the comments that ended the mapping still end it, after the new key.
    """
    value = _commented(value)
    if key in mapping:
        eol, column, lines = _take_comments(_entry_slot(mapping, key), None)
        # insert, not assignment: assigning would keep the old value's quoting or block style
        mapping.insert(list(mapping).index(key), key, value)
        slot = _entry_slot(mapping, key)
        if eol and (slot[0] is not mapping or not _holds_eol(slot)):
            # The line the comment stood on is gone; the comment follows the new value.
            lines = " " * _key_column(mapping, key) + eol + "\n" + lines
            eol = ""
        _give_comments(slot, eol, column, lines)
        return
    lines = ""
    last = _last_slot(mapping)
    if last is not None:
        lines = _take_comments(last, _column(mapping))[2]
    mapping[key] = value
    _give_comments(_entry_slot(mapping, key), "", 0, lines)


def append_value(seq: CommentedSeq, value: Any) -> None:
    """Append to a list, keeping the comments that ended the list after the new item."""
    insert_value(seq, len(seq), value)


def insert_value(seq: CommentedSeq, index: int, value: Any) -> None:
    """Insert into a list before `index`; comment lines above the item there stay above it."""
    value = _commented(value)
    lines = ""
    if 0 < index <= len(seq) and _is_block(seq):
        lines = _take_comments(_entry_slot(seq, index - 1), _column(seq))[2]
    seq.insert(index, value)
    _give_comments(_entry_slot(seq, index), "", 0, lines)


def delete_value(mapping: CommentedMap, key: str, index: int | None = None) -> None:
    """Remove `mapping[key]`, or item `index` of the list there; a list left empty goes too.

    What was removed takes its own end-of-line comment and the comment lines inside it along;
    the comment lines after it belong to what comes next, so they stay, after the entry
    before it or above the next one when it was the first.
    """
    seq = mapping[key]
    if index is not None and isinstance(seq, CommentedSeq) and len(seq) > 1:
        _delete(seq, index, _column(seq))
    else:
        _delete(mapping, key, _key_column(mapping, key))


def _delete(node: CommentedMap | CommentedSeq, key: Any, column: int) -> None:
    _, _, lines = _take_comments(_entry_slot(node, key), column)
    position = list(node).index(key) if isinstance(node, CommentedMap) else int(key)
    del node[key]
    if isinstance(node, CommentedMap):
        node.ca.items.pop(key, None)
    if not lines:
        return
    if position > 0:
        previous = list(node)[position - 1] if isinstance(node, CommentedMap) else position - 1
        _give_comments(_entry_slot(node, previous), "", 0, lines)
        return
    # The first entry went: its following lines now stand above the new first one.
    stripped = lines.lstrip(" ")
    token = CommentToken(stripped, CommentMark(len(lines) - len(stripped)), None)
    if node.ca.comment is None:
        node.ca.comment = [None, []]
    if node.ca.comment[1] is None:
        node.ca.comment[1] = []
    node.ca.comment[1].append(token)


def create_yaml(
    path: Path,
    document: dict[str, Any],
    *,
    name: str | None = None,
    validate: Callable[[bytes], None] | None = None,
) -> None:
    """Write a new YAML file in the house style; refuse, writing nothing, if it exists."""
    shown = name if name is not None else str(path)
    if path.exists():
        raise DagsordenError(f"{shown} findes allerede; intet er skrevet")
    data = _dump(_commented(document), _DEFAULT_INDENT).encode("utf-8")
    if validate is not None:  # may raise: then nothing is written
        validate(data)
    create(path, data, shown)


# --- reading and writing YAML -------------------------------------------------------------------


class _TextResolver(VersionedResolver):
    """Every plain scalar is text, as the reader sees it: `12:30` and `no` stay as written."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


def _yaml(indent: tuple[int, int, int] = _DEFAULT_INDENT) -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _TextResolver
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.width = sys.maxsize  # never re-wrap a long line
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


class _Source:
    """One file's text and document, and how to turn the document back into the file's bytes."""

    def __init__(self, text: str, document: CommentedMap, bom: bool, crlf: bool, mask: bool):
        self.text = text
        self.document = document
        self.bom = bom
        self.crlf = crlf
        self.mask = mask
        self.indent = _guess_indent(document)
        self.before = _dump(document, self.indent)

    @classmethod
    def parse(cls, data: bytes, shown: str) -> _Source:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _problem(
                Location(shown, line, 1),
                "filen er ikke gemt som UTF-8; gem den igen med tegnsættet UTF-8",
            ) from exc
        bom = text.startswith("\ufeff")
        text = text.removeprefix("\ufeff")
        crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
        if crlf:
            text = text.replace("\r\n", "\n")
        mask = not _MASKED.search(text)
        if mask:
            text = RAW_INVALID.sub(lambda m: chr(_MASK_BASE + ord(m.group())), text)
        try:
            document = _yaml().load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            lines = text.split("\n")
            location = Location(shown)
            if mark is not None and 0 <= mark.line < len(lines):
                location = Location(shown, mark.line + 1, mark.column + 1, lines[mark.line])
            raise _problem(
                location,
                "filen kan ikke opdateres, før YAML-fejlen er rettet; 'dagsorden tjek' viser den",
            ) from exc
        if not isinstance(document, CommentedMap):
            raise _problem(
                Location(shown),
                "filen kan ikke opdateres: den skal bestå af nøgler med værdier (nøgle: værdi)",
            )
        _plain_keys(document, shown, text.split("\n"))
        return cls(text, document, bom, crlf, mask)

    def render(self, shown: str) -> bytes:
        """The changed document as the file's bytes; untouched lines exactly as they were."""
        try:
            after = _dump(self.document, self.indent)
            expected = _says(after)
        except (YAMLError, yaml.YAMLError) as exc:
            raise DagsordenError(
                f"{shown} kunne ikke opdateres: den nye tekst kan ikke skrives som YAML"
                f" ({exc}); intet er skrevet"
            ) from exc
        text = after
        if self.before != self.text:
            merged = _merge(self.text, self.before, after)
            if merged is not None and _loads_as(merged, expected):
                text = merged
        if self.mask:
            text = _MASKED.sub(lambda m: chr(ord(m.group()) - _MASK_BASE), text)
        if self.crlf:
            text = text.replace("\n", "\r\n")
        if self.bom:
            text = "\ufeff" + text
        return text.encode("utf-8")


def _plain_keys(node: Any, shown: str, lines: list[str]) -> None:
    """Every key is a plain word: a key with a YAML tag (`!!str punkter:`) means the same to
    the reader, but the tool could not find it to change it."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if not isinstance(key, str):
                line, column = node.lc.key(key)
                location = Location(
                    shown, line + 1, column + 1, lines[line] if line < len(lines) else None
                )
                raise _problem(
                    location,
                    f"filen kan ikke opdateres: nøglen '{getattr(key, 'value', key)}' har et"
                    " YAML-tag eller er ikke et ord; skriv den som et ord uden tag",
                )
            _plain_keys(value, shown, lines)
    elif isinstance(node, list):
        for value in node:
            _plain_keys(value, shown, lines)


def _problem(location: Location, message: str) -> ProblemsError:
    return ProblemsError([Problem(Severity.ERROR, location, message)])


def _dump(document: CommentedMap, indent: tuple[int, int, int]) -> str:
    out = StringIO()
    _yaml(indent).dump(document, out)
    return out.getvalue()


def _says(text: str) -> Any:
    """What a text says, as plain data, read as the reader reads it (libyaml's composer, a
    tenth of the round-trip loader's time): every key and value as written, a tag of our own
    (`!ikke-cpr`) kept with its value, the form it is written in (quotes, blocks) not."""
    return _plain(yaml.compose(text, Loader=Composer))


def _plain(node: yaml.Node | None) -> Any:
    if isinstance(node, yaml.MappingNode):
        return [(_plain(k), _plain(v)) for k, v in node.value]
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value) if node.tag.startswith("!") else node.value
    return None


def _loads_as(text: str, expected: Any) -> bool:
    try:
        return bool(_says(text) == expected)
    except yaml.YAMLError:
        return False


def _guess_indent(document: CommentedMap) -> tuple[int, int, int]:
    """The indentation the file mostly uses, so an edit does not re-indent her file."""
    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()

    def walk(node: Any, column: int | None, line: int | None) -> None:
        if isinstance(node, CommentedMap):
            if _is_block(node) and column is not None and _below(node, line):
                mappings[node.lc.col - column] += 1
            for key in node:
                key_line, key_column = node.lc.key(key)
                walk(node[key], key_column, key_line)
        elif isinstance(node, CommentedSeq):
            if _is_block(node) and column is not None and _below(node, line):
                sequences[(node.lc.item(0)[1] - column, node.lc.col - column)] += 1
            for item in node:
                walk(item, None, None)

    walk(document, None, None)
    mapping = mappings.most_common(1)[0][0] if mappings else _DEFAULT_INDENT[0]
    sequence, offset = sequences.most_common(1)[0][0] if sequences else (mapping + 2, mapping)
    if mapping < 1 or offset < 0 or sequence < offset + 2:
        return _DEFAULT_INDENT
    return mapping, sequence, offset


def _below(node: Any, line: int | None) -> bool:
    """Whether a collection starts on a line after its key's, as a block under it."""
    return node.lc.line is not None and line is not None and bool(node.lc.line > line)


def _merge(original: str, before: str, after: str) -> str | None:
    """Apply the change `before` → `after` to `original`, which says the same as `before`.

    Used when the dumper does not reproduce a file exactly (a plain text wrapped over two
    lines, spacing after a colon): lines away from the change stay as the secretary wrote them,
    and only a region where the change overlaps such a difference takes the dumper's form.
    """
    base, ours, theirs = (t.splitlines(keepends=True) for t in (original, before, after))
    form = difflib.SequenceMatcher(None, ours, base, autojunk=False).get_opcodes()
    change = difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes()
    differs = [(i1, i2) for tag, i1, i2, _, _ in form if tag != "equal"]
    regions = [(i1, i2) for tag, i1, i2, _, _ in change if tag != "equal"]
    grown = True
    while grown:
        grown = False
        for index, (lo, hi) in enumerate(regions):
            for dl, dh in differs:
                if _overlap((lo, hi), (dl, dh)) and (dl < lo or dh > hi):
                    lo, hi = min(lo, dl), max(hi, dh)
                    regions[index] = (lo, hi)
                    grown = True
        joined: list[tuple[int, int]] = []
        for lo, hi in sorted(regions):
            if joined and lo < joined[-1][1]:
                joined[-1] = (joined[-1][0], max(hi, joined[-1][1]))
            else:
                joined.append((lo, hi))
        regions = joined
    out: list[str] = []
    position = 0
    for lo, hi in regions:
        # Lines only the original has (a `---`, say) stay outside a changed region.
        start = max(_candidates(form, lo), default=None)
        end = start if lo == hi else min(_candidates(form, hi), default=None)
        first = min(_candidates(change, lo), default=None)
        last = max(_candidates(change, hi), default=None)
        if start is None or end is None or first is None or last is None:
            return None
        if not position <= start <= end:
            return None
        out += base[position:start] + theirs[first:last]
        position = end
    out += base[position:]
    return "".join(out)


def _overlap(region: tuple[int, int], differ: tuple[int, int]) -> bool:
    """Whether a change and a formatting difference cannot be applied independently."""
    (lo, hi), (dl, dh) = region, differ
    if dl == dh:
        return False
    if lo == hi:
        return dl < lo < dh
    return dl < hi and lo < dh


def _candidates(opcodes: Sequence[tuple[str, int, int, int, int]], boundary: int) -> list[int]:
    """Where a line boundary of the first text may fall in the second."""
    found = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal" and i1 <= boundary <= i2:
            found.append(j1 + boundary - i1)
        elif boundary == i1 == i2:
            found += [j1, j2]
        elif boundary == i1:
            found.append(j1)
        elif boundary == i2:
            found.append(j2)
    return found


# --- keeping comments in place ------------------------------------------------------------------
#
# ruamel.yaml attaches the comment lines and blank lines that follow a value to that value, so a
# key added after it would land below comments that belong to the next item. These helpers move
# such trailing lines to after whatever is added. A slot is (collection, key or index): the place
# that holds the comment token following one value.

_Slot = tuple[Any, Any]


def _commented(value: Any) -> Any:
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list | tuple) and not isinstance(value, CommentedSeq):
        return CommentedSeq(_commented(v) for v in value)
    return value


def _is_block(node: Any) -> bool:
    return isinstance(node, CommentedMap | CommentedSeq) and bool(node) and not node.fa.flow_style()


def _last_slot(node: Any) -> _Slot | None:
    """The slot after the last value inside a block collection: where its trailing lines hang."""
    if not _is_block(node):
        return None
    last = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
    return _entry_slot(node, last)


def _entry_slot(node: Any, key: Any) -> _Slot:
    return _last_slot(node[key]) or (node, key)


def _slot_value(slot: _Slot) -> Any:
    return slot[0][slot[1]]


def _token(slot: _Slot) -> CommentToken | None:
    node, key = slot
    entry = node.ca.items.get(key)
    position = 2 if isinstance(node, CommentedMap) else 0
    return entry[position] if entry and len(entry) > position else None


def _set_token(slot: _Slot, token: CommentToken | None) -> None:
    node, key = slot
    old = _token(slot)
    position = 2 if isinstance(node, CommentedMap) else 0
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    entry[position] = token
    if not any(entry):
        del node.ca.items[key]
    # A flow list or mapping carries the same token on itself; the emitter prints either.
    value = node[key]
    shared = isinstance(value, CommentedMap | CommentedSeq) and value.ca.comment
    if shared and old is not None and value.ca.comment[0] is old:
        value.ca.comment[0] = token


def _holds_eol(slot: _Slot) -> bool:
    return not isinstance(_slot_value(slot), LiteralScalarString | FoldedScalarString)


def _column(node: CommentedMap | CommentedSeq) -> int:
    """The column a block's keys or dashes stand in; a block made here keeps no lines."""
    return sys.maxsize if node.lc.col is None else int(node.lc.col)


def _key_column(mapping: CommentedMap, key: Any) -> int:
    try:
        return int(mapping.lc.key(key)[1])
    except (KeyError, TypeError):
        return int(mapping.lc.col or 0)


def _take_comments(slot: _Slot, keep_deeper_than: int | None) -> tuple[str, int, str]:
    """Detach what follows a value: its end-of-line comment and the lines after it.

    With `keep_deeper_than`, the end-of-line comment stays, and so do comment lines indented
    deeper than that column (they belong inside the block that ends here); from the first line
    that does not, everything is taken. Returns the end-of-line comment taken ("" if none), its
    column, and the taken lines, each ending in a line break.
    """
    token = _token(slot)
    if token is None:
        return "", 0, ""
    value = token.value
    if not _holds_eol(slot):
        # After a block text the first comment line's indentation is kept as the token's column.
        eol, rest = "", value if value.startswith("\n") else " " * token.column + value
    elif value.startswith("\n"):
        eol, rest = "", value[1:]
    else:
        eol, _, rest = value.partition("\n")
    lines = rest.splitlines(keepends=True)
    keep = 0
    if keep_deeper_than is not None:
        for line in lines:
            stripped = line.lstrip(" ")
            if not stripped.startswith("#") or len(line) - len(stripped) <= keep_deeper_than:
                break
            keep += 1
    kept, taken = "".join(lines[:keep]), "".join(lines[keep:])
    if keep_deeper_than is None:
        _set_token(slot, None)
        return eol, token.column, taken
    _set_token(slot, _make_token(slot, eol, token.column, kept))
    return "", 0, taken


def _give_comments(slot: _Slot, eol: str, column: int, lines: str) -> None:
    """Attach an end-of-line comment and following lines after the value in `slot`."""
    if not eol and not lines:
        return
    had_eol, had_column, had_lines = _take_comments(slot, None)
    if had_eol:
        if eol:
            lines = " " * column + eol + "\n" + lines
        eol, column = had_eol, had_column
    _set_token(slot, _make_token(slot, eol, column, had_lines + lines))


def _make_token(slot: _Slot, eol: str, column: int, lines: str) -> CommentToken | None:
    if eol:
        return CommentToken(eol + "\n" + lines, CommentMark(column), None)
    if not lines:
        return None
    if _holds_eol(slot):
        return CommentToken("\n" + lines, CommentMark(0), None)
    if lines.startswith("\n"):
        return CommentToken(lines, CommentMark(0), None)
    stripped = lines.lstrip(" ")
    return CommentToken(stripped, CommentMark(len(lines) - len(stripped)), None)
