"""How big a value a template may make: texts, lists and numbers, checked before they are made.

A template's expressions can grow a value fast (`'x' * 10**9`, `7**(10**9)`, a `|replace` of
every character by a long text). Each operation that can grow is checked here against its inputs
before it runs, so the memory is never taken: at most `MAX_SIZE` characters or elements in a text
or list, at most `MAX_DIGITS` digits in a whole number. The sandbox (`_sandbox`) calls these
checks from its hooks; exceeding one is a `LimitExceeded` with a Danish message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any, NoReturn

import jinja2

__all__ = [
    "FILTER_CHECKS",
    "MAX_DIGITS",
    "MAX_SIZE",
    "LimitExceeded",
    "Refused",
    "check_call",
    "check_format",
    "check_number",
    "check_power",
    "check_repeat",
    "fail",
    "number",
    "sized",
    "weight",
]

MAX_SIZE = 1_000_000
MAX_DIGITS = 1_000


def number(value: float) -> str:
    """1000000 as Danish writes it: 1.000.000."""
    return f"{value:,}".replace(",", ".")


class Refused(jinja2.TemplateRuntimeError):
    """A template did what it may not; the message is Danish and final."""


class LimitExceeded(Refused):
    """A template went past one of the limits."""


def fail(message: str) -> NoReturn:
    raise LimitExceeded(message)


_TOO_LONG = f"en tekst eller liste bliver for lang (over {number(MAX_SIZE)} tegn eller elementer)"
_TOO_BIG = f"et tal bliver for stort (over {number(MAX_DIGITS)} cifre)"
_BITS = int(MAX_DIGITS * math.log2(10))


def weight(value: Any, depth: int = 0) -> int:
    """How much room `value` takes when printed or joined: characters of a text or a number,
    and for a list its elements and what they hold; counting stops just past MAX_SIZE."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() * 3 // 10 + 1  # its digits, nearly
    if isinstance(value, float):
        return 24
    if isinstance(value, range):
        return len(value) * 6
    if isinstance(value, dict):
        value = list(value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        total = len(value)
        if depth < 3:
            for element in value:
                if total > MAX_SIZE:
                    break
                total += weight(element, depth + 1)
        return total
    return 0


def sized(total: int) -> None:
    if total > MAX_SIZE:
        fail(_TOO_LONG)


def check_number(value: Any) -> None:
    if isinstance(value, int) and value.bit_length() > _BITS:
        fail(_TOO_BIG)


def check_power(base: Any, exponent: Any) -> None:
    numbers = isinstance(base, int) and isinstance(exponent, int)
    if numbers and exponent > 0 and abs(base) > 1 and exponent * math.log2(abs(base)) > _BITS:
        fail(_TOO_BIG)


def check_repeat(left: Any, right: Any) -> None:
    if isinstance(left, int) and not isinstance(right, int):
        left, right = right, left
    if isinstance(right, int) and not isinstance(left, int):
        if right > 0:
            sized(weight(left) * right)
    elif isinstance(left, int) and left.bit_length() + right.bit_length() > _BITS:
        fail(_TOO_BIG)


# A width or precision in a format: '%999999999d', '{:>999999999}'.
_WIDE = re.compile(r"\d{7,}")
# '{:{w}}' and '%*d' take the width from the arguments.
_NESTED_FIELD = re.compile(r"\{[^{}]*\{|%[^a-zA-Z%]*\*")


def check_format(text: Any, args: Iterable[Any]) -> None:
    if not isinstance(text, str):
        return
    if _WIDE.search(text):
        for spec in re.findall(r"%[^a-zA-Z%]*|\{[^{}]*\}", text):
            if _WIDE.search(spec):
                fail(_TOO_LONG)
    if _NESTED_FIELD.search(text):
        for arg in args:
            if isinstance(arg, int) and arg > MAX_SIZE:
                fail(_TOO_LONG)


def _check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    texts = isinstance(text, str) and isinstance(old, str) and isinstance(new, str)
    if texts and len(new) > len(old):
        times = text.count(old) if old else len(text) + 1
        if isinstance(count, int) and count >= 0:
            times = min(times, count)
        sized(len(text) + times * (len(new) - len(old)))


def _check_join(separator: Any, values: Any) -> None:
    if isinstance(values, (list, tuple, set, frozenset, dict, range)):
        sized(weight(values) + len(separator if isinstance(separator, str) else "") * len(values))


def _check_width(*widths: Any) -> None:
    for width in widths:
        if isinstance(width, int) and width > MAX_SIZE:
            fail(_TOO_LONG)


def _check_indent(text: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    if isinstance(text, str):
        _check_width(width)
        per_line = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        sized(len(text) + (text.count("\n") + 1) * per_line)


def _check_wordwrap(text: Any, width: Any = 79, *args: Any, **kwargs: Any) -> None:
    wrap = kwargs.get("wrapstring", args[1] if len(args) > 1 else None)
    if isinstance(text, str) and isinstance(wrap, str) and isinstance(width, int):
        sized(len(text) + (len(text) // max(width, 1) + 1) * len(wrap))


def _check_sum(values: Any, *args: Any, **kwargs: Any) -> None:
    start = kwargs.get("start", args[1] if len(args) > 1 else 0)
    if not isinstance(start, (int, float)):
        fail("'sum' lægger kun tal sammen")


def check_call(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The methods of a text that can make it much longer, checked before they run."""
    function = getattr(function, "__wrapped__", function)  # the sandbox's str.format wrapper
    text = getattr(function, "__self__", None)
    if not isinstance(text, str):
        return
    name = getattr(function, "__name__", "")
    if name in ("center", "ljust", "rjust", "zfill"):
        _check_width(*args)
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            sized(len(text) + text.count("\t") * size)
    elif name == "replace":
        _check_replace(text, *args, **kwargs)
    elif name == "join" and args:
        _check_join(text, args[0])
    elif name in ("format", "format_map"):
        check_format(text, [*args, *kwargs.values(), *_mapping_values(args)])


def _mapping_values(args: tuple[Any, ...]) -> list[Any]:
    return [v for a in args if isinstance(a, dict) for v in a.values()]


# Filters that can make much more than they are given, with what to check first.
FILTER_CHECKS: dict[str, Any] = {
    "center": lambda value, width=80, *a, **k: _check_width(width),
    "batch": lambda value, linecount=0, *a, **k: _check_width(linecount),
    "slice": lambda value, slices=0, *a, **k: _check_width(slices),
    "truncate": lambda value, length=255, *a, **k: _check_width(length),
    "format": lambda value, *a, **k: check_format(value, [*a, *k.values()]),
    "indent": _check_indent,
    "join": lambda value, d="", *a, **k: _check_join(d, value),
    "replace": lambda value, old="", new="", count=None, *a, **k: _check_replace(
        value, old, new, -1 if count is None else count
    ),
    "wordwrap": _check_wordwrap,
    "sum": _check_sum,
}
