"""The Markdown subset: plain paragraphs take a short way past the parser, with the same blocks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dagsorden.model import Block, BlockKind, Run
from dagsorden.text import _parse, parse_markdown

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
