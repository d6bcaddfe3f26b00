"""When each published object was created and last modified: from git, else from the data.

OParl wants `created` and `modified` on every object, and the calendar `DTSTAMP` and
`LAST-MODIFIED`; the same data must give the same bytes, so never the clock. One `git log` over
the data folders gives each file its first and last commit time; an object's times are those of
the files it is made from. Outside git, or for a file not yet committed, the meeting's date at
12:00 Copenhagen time stands in.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

__all__ = ["COPENHAGEN", "Stamps", "iso"]

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
_FOLDERS = ("organisation.yaml", "cases", "agenda", "arkiv")


class Stamps:
    """First and last commit time of every data file of the project."""

    def __init__(self, root: Path) -> None:
        self.first: dict[str, dt.datetime] = {}
        self.last: dict[str, dt.datetime] = {}
        try:
            # Oldest first, so the last time seen for a file is its newest commit.
            output = subprocess.run(
                ["git", "log", "--reverse", "--format=@%ct", "--name-only", "--", *_FOLDERS],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return
        prefix = _prefix(root)
        when: dt.datetime | None = None
        for line in output.splitlines():
            if line.startswith("@"):
                when = dt.datetime.fromtimestamp(int(line[1:]), COPENHAGEN)
            elif line and when is not None:
                name = line.removeprefix(prefix)
                parts = name.split("/")
                # A meeting's frozen records count as one: arkiv/<møde>/.
                for key in (name, "/".join(parts[:2]) + "/") if len(parts) > 2 else (name,):
                    self.first.setdefault(key, when)
                    self.last[key] = when

    def of(self, files: Iterable[str], fallback: dt.date) -> tuple[str, str]:
        """`created` and `modified` of an object made from `files` (relative to the project;
        `arkiv/<møde>/` for a meeting's records): the earliest first commit and the latest last
        commit among them."""
        noon = dt.datetime.combine(fallback, dt.time(12), COPENHAGEN)
        names = list(files)
        firsts = [self.first[f] for f in names if f in self.first]
        lasts = [self.last[f] for f in names if f in self.last]
        created = min(firsts) if firsts else noon
        modified = max(lasts) if lasts else created
        return iso(created), iso(max(created, modified))


def iso(moment: dt.datetime) -> str:
    """'2023-03-02T13:00:00+01:00', as OParl writes a date-time."""
    return moment.astimezone(COPENHAGEN).replace(microsecond=0).isoformat()


def _prefix(root: Path) -> str:
    """The project folder's path inside its git repository ('' at the top)."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--show-prefix"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return found
