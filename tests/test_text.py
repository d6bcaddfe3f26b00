"""The Markdown subset: plain paragraphs, and lists and emphasis in their plain forms, take a
short way past the parser, with the same blocks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dagsorden.model import Block, BlockKind, Run
from dagsorden.text import Parsed, _fast, _parse, has_markup, parse_markdown

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from archive import generate

# Words, and every character that means something to the subset or to the short way past it.
_PIECES = st.sampled_from(
    ["Ord", "to ord", "1.", "2)", "-", "+", "*", "_", "\\", " ", "  ", "\n", "\n\n", "\t",
     "\u00a0", "\r", "•", "12", "a.", "#", "> ", "`", "|", " | ", "---", "[", "](", ")", "![",
     "<", "~~", "https://a.dk", "b.png", "| --- |"]
)  # fmt: skip


# Mostly plain text, so that most examples take the short way.
_PLAIN = st.sampled_from(["Ord", "to ord", " ", "  ", "\n", "\n\n", "\n \n", "12", "a.", "1.", "-"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join) | st.lists(_PLAIN, max_size=14).map("".join))
def test_the_short_way_gives_what_the_parser_gives(source: str) -> None:
    parse_markdown.cache_clear()
    assert parse_markdown(source) == _parse(source)


def test_paragraphs_of_plain_text() -> None:
    blocks, notices, pictures = parse_markdown(
        "Første linje\n  fortsætter her.\n\n\n   Andet afsnit. \n"
    )
    assert blocks == (
        Block(BlockKind.PARAGRAPH, (Run("Første linje fortsætter her."),)),
        Block(BlockKind.PARAGRAPH, (Run("Andet afsnit."),)),
    )
    assert not notices
    assert not pictures


# Lines of a text: a start (list markers, what may look like one, indentation) and pieces of
# words with emphasis delimiters in plain and doubtful places.
_STARTS = st.sampled_from(
    ["", "", "", "- ", "- ", "* ", "+ ", "1. ", "1) ", "2. ", "10. ", "-", "-item ", "--- ",
     "***", "* * *", "___", "- - ", "1. - ", " ", "  ", "    ", "• ", "1234567890. ", "2)",
     "- ---", "**", "_", "=== "]
)  # fmt: skip
_FORMS = st.sampled_from(
    ["Ord", "to ord", " ", " ", "æøå", "Økonomi", "2024", "3,5 mio. kr.", "*", "**", "_", "__",
     "***", ".", ",", ":", ";", "?", "(", ")", "&", "\"", "'", "€", "-", "snake_case_word",
     "2*3*4", "**a*", "*a **b***", "**fed**", "*kursiv*", "__fed__", "_kursiv_", "**Bemærk:**",
     "(*a*)", "* ", "a*", "*a", " **", "** ", "*_a_*", "**a *b* c**", "*a *b* c*"]
)  # fmt: skip
# What always goes to the parser, now and then.
_OUTSIDE = st.sampled_from(
    ["!", "\\", "[", "]", "`", "#", "<", ">", "~", "|", "\u00a0", "\t", "\r"]
)
_WORDS = st.one_of(_FORMS, _FORMS, _FORMS, _FORMS, _FORMS, _OUTSIDE)
# The plain forms only: mostly texts the short way takes, with their emphasis.
_PLAIN_STARTS = st.sampled_from(["", "", "- ", "* ", "+ ", "1. ", "1) ", "2. "])
_PLAIN_FORMS = st.sampled_from(
    ["Ord", "to ord", "Økonomi", "**fed**", "*kursiv*", "__fed__", "_kursiv_", "**x**.",
     "*y*,", "(*a*)", "**a *b* c**", "_a **b** c_", "2024"]
)  # fmt: skip


def _texts(
    starts: st.SearchStrategy[str], words: st.SearchStrategy[str], between: str, least: int
) -> st.SearchStrategy[str]:
    line = st.tuples(starts, st.lists(words, min_size=least, max_size=6).map(between.join))
    lines = st.lists(line.map("".join), max_size=7)
    ends = st.lists(st.sampled_from(["\n", "\n", "\n\n"]), min_size=7)
    return st.tuples(lines, ends).map(
        lambda parts: "".join(line + end for line, end in zip(*parts, strict=False)).rstrip("\n")
    )


_TEXTS = _texts(_STARTS, _WORDS, "", 0) | _texts(_PLAIN_STARTS, _PLAIN_FORMS, " ", 1)


@settings(max_examples=4000, deadline=None)
@given(_TEXTS)
def test_lists_and_emphasis_take_the_short_way_only_where_the_parser_agrees(source: str) -> None:
    fast = _fast(source)
    assert fast is None or fast == _parse(source)
    parse_markdown.cache_clear()
    assert parse_markdown(source) == _parse(source)


def test_the_plain_forms_of_lists_and_emphasis_take_the_short_way() -> None:
    source = (
        "Indsatsen omfatter:\n- **forlænget åbningstid** i borgerservice\n- én linje,\n"
        "der fortsætter\n\n1. _først_ (*nu*).\n2. __så__ senere\n\n• indsat fra Word"
    )
    assert _fast(source) == _parse(source) == Parsed(
        (
            Block(BlockKind.PARAGRAPH, (Run("Indsatsen omfatter:"),)),
            Block(BlockKind.BULLET, (Run("forlænget åbningstid", bold=True),
                                     Run(" i borgerservice"))),
            Block(BlockKind.BULLET, (Run("én linje, der fortsætter"),)),
            Block(BlockKind.NUMBER, (Run("først", italic=True), Run(" ("),
                                     Run("nu", italic=True), Run(")."))),
            Block(BlockKind.NUMBER, (Run("så", bold=True), Run(" senere"))),
            Block(BlockKind.BULLET, (Run("indsat fra Word"),)),
        )
    )  # fmt: skip


@pytest.mark.parametrize(
    ("source", "blocks"),
    [
        # a number other than 1 cannot begin a list inside a paragraph
        ("Mødet 12.\n2. behandling", [(BlockKind.PARAGRAPH, "Mødet 12. 2. behandling")]),
        # * inside a word is emphasis, _ is not
        ("2*3*4 og snake_case_ord", [(BlockKind.PARAGRAPH, "234 og snake_case_ord")]),
        ("- **", [(BlockKind.BULLET, "**")]),
        ("-punkt\n---\nTekst", [(BlockKind.PARAGRAPH, "-punkt"), (BlockKind.PAGE_BREAK, ""),
                                 (BlockKind.PARAGRAPH, "Tekst")]),
    ],
)  # fmt: skip
def test_what_only_looks_like_a_list_or_emphasis_is_shown_as_the_parser_reads_it(
    source: str, blocks: list[tuple[BlockKind, str]]
) -> None:
    assert _fast(source) is None
    parsed = parse_markdown(source)
    assert [(block.kind, block.plain) for block in parsed.blocks] == blocks


def test_white_space_other_than_the_space_and_the_line_break_goes_to_the_parser() -> None:
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert len(spaces) == 29  # a new Unicode version may add some: read _OTHER_SPACE again
    for space in set(spaces) - {" ", "\n"}:
        assert _fast(f"- *a*{space}b") is None, hex(ord(space))
    assert _fast("- *a* b\nc") == _parse("- *a* b\nc")
    # The plain paragraphs' way is not taken either: the parser decides what each one means.
    for space in set(spaces) - {" ", "\n"}:
        assert has_markup(f"Ord{space}ord"), hex(ord(space))
    assert not has_markup("Ord og ord\n\nEt afsnit mere, 12. marts.")


def test_every_text_of_a_generated_archive_is_parsed_alike_both_ways(tmp_path: Path) -> None:
    generate(tmp_path / "arkiv", 40)
    texts: set[str] = set()
    for path in (tmp_path / "arkiv").rglob("*.yaml"):
        texts.update(_strings(yaml.compose(path.read_text("utf-8"))))
    short = [text for text in texts if _fast(text) is not None]
    assert len([text for text in short if "\n- " in text]) > 50
    for text in texts:
        parse_markdown.cache_clear()
        assert parse_markdown(text) == _parse(text), text


def _strings(node: yaml.Node | None) -> list[str]:
    """Every scalar of a YAML file, whatever its tag (`!ikke-cpr` and the like)."""
    if isinstance(node, yaml.ScalarNode):
        return [node.value]
    if isinstance(node, yaml.SequenceNode):
        return [text for item in node.value for text in _strings(item)]
    if isinstance(node, yaml.MappingNode):
        return [text for pair in node.value for text in _strings(pair[1])]
    return []
