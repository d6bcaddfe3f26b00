"""What every command shares: the group, the project folder, how problems are shown."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..errors import DagsordenError, Problem
from ._click_da import install


class _Later:
    """A library module imported when a command first uses it, so 'dagsorden tjek' and
    '--hjælp' do not pay for Word, PDF and YAML writing they never use."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


record: Any = _Later("dagsorden.record")

__all__ = [
    "MEETING",
    "PROJECT",
    "STRICT",
    "WROTE_NOTHING",
    "cli",
    "count",
    "relative",
    "root_of",
    "show",
]

install()

# Set by the commands that write, so the summary of a failure can say nothing was written.
WROTE_NOTHING = [False]

PROJECT_HELP = "Dataprojektets mappe med organisation.yaml, cases/ og agenda/ (standard: her)."
PROJECT = click.option(
    "--projekt",
    "project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="MAPPE",
    default=None,
    help=PROJECT_HELP,
)
STRICT = click.option("--strikt", "strict", is_flag=True, help="Advarsler tæller som fejl.")


@click.group(
    context_settings={"help_option_names": ["-h", "--hjælp", "--help"]},
    options_metavar="[TILVALG]",
    subcommand_metavar="KOMMANDO [ARGUMENTER]...",
)
@click.version_option(__version__, "--version", prog_name="dagsorden")
@click.option("--debug", is_flag=True, help="Vis Pythons fulde fejlspor ved interne fejl.")
@PROJECT
@click.pass_context
def cli(ctx: click.Context, debug: bool, project: Path | None) -> None:
    """Dagsordener og beslutningsprotokoller fra sager og møder i YAML.

    Kør kommandoerne i dataprojektets mappe, eller angiv den med --projekt.
    """
    ctx.obj = {"debug": debug, "project": project}


def root_of(project: Path | None) -> Path:
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


MEETING = click.argument("moede", metavar="MØDE")


def count(warnings: int, errors: int | None = None) -> str:
    text = f"{warnings} advarsel" if warnings == 1 else f"{warnings} advarsler"
    return text if errors is None else f"{errors} fejl og {text}"


def show(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(problem.render(), err=True)


def relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
