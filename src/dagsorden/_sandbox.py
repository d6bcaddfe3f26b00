"""The Jinja environment a Word template runs in: sandboxed and bounded.

A template is the secretary's, and a template is a small program: a loop too many, a huge
number or a string multiplied a billion times must not hang the build or eat the machine's
memory. Every limit below gives a Danish error at the template's paragraph (docs/templates.md,
*Grænser*); none is near what a real agenda or set of minutes needs.

* A template is one Word file: `{% include %}`, `{% import %}`, `{% from %}`, `{% extends %}` and
  `{% autoescape %}` are refused when it is compiled (there is nothing to include, and turning
  escaping off would let data write Word XML).
* The sandbox is the immutable one: no attribute starting with `_`, nothing that changes a list
  or a dict in place, and `|safe` and `|urlize` (raw markup) do not exist.
* `range()` gives at most `MAX_RANGE` numbers; every text or list an expression makes (`*`, `+`,
  `~`, `|join`, `|replace`, `|indent`, `.center()` …) holds at most `MAX_SIZE` characters or
  elements; a whole number at most `MAX_DIGITS` digits (`7**(10**9)` is refused before it is
  computed).
* A document may run at most `MAX_STEPS` loop passes and calls, print at most `MAX_OUTPUT`
  characters, and use at most `TIME_LIMIT` seconds of processor time (counted per thread, so a
  busy machine does not trip it). The step count is what stops a runaway loop in practice, the
  same way on every machine; the clock stops the rest.

The limits are enforced by hooks the sandbox offers (calls, operators, printed values) and by the
code generator, which routes every `for` loop's sequence through a counter and checks the parts
of a `~` before they are joined.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

__all__ = [
    "MAX_DIGITS",
    "MAX_OUTPUT",
    "MAX_RANGE",
    "MAX_SIZE",
    "MAX_STEPS",
    "TIME_LIMIT",
    "ForbiddenTag",
    "LimitExceeded",
    "Refused",
    "Sandbox",
    "limits",
]

MAX_RANGE = 100_000
MAX_SIZE = 1_000_000
MAX_DIGITS = 1_000
MAX_STEPS = 1_000_000
MAX_OUTPUT = 20_000_000
TIME_LIMIT = 5.0


def _n(number: float) -> str:
    """1000000 as Danish writes it: 1.000.000."""
    return f"{number:,}".replace(",", ".")


class Refused(jinja2.TemplateRuntimeError):
    """A template did what it may not; the message is Danish and final."""


class LimitExceeded(Refused):
    """A template went past one of the limits."""


class ForbiddenTag(jinja2.TemplateSyntaxError):
    """A tag a template may not use; the message is Danish and final."""


def _fail(message: str) -> NoReturn:
    raise LimitExceeded(message)


# --------------------------------------------------------------------------------------------
# The budget of the document being rendered
# --------------------------------------------------------------------------------------------


class _Budget:
    __slots__ = ("deadline", "output", "steps")

    def __init__(self) -> None:
        self.steps = 0
        self.output = 0
        self.deadline = time.thread_time() + TIME_LIMIT


_local = threading.local()


@contextmanager
def limits() -> Iterator[None]:
    """Count steps, output and processor time of one document from here (per thread)."""
    previous = getattr(_local, "budget", None)
    _local.budget = _Budget()
    try:
        yield
    finally:
        _local.budget = previous


def _budget() -> _Budget | None:
    return getattr(_local, "budget", None)


_TOO_MANY_STEPS = (
    f"skabelonen gennemløber løkker og kald mere end {_n(MAX_STEPS)} gange for ét dokument"
    " (en løkke i en løkke over for mange tal?)"
)
_TOO_SLOW = (
    f"skabelonen brugte mere end {_n(int(TIME_LIMIT))} sekunder på ét dokument og blev stoppet"
)


def _clock(budget: _Budget) -> None:
    if time.thread_time() > budget.deadline:
        _fail(_TOO_SLOW)


def _step(budget: _Budget) -> None:
    budget.steps += 1
    if budget.steps > MAX_STEPS:
        _fail(_TOO_MANY_STEPS)
    if not budget.steps & 63:
        _clock(budget)


def _passes(iterable: Iterable[Any]) -> Iterable[Any]:
    """A `for` loop's sequence, counted pass by pass (the code generator puts it there)."""
    budget = _budget()
    if budget is None:
        return iterable
    return _counted(iter(iterable), budget)


def _counted(iterator: Iterator[Any], budget: _Budget) -> Iterator[Any]:
    for value in iterator:
        _step(budget)
        yield value


# --------------------------------------------------------------------------------------------
# Sizes
# --------------------------------------------------------------------------------------------

