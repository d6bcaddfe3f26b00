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
  elements, a whole number at most `MAX_DIGITS` digits (`7**(10**9)` is refused before it is
  computed): the checks are in `_sizes`.
* A document may run at most `MAX_STEPS` loop passes and calls, print at most `MAX_OUTPUT`
  characters, and use at most `TIME_LIMIT` seconds of processor time (counted per thread, so a
  busy machine does not trip it). The step count is what stops a runaway loop in practice, the
  same way on every machine; the clock stops the rest.

The limits are enforced by hooks the sandbox offers (calls, operators, printed values) and by the
code generator, which routes every `for` loop's sequence through a counter and checks the parts
of a `~` before they are joined.
"""

from __future__ import annotations

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

from ._sizes import (
    FILTER_CHECKS,
    MAX_DIGITS,
    MAX_SIZE,
    LimitExceeded,
    Refused,
    check_call,
    check_format,
    check_number,
    check_power,
    check_repeat,
    fail,
    number,
    sized,
    weight,
)

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
MAX_STEPS = 1_000_000
MAX_OUTPUT = 20_000_000
TIME_LIMIT = 5.0


class ForbiddenTag(jinja2.TemplateSyntaxError):
    """A tag a template may not use; the message is Danish and final."""


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
    f"skabelonen gennemløber løkker og kald mere end {number(MAX_STEPS)} gange for ét dokument"
    " (en løkke i en løkke over for mange tal?)"
)
_TOO_SLOW = (
    f"skabelonen brugte mere end {number(int(TIME_LIMIT))} sekunder på ét dokument og blev stoppet"
)


def _clock(budget: _Budget) -> None:
    if time.thread_time() > budget.deadline:
        fail(_TOO_SLOW)


def _step(budget: _Budget) -> None:
    budget.steps += 1
    if budget.steps > MAX_STEPS:
        fail(_TOO_MANY_STEPS)
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


def _guarded(name: str, function: Any) -> Any:
    """`function` (a filter) that first checks the clock and, for the filters that can grow
    their input, the size of what it would make."""
    check = FILTER_CHECKS.get(name)
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
        fail(f"range() må højst give {number(MAX_RANGE)} tal")
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
            check_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            check_power(left, right)
        elif operator == "*":
            check_repeat(left, right)
        elif operator == "+":
            if not isinstance(left, (int, float)) or not isinstance(right, (int, float)):
                budget = _budget()
                if budget is not None:
                    _clock(budget)
                sized(weight(left) + weight(right))
        elif operator == "%":
            check_format(left, right if isinstance(right, tuple) else [right])
        result = self.binop_table[operator](left, right)
        check_number(result)
        return result

    @staticmethod
    def measured(parts: tuple[Any, ...]) -> tuple[Any, ...]:
        """The parts of a `~`, refused when they would join into too long a text."""
        sized(sum(weight(part) for part in parts))
        return parts


def _printed(value: Any) -> Any:
    """Every value a `{{ … }}` prints passes here: counted against the document's output."""
    budget = _budget()
    if budget is not None:
        budget.output += weight(value) if not isinstance(value, Markup) else len(value)
        if budget.output > MAX_OUTPUT:
            fail(f"skabelonen skriver mere end {number(MAX_OUTPUT)} tegn i ét dokument")
    return value
