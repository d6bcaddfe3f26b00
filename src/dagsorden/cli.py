"""The command line: Danish commands over the library. Parses, calls, presents; nothing more."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import __version__, record
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


def _translate(message: str) -> str:
    return _DANISH.get(message, message)


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


# -- recording the meeting ----------------------------------------------------------------

_MEETING = click.argument("moede", metavar="MØDE")
_ITEM = click.argument("punkt", metavar="PUNKT", type=click.IntRange(min=1))


def _names(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _recorded(warnings: list[Problem], done: str) -> None:
    _show(warnings)
    click.echo(done)


@cli.command("afbud", options_metavar="[TILVALG]", short_help="Skriv afbud for et medlem.")
@_MEETING
@click.argument("navn", metavar="NAVN")
@click.option("--stedfortræder", "substitute", metavar="NAVN", help="Hvem der kommer i stedet.")
@_PROJECT
def afbud(moede: str, navn: str, substitute: str | None, project: Path | None) -> None:
    """Skriv afbud for NAVN til MØDE (og en stedfortræder, hvis der kommer en)."""
    warnings = record.absent(_root(project), moede, navn, substitute=substitute)
    _recorded(
        warnings,
        f"afbud skrevet: {navn}" + (f" (stedfortræder {substitute})" if substitute else ""),
    )


@cli.command(
    "delvis", options_metavar="[TILVALG]", short_help="Skriv, at et medlem kom senere eller gik."
)
@_MEETING
@click.argument("navn", metavar="NAVN")
@click.option("--ankom", metavar="TT:MM", help="Hvornår medlemmet kom.")
@click.option("--gik", metavar="TT:MM", help="Hvornår medlemmet gik.")
@click.option(
    "--punkter", metavar="1,2", required=True, help="De punkter, medlemmet ikke var med til."
)
@_PROJECT
def delvis(
    moede: str, navn: str, ankom: str | None, gik: str | None, punkter: str, project: Path | None
) -> None:
    """Skriv, at NAVN kom for sent eller gik før tid og ikke var med til PUNKTER."""
    numbers = []
    for part in _names(punkter):
        if not part.isdigit():
            raise click.BadParameter(f"'{part}' er ikke et punktnummer", param_hint="--punkter")
        numbers.append(int(part))
    warnings = record.partial(_root(project), moede, navn, arrived=ankom, left=gik, items=numbers)
    _recorded(warnings, f"skrevet: {navn} var ikke med til punkt {', '.join(map(str, numbers))}")


@cli.command("beslut", options_metavar="[TILVALG]", short_help="Skriv et punkts beslutning.")
@_MEETING
@_ITEM
@click.argument("tekst", metavar="[TEKST]", required=False)
@click.option(
    "--standard",
    type=click.Choice(sorted(record.STANDARD_DECISIONS)),
    help="En af udvalgets faste formuleringer: "
    + ", ".join(f"{k} ({v})" for k, v in record.STANDARD_DECISIONS.items()),
)
@click.option(
    "--fil", type=click.File(encoding="utf-8"), help="Læs teksten fra en fil (- er standardinput)."
)
@click.option("--offentlig", is_flag=True, help="Den beslutning, et lukket punkt offentliggør.")
@_PROJECT
def beslut(
    moede: str,
    punkt: int,
    tekst: str | None,
    standard: str | None,
    fil: Any,
    offentlig: bool,
    project: Path | None,
) -> None:
    """Skriv beslutningen på PUNKT: som TEKST, en fast formulering (--standard) eller fra en fil.

    Afsnit adskilles af en tom linje, som i YAML-filerne.
    """
    sources = [x for x in (tekst, standard, fil) if x is not None]
    if len(sources) != 1:
        raise click.UsageError(
            "skriv beslutningen som TEKST, med --standard eller med --fil (én af dem)"
        )
    if standard is not None:
        text = record.STANDARD_DECISIONS[standard]
    elif tekst is not None:
        text = tekst
    else:
        text = fil.read()
    warnings = record.decide(_root(project), moede, punkt, text, public=offentlig)
    _recorded(warnings, f"beslutning skrevet på punkt {punkt}")


@cli.command(
    "deltog-ikke",
    options_metavar="[TILVALG]",
    short_help="Skriv, at et medlem ikke deltog i et punkt.",
)
@_MEETING
@_ITEM
@click.argument("navn", metavar="NAVN")
@click.option("--årsag", "reason", type=click.Choice(list(record.REASONS)), help="Hvorfor.")
@_PROJECT
def deltog_ikke(
    moede: str, punkt: int, navn: str, reason: str | None, project: Path | None
) -> None:
    """Skriv, at NAVN ikke deltog under behandling af PUNKT (fx fordi vedkommende var inhabil)."""
    warnings = record.not_taking_part(_root(project), moede, punkt, navn, reason=reason)
    _recorded(warnings, f"skrevet: {navn} deltog ikke i punkt {punkt}")


@cli.command("afstem", options_metavar="[TILVALG]", short_help="Skriv en afstemning.")
@_MEETING
@_ITEM
@click.option("--for", "for_", metavar="A,F,Ø", help="Partier eller navne, der stemte for.")
@click.option("--imod", metavar="V", help="Partier eller navne, der stemte imod.")
@click.option("--undlod", metavar="C", help="Partier eller navne, der undlod at stemme.")
@_PROJECT
def afstem(
    moede: str,
    punkt: int,
    for_: str | None,
    imod: str | None,
    undlod: str | None,
    project: Path | None,
) -> None:
    """Skriv afstemningen på PUNKT, med partibogstaver (tæller partiets deltagere) eller navne."""
    warnings = record.vote(
        _root(project),
        moede,
        punkt,
        for_=_names(for_),
        against=_names(imod),
        abstained=_names(undlod),
    )
    _recorded(warnings, f"afstemning skrevet på punkt {punkt}")


@cli.command("bemærk", options_metavar="[TILVALG]", short_help="Tilfør en protokolbemærkning.")
@_MEETING
@_ITEM
@click.argument("tekst", metavar="TEKST")
@click.option("--navn", metavar="NAVN", help="Medlemmet, hvis afvigende mening tilføres.")
@_PROJECT
def bemaerk(moede: str, punkt: int, tekst: str, navn: str | None, project: Path | None) -> None:
    """Tilfør TEKST til protokollen ved PUNKT (KSL § 13, stk. 2), evt. for et medlem (--navn)."""
    warnings = record.note(_root(project), moede, punkt, tekst, person=navn)
    _recorded(warnings, f"protokolbemærkning skrevet på punkt {punkt}")


_NO_PDF_FREEZE = click.option(
    "--uden-pdf",
    "no_pdf",
    is_flag=True,
    help="Frys kun Word-filerne, ikke PDF'erne (hurtigere; indholdet fryses lige fuldt ud).",
)


@cli.command("status", options_metavar="[TILVALG]", short_help="Sæt mødets status.")
@_MEETING
@click.argument(
    "status", type=click.Choice(["planlagt", "udsendt", "afholdt", "aflyst"]), metavar="STATUS"
)
@_NO_PDF_FREEZE
@_PROJECT
def status_(moede: str, status: str, no_pdf: bool, project: Path | None) -> None:
    """Sæt mødets STATUS: planlagt, udsendt, afholdt eller aflyst (godkendt sættes med godkend).

    Når dagsordenen udsendes, fryses den: det, den viser nu, gemmes i arkiv/MØDE/udsendt/ som
    tekst og som Word- og PDF-filer, og dagsordenen bygges derefter altid derfra, også når
    sagerne senere ændres til deres næste behandling.
    """
    warnings = record.set_status(
        _root(project), moede, status, pdf=not no_pdf, progress=progress_bar
    )
    frozen = (
        f"; dagsordenen er frosset i arkiv/{moede}/udsendt/"
        if status in ("udsendt", "afholdt")
        else ""
    )
    _recorded(warnings, f"mødet {moede} har nu status {status}{frozen}")


@cli.command("godkend", options_metavar="[TILVALG]", short_help="Godkend og lås protokollen.")
@_MEETING
@click.option("--dato", metavar="ÅÅÅÅ-MM-DD", help="Godkendelsens dato (standard: i dag).")
@_NO_PDF_FREEZE
@_PROJECT
def godkend(moede: str, dato: str | None, no_pdf: bool, project: Path | None) -> None:
    """Godkend protokollen for MØDE: den fryses i arkiv/MØDE/godkendt/, og mødefilens
    beslutninger og fremmøde låses.

    Bagefter kan de kun ændres ved en dateret rettelse (dagsorden ret).
    """
    warnings = record.approve(
        _root(project), moede, on=_date(dato), pdf=not no_pdf, progress=progress_bar
    )
    _recorded(
        warnings, f"protokollen for {moede} er godkendt, frosset i arkiv/{moede}/godkendt/ og låst"
    )


@cli.command("frys", options_metavar="[TILVALG]", short_help="Frys et udsendt eller godkendt møde.")
@_MEETING
@_NO_PDF_FREEZE
@_PROJECT
def frys(moede: str, no_pdf: bool, project: Path | None) -> None:
    """Frys det, et møde med status udsendt, afholdt eller godkendt har vist.

    Til møder fra før dagsorden frøs dokumenterne; nye møder fryses af 'status' og 'godkend'.
    En godkendt protokol fryses kun, hvis dens kontrolsum viser, at intet er ændret siden.
    """
    done = record.freeze_missing(_root(project), moede, pdf=not no_pdf, progress=progress_bar)
    if not done:
        click.echo(f"mødet {moede} var allerede frosset")
    for stage in done:
        click.echo(f"frosset: arkiv/{moede}/{stage}/")


@cli.command(
    "ret", options_metavar="[TILVALG]", short_help="Tilføj en rettelse til en godkendt protokol."
)
@_MEETING
@click.argument("tekst", metavar="TEKST")
@click.option("--punkt", type=click.IntRange(min=1), help="Punktet, rettelsen gælder.")
@click.option("--dato", metavar="ÅÅÅÅ-MM-DD", help="Rettelsens dato (standard: i dag).")
@_PROJECT
def ret(moede: str, tekst: str, punkt: int | None, dato: str | None, project: Path | None) -> None:
    """Tilføj en dateret rettelse til den godkendte protokol for MØDE."""
    warnings = record.correct(_root(project), moede, tekst, number=punkt, on=_date(dato))
    _recorded(warnings, "rettelsen er skrevet")


@cli.command(
    "videresend", options_metavar="[TILVALG]", short_help="Sæt en sag på næste udvalgs møde."
)
@_MEETING
@_ITEM
@click.option(
    "--til", metavar="MØDE", help="Mødet, sagen skal på (standard: næste udvalgs næste møde)."
)
@_PROJECT
def videresend(moede: str, punkt: int, til: str | None, project: Path | None) -> None:
    """Sæt sagen på PUNKT videre til næste udvalg i sagsgangen (ØK → KB)."""
    target, warnings = record.forward(_root(project), moede, punkt, to=til)
    _recorded(warnings, f"sagen er sat på mødet {target}")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"'{value}' er ikke en dato på formen ÅÅÅÅ-MM-DD", param_hint="--dato"
        ) from None


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
    except (TemplateError, record.RecordError) as exc:  # already 'fil: fejl: …' where located
        text = str(exc)
        click.echo(text if ": fejl: " in text else f"fejl: {text}", err=True)
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
