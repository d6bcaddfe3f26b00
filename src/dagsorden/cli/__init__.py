"""The command line: Danish commands over the library. Parses, calls, presents; nothing more.

Grouped as the README groups them: `documents` (tjek, byg, kontekst), `meeting` (a meeting's
plan and state: nyt-møde, punkter, status, godkend, ret, videresend), `recording` (what
happened at the meeting: afbud, delvis, beslut, deltog-ikke, afstem, bemærk) and `web` (the
workplace in the browser). `_click_da`
puts click's own words into Danish.
"""

from __future__ import annotations

import gc
import os
import sys

import click

from ..errors import DagsordenError, ProblemsError
from . import documents, meeting, publishing, recording, web
from ._click_da import translate
from ._common import WROTE_NOTHING, cli, count, show

__all__ = ["cli", "documents", "main", "meeting", "publishing", "recording", "run", "web"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 fine, 1 problems, 2 usage, 3 internal)."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    WROTE_NOTHING[0] = False
    try:
        cli.main(args=argv, prog_name="dagsorden", standalone_mode=False)
    except ProblemsError as exc:
        show(exc.problems)
        errors = sum(p.is_error for p in exc.problems)
        summary = count(len(exc.problems) - errors, errors)
        click.echo(f"{summary}; intet er skrevet." if WROTE_NOTHING[0] else f"{summary}.", err=True)
        return 1
    except DagsordenError as exc:  # already 'fil: fejl: …' where located
        text = str(exc)
        click.echo(text if ": fejl: " in text else f"fejl: {text}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo(translate("Aborted!"), err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except Exception:
        if debug:
            import traceback

            traceback.print_exc()
        else:
            click.echo(
                "intern fejl i dagsorden; kør igen med --debug og send udskriften til udviklerne.",
                err=True,
            )
        return 3
    return 0


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
