"""The command line: Danish commands over the library. Parses, calls, presents; nothing more."""

from __future__ import annotations

import gc
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import __version__
from .build import build, check, context_for
from .context import DocumentKind, Edition
from .errors import DagsordenError, Problem, ProblemsError, TemplateError
from .progress import progress_bar

__all__ = ["main", "run"]

# click's own words (usage, errors) in Danish; click looks them up through gettext.
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
}


def _translate(message: str) -> str:
    return _DANISH.get(message, message)


_DANISH_PLURAL = {
    "Did you mean {possibility}?": ("Mente du {possibility}?", "Mente du en af: {possibilities}?"),
}


def _translate_plural(singular: str, plural: str, n: int) -> str:
    danish = _DANISH_PLURAL.get(singular)
    if danish is None:
        return singular if n == 1 else plural
    return danish[0] if n == 1 else danish[1]


def _danish_click() -> None:
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
        module._ = _translate
        if hasattr(module, "ngettext"):
            module.ngettext = _translate_plural


_danish_click()

# Set by the commands that write, so the summary of a failure can say nothing was written.
_WROTE_NOTHING = [False]

_PROJECT_HELP = "Dataprojektets mappe med organisation.yaml, cases/ og agenda/ (standard: her)."
_PROJECT = click.option(
    "--projekt",
    "project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="MAPPE",
    default=None,
    help=_PROJECT_HELP,
)
_STRICT = click.option("--strikt", "strict", is_flag=True, help="Advarsler tæller som fejl.")


@click.group(
    context_settings={"help_option_names": ["-h", "--hjælp", "--help"]},
    options_metavar="[TILVALG]",
    subcommand_metavar="KOMMANDO [ARGUMENTER]...",
)
@click.version_option(__version__, "--version", prog_name="dagsorden")
@click.option("--debug", is_flag=True, help="Vis Pythons fulde fejlspor ved interne fejl.")
@_PROJECT
@click.pass_context
def cli(ctx: click.Context, debug: bool, project: Path | None) -> None:
    """Dagsordener og beslutningsprotokoller fra sager og møder i YAML.

    Kør kommandoerne i dataprojektets mappe, eller angiv den med --projekt.
    """
    ctx.obj = {"debug": debug, "project": project}


def _root(project: Path | None) -> Path:
    """The project folder: the command's --projekt, else the group's, else here."""
    if project is not None:
        return project
    group = click.get_current_context().find_root().obj or {}
    root: Path = group.get("project") or Path(".")
    if not (root / "organisation.yaml").is_file():
        where = "denne mappe" if root == Path(".") else f"mappen {root}"
        raise DagsordenError(
            f"{where} er ikke et dataprojekt: organisation.yaml mangler"
            f" ({root.resolve()}); gå til projektets mappe, eller angiv den med --projekt MAPPE"
        )
    return root


@cli.command("tjek", options_metavar="[TILVALG]", short_help="Tjek alle sager og møder.")
@_PROJECT
@_STRICT
def tjek(project: Path | None, strict: bool) -> None:
    """Tjek alle sager og møder og vis alle problemer på én gang.

    Intet bliver skrevet. Afslutter med kode 1, hvis der er fejl.
    """
    _, warnings = check(_root(project), strict=strict)
    _show(warnings)
    click.echo("Alt er i orden." if not warnings else f"Ingen fejl, {_count(len(warnings))}.")


def _count(warnings: int, errors: int | None = None) -> str:
    text = f"{warnings} advarsel" if warnings == 1 else f"{warnings} advarsler"
    return text if errors is None else f"{errors} fejl og {text}"


@cli.command(
    "byg", options_metavar="[TILVALG]", short_help="Byg dagsordener og protokoller (Word og PDF)."
)
@click.argument("moeder", metavar="[MØDE]...", nargs=-1)
@_PROJECT
@click.option(
    "--ud",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="MAPPE",
    default=None,
    help="Mappen, dokumenterne skrives i (standard: out/ i projektet).",
)
@click.option(
    "--uden-pdf", "no_pdf", is_flag=True, help="Kun Word-filerne; ingen PDF og ingen bilagspakke."
)
@_STRICT
def byg(
    moeder: tuple[str, ...], project: Path | None, out: Path | None, no_pdf: bool, strict: bool
) -> None:
    """Byg dagsorden og protokol for møderne (alle møder, hvis ingen er nævnt).

    MØDE er mødefilens navn uden .yaml, fx 2023-03-02-hu. Hvert dokument bygges i en intern og
    en offentlig udgave, som Word-fil og som PDF med udfyldt indholdsfortegnelse, og hvert møde
    får en bilagspakke (dagsordenen med alle bilag i én PDF). Protokollen bygges, når mødet har
    beslutninger. Er der fejl i data eller skabeloner, skrives intet.
    """
    _WROTE_NOTHING[0] = True
    built, warnings = build(
        _root(project), moeder, out=out, strict=strict, pdf=not no_pdf, progress=progress_bar
    )
    _show(warnings)
    folders: dict[Path, int] = {}
    for b in built:
        folders[b.path.parent] = folders.get(b.path.parent, 0) + 1
    for folder, count in folders.items():
        click.echo(f"skrev {count} filer i {_relative(folder)}/")


@cli.command("kontekst", options_metavar="[TILVALG]", short_help="Vis skabelonens data som JSON.")
@click.argument("moede", metavar="MØDE")
@_PROJECT
@click.option("--protokol", is_flag=True, help="Protokollens kontekst i stedet for dagsordenens.")
@click.option("--offentlig", is_flag=True, help="Den offentlige udgave i stedet for den interne.")
def kontekst(moede: str, project: Path | None, protokol: bool, offentlig: bool) -> None:
    """Udskriv skabelonkonteksten for et møde som JSON (til dig, der redigerer skabeloner)."""
    kind = DocumentKind.MINUTES if protokol else DocumentKind.AGENDA
    edition = Edition.PUBLIC if offentlig else Edition.INTERNAL
    context = context_for(_root(project), moede, kind, edition)
    click.echo(json.dumps(context, ensure_ascii=False, indent=2))


def _show(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(problem.render(), err=True)


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 fine, 1 problems, 2 usage, 3 internal)."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    _WROTE_NOTHING[0] = False
    try:
        cli.main(args=argv, prog_name="dagsorden", standalone_mode=False)
    except ProblemsError as exc:
        _show(exc.problems)
        errors = sum(p.is_error for p in exc.problems)
        summary = _count(len(exc.problems) - errors, errors)
        click.echo(
            f"{summary}; intet er skrevet." if _WROTE_NOTHING[0] else f"{summary}.", err=True
        )
        return 1
    except TemplateError as exc:  # already 'skabelon: sted: fejl: …'
        click.echo(str(exc), err=True)
        return 1
    except DagsordenError as exc:
        click.echo(f"fejl: {exc}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo(_translate("Aborted!"), err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except Exception:
        if debug:
            traceback.print_exc()
        else:
            click.echo(
                "intern fejl i dagsorden; kør igen med --debug og send udskriften til udviklerne.",
                err=True,
            )
        return 3
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def run() -> None:
    """Console-script entry point.

    A command runs briefly and then exits, so the garbage collector only costs time: it is
    switched off, and the interpreter's teardown is skipped once everything is flushed (every
    output file is already closed and renamed into place by then).
    """
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
