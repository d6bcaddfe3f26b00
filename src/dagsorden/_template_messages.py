"""What went wrong in a template, in Danish: Jinja's and Python's own words translated.

Jinja and Python describe a fault in English and in their own terms ('end of print
statement', 'unsupported operand type(s)'). The secretary reads Danish and knows the template
as Word shows it, so each known message is rewritten in her words; an unknown one becomes a
plain Danish sentence, never the library's English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import jinja2
from jinja2.exceptions import SecurityError

from ._sandbox import ForbiddenTag
from ._sizes import Refused

__all__ = ["danish", "unclosed_block"]

# Jinja's names for the tokens, as the secretary typed them.
_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "begin of print statement": "{{",
    "begin of statement block": "{%",
    "end of template": "slutningen af skabelonen",
    "template data / text": "almindelig tekst",
    "name": "et navn",
    "integer": "et tal",
    "float": "et tal",
    "string": "en tekst i anførselstegn",
}

_TYPES = {
    "str": "tekst",
    "Markup": "tekst",
    "int": "tal",
    "float": "tal",
    "bool": "sand/falsk",
    "list": "liste",
    "tuple": "liste",
    "range": "talrække",
    "dict": "gruppe af felter",
    "NoneType": "ingenting",
    "StrictUndefined": "en ukendt værdi",
    "Undefined": "en ukendt værdi",
    "RichText": "formateret tekst",
    "generator": "række",
}

_OPERATORS = {"<": "<", ">": ">", "<=": "<=", ">=": ">="}

# The tags that open a block and have an end tag.
_BLOCKS = "for|if|macro|call|filter|set|with|block|raw|autoescape|trans"

# Filters left out of the sandbox on purpose (raw markup would be raw Word XML).
_REMOVED_FILTERS = ("safe", "urlize")


def _token(text: str) -> str:
    return _TOKENS.get(text, f"'{text}'")


def _closing(tags: str) -> str:
    """'endif' of "'elif' or 'else' or 'endif'"."""
    names = re.findall(r"'([^']+)'", tags)
    return next((n for n in names if n.startswith("end")), names[0] if names else "end")


def _type(name: str) -> str:
    return _TYPES.get(name, "en værdi af en anden slags")


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

_SYNTAX: list[_Rule] = [
    (
        re.compile(r"Expected an expression, got '([^']+)'"),
        lambda m: f"der mangler et udtryk før {_token(m[1])}",
    ),
    (
        re.compile(r"unexpected end of template, expected '([^']+)'"),
        lambda m: f"mærket bliver ikke lukket (der mangler {_token(m[1])})",
    ),
    (
        re.compile(r"expected token '([^']+)', got '([^']+)'"),
        lambda m: f"forventede {_token(m[1])}, men fandt {_token(m[2])}",
    ),
    (
        re.compile(r"Encountered unknown tag '([^']+)'.*currently looking for ([^.]+)", re.S),
        lambda m: f"'{m[1]}' kommer for tidligt: der mangler et '{_closing(m[2])}' før det",
    ),
    (
        re.compile(r"Encountered unknown tag '(end\w*)'\.?$"),
        lambda m: f"'{m[1]}' lukker ikke noget mærke (der er intet åbent '{m[1][3:]}')",
    ),
    (
        re.compile(
            rf"Encountered unknown tag '(end(?:{_BLOCKS}))'.*innermost block .* is '(\w+)'", re.S
        ),
        lambda m: (
            f"'{m[1]}' passer ikke her: det inderste åbne mærke er '{m[2]}',"
            f" som lukkes med 'end{m[2]}'"
        ),
    ),
    (
        re.compile(r"Encountered unknown tag '([^']+)'.*innermost block .* is '(\w+)'", re.S),
        lambda m: (
            f"ukendt eller uventet mærke '{m[1]}' (det inderste åbne mærke er '{m[2]}',"
            f" som lukkes med 'end{m[2]}')"
        ),
    ),
    (
        re.compile(r"Encountered unknown tag '([^']+)'"),
        lambda m: f"ukendt eller uventet mærke '{m[1]}'",
    ),
    (
        re.compile(r"Unexpected end of template.*innermost block .* is '(\w+)'", re.S),
        lambda m: unclosed_block(m[1]),
    ),
    (re.compile(r"unexpected end of template", re.I), lambda m: "et mærke bliver ikke lukket"),
    (
        re.compile(r"unexpected '([^']+)', expected '([^']+)'"),
        lambda m: f"uventet '{m[1]}' i et mærke (forventede '{m[2]}')",
    ),
    (re.compile(r"unexpected char '(.+)' at \d+"), lambda m: f"uventet tegn {m[1]!r} i et mærke"),
    (re.compile(r"unexpected '([^']+)'"), lambda m: f"uventet {_token(m[1])} i et mærke"),
    (re.compile(r"tag name expected"), lambda m: "der mangler et navn efter {%"),
    (
        re.compile(r"No filter named '([^']+)'", re.I),
        lambda m: (
            f"filteret '{m[1]}' er ikke tilladt: tekst fra data gøres altid sikker til Word"
            if m[1] in _REMOVED_FILTERS
            else f"ukendt filter '{m[1]}'"
        ),
    ),
    (re.compile(r"No test named '([^']+)'", re.I), lambda m: f"ukendt test 'is {m[1]}'"),
    (
        re.compile(r"block '([^']+)' defined twice", re.I),
        lambda m: f"blokken '{m[1]}' findes to gange",
    ),
    (re.compile(r"Invalid character in identifier"), lambda m: "ugyldigt tegn i et navn"),
    (
        re.compile(r"Missing end of raw directive"),
        lambda m: unclosed_block("raw"),
    ),
    (
        re.compile(r"escape|codec can't decode"),
        lambda m: "en tekst i anførselstegn har en ugyldig \\-kode",
    ),
]

_UNDEFINED: list[_Rule] = [
    (
        re.compile(r"'(?:\w+ object|None)' has no attribute '([^']+)'"),
        lambda m: f"feltet '{m[1]}' findes ikke i konteksten",
    ),
    (
        re.compile(r"'?(\w+)(?: object)?'? has no element (.+)$"),
        lambda m: f"{_type(m[1])} har intet element {m[2]}",
    ),
    (re.compile(r"'([^']+)' is undefined"), lambda m: f"'{m[1]}' findes ikke i konteksten"),
]

_SECURITY: list[_Rule] = [
    (
        re.compile(r"access to attribute '([^']+)'.*unsafe"),
        lambda m: f"adgang til '{m[1]}' er ikke tilladt i en skabelon",
    ),
]

_TYPE_ERRORS: list[_Rule] = [
    (
        re.compile(r"unsupported operand type\(s\) for ([^:]+): '(\w+)' and '(\w+)'"),
        lambda m: f"kan ikke bruge '{m[1]}' på {_type(m[2])} og {_type(m[3])}",
    ),
    (
        re.compile(r'can only concatenate (\w+) \(not "(\w+)"\) to \w+'),
        lambda m: f"kan ikke bruge '+' på {_type(m[1])} og {_type(m[2])}",
    ),
    (
        re.compile(r"'([<>=]+)' not supported between instances of '(\w+)' and '(\w+)'"),
        lambda m: f"kan ikke sammenligne {_type(m[2])} og {_type(m[3])} med '{m[1]}'",
    ),
    (
        re.compile(r"bad operand type for unary (.): '(\w+)'"),
        lambda m: f"kan ikke bruge '{m[1]}' på {_type(m[2])}",
    ),
    (
        re.compile(r"can't multiply sequence by non-int"),
        lambda m: "en tekst eller liste kan kun ganges med et helt tal",
    ),
    (
        re.compile(r"object of type '(\w+)' has no len"),
        lambda m: f"{_type(m[1])} har ingen længde",
    ),
    (
        re.compile(r"'(\w+)' object is not iterable"),
        lambda m: f"{_type(m[1])} kan ikke gennemløbes i en løkke",
    ),
    (
        re.compile(r"'(\w+)' object is not callable"),
        lambda m: f"{_type(m[1])} kan ikke kaldes med ()",
    ),
    (
        re.compile(r"string formatting|format|real number is required|number is required"),
        lambda m: "formateringen passer ikke til værdierne",
    ),
]


def unclosed_block(name: str) -> str:
    return f"{{% {name} %}} bliver ikke lukket (der mangler et {{% end{name} %}})"


def _first(rules: list[_Rule], text: str) -> str | None:
    for pattern, make in rules:
        m = pattern.search(text)
        if m:
            return make(m)
    return None


def danish(exc: BaseException) -> str:
    """The fault `exc` raised by compiling or rendering a template, in Danish."""
    if isinstance(exc, (Refused, ForbiddenTag)):
        return str(exc.message)
    if isinstance(exc, jinja2.UndefinedError):
        return _first(_UNDEFINED, str(exc.message)) or "en værdi findes ikke i konteksten"
    if isinstance(exc, SecurityError):
        return _first(_SECURITY, str(exc)) or "det er ikke tilladt i en skabelon"
    if isinstance(exc, jinja2.TemplateError):
        text = str(exc.message or exc)
        return _first(_SYNTAX, text) or "mærket kan ikke forstås"
    if isinstance(exc, ZeroDivisionError):
        return "division med nul"
    if isinstance(exc, OverflowError):
        return "et tal bliver for stort"
    if isinstance(exc, RecursionError):
        return "skabelonen kalder sig selv uden ende (en makro, der kalder sig selv?)"
    if isinstance(exc, MemoryError):
        return "skabelonen bruger for meget hukommelse"
    if isinstance(exc, RuntimeError) and "item" in str(exc):
        return "cycler() skal have mindst én værdi"
    if isinstance(exc, TypeError):
        return _first(_TYPE_ERRORS, str(exc)) or "værdierne passer ikke til udtrykket"
    if isinstance(exc, ValueError):
        if "digits" in str(exc):
            return "et tal bliver for stort"
        if "format" in str(exc):
            return "formateringen passer ikke til værdien"
        return "en værdi kan ikke bruges sådan"
    return "skabelonen kan ikke udfyldes"
