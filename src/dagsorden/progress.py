"""A progress bar for the steps of a build (Word, PDF, agenda packet), for a person at a terminal.

For the CLI: the library itself never prints. Nothing is shown when stderr is piped or
redirected, on a dumb terminal, or in CI (the environment variable CI set, as CI services do),
so logs and captured output stay clean.

    with progress_bar(len(jobs), CONVERTING) as advance:
        convert_documents(jobs, on_done=lambda pdf: advance(pdf.name))
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

__all__ = ["BUILDING", "CHECKING", "CONVERTING", "MERGING", "progress_bar", "silent", "wanted"]

CHECKING = "Tjekker møder"
BUILDING = "Bygger Word-filer"
CONVERTING = "Laver PDF"
MERGING = "Samler bilagspakke"


def wanted(stream: TextIO | None = None) -> bool:
    """True when a bar on `stream` (default stderr) would be seen by a person."""
    out = sys.stderr if stream is None else stream
    in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    dumb = os.environ.get("TERM") == "dumb"
    return out.isatty() and not in_ci and not dumb


@contextmanager
def progress_bar(
    total: int, label: str, *, stream: TextIO | None = None
) -> Iterator[Callable[[str], None]]:
    """Yield `advance(name)`, which moves the bar one step and shows the name just done.

    Where no one would see the bar, `advance` does nothing and nothing is written.
    """
    out = sys.stderr if stream is None else stream
    if total <= 0 or not wanted(out):
        yield _nothing
        return
    with click.progressbar(
        length=total,
        label=label,
        file=out,
        show_pos=True,
        show_percent=False,
        show_eta=False,  # a guess per document is noise for a handful of documents
        item_show_func=lambda name: name,
    ) as bar:

        def advance(name: str) -> None:
            bar.update(1, name)

        yield advance


@contextmanager
def silent(total: int, label: str) -> Iterator[Callable[[str], None]]:
    """No bar at all: for callers that show none."""
    yield _nothing


def _nothing(name: str) -> None:
    pass
