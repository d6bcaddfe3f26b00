"""The whole project's check, as 'dagsorden tjek' runs it: remembered between runs.

Light on purpose (the library's rendering and PDF modules are imported only when the check
must really run), so asking again when nothing changed costs a fraction of a second.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cache import Store, open_store
from .errors import Problem, ProblemsError
from .inside import real_path

if TYPE_CHECKING:
    from .model import Project

__all__ = ["check_everything"]


def check_everything(root: Path, *, strict: bool = False) -> list[Problem]:
    """`check` of the whole project for 'dagsorden tjek': its warnings, or ProblemsError.

    When no file the check reads has changed since the last run, that run's result is given
    again (cache.py). The fingerprint covers the organisation, cases/, agenda/, arkiv/,
    templates/, every bilag file the cases name (and where links take them), the git commit,
    the version and `strict`, so it cannot give another result than a run would.
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
        from .build import _check

        project, found, _ = _check(root, strict=strict, meetings=(), store=store)
        failed = any(p.is_error for p in found) or (strict and bool(found))
        bilag = _bilag_files(project)
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
    if files is None:
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
    return f"{__version__}|{strict}|{files}|git:{head.returncode}:{head.stdout.strip()}"


def _bilag_files(project: Project) -> tuple[str, ...] | None:
    """Every bilag file the cases name, as named (so the fingerprint follows a link the way the
    check does, and sees where it leads); None when one lies outside the project or is a link
    in a loop (the fingerprint would not see it, so the result is not kept)."""
    root = project.root.resolve()
    names = set()
    for case in project.cases.values():
        for attachment in case.attachments:
            if attachment.file is None:
                continue
            path = real_path(project.root / attachment.file.name)
            if path is None or not path.is_relative_to(root):
                return None
            names.add(attachment.file.name)
    return tuple(sorted(names))