_TOO_LONG = f"en tekst eller liste bliver for lang (over {_n(MAX_SIZE)} tegn eller elementer)"
_TOO_BIG = f"et tal bliver for stort (over {_n(MAX_DIGITS)} cifre)"
_BITS = int(MAX_DIGITS * math.log2(10))


def _weight(value: Any, depth: int = 0) -> int:
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
                total += _weight(element, depth + 1)
        return total
    return 0


def _sized(total: int) -> None:
    if total > MAX_SIZE:
        _fail(_TOO_LONG)


def _check_number(value: Any) -> None:
    if isinstance(value, int) and value.bit_length() > _BITS:
        _fail(_TOO_BIG)


def _check_power(base: Any, exponent: Any) -> None:
    numbers = isinstance(base, int) and isinstance(exponent, int)
    if numbers and exponent > 0 and abs(base) > 1 and exponent * math.log2(abs(base)) > _BITS:
        _fail(_TOO_BIG)


def _check_repeat(left: Any, right: Any) -> None:
    if isinstance(left, int) and not isinstance(right, int):
        left, right = right, left
    if isinstance(right, int) and not isinstance(left, int):
        if right > 0:
            _sized(_weight(left) * right)
    elif isinstance(left, int) and left.bit_length() + right.bit_length() > _BITS:
        _fail(_TOO_BIG)


# A width or precision in a format: '%999999999d', '{:>999999999}'.
_WIDE = re.compile(r"\d{7,}")
# '{:{w}}' and '%*d' take the width from the arguments.
_NESTED_FIELD = re.compile(r"\{[^{}]*\{|%[^a-zA-Z%]*\*")


def _check_format(text: Any, args: Iterable[Any]) -> None:
    if not isinstance(text, str):
        return
    if _WIDE.search(text):
        for spec in re.findall(r"%[^a-zA-Z%]*|\{[^{}]*\}", text):
            if _WIDE.search(spec):
                _fail(_TOO_LONG)
    if _NESTED_FIELD.search(text):
        for arg in args:
            if isinstance(arg, int) and arg > MAX_SIZE:
                _fail(_TOO_LONG)


def _check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    texts = isinstance(text, str) and isinstance(old, str) and isinstance(new, str)
    if texts and len(new) > len(old):
        times = text.count(old) if old else len(text) + 1
        if isinstance(count, int) and count >= 0:
            times = min(times, count)
        _sized(len(text) + times * (len(new) - len(old)))


def _check_join(separator: Any, values: Any) -> None:
    if isinstance(values, (list, tuple, set, frozenset, dict, range)):
        _sized(_weight(values) + len(separator if isinstance(separator, str) else "") * len(values))


def _check_width(*widths: Any) -> None:
    for width in widths:
        if isinstance(width, int) and width > MAX_SIZE:
            _fail(_TOO_LONG)


