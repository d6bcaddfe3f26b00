"""Reading a YAML file as a node tree: every value as the text written, with its location.

YAML's implicit typing never applies (`12:30` stays a time of day, `no` stays a word); libyaml's
complaints are turned into Danish sentences pointing at the place to fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .cpr import date_prefixes, find_cpr
from .errors import Location, Problems
from .inside import relative_name
from .model import Access, Ref, Text
from .text import RAW_INVALID, clean, describe, parse_markdown

__all__ = ["NOT_CPR", "Composer", "NodeReader", "is_null", "kind_of", "one_of", "suggest"]

# The per-field opt-out of the CPR guard: `titel: !ikke-cpr Aftale 010203-1234`.
NOT_CPR = "!ikke-cpr"

T = TypeVar("T")

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")

# libyaml's problems in Danish: (what libyaml says, whether the place to fix is where the
# construct began rather than where libyaml gave up, the Danish sentence).
_YAML_PROBLEMS = [
    (
        "mapping values are not allowed",
        False,
        "et kolon her kan ikke læses; sæt værdien i anførselstegn, eller ret indrykningen",
    ),
    ("tab character", False, "tabulatortegn kan ikke bruges til indrykning; brug mellemrum"),
    ("found unexpected end of stream", True, "et anførselstegn er ikke lukket"),
    ("could not find expected ':'", True, "der mangler et kolon efter nøglen"),
    ("did not find expected ',' or ']'", True, "listen i [ ] er ikke lukket; der mangler ']'"),
    ("did not find expected ',' or '}'", True, "{ } er ikke lukket; der mangler '}'"),
    (
        "did not find expected key",
        False,
        "indrykningen passer ikke, eller der står noget efter værdien; her ventedes en ny nøgle",
    ),
    (
        "did not find expected '-' indicator",
        False,
        "indrykningen passer ikke; her ventedes et '- ' listepunkt",
    ),
    (
        "block sequence entries are not allowed",
        False,
        "et '- ' listepunkt kan ikke stå her; skriv listen på linjerne nedenunder,"
        " eller sæt værdien i anførselstegn",
    ),
    (
        "found undefined alias",
        False,
        "* skal henvise til et anker (&navn);"
        " sæt værdien i anførselstegn, hvis * hører til teksten",
    ),
    (
        "did not find expected alphabetic or numeric character",
        True,
        "efter & eller * skal der stå et navn; sæt værdien i anførselstegn,"
        " hvis tegnet hører til teksten",
    ),
    ("found duplicate anchor", False, "det samme anker (&navn) er brugt to gange"),
    (
        "but found another document",
        False,
        "filen må kun indeholde ét dokument; fjern linjen med --- eller ...",
    ),
    ("directive", True, "en linje kan ikke begynde med %; sæt værdien i anførselstegn"),
    (
        "found unknown escape character",
        False,
        "ukendt tegn efter \\ i tekst i dobbelte anførselstegn; brug enkelte anførselstegn",
    ),
    ("did not find expected node content", False, "her mangler en værdi"),
    (
        "expected comment or line break",
        False,
        "der står noget efter værdien på samme linje; sæt hele værdien i anførselstegn",
    ),
    (
        "expected whitespace or line break",
        False,
        "der står noget efter værdien på samme linje; sæt hele værdien i anførselstegn",
    ),
]


def suggest(word: str, known: list[str] | tuple[str, ...]) -> str:
    """A Danish did-you-mean suffix, or nothing when no known word is close."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.casefold(), [k.casefold() for k in known], n=1)
        close = [k for k in known if close and k.casefold() == close[0]]
    return f"; mente du '{close[0]}'?" if close else ""


