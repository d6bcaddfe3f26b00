"""Finding Danish CPR numbers (DDMMYY-XXXX) as a reader of the document would read them.

A reader does not see invisible characters (zero-width space, soft hyphen, word joiner), the
Markdown marks around or inside the number (`**010190**-1234`, `_010190_-1234`,
`010190\\-1234`), or which of Unicode's many dashes and spaces stands between the digits. So the
text is read the same way before matching: those characters are taken out, and any dash, any
space, a ` - `, a `/` or a line break inside a paragraph may separate the date from the four
digits, and dots or spaces may separate the day, the month and the year (`01.01.90-1234`,
`01 01 90-1234`). The date must exist (in the 1900s or the 2000s), and the number must not be
part of a longer run of digits, so dates, phone numbers, sums, case, document and KLE numbers
are not taken for one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

__all__ = ["TEXT_BOUNDARY", "cpr_numbers", "date_prefixes", "find_cpr"]

# Every dash a reader sees as one: Unicode's dash punctuation (Pd), the minus signs, the
# hyphen bullet. In a character class.
_DASHES = (
    "\\-\u058a\u05be\u1400\u1806\u2010-\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d\u301c"
    "\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead\u2212\u2796\u02d7\u2043"
)
# Every space (Unicode's Zs: no-break, narrow no-break, thin, figure space …), the tab and a
# line break. Paragraphs are separate texts, so a line break inside one text is a line break
# inside a paragraph: it reads as a space, or as the end of a line the number goes on from.
_SPACES = " \t\n\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# What a reader does not see: format characters (Unicode's Cf: soft hyphen, zero-width space
# and joiners, word joiner, direction marks, byte order mark, tags) and the combining grapheme
# joiner; and the Markdown marks for emphasis and escapes, whether or not they become
# formatting.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
)
_NOISE_CHAR = f"[{_INVISIBLE}\\\\*_]"
# Possessive: a run of noise is taken whole and never given back, so several runs side by side
# (when the separators between them are absent) cannot be split in every possible way: without
# it, "01" and a line of 2,000 asterisks took minutes.
_NOISE = _NOISE_CHAR + "*+"
_IS_NOISE = re.compile(_NOISE_CHAR)

_S = f"[{_SPACES}]"
# Between day, month and year: nothing, a dot, a space, or a dot and a space.
_DATE_SEP = rf"{_NOISE}\.?{_NOISE}{_S}?{_NOISE}"
# Between the date and the four digits: nothing, spaces or a line break, a dash or a slash
# with or without spaces around it.
_GAP = rf"{_NOISE}{_S}{{0,3}}{_NOISE}(?:[{_DASHES}/]{_NOISE}{_S}{{0,3}}{_NOISE})?"
# The noise may stand anywhere inside the number, so it is part of the pattern rather than
# taken out first: the text keeps its positions, and no pass over the whole text is spent on
# characters that are nearly never there. The first digit comes first in the pattern, so the
# regular expression engine skips from digit to digit instead of trying every position; the
# look-behinds after it say that no digit stands right before the number, nor a dash right
# after a digit (`1234-0102031234`; but `CPR-010190-1234` is one), and `_number` says the same
# past invisible characters.
_FIRST = rf"\d(?<!\d\d)(?<!\d[{_DASHES}]\d)"
_CPR = re.compile(
    rf"({_FIRST}{_NOISE}\d){_DATE_SEP}(\d{_NOISE}\d){_DATE_SEP}(\d{_NOISE}\d){_GAP}"
    rf"(\d{_NOISE}\d{_NOISE}\d{_NOISE}\d)(?!{_NOISE}[\d{_DASHES}])"
)
_DIGIT = re.compile(r"\d")
_DASH = re.compile(f"[{_DASHES}]")
# Every date part a CPR number could begin with, overlapping ("1234567" holds "123456" and
# "234567"): where the same number could stand.
_DATE_PART = re.compile(
    rf"(\d)(?={_NOISE}(\d){_DATE_SEP}(\d){_NOISE}(\d){_DATE_SEP}(\d){_NOISE}(\d))"
)

# Put between separate texts (fields, paragraphs) when they are scanned as one: it is no
# separator, so a number can never run from one text into the next.
TEXT_BOUNDARY = "\0"


def find_cpr(value: str) -> list[tuple[str, str]]:
    """Every CPR number in the text: (the text as written, from its first digit to its last;
    the number as DDMMYY-XXXX)."""
    return [(m[0], number) for m in _CPR.finditer(value) if (number := _number(m))]


def cpr_numbers(texts: Iterable[str]) -> set[str]:
    """Every CPR number (DDMMYY-XXXX) in these texts, each read on its own."""
    return {number for m in _CPR.finditer(TEXT_BOUNDARY.join(texts)) if (number := _number(m))}


def date_prefixes(value: str) -> set[str]:
    """The six digits of every place where a CPR number's date could stand, written in any way
    `find_cpr` reads (`010190`, `01.01.90`, `0101*90`), whether or not it is a date."""
    if _DIGIT.search(value) is None:  # most values of a file: a name, a key, a word
        return set()
    return {_ascii("".join(m.groups())) for m in _DATE_PART.finditer(value)}


def _number(m: re.Match[str]) -> str:
    """The number as DDMMYY-XXXX when its date exists and it does not go on from a number
    before it, else ''."""
    if _goes_on(m.string, m.start()):
        return ""
    dd, mm, yy, serial = (_IS_NOISE.sub("", g) for g in m.groups())
    day, month, year = int(dd), int(mm), int(yy)
    if any(_is_date(century + year, month, day) for century in (1900, 2000)):
        return _ascii(f"{dd}{mm}{yy}-{serial}")
    return ""


def _goes_on(text: str, start: int) -> bool:
    """A digit, or a dash after a digit, stands before `start`, past invisible characters
    (the pattern's look-behinds see only the characters right before)."""
    before = _skip_noise(text, start - 1)
    if before >= 0 and _DASH.match(text, before):
        before = _skip_noise(text, before - 1)
    return before >= 0 and _DIGIT.match(text, before) is not None


def _skip_noise(text: str, at: int) -> int:
    while at >= 0 and _IS_NOISE.match(text, at):
        at -= 1
    return at


def _ascii(digits: str) -> str:
    # Digits of other scripts (fullwidth ０１…) read as the same number.
    if digits.isascii():
        return digits
    return "".join(str(int(c)) if c.isdecimal() else c for c in digits)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
