"""Changes to a data project kept in git: commit a recording, list a meeting's changes, undo.

Git is the history and the undo (DESIGN §8): a change made in the browser is committed with a
Danish message naming the meeting and what was recorded, and the last change to a meeting's
file can be taken back. The undo writes the file as it was before that change through the
same check and atomic write as every recording, so it can never leave the data broken, and it
refuses when the file holds changes git has not seen (someone's edit in an editor meanwhile).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ._atomic import locked, replace
from ._recording import check_with
from .errors import DagsordenError, RecordError

__all__ = ["Change", "commit", "file_changes", "in_git", "undo_last"]

_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Change:
    """One commit that changed a file: its id, when, and its message's first line."""

    commit: str
    when: dt.datetime
    message: str


def _git(root: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # Git's own messages are English; callers turn a failure into a Danish sentence.
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(
        ["git", "-C", str(root), *args],
        input=data,
        capture_output=True,
        env=env,
        check=False,
    )


def in_git(root: Path) -> bool:
    """True when the project folder lies in a git repository (and git is installed)."""
    if shutil.which("git") is None:
        return False
    return _git(root, "rev-parse", "--is-inside-work-tree").stdout.strip() == b"true"


def _identity(root: Path) -> list[str]:
    """Who commits: the user's own git identity, or dagsorden's when none is set."""
    name = _git(root, "config", "user.name").stdout.strip()
    email = _git(root, "config", "user.email").stdout.strip()
    extra = []
    if not name:
        extra += ["-c", "user.name=dagsorden"]
    if not email:
        extra += ["-c", "user.email=dagsorden@localhost"]
    return extra


def commit(root: Path, files: list[str], message: str) -> bool:
    """Commit `files` (relative to `root`) with `message`; only those files, whatever else is
    staged. False when nothing changed in them."""
    existing = [f for f in files if (root / f).exists()]
    if not existing:
        return False
    _git(root, "add", "--", *existing)
    done = _git(root, *_identity(root), "commit", "--quiet", "-m", message, "--", *existing)
    if done.returncode != 0:
        if _git(root, "diff", "--cached", "--quiet", "--", *existing).returncode == 0:
            return False
        raise DagsordenError(
            "ændringen er skrevet i filen, men git kunne ikke gemme den i historikken: "
            + done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:][0]
            if done.stderr.strip()
            else "ændringen er skrevet i filen, men git kunne ikke gemme den i historikken"
        )
    return True


def file_changes(root: Path, file: str, limit: int = 100) -> list[Change]:
    """The commits that changed `file`, newest first."""
    done = _git(root, "log", f"-n{limit}", f"--format=%H{_SEPARATOR}%cI{_SEPARATOR}%s", "--", file)
    if done.returncode != 0:
        return []
    found = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        commit_id, when, message = line.split(_SEPARATOR, 2)
        found.append(Change(commit_id, dt.datetime.fromisoformat(when), message))
    return found


def undo_last(root: Path, file: str, meeting: str) -> Change:
    """Put meeting `meeting`'s file back as it was before its last commit, check it as every
    recording is checked, write it atomically and commit the undo. Returns the change undone."""
    changes = file_changes(root, file, limit=1)
    if not changes:
        raise RecordError(f"{file} har ingen ændringer i git at fortryde")
    last = changes[0]
    target = root / file
    with locked(target, file, 10.0):
        head = _git(root, "show", f"{last.commit}:{file}")
        if head.returncode != 0 or head.stdout != target.read_bytes():
            raise RecordError(
                f"{file} er ændret, siden git sidst gemte den (i en editor eller af en"
                " kommando); gem eller fortryd den ændring i git først, så intet går tabt"
            )
        before = _git(root, "show", f"{last.commit}^:{file}")
        if before.returncode != 0:
            raise RecordError(
                f"{file} blev oprettet i den seneste ændring; den kan ikke fortrydes her"
            )
        check_with(root, file, before.stdout, meeting)
        replace(target, before.stdout, file)
    commit(root, [file], f"Fortrudt: {last.message}")
    return last