def _check_indent(text: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    if isinstance(text, str):
        _check_width(width)
        per_line = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        _sized(len(text) + (text.count("\n") + 1) * per_line)


def _check_wordwrap(text: Any, width: Any = 79, *args: Any, **kwargs: Any) -> None:
    wrap = kwargs.get("wrapstring", args[1] if len(args) > 1 else None)
    if isinstance(text, str) and isinstance(wrap, str) and isinstance(width, int):
        _sized(len(text) + (len(text) // max(width, 1) + 1) * len(wrap))


def _check_sum(values: Any, *args: Any, **kwargs: Any) -> None:
    start = kwargs.get("start", args[1] if len(args) > 1 else 0)
    if not isinstance(start, (int, float)):
        _fail("'sum' lægger kun tal sammen")


def _check_call(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
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
            _sized(len(text) + text.count("\t") * size)
    elif name == "replace":
        _check_replace(text, *args, **kwargs)
    elif name == "join" and args:
        _check_join(text, args[0])
    elif name in ("format", "format_map"):
        _check_format(text, [*args, *kwargs.values(), *_mapping_values(args)])


def _mapping_values(args: tuple[Any, ...]) -> list[Any]:
    return [v for a in args if isinstance(a, dict) for v in a.values()]


# Filters that can make much more than they are given, with what to check first.
_FILTER_CHECKS: dict[str, Any] = {
    "center": lambda value, width=80, *a, **k: _check_width(width),
    "batch": lambda value, linecount=0, *a, **k: _check_width(linecount),
    "slice": lambda value, slices=0, *a, **k: _check_width(slices),
    "truncate": lambda value, length=255, *a, **k: _check_width(length),
    "format": lambda value, *a, **k: _check_format(value, [*a, *k.values()]),
    "indent": _check_indent,
    "join": lambda value, d="", *a, **k: _check_join(d, value),
    "replace": lambda value, old="", new="", count=None, *a, **k: _check_replace(
        value, old, new, -1 if count is None else count
    ),
    "wordwrap": _check_wordwrap,
    "sum": _check_sum,
}


def _guarded(name: str, function: Any) -> Any:
    """`function` (a filter) that first checks the clock and, for the filters that can grow
    their input, the size of what it would make."""
    check = _FILTER_CHECKS.get(name)
    pass_arg = getattr(function, "jinja_pass_arg", None)

    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        if budget is not None:
            _step(budget)
            _clock(budget)
            if check is not None:
                # The value is after the context/environment the filter asks for.
                check(*(args[1:] if pass_arg is not None else args), **kwargs)
        return function(*args, **kwargs)

    return guarded


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        _fail(f"range() må højst give {_n(MAX_RANGE)} tal")
    return numbers


# --------------------------------------------------------------------------------------------
# The code generator: loops counted, `~` checked, foreign templates refused
# --------------------------------------------------------------------------------------------

_COUNTER = "dagsorden_gennemloeb"
_ONE_FILE = "en skabelon er én Word-fil og kan ikke hente andre skabeloner"
_FORBIDDEN: dict[type[nodes.Node], str] = {
    nodes.Include: f"{{% include %}} er ikke tilladt: {_ONE_FILE}",
    nodes.Import: f"{{% import %}} er ikke tilladt: {_ONE_FILE}",
    nodes.FromImport: f"{{% from … import %}} er ikke tilladt: {_ONE_FILE}",
    nodes.Extends: f"{{% extends %}} er ikke tilladt: {_ONE_FILE}",
    nodes.ScopedEvalContextModifier: (
        "{% autoescape %} er ikke tilladt: teksten fra data skal altid gøres sikker til Word"
    ),
}


class _Generator(CodeGenerator):
    def _refuse(self, node: nodes.Node) -> NoReturn:
        raise ForbiddenTag(_FORBIDDEN[type(node)], node.lineno, self.name, self.filename)

    def visit_Include(self, node: nodes.Include, frame: Frame) -> None:
        self._refuse(node)

    def visit_Import(self, node: nodes.Import, frame: Frame) -> None:
        self._refuse(node)

    def visit_FromImport(self, node: nodes.FromImport, frame: Frame) -> None:
        self._refuse(node)

    def visit_Extends(self, node: nodes.Extends, frame: Frame) -> None:
        self._refuse(node)

    def visit_ScopedEvalContextModifier(
        self, node: nodes.ScopedEvalContextModifier, frame: Frame
    ) -> None:
        self._refuse(node)

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        # Before the generator collects the filters the template uses.
        for loop in node.find_all(nodes.For):
            loop.iter = nodes.Filter(
                loop.iter, _COUNTER, [], [], None, None, lineno=loop.iter.lineno
            )
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # As Jinja's own, with the parts measured before they are joined into one text.
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"{join}(environment.measured((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


# --------------------------------------------------------------------------------------------
# The environment
# --------------------------------------------------------------------------------------------


class Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox every template is compiled and rendered in, remembering compiled parts:
    every edition of every document of a build uses the same template parts, and compiling
    them is a third of the render time."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_printed)
        for name in ("safe", "urlize"):  # raw markup would be raw Word XML
            del self.filters[name]
        self.filters = {name: _guarded(name, f) for name, f in self.filters.items()}
        self.filters[_COUNTER] = _passes
        self.globals["range"] = _range
        del self.globals["lipsum"]  # placeholder text has no place in a document
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) > 64:  # a long-lived process with many templates
                self._compiled.clear()
            template = self._compiled[source] = super().from_string(source)
        return template

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        if budget is not None:
            _step(budget)
            _clock(budget)
            _check_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_repeat(left, right)
        elif operator == "+":
            if not isinstance(left, (int, float)) or not isinstance(right, (int, float)):
                budget = _budget()
                if budget is not None:
                    _clock(budget)
                _sized(_weight(left) + _weight(right))
        elif operator == "%":
            _check_format(left, right if isinstance(right, tuple) else [right])
        result = self.binop_table[operator](left, right)
        _check_number(result)
        return result

    @staticmethod
    def measured(parts: tuple[Any, ...]) -> tuple[Any, ...]:
        """The parts of a `~`, refused when they would join into too long a text."""
        _sized(sum(_weight(part) for part in parts))
        return parts


def _printed(value: Any) -> Any:
    """Every value a `{{ … }}` prints passes here: counted against the document's output."""
    budget = _budget()
    if budget is not None:
        budget.output += _weight(value) if not isinstance(value, Markup) else len(value)
        if budget.output > MAX_OUTPUT:
            _fail(f"skabelonen skriver mere end {_n(MAX_OUTPUT)} tegn i ét dokument")
    return value
