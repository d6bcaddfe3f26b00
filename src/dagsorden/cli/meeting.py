"""A meeting's plan and state: nyt-møde, punkter, status, godkend, ret, videresend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..errors import Problem
from ..progress import progress_bar
from ._common import MEETING, PROJECT, WROTE_NOTHING, cli, record, root_of, show

__all__ = ["frys", "godkend", "nyt_moede", "punkter", "ret", "status_", "videresend"]

_TITLE_WIDTH = 40


def _recorded(warnings: list[Problem], done: str) -> None:
    show(warnings)
    click.echo(done)


@cli.command("nyt-møde", options_metavar="[TILVALG]", short_help="Opret en mødefil uden punkter.")
@click.argument("udvalg", metavar="UDVALG")
@click.argument("dato", metavar="DATO")
@click.option("--start", metavar="TT:MM", help="Starttidspunkt (standard: som udvalgets seneste).")
@click.option("--sted", metavar="TEKST", help="Mødested (standard: som udvalgets seneste).")
@PROJECT
def nyt_moede(
    udvalg: str, dato: str, start: str | None, sted: str | None, project: Path | None
) -> None:
    """Opret agenda/DATO-UDVALG.yaml: et planlagt møde i UDVALG (fx ØK) den DATO (ÅÅÅÅ-MM-DD).

    Start og sted er som på udvalgets seneste møde, hvis du ikke skriver dem. Mødet har ingen
    punkter endnu; skriv dem i filen, eller sæt sager på med 'dagsorden videresend'.
    Findes filen, skrives intet.
    """
    file, warnings = record.new_meeting(root_of(project), udvalg, dato, start=start, place=sted)
    _recorded(warnings, f"skrev {file}")


@cli.command("punkter", options_metavar="[TILVALG]", short_help="Vis et mødes punkter.")
@MEETING
@click.option(
    "--fjern",
    "remove",
    metavar="PUNKT",
    help="Tag punktet af dagsordenen (nummer eller sagsnummer).",
)
@PROJECT
def punkter(moede: str, remove: str | None, project: Path | None) -> None:
    """Vis mødets punkter: nummer, sag, titel, adgang og hvad der er skrevet ved hvert.

    Numrene og sagsnumrene er dem, de øvrige kommandoer tager som PUNKT.

    Med --fjern PUNKT tages punktet af dagsordenen, før listen vises: det fjernes fra
    mødefilen, og punkterne efter det rykker op. Er dagsordenen udsendt, kommer punktet på
    tillægsdagsordenen som taget af. Når mødet er afholdt, kan intet tages af.
    """
    if remove is not None:
        WROTE_NOTHING[0] = True
        done = record.remove_item(root_of(project), moede, remove)
        WROTE_NOTHING[0] = False
        show(list(done.warnings))
        click.echo(f"{done.item} er taget af dagsordenen. {done.consequence}")
    overview = record.item_overview(root_of(project), moede)
    click.echo(f"{overview.heading} ({overview.name}, {overview.status})")
    if not overview.items:
        click.echo("Mødet har ingen punkter endnu.")
    else:
        rows = [("nr.", "sag", "titel", "adgang", "skrevet")]
        for item in overview.items:
            title = item.title
            if len(title) > _TITLE_WIDTH:
                title = title[: _TITLE_WIDTH - 1].rstrip() + "…"
            recorded = ", ".join(item.recorded) or "–"
            rows.append((str(item.number), item.case or "–", title, item.access, recorded))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            click.echo("  ".join([*cells, row[4]]).rstrip())
    for line in overview.attendance:
        click.echo(line[:1].upper() + line[1:])


_NO_PDF_FREEZE = click.option(
    "--uden-pdf",
    "no_pdf",
    is_flag=True,
    help="Frys kun Word-filerne, ikke PDF'erne (hurtigere; indholdet fryses lige fuldt ud).",
)


@cli.command("status", options_metavar="[TILVALG]", short_help="Sæt mødets status.")
@MEETING
@click.argument(
    "status", type=click.Choice(["planlagt", "udsendt", "afholdt", "aflyst"]), metavar="STATUS"
)
@_NO_PDF_FREEZE
@PROJECT
def status_(moede: str, status: str, no_pdf: bool, project: Path | None) -> None:
    """Sæt mødets STATUS: planlagt, udsendt, afholdt eller aflyst (godkendt sættes med godkend).

    Når dagsordenen udsendes, fryses den: det, den viser nu, gemmes i arkiv/MØDE/udsendt/ som
    tekst og som Word- og PDF-filer, og dagsordenen bygges derefter altid derfra, også når
    sagerne senere ændres til deres næste behandling. Når mødet er holdt, fryses dagsordenen,
    som mødet behandlede den, og en eventuel tillægsdagsorden i arkiv/MØDE/afholdt/.
    """
    warnings = record.set_status(
        root_of(project), moede, status, pdf=not no_pdf, progress=progress_bar
    )
    where = {"udsendt": "udsendt", "afholdt": "afholdt"}.get(status)
    frozen = f"; dagsordenen er frosset i arkiv/{moede}/{where}/" if where else ""
    supplement = root_of(project) / "arkiv" / moede / "afholdt" / "tillaeg-intern.json"
    if status == "afholdt" and supplement.is_file():
        frozen += ", med tillægsdagsordenen (det, der er ændret siden udsendelsen)"
    _recorded(warnings, f"mødet {moede} har nu status {status}{frozen}")


@cli.command("godkend", options_metavar="[TILVALG]", short_help="Godkend og lås protokollen.")
@MEETING
@click.option("--dato", metavar="ÅÅÅÅ-MM-DD", help="Godkendelsens dato (standard: i dag).")
@_NO_PDF_FREEZE
@PROJECT
def godkend(moede: str, dato: str | None, no_pdf: bool, project: Path | None) -> None:
    """Godkend protokollen for MØDE: den fryses i arkiv/MØDE/godkendt/, og mødefilens
    beslutninger og fremmøde låses.

    Bagefter kan de kun ændres ved en dateret rettelse (dagsorden ret).
    """
    warnings = record.approve(
        root_of(project), moede, on=_date(dato), pdf=not no_pdf, progress=progress_bar
    )
    _recorded(
        warnings, f"protokollen for {moede} er godkendt, frosset i arkiv/{moede}/godkendt/ og låst"
    )


@cli.command("frys", options_metavar="[TILVALG]", short_help="Frys et udsendt eller godkendt møde.")
@click.argument("moede", metavar="[MØDE]", required=False)
@click.option("--alle", is_flag=True, help="Frys alle udsendte og holdte møder, der mangler det.")
@_NO_PDF_FREEZE
@PROJECT
def frys(moede: str | None, alle: bool, no_pdf: bool, project: Path | None) -> None:
    """Frys det, et møde med status udsendt, afholdt eller godkendt har vist.

    Til møder fra før dagsorden frøs dokumenterne; nye møder fryses af 'status' og 'godkend'.
    En godkendt protokol fryses kun, hvis dens kontrolsum viser, at intet er ændret siden.
    Med --alle fryses indholdet af alle udsendte og holdte møder, der mangler det, i
    datoorden (uden Word- og PDF-filer; de blev sendt dengang); godkendte fryses ét ad gangen.
    """
    if (moede is None) == (not alle):
        raise click.UsageError("nævn ét MØDE, eller skriv --alle")
    root = root_of(project)
    if alle:
        done = record.freeze_everything(root)
        meetings = len({stage.split("/")[0] for stage in done})
        word = "møde" if meetings == 1 else "møder"
        click.echo(f"frøs {meetings} {word}" if done else "alle møder var allerede frosset")
        return
    assert moede is not None
    stages = record.freeze_missing(root, moede, pdf=not no_pdf, progress=progress_bar)
    if not stages:
        click.echo(f"mødet {moede} var allerede frosset")
    for stage in stages:
        click.echo(f"frosset: arkiv/{moede}/{stage}/")


@cli.command(
    "ret", options_metavar="[TILVALG]", short_help="Tilføj en rettelse til en godkendt protokol."
)
@MEETING
@click.argument("tekst", metavar="TEKST")
@click.option(
    "--punkt", metavar="PUNKT", help="Punktet, rettelsen gælder: nummer eller sagsnummer."
)
@click.option("--dato", metavar="ÅÅÅÅ-MM-DD", help="Rettelsens dato (standard: i dag).")
@PROJECT
def ret(moede: str, tekst: str, punkt: str | None, dato: str | None, project: Path | None) -> None:
    """Tilføj en dateret rettelse til den godkendte protokol for MØDE."""
    root = root_of(project)
    number = None if punkt is None else record.item_position(root, moede, punkt)
    warnings = record.correct(root, moede, tekst, number=number, on=_date(dato))
    _recorded(warnings, "rettelsen er skrevet")


@cli.command(
    "videresend", options_metavar="[TILVALG]", short_help="Sæt en sag på næste udvalgs møde."
)
@MEETING
@click.argument("punkt", metavar="PUNKT")
@click.option(
    "--til", metavar="MØDE", help="Mødet, sagen skal på (standard: næste udvalgs næste møde)."
)
@click.option(
    "--uden-om-sagsgangen",
    "outside",
    is_flag=True,
    help="Sagen skal på mødet i --til, selv om sagsgangen siger noget andet.",
)
@PROJECT
def videresend(
    moede: str, punkt: str, til: str | None, outside: bool, project: Path | None
) -> None:
    """Sæt sagen på PUNKT videre til næste udvalg i sagsgangen (ØK → KB).

    Er sagen udsat (beslutningen "Udsat.") eller mødet aflyst, kommer den på samme udvalgs
    næste møde. Skal sagen et andet sted hen end sagsgangen siger, så nævn mødet med --til og
    skriv --uden-om-sagsgangen.

    PUNKT er punktets nummer på dagsordenen eller sagens nummer (fx 2 eller 22/291).
    """
    target, warnings = record.forward(root_of(project), moede, punkt, to=til, outside_route=outside)
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
