"""click's own words (usage, errors, help) in Danish; click looks them up through gettext."""

from __future__ import annotations

from typing import Any

__all__ = ["install", "translate"]

_DANISH = {
    "Usage:": "Brug:",
    "Options": "Tilvalg",
    "Commands": "Kommandoer",
    "Show this message and exit.": "Vis denne hjælp og afslut.",
    "Show the version and exit.": "Vis versionen og afslut.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Fejl: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' for at få hjælp.",
    "No such command {name!r}.": "Kommandoen {name!r} findes ikke.",
    "No such option {name!r}.": "Tilvalget {name!r} findes ikke.",
    "Missing argument": "Mangler argument",
    "Missing option": "Mangler tilvalg",
    "Missing command.": "Mangler en kommando.",
    "Option {name!r} does not take a value.": "Tilvalget {name!r} tager ingen værdi.",
    "Invalid value for {param_hint}: {message}": "Ugyldig værdi for {param_hint}: {message}",
    "Invalid value: {message}": "Ugyldig værdi: {message}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} findes ikke.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil, ikke en mappe.",
    "Directory": "Mappen",
    "Path": "Stien",
    "Aborted!": "Afbrudt!",
    "Choose from:\n\t{choices}": "Vælg mellem:\n\t{choices}",
    "default: {default}": "standard: {default}",
    "{value} is not in the range {range}.": "{value} er uden for det tilladte ({range}).",
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldigt {number_type}.",
    "integer": "heltal",
    "directory": "mappen",
    "file": "filen",
    "path": "stien",
    "Could not open file {filename!r}: {message}": "Kan ikke åbne filen {filename!r}: {message}",
    "Missing argument {param_hint}.": "Mangler argumentet {param_hint}.",
    "Missing option {param_hint}.": "Mangler tilvalget {param_hint}.",
}

_DANISH_PLURAL = {
    "Did you mean {possibility}?": ("Mente du {possibility}?", "Mente du en af: {possibilities}?"),
    "{value!r} is not {choice}.": (
        "{value!r} er ikke {choice}.",
        "{value!r} er ikke en af {choices}.",
    ),
    "Option {name!r} requires an argument.": (
        "Tilvalget {name!r} skal have en værdi.",
        "Tilvalget {name!r} skal have {nargs} værdier.",
    ),
    "Got unexpected extra argument ({args})": (
        "Uventet ekstra argument ({args})",
        "Uventede ekstra argumenter ({args})",
    ),
}


def translate(message: str) -> str:
    return _DANISH.get(message, message)


def _translate_plural(singular: str, plural: str, n: int) -> str:
    danish = _DANISH_PLURAL.get(singular)
    if danish is None:
        return singular if n == 1 else plural
    return danish[0] if n == 1 else danish[1]


def install() -> None:
    """Route click's gettext look-ups through the Danish tables."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    modules: list[Any] = [
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ]
    for module in modules:
        module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = _translate_plural
