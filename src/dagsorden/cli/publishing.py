"""The command that publishes: udgiv."""

from __future__ import annotations

from pathlib import Path

import click

from ..progress import progress_bar
from ._common import PROJECT, WROTE_NOTHING, cli, relative, root_of, show

__all__ = ["udgiv"]


@cli.command(
    "udgiv",
    options_metavar="[TILVALG]",
    short_help="Lav det offentlige mødesite med søgning, OParl og kalendere.",
)
@PROJECT
@click.option(
    "--ud",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="MAPPE",
    default=None,
    help="Mappen, sitet skrives i (standard: out/websted/ i projektet).",
)
@click.option(
    "--basis-url",
    "base_url",
    metavar="URL",
    default=None,
    help="Sitets fulde adresse på nettet, fx https://kommune.dk/moeder/ (bruges i OParl og"
    " kalenderne; standard: http://localhost:8000/ til at se sitet på egen maskine).",
)
@click.option(
    "--uden-pdf", "no_pdf", is_flag=True, help="Uden PDF'er og bilagspakker (hurtigst; til prøve)."
)
def udgiv(project: Path | None, out: Path | None, base_url: str | None, no_pdf: bool) -> None:
    """Lav det offentlige mødesite: forside, udvalg, møder og punkter, søgning, åbne data
    (OParl 1.1) og mødekalendere (iCalendar).

    Alt laves af den offentlige udgave: lukkede punkter vises kun med deres offentlige titel og
    beslutning. Dokumenterne bygges først som med 'dagsorden byg'. Sitet skrives i en ny mappe,
    som først erstatter det gamle site, når alt er lavet; er der fejl, står det gamle site
    urørt. Kun det, der er ændret siden sidst, skrives igen.
    """
    WROTE_NOTHING[0] = True
    from ..publish import DEFAULT_BASE, publish

    done = publish(root_of(project), out, base_url=base_url, pdf=not no_pdf, progress=progress_bar)
    show(done.warnings)
    click.echo(
        f"udgav {done.meetings} møder i {relative(done.site)}/: {len(done.written)} filer skrevet,"
        f" {done.kept} uændrede"
    )
    if base_url is None:
        click.echo(
            f"bemærk: adresserne i OParl og kalenderne begynder med {DEFAULT_BASE}; angiv sitets"
            " rigtige adresse med --basis-url, før det lægges på nettet",
            err=True,
        )
