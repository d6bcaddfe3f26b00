"""What happened at the meeting: afbud, delvis, beslut, deltog-ikke, afstem, bemærk.

PUNKT is the item's number on the agenda or its case number (22/291); the library resolves it.
Every command takes back what it recorded with --fjern, and says what it replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .._keys import REASONS, STANDARD_DECISIONS
from ._common import MEETING, PROJECT, cli, record, root_of, show

__all__ = ["afbud", "afstem", "bemaerk", "beslut", "deltog_ikke", "delvis"]

ITEM = click.argument("punkt", metavar="PUNKT")
_ITEM_HELP = "PUNKT er punktets nummer på dagsordenen eller sagens nummer (fx 2 eller 22/291)."


def names(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def say(done: record.Recorded, text: str, *, replaced: bool = True) -> None:
    """The command's warnings, then what it did, and what it replaced."""
    show(done.warnings)
    if replaced and done.previous:
        text += f"; erstattede: {done.previous}"
    click.echo(text)


def alone(flag: str, **given: object) -> None:
    """--fjern takes nothing that only writing uses."""
    used = [name for name, value in given.items() if value not in (None, False, ())]
    if used:
        raise click.UsageError(f"{flag} kan ikke bruges sammen med {', '.join(used)}")


@cli.command("afbud", options_metavar="[TILVALG]", short_help="Skriv afbud for et medlem.")
@MEETING
@click.argument("navn", metavar="NAVN")
@click.option("--stedfortræder", "substitute", metavar="NAVN", help="Hvem der kommer i stedet.")
@click.option("--fjern", is_flag=True, help="Tag afbuddet og dets stedfortræder tilbage.")
@PROJECT
def afbud(moede: str, navn: str, substitute: str | None, fjern: bool, project: Path | None) -> None:
    """Skriv afbud for NAVN til MØDE (og en stedfortræder, hvis der kommer en).

    Har NAVN allerede meldt afbud, skrives (eller skiftes) kun stedfortræderen.
    """
    root = root_of(project)
    if fjern:
        alone("--fjern", **{"--stedfortræder": substitute})
        done = record.withdraw_absence(root, moede, navn)
        extra = f" og stedfortræderen {done.previous}" if done.previous else ""
        say(done, f"afbud fjernet: {navn}{extra}", replaced=False)
        return
    done = record.absent(root, moede, navn, substitute=substitute)
    say(done, f"afbud skrevet: {navn}" + (f" (stedfortræder {substitute})" if substitute else ""))


@cli.command(
    "delvis", options_metavar="[TILVALG]", short_help="Skriv, at et medlem kom senere eller gik."
)
@MEETING
@click.argument("navn", metavar="NAVN")
@click.option("--ankom", metavar="TT:MM", help="Hvornår medlemmet kom.")
@click.option("--gik", metavar="TT:MM", help="Hvornår medlemmet gik.")
@click.option(
    "--punkter",
    metavar="1-3,22/291",
    help="De punkter, medlemmet ikke var med til: numre, intervaller eller sagsnumre.",
)
@click.option("--fjern", is_flag=True, help="Tag det skrevne om NAVN under delvis tilbage.")
@PROJECT
def delvis(
    moede: str,
    navn: str,
    ankom: str | None,
    gik: str | None,
    punkter: str | None,
    fjern: bool,
    project: Path | None,
) -> None:
    """Skriv, at NAVN kom for sent eller gik før tid og ikke var med til PUNKTER."""
    root = root_of(project)
    if fjern:
        alone("--fjern", **{"--ankom": ankom, "--gik": gik, "--punkter": punkter})
        done = record.withdraw_partial(root, moede, navn)
        say(done, f"delvis fjernet: {navn} ({done.previous})", replaced=False)
        return
    if not names(punkter):
        raise click.UsageError("skriv de punkter, medlemmet ikke var med til, med --punkter")
    done = record.partial(root, moede, navn, arrived=ankom, left=gik, items=names(punkter))
    say(done, f"skrevet: {navn} var ikke med til {done.item}")


@cli.command("beslut", options_metavar="[TILVALG]", short_help="Skriv et punkts beslutning.")
@MEETING
@ITEM
@click.argument("tekst", metavar="[TEKST]", required=False)
@click.option(
    "--standard",
    type=click.Choice(sorted(STANDARD_DECISIONS)),
    help="En af udvalgets faste formuleringer: "
    + ", ".join(f"{k} ({v})" for k, v in STANDARD_DECISIONS.items()),
)
@click.option(
    "--fil", type=click.File(encoding="utf-8"), help="Læs teksten fra en fil (- er standardinput)."
)
@click.option("--offentlig", is_flag=True, help="Den beslutning, et lukket punkt offentliggør.")
@click.option("--fjern", is_flag=True, help="Tag beslutningen tilbage.")
@PROJECT
def beslut(
    moede: str,
    punkt: str,
    tekst: str | None,
    standard: str | None,
    fil: Any,
    offentlig: bool,
    fjern: bool,
    project: Path | None,
) -> None:
    """Skriv beslutningen på PUNKT: som TEKST, en fast formulering (--standard) eller fra en fil.

    Afsnit adskilles af en tom linje, som i YAML-filerne. PUNKT er punktets nummer på
    dagsordenen eller sagens nummer (fx 2 eller 22/291).
    """
    root = root_of(project)
    what = "offentlig beslutning" if offentlig else "beslutning"
    if fjern:
        alone("--fjern", TEKST=tekst, **{"--standard": standard, "--fil": fil})
        done = record.withdraw_decision(root, moede, punkt, public=offentlig)
        say(done, f"{what} fjernet fra {done.item}: {done.previous}", replaced=False)
        return
    sources = [x for x in (tekst, standard, fil) if x is not None]
    if len(sources) != 1:
        raise click.UsageError(
            "skriv beslutningen som TEKST, med --standard eller med --fil (én af dem)"
        )
    if standard is not None:
        text = STANDARD_DECISIONS[standard]
    elif tekst is not None:
        text = tekst
    else:
        text = fil.read()
    done = record.decide(root, moede, punkt, text, public=offentlig)
    say(done, f"{what} skrevet på {done.item}")


