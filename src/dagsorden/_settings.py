"""Reading the organisation's settings for its own numbers and words: `numre:` and `ordlyd:`.

A number form is a regular expression the whole number must match, with an example for the
check's message (check.py applies it), or the name of a known form; a wording key may hold only
its own {…}. docs/format.md describes both.
"""

from __future__ import annotations

import re

import yaml

from ._keys import KEYS, NAMED_NUMBER_FORMS, NUMBER_FORMS, WORDING
from ._nodes import NodeReader, one_of, suggest
from .model import NumberForm

__all__ = ["SettingsReader", "default_forms"]

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def default_forms() -> dict[str, NumberForm]:
    """Norddjurs' forms, for a kind of number organisation.yaml does not name."""
    return {kind: NumberForm(*form) for kind, form in NUMBER_FORMS.items()}


class SettingsReader(NodeReader):
    """Reads `numre:` and `ordlyd:` of the organisation file."""

    def number_forms(self, node: yaml.Node) -> dict[str, NumberForm]:
        """numre: each kind of number a named form (`sagsnr: KLE`) or a pattern with an
        example; a kind not written keeps Norddjurs' form."""
        forms = default_forms()
        f = self.fields(node, KEYS["numre"], "numre")
        for kind, value in (f or {}).items():
            form = self.number_form(kind, value)
            if form is not None:
                forms[kind] = form
        return forms

    def number_form(self, kind: str, node: yaml.Node) -> NumberForm | None:
        if isinstance(node, yaml.ScalarNode):
            name = self.string(node, f"formen for {kind}")
            if name is None:
                return None
            if name not in NAMED_NUMBER_FORMS:
                names = tuple(NAMED_NUMBER_FORMS)
                self.error(
                    node,
                    f"formen '{name}' er ukendt; skriv mønster og eksempel, eller brug en kendt"
                    f" form: {one_of(names)}{suggest(name, names)}",
                )
                return None
            return NumberForm(*NAMED_NUMBER_FORMS[name], self.loc(node))
        f = self.fields(node, KEYS["nummerform"], f"formen for {kind}")
        if f is None:
            return None
        written = self.opt_string(f, "mønster", "mønsteret")
        example = self.opt_string(f, "eksempel", "eksemplet")
        shown = self.opt_string(f, "navn", "formens navn") or ""
        if written is None or example is None:
            return None
        pattern: str = written
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            where = f" (ved tegn {exc.pos + 1})" if exc.pos is not None else ""
            self.error(
                f["mønster"],
                f"mønsteret '{pattern}' er ikke et gyldigt regulært udtryk{where};"
                " fx betyder \\d et ciffer og + én eller flere af det foregående",
            )
            return None
        if not compiled.fullmatch(example):
            self.error(
                f["eksempel"], f"eksemplet '{example}' passer ikke til mønsteret '{pattern}'"
            )
            return None
        return NumberForm(pattern, example, shown, self.loc(f["mønster"]))

    def wording(self, node: yaml.Node) -> dict[str, str]:
        """ordlyd: the documents' fixed words, each with only the {…} its key knows."""
        out: dict[str, str] = {}
        known = {key: True for key in WORDING}
        f = self.fields(node, {k: False for k in known}, "ordlyd")
        for key, value in (f or {}).items():
            text = self.string(value, f"ordlyden for {key}")
            if text is None:
                continue
            allowed = WORDING[key][1]
            wrong = [p for p in _PLACEHOLDER.findall(text) if p not in allowed]
            if wrong:
                may = ", ".join(f"{{{p}}}" for p in allowed) or "ingen {…}"
                self.error(
                    value, f"ordlyden for {key} kender ikke {{{wrong[0]}}} (kan have: {may})"
                )
                continue
            out[key] = text
        return out
