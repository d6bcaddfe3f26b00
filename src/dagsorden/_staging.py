"""A build's files are made in a hidden folder inside out/ and moved into place only at the end.

Every document, PDF and packet of a build is first written into `out/.dagsorden-byg-<id>/`,
under the name it will have (`<møde>/dagsorden-intern.pdf`), and LibreOffice and the packet
work there too. Only when every step has succeeded are the files renamed into place (the folder
is on the same file system, so each rename is atomic) and the outputs that no longer match
removed. Any failure, at any step, removes the folder: out/ is then exactly as it was.

A build that is killed leaves its folder behind. The next build into the same out/ holds the
output folder's lock, so any such folder it finds is a leftover, and is removed; so are the
hidden `.<name>.<random>.tmp` files earlier versions wrote beside their targets, their
packet folders in the system's temporary folder, and the folder of a LibreOffice whose owner
is gone (`_libreoffice.remove_stale_folders`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from . import _libreoffice
from .errors import DagsordenError, cannot_write

__all__ = ["PREFIX", "Stage", "remove_leftovers"]

PREFIX = ".dagsorden-byg-"
# Earlier versions made the packet's scratch folder here; one this old is no build's any more.
_OLD_PACKET_FOLDERS = "dagsorden-pakke-*"
_OLD_AFTER = 3600.0


class Stage:
    """The hidden folder of one build, and the files staged in it by their final paths."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.folder = out / f"{PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
        self.staged: dict[Path, Path] = {}  # final path -> staged path, in the order staged
        self._made = False

    def path(self, final: Path) -> Path:
        """Where to write the file that will be `final` (its folder exists)."""
        staged = self.folder / final.relative_to(self.out)
        try:
            staged.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DagsordenError(cannot_write(self.out, exc)) from exc
        self._made = True
        self.staged[final] = staged
        return staged

    def where(self, final: Path) -> Path:
        """The file as this build has it: the staged one if there is one, else the final one."""
        return self.staged.get(final, final)

    def scratch(self) -> Path:
        """A folder for work files (a packet's converted bilag), removed with the stage."""
        folder = self.folder / ".arbejde" / secrets.token_hex(4)
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise DagsordenError(cannot_write(self.out, exc)) from exc
        self._made = True
        return folder

    def commit(self, remove: list[Path]) -> None:
        """Rename every staged file into place, then remove the outputs in `remove`."""
        for final in self.staged:  # what would stop a rename half way, before the first
            if final.is_dir() and not final.is_symlink():
                raise DagsordenError(cannot_write(final, IsADirectoryError()))
        for final, staged in self.staged.items():
            try:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, final)
            except OSError as exc:
                raise DagsordenError(cannot_write(final, exc)) from exc
        for path in remove:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise DagsordenError(cannot_write(path, exc)) from exc
        self.discard()

    def discard(self) -> None:
        """Remove the folder and everything staged in it."""
        if self._made:
            shutil.rmtree(self.folder, ignore_errors=True)


def remove_leftovers(out: Path) -> None:
    """Remove what killed builds left in `out` (the caller holds its lock) and in the system's
    temporary folder."""
    with contextlib.suppress(OSError):
        for entry in out.iterdir():
            if entry.name.startswith(PREFIX) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            elif _is_temporary(entry.name) and entry.is_file():
                entry.unlink(missing_ok=True)
            elif entry.is_dir() and not entry.is_symlink() and not entry.name.startswith("."):
                with contextlib.suppress(OSError):
                    for inner in entry.iterdir():
                        if _is_temporary(inner.name) and inner.is_file():
                            inner.unlink(missing_ok=True)
    _remove_old_packet_folders()
    _libreoffice.remove_stale_folders()


def _is_temporary(name: str) -> bool:
    """`.<name>.<random>.tmp`, as the writers of earlier versions named their temporary files."""
    return name.startswith(".") and name.endswith(".tmp") and name.count(".") >= 3


def _remove_old_packet_folders() -> None:
    uid = os.getuid()
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(_OLD_PACKET_FOLDERS):
        with contextlib.suppress(OSError):
            info = folder.lstat()
            if info.st_uid == uid and folder.is_dir() and now - info.st_mtime > _OLD_AFTER:
                shutil.rmtree(folder, ignore_errors=True)
