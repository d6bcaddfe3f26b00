"""The workplace in the browser: web."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DagsordenError
from ._common import PROJECT, cli, root_of

__all__ = ["web"]


@cli.command("web", options_metavar="[TILVALG]", short_help="Arbejd med møderne i browseren.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8017,
    show_default=True,
    metavar="N",
    help="Porten på 127.0.0.1.",
)
@click.option("--uden-browser", is_flag=True, help="Åbn ikke browseren (kun adressen skrives).")
@click.option(
    "--uden-git",
    is_flag=True,
    help="Gem ikke hver ændring i git (standard: gem, når projektet ligger i git).",
)
@PROJECT
def web(port: int, uden_browser: bool, uden_git: bool, project: Path | None) -> None:
    """Start arbejdspladsen i browseren på denne maskine (127.0.0.1) og åbn den.

    Adressen med adgangsnøglen skrives i terminalen; kun den, der har den, kan bruge siden.
    Alt, du gør i browseren, skrives i de samme YAML-filer, som kommandoerne bruger, og gemmes
    i git med en besked, når projektet ligger i git. Stop med Ctrl+C.
    """
    root = root_of(project)
    try:
        from ..web import serve
    except ImportError as exc:
        raise DagsordenError(
            "webdelen er ikke installeret; installer den med: pip install 'dagsorden[web]'"
        ) from exc
    serve(
        root,
        port,
        open_browser=not uden_browser,
        commit=False if uden_git else None,
        announce=click.echo,
    )