@cli.command(
    "deltog-ikke",
    options_metavar="[TILVALG]",
    short_help="Skriv, at et medlem ikke deltog i et punkt.",
)
@MEETING
@ITEM
@click.argument("navn", metavar="NAVN")
@click.option("--årsag", "reason", type=click.Choice(list(REASONS)), help="Hvorfor.")
@click.option("--fjern", is_flag=True, help="Tag det tilbage.")
@PROJECT
def deltog_ikke(
    moede: str, punkt: str, navn: str, reason: str | None, fjern: bool, project: Path | None
) -> None:
    """Skriv, at NAVN ikke deltog under behandling af PUNKT (fx fordi vedkommende var inhabil).

    PUNKT er punktets nummer på dagsordenen eller sagens nummer (fx 2 eller 22/291).
    """
    root = root_of(project)
    if fjern:
        alone("--fjern", **{"--årsag": reason})
        done = record.withdraw_non_participation(root, moede, punkt, navn)
        say(done, f"fjernet: {navn} under deltog ikke ved {done.item}")
        return
    done = record.not_taking_part(root, moede, punkt, navn, reason=reason)
    say(done, f"skrevet: {navn} deltog ikke i {done.item}")


@cli.command("afstem", options_metavar="[TILVALG]", short_help="Skriv en afstemning.")
@MEETING
@ITEM
@click.option("--for", "for_", metavar="A,F,Ø", help="Partier eller navne, der stemte for.")
@click.option("--imod", metavar="V", help="Partier eller navne, der stemte imod.")
@click.option("--undlod", metavar="C", help="Partier eller navne, der undlod at stemme.")
@click.option("--fjern", is_flag=True, help="Tag afstemningen tilbage.")
@PROJECT
def afstem(
    moede: str,
    punkt: str,
    for_: str | None,
    imod: str | None,
    undlod: str | None,
    fjern: bool,
    project: Path | None,
) -> None:
    """Skriv afstemningen på PUNKT, med partibogstaver (tæller partiets deltagere) eller navne.

    En ny afstemning erstatter den skrevne. PUNKT er punktets nummer på dagsordenen eller
    sagens nummer (fx 2 eller 22/291).
    """
    root = root_of(project)
    if fjern:
        alone("--fjern", **{"--for": for_, "--imod": imod, "--undlod": undlod})
        done = record.withdraw_vote(root, moede, punkt)
        say(done, f"afstemning fjernet fra {done.item}: {done.previous}", replaced=False)
        return
    done = record.vote(
        root, moede, punkt, for_=names(for_), against=names(imod), abstained=names(undlod)
    )
    say(done, f"afstemning skrevet på {done.item}")


@cli.command("bemærk", options_metavar="[TILVALG]", short_help="Tilfør en protokolbemærkning.")
@MEETING
@ITEM
@click.argument("tekst", metavar="[TEKST]", required=False)
@click.option("--navn", metavar="NAVN", help="Medlemmet, hvis afvigende mening tilføres.")
@click.option(
    "--fjern",
    metavar="N",
    help="Tag bemærkning nummer N på punktet tilbage (1 er den første).",
)
@PROJECT
def bemaerk(
    moede: str,
    punkt: str,
    tekst: str | None,
    navn: str | None,
    fjern: str | None,
    project: Path | None,
) -> None:
    """Tilfør TEKST til protokollen ved PUNKT (KSL § 13, stk. 2), evt. for et medlem (--navn).

    PUNKT er punktets nummer på dagsordenen eller sagens nummer (fx 2 eller 22/291).
    """
    root = root_of(project)
    if fjern is not None:
        alone("--fjern", TEKST=tekst, **{"--navn": navn})
        if not fjern.strip().isdigit():
            raise click.BadParameter(
                f"'{fjern}' er ikke et nummer; skriv bemærkningens nummer (1 er den første)",
                param_hint="'--fjern'",
            )
        done = record.withdraw_note(root, moede, punkt, int(fjern))
        say(
            done,
            f"protokolbemærkning {fjern} fjernet fra {done.item}: {done.previous}",
            replaced=False,
        )
        return
    if tekst is None:
        raise click.UsageError("skriv bemærkningen som TEKST (eller brug --fjern N)")
    done = record.note(root, moede, punkt, tekst, person=navn)
    say(done, f"protokolbemærkning skrevet på {done.item}")
