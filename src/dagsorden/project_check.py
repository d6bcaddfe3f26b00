"""The whole project's check, as 'dagsorden tjek' runs it: remembered between runs.

Light on purpose (the library's rendering and PDF modules are imported only when the check
must really run), so asking again when nothing changed costs a fraction of a second.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from ._templates import templates_fingerprint
from .cache import Store, open_store
from .errors import Problem, ProblemsError
from .progress import silent

if TYPE_CHECKING:
    from ._outputs import Progress

__all__ = ["check_everything"]


def check_everything(
    root: Path, *, strict: bool = False, progress: Progress = silent
) -> list[Problem]:
    """`check` of the whole project for 'dagsorden tjek': its warnings, or ProblemsError.

    When no file the check reads has changed since the last run, that run's result is given
    again (cache.py). The fingerprint covers the organisation, cases/, agenda/, arkiv/,
    templates/ and the templates the project uses, every bilag file the cases name (and where
    links take them), the git commit, the version and `strict`, so it cannot give another
    result than a run would. Otherwise each meeting is checked in its own scope, its result
    remembered (`_check_all`), and the templates are opened, compiled and filled in with a
    sample context (`_templates.check_templates`).
    """
    store = open_store(root)
    try:
        base = _fingerprint(root, store, strict) if store.active else None
        known = store.run("tjek")
        if base is not None and isinstance(known, tuple) and len(known) == 4:
            known_base, bilag, full, result = known
            if known_base == base and store.fingerprint(root, bilag) == full:
                found, failed = result
                return _result(found, failed)
        from ._check_all import check_all

        found, bilag = check_all(root, store, progress)
        failed = any(p.is_error for p in found) or (strict and bool(found))
        if base is not None and bilag is not None:
            full = store.fingerprint(root, bilag)
            if full is not None:
                store.remember_run("tjek", (base, bilag, full, (found, failed)))
    finally:
        store.close()
    return _result(found, failed)


def _result(found: list[Problem], failed: bool) -> list[Problem]:
    if failed:
        raise ProblemsError(list(found))
    return list(found)


_DATA_FILES = ("organisation.yaml", "cases", "agenda", "arkiv", "templates")


def _fingerprint(root: Path, store: Store, strict: bool) -> str | None:
    """What the data files hold now, with the git commit, the version and `strict`; None when
    that cannot be known."""
    files = store.fingerprint(root, _DATA_FILES)
    templates = templates_fingerprint(root, store)
    if files is None or templates is None:
        return None
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    git = f"git:{head.returncode}:{head.stdout.strip()}"
    return f"{__version__}|{strict}|{files}|{templates}|{git}"