class NodeReader:
    """Reads one YAML file's node tree, reporting every problem with its location.

    The generic half of loading: mappings, keys, scalars as text, dates, times. The records
    themselves are read by a subclass in `load`.
    """

    def __init__(self, root: Path, path: Path, problems: Problems) -> None:
        self.problems = problems
        self.path = path
        self.file = relative_name(root, path) or str(path)
        self.lines: list[str] = []
        # Numbers that look like CPR numbers, in text not tagged !ikke-cpr; the check decides
        # whether each one would reach a public document.
        self.cpr_candidates: list[tuple[str, Location]] = []
        # The six digits of every date part in the file's values (`010203`, `01.02.03`, …),
        # opted out or not: where a candidate's number could also stand (the CPR guard follows
        # them; see build._cpr_meetings).
        self.six_digits: set[str] = set()
        self._reported_tags: set[str] = set()

    def document(self, data: bytes | None = None) -> yaml.MappingNode | None:
        """Parse the file (or its bytes, already read) to a node tree; None (with the problem
        reported) if that fails."""
        whole = Location(self.file)
        try:
            text = (self.path.read_bytes() if data is None else data).decode("utf-8-sig")
        except PermissionError:
            self.problems.error(whole, "filen kan ikke læses: du har ikke adgang til den")
            return None
        except OSError:
            self.problems.error(whole, "filen kan ikke læses")
            return None
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            self.problems.error(
                Location(self.file, line, 1),
                "filen er ikke gemt som UTF-8; gem den igen med tegnsættet UTF-8",
            )
            return None
        text = self._without_control_characters(text.replace("\r\n", "\n").replace("\r", "\n"))
        self.lines = text.split("\n")
        try:
            node = yaml.compose(text, Loader=Composer)
        except yaml.MarkedYAMLError as exc:
            message, at_start = yaml_problem(exc, text)
            mark = (exc.context_mark if at_start else None) or exc.problem_mark
            loc = whole if mark is None else self.at(mark.line, mark.column)
            self.problems.error(loc, "ugyldig YAML: " + message)
            return None
        except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
            self.problems.error(whole, f"ugyldig YAML: {exc}")
            return None
        if node is None:
            self.problems.error(whole, "filen er tom")
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problems.error(
                self.loc(node), "filen skal bestå af nøgler med værdier (nøgle: værdi)"
            )
            return None
        return node

    def _without_control_characters(self, text: str) -> str:
        """Replace what a YAML file cannot hold by spaces, warning once per line, at the spot."""
        if not RAW_INVALID.search(text):
            return text
        reported: set[int] = set()
        for match in RAW_INVALID.finditer(text):
            line = text.count("\n", 0, match.start())
            if line in reported:
                continue
            reported.add(line)
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.start())
            line_text = text[line_start : line_end if line_end >= 0 else len(text)]
            found = describe("".join(RAW_INVALID.findall(line_text)))
            self.lines = text.split("\n")
            self.problems.warning(
                self.at(line, match.start() - line_start),
                f"teksten indeholdt kontroltegn ({found}), som er fjernet",
            )
        return RAW_INVALID.sub(" ", text)

    def at(self, line: int, column: int) -> Location:
        """A location from 0-based line and column."""
        src = self.lines[line] if 0 <= line < len(self.lines) else None
        return Location(self.file, line + 1, column + 1, src)

    def _where(self, node: yaml.Node, written: str) -> Location:
        """Where `written` stands in the file: inside a long text, its own line and column
        (where it begins, when it goes on over a line break)."""
        first, last = node.start_mark.line, node.end_mark.line
        written = written.split("\n", 1)[0]
        for line in range(first, min(last, len(self.lines) - 1) + 1):
            column = self.lines[line].find(written)
            if column >= 0:
                return self.at(line, column)
        return self.loc(node)

    def loc(self, node: yaml.Node) -> Location:
        line = node.start_mark.line
        src = self.lines[line] if 0 <= line < len(self.lines) else None
        return Location(self.file, line + 1, node.start_mark.column + 1, src)

    def error(self, node: yaml.Node, message: str) -> None:
        self.problems.error(self.loc(node), message)

    def pairs(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]] | None:
        """The (key, key node, value node) of a mapping, with duplicate keys reported."""
        if is_null(node):
            self.error(node, f"{what} mangler indhold")
            return None
        if not isinstance(node, yaml.MappingNode):
            self.error(
                node, f"{what} skal være nøgler med værdier (nøgle: værdi), ikke {kind_of(node)}"
            )
            return None
        seen: dict[str, yaml.Node] = {}
        out: list[tuple[str, yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(
                    key_node, f"en nøgle i {what} skal være et ord, ikke {kind_of(key_node)}"
                )
                continue
            key = key_node.value
            if key_node.tag != _STR or not _WORD.fullmatch(key):  # a plain word: nothing to clean
                key = self.scalar_text(key_node, one_line=True).strip()
            if not key or "\n" in key:
                self.error(key_node, f"en nøgle i {what} skal være et ord på én linje")
                continue
            if key in seen:
                first = self.loc(seen[key])
                self.error(
                    key_node, f"nøglen '{key}' står to gange (første gang i linje {first.line})"
                )
                continue
            seen[key] = key_node
            out.append((key, key_node, value_node))
        return out

    def fields(
        self, node: yaml.Node, spec: dict[str, bool], what: str
    ) -> dict[str, yaml.Node] | None:
        """A record's fields, checked against the keys its kind allows."""
        pairs = self.pairs(node, what)
        if pairs is None:
            return None
        out: dict[str, yaml.Node] = {}
        suggested: set[str] = set()
        for key, key_node, value_node in pairs:
            if key not in spec:
                hint = suggest(key, tuple(spec))
                suggested.add(hint.split("'")[1] if hint else "")
                self.error(key_node, f"ukendt nøgle '{key}' i {what}{hint}")
                continue
            if is_null(value_node):
                if spec[key]:
                    self.error(
                        value_node
                        if value_node.start_mark.line == key_node.start_mark.line
                        else key_node,
                        f"'{key}' mangler en værdi",
                    )
                continue
            out[key] = value_node
        missing = [k for k, required in spec.items() if required and k not in out]
        for key in missing:
            # A typo in a required key is reported once, as the unknown key with its suggestion.
            if key not in suggested and not any(k == key for k, _, _ in pairs):
                self.error(node, f"{what} mangler nøglen '{key}'")
        return out

    def scalar_text(self, node: yaml.ScalarNode, *, one_line: bool = False) -> str:
        value: str = node.value
        tag: str = node.tag
        # The file's text holds no control character (`document` took them out): only an
        # escape in double quotes ("\v") can put one in a value.
        if node.style == '"':
            value, removed = clean(value, one_line=one_line)
            if removed:
                self.problems.warning(
                    self.loc(node),
                    f"teksten indeholdt kontroltegn ({removed}), som er fjernet",
                )
        if (
            tag is not _STR
            and tag.startswith("!")
            and tag != NOT_CPR
            and tag not in self._reported_tags
        ):
            self._reported_tags.add(tag)
            self.problems.warning(
                self.loc(node), f"mærket '{tag}' kendes ikke og bliver ikke brugt"
            )
        prefixes = date_prefixes(value)
        if not prefixes:  # a number needs a date part
            return value
        self.six_digits |= prefixes
        if tag == NOT_CPR:
            return value
        seen: set[str] = set()
        for written, number in find_cpr(value):
            if number in seen:
                continue
            seen.add(number)
            self.cpr_candidates.append((number, self._where(node, written)))
        return value

    def string(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} skal være en tekst, ikke {kind_of(node)}")
            return None
        value = self.scalar_text(node, one_line=True).strip()
        if not value:
            self.error(node, f"{what} mangler")
            return None
        if "\n" in value:
            self.error(node, f"{what} skal stå på én linje")
            return None
        return value

    def opt_string(self, fields: dict[str, yaml.Node], key: str, what: str) -> str | None:
        node = fields.get(key)
        return None if node is None else self.string(node, what)

    def text(self, node: yaml.Node, what: str) -> Text | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} skal være en tekst, ikke {kind_of(node)}")
            return None
        source = self.scalar_text(node)
        parsed = parse_markdown(source)
        for notice in parsed.notices:
            at = self._in_text(node, source, notice.line, notice.column)
            message = notice.message.replace("{what}", what)
            if notice.error:
                self.problems.error(at, message)
            else:
                self.problems.warning(at, message)
        if not parsed.blocks:
            self.error(node, f"{what} mangler tekst")
            return None
        pictures = tuple(
            Ref(p.target, self._in_text(node, source, p.line, p.column)) for p in parsed.pictures
        )
        return Text(parsed.blocks, self.loc(node), source, pictures)

    def _in_text(self, node: yaml.Node, source: str, line: int, column: int) -> Location:
        """The file's line and column of a place in a text field's value: the value's line is
        looked for in the file from where it would stand in a block text (`|`) on."""
        lines = source.split("\n")
        written = lines[line] if 0 <= line < len(lines) else ""
        rest = written[column:].strip() if written.strip() else ""
        if not rest:
            return self.loc(node)
        first, last = node.start_mark.line, node.end_mark.line
        last = min(last, len(self.lines) - 1)
        block = getattr(node, "style", None) in ("|", ">")
        expected = first + (1 if block else 0) + line
        for start in (expected, first):
            for at in range(max(start, first), last + 1):
                found = self.lines[at].find(rest)
                if found >= 0:
                    return self.at(at, found)
        return self.loc(node)

    def seq(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        self.error(
            node, f"{what} skal være en liste (linjer, der begynder med '- '), ikke {kind_of(node)}"
        )
        return []

    def date(self, node: yaml.Node, what: str) -> dt.date | None:
        value = self.string(node, what)
        if value is None:
            return None
        m = _DATE.fullmatch(value)
        if m is None:
            self.error(
                node, f"{what} '{value}' er ikke en dato på formen ÅÅÅÅ-MM-DD (fx 2023-03-02)"
            )
            return None
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            self.error(node, f"{what} '{value}' findes ikke i kalenderen")
            return None

    def time(self, node: yaml.Node, what: str) -> dt.time | None:
        value = self.string(node, what)
        if value is None:
            return None
        m = _TIME.fullmatch(value)
        if m is None:
            self.error(node, f"{what} '{value}' er ikke et klokkeslæt på formen TT:MM (fx 13:00)")
            return None
        try:
            return dt.time(int(m[1]), int(m[2]))
        except ValueError:
            self.error(node, f"{what} '{value}' er ikke et klokkeslæt (timer 0-23, minutter 0-59)")
            return None

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        value = self.string(node, what)
        if value is None:
            return None
        word = value.casefold()
        if word in ("ja", "yes", "true"):
            return True
        if word in ("nej", "no", "false"):
            return False
        self.error(node, f"{what} skal være 'ja' eller 'nej', ikke '{value}'")
        return None

    def ref(self, node: yaml.Node, what: str) -> Ref | None:
        value = self.string(node, what)
        return None if value is None else Ref(value, self.loc(node))

    def refs(self, node: yaml.Node, what: str, each: str) -> tuple[Ref, ...]:
        found = (self.ref(n, each) for n in self.seq(node, what))
        return tuple(r for r in found if r is not None)

    def access(self, fields: dict[str, yaml.Node], what: str) -> Access | None:
        node = fields.get("adgang")
        if node is None:
            return Access.OPEN
        value = self.string(node, what)
        if value is None:
            return None
        for access in Access:
            if value.casefold() == access.value.casefold():
                return access
        self.error(node, f"{what} '{value}' er ukendt; brug 'Åben' eller 'Lukket'")
        return None

    def each(
        self, node: yaml.Node, what: str, read: Callable[[yaml.Node], T | None]
    ) -> Iterator[T]:
        for child in self.seq(node, what):
            value = read(child)
            if value is not None:
                yield value


# A key as keys are written (`titel`, `offentlig_titel`): no control character, no digit, no
# space, so cleaning and the CPR scan would find nothing in it.
_WORD = re.compile(r"[^\W\d]+")
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class Composer(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Composes nodes only; values are never resolved by YAML's implicit typing."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        # The readers take every scalar as text and only ask whether a plain one is empty
        # (is_null): YAML's dozen implicit patterns per scalar were a sixth of reading.
        if kind is yaml.ScalarNode:
            return _NULL if implicit[0] and value in _NULLS else _STR
        return str(super().resolve(kind, value, implicit))


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL and node.value in _NULLS


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "nøgler med værdier"
    if isinstance(node, yaml.SequenceNode):
        return "en liste"
    return f"teksten '{node.value}'"


def one_of(words: tuple[str, ...]) -> str:
    quoted = [f"'{w}'" for w in words]
    return ", ".join(quoted[:-1]) + " eller " + quoted[-1]


def yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, bool]:
    """libyaml's problem in Danish, and whether to point where the construct began."""
    said = f"{exc.context or ''} {exc.problem or ''}"
    if "cannot start any token" in said and exc.problem_mark is not None:
        mark = exc.problem_mark
        char = text.split("\n")[mark.line][mark.column : mark.column + 1]
        if char == "\t":
            return "tabulatortegn kan ikke bruges til indrykning; brug mellemrum", False
        return f"tegnet '{char}' kan ikke stå først i en værdi; sæt værdien i anførselstegn", False
    for english, at_start, danish in _YAML_PROBLEMS:
        if english in said:
            return danish, at_start
    return f"filen kan ikke læses som YAML ({(exc.problem or exc.context or '').strip()})", False
