"""The commands that make a project, read the data and make documents: ny, tjek, byg,
kontekst."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..progress import progress_bar
from ..project_check import check_everything
from ._common import PROJECT, STRICT, WROTE_NOTHING, cli, count, relative, root_of, show

__all__ = ["byg", "kontekst", "ny", "tjek"]


@cli.command("ny", options_metavar="[TILVALG]", short_help="Opret et dataprojekt til en kommune.")
@click.argument("mappe", metavar="MAPPE", type=click.Path(path_type=Path))
@click.option(
    "--kommune",
    metavar="NAVN",
    default="Eksempel Kommune",
    help="Kommunens navn (standard: Eksempel Kommune; kan rettes i organisation.yaml).",
)
def ny(mappe: Path, kommune: str) -> None:
    """Opret MAPPE som et nyt dataprojekt: organisation.yaml med forklarende kommentarer, én
    skabelon til dagsorden og protokol (templates/skabelon.docx), en eksempelsag og et
    eksempelmøde. MAPPE skal være ny eller tom; intet overskrives.
    """
    from ..new import new_project

    files = new_project(mappe, kommune)
    click.echo(f"Oprettede {relative(mappe)}/ med:")
    for file in files:
        click.echo(f"  {file.as_posix()}")
    where = relative(mappe)
    click.echo(
        "\nSådan kommer du videre:\n"
        f"  1. Skriv jeres udvalg og medlemmer i {where}/organisation.yaml (se kommentarerne).\n"
        f"  2. Kør 'dagsorden --projekt {where} tjek': den siger, hvad der mangler.\n"
        f"  3. Kør 'dagsorden --projekt {where} byg' og se dokumenterne i {where}/out/.\n"
        f"  4. Ret udseendet i {where}/templates/skabelon.docx i Word: én skabelon til både"
        " dagsorden og protokol (se docs/templates.md).\n"
        "  5. Slet eksempelsagen og eksempelmødet, og skriv jeres egne (se docs/format.md).\n"
        "  6. Læg mappen i git, så hver ændring kan ses og tages tilbage."
    )


@cli.command("tjek", options_metavar="[TILVALG]", short_help="Tjek alle sager og møder.")
@PROJECT
@STRICT
def tjek(project: Path | None, strict: bool) -> None:
    """Tjek alle sager og møder og vis alle problemer på én gang.

    Intet bliver skrevet. Afslutter med kode 1, hvis der er fejl.
    """
    warnings = check_everything(root_of(project), strict=strict, progress=progress_bar)
    show(warnings)
    click.echo("Alt er i orden." if not warnings else f"Ingen fejl, {count(len(warnings))}.")


@cli.command(
    "byg", options_metavar="[TILVALG]", short_help="Byg dagsordener og protokoller (Word og PDF)."
)
@click.argument("moeder", metavar="[MØDE]...", nargs=-1)
@PROJECT
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
@STRICT
def byg(
    moeder: tuple[str, ...], project: Path | None, out: Path | None, no_pdf: bool, strict: bool
) -> None:
    """Byg dagsorden og protokol for møderne (alle møder, hvis ingen er nævnt).

    MØDE er mødefilens navn uden .yaml, fx 2023-03-02-hu. Hvert dokument bygges i en intern og
    en offentlig udgave, som Word-fil og som PDF med udfyldt indholdsfortegnelse, og hvert møde
    får en bilagspakke (dagsordenen med alle bilag i én PDF). Protokollen bygges, når mødet har
    beslutninger. Kun det, der er ændret siden sidst, skrives igen. Er der fejl i data eller
    skabeloner, skrives intet.
    """
    WROTE_NOTHING[0] = True
    from ..build import build

    built, warnings = build(
        root_of(project), moeder, out=out, strict=strict, pdf=not no_pdf, progress=progress_bar
    )
    show(warnings)
    folders: dict[Path, int] = {}
    for b in built:
        if b.written:
            folders[b.path.parent] = folders.get(b.path.parent, 0) + 1
    for folder, written in folders.items():
        click.echo(f"skrev {written} filer i {relative(folder)}/")
    unchanged = sum(1 for b in built if not b.written)
    if unchanged:
        files = "fil" if unchanged == 1 else "filer"
        click.echo(f"{unchanged} {files} var uændret og blev ikke skrevet igen")


@cli.command("kontekst", options_metavar="[TILVALG]", short_help="Vis skabelonens data som JSON.")
@click.argument("moede", metavar="MØDE")
@PROJECT
@click.option("--protokol", is_flag=True, help="Protokollens kontekst i stedet for dagsordenens.")
@click.option("--offentlig", is_flag=True, help="Den offentlige udgave i stedet for den interne.")
def kontekst(moede: str, project: Path | None, protokol: bool, offentlig: bool) -> None:
    """Udskriv skabelonkonteksten for et møde som JSON (til dig, der redigerer skabeloner)."""
    from ..build import context_for
    from ..context import DocumentKind, Edition

    kind = DocumentKind.MINUTES if protokol else DocumentKind.AGENDA
    edition = Edition.PUBLIC if offentlig else Edition.INTERNAL
    context = context_for(root_of(project), moede, kind, edition)
    click.echo(json.dumps(context, ensure_ascii=False, indent=2))
