"""The new site is made in a folder beside the old one and swapped in whole at the end.

Every file of the new site goes into `.<site>.ny-<pid>-<random>/` beside the site folder (the
same file system, so links and renames work). A file whose bytes are those of the old site's
file is a hard link to it, not a new file: only what changed is written. When the whole site is
made, the old folder is renamed aside, the new one into its place, and the old one removed. Any
failure before that removes the new folder, and the old site stays as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from ..errors import DagsordenError, cannot_write

__all__ = ["SiteFolder"]

_NEW = ".ny-"
_OLD = ".gammel-"


class SiteFolder:
    """The site being made: its files, written or linked, and the swap."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.parent = site.parent
        self._restore()
        self._remove_leftovers()
        self.folder = self.parent / f".{site.name}{_NEW}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self.folder.mkdir()
        except OSError as exc:
            raise DagsordenError(cannot_write(site, exc)) from exc
        self.written: list[str] = []  # relative paths whose bytes are new
        self.kept = 0

    def put(self, relative: str, data: bytes) -> None:
        """The file `relative` of the new site holds `data`."""
        target = self._target(relative)
        old = self.site / relative
        try:
            if _holds(old, data):
                os.link(old, target)
                self.kept += 1
                return
            target.write_bytes(data)
        except OSError as exc:
            raise DagsordenError(cannot_write(self.site / relative, exc)) from exc
        self.written.append(relative)

    def make(self, relative: str, maker: Callable[[], bytes], keep: bool) -> None:
        """The file `relative`: the old site's as it is when `keep` says it cannot have
        changed, else made by `maker`."""
        if keep:
            old = self.site / relative
            try:
                if old.is_file() and not old.is_symlink():
                    os.link(old, self._target(relative))
                    self.kept += 1
                    return
            except OSError:
                pass  # made instead
        self.put(relative, maker())

    def keep_tree(self, relative: str) -> None:
        """Every file under the old site's folder `relative`, kept as it is."""
        old = self.site / relative
        for path in sorted(old.rglob("*")):
            if path.is_file() and not path.is_symlink():
                self.make(path.relative_to(self.site).as_posix(), path.read_bytes, True)

    def put_file(self, relative: str, source: Path) -> None:
        """The file `relative` of the new site is a copy of `source` (a built PDF)."""
        target = self._target(relative)
        old = self.site / relative
        try:
            same = old.is_file() and _same(old, source)
            base = old if same else source
            try:
                os.link(base, target)
            except OSError:
                shutil.copyfile(base, target)
        except OSError as exc:
            raise DagsordenError(cannot_write(self.site / relative, exc)) from exc
        if same:
            self.kept += 1
        else:
            self.written.append(relative)

    def files(self) -> list[str]:
        """Every file of the new site so far, relative, sorted."""
        return sorted(
            p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file()
        )

    def swap(self) -> None:
        """Put the new site in place of the old one."""
        aside = self.parent / f".{self.site.name}{_OLD}{secrets.token_hex(4)}"
        try:
            if self.site.exists():
                if not self.site.is_dir() or self.site.is_symlink():
                    raise DagsordenError(cannot_write(self.site, NotADirectoryError()))
                os.rename(self.site, aside)
            os.rename(self.folder, self.site)
        except OSError as exc:
            with contextlib.suppress(OSError):
                if aside.exists() and not self.site.exists():
                    os.rename(aside, self.site)
            raise DagsordenError(cannot_write(self.site, exc)) from exc
        shutil.rmtree(aside, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _target(self, relative: str) -> Path:
        target = self.folder / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DagsordenError(cannot_write(self.site / relative, exc)) from exc
        return target

    def _restore(self) -> None:
        """A run killed between its two renames left the old site aside: put it back."""
        if self.site.exists():
            return
        with contextlib.suppress(OSError):
            for entry in sorted(self.parent.glob(f".{self.site.name}{_OLD}*")):
                os.rename(entry, self.site)
                return

    def _remove_leftovers(self) -> None:
        with contextlib.suppress(OSError):
            for pattern in (_NEW, _OLD):
                for entry in self.parent.glob(f".{self.site.name}{pattern}*"):
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)


def _holds(old: Path, data: bytes) -> bool:
    """The old site's file holds exactly `data`."""
    if not old.is_file() or old.is_symlink() or old.stat().st_size != len(data):
        return False
    return old.read_bytes() == data


def _same(a: Path, b: Path) -> bool:
    one, two = a.stat(), b.stat()
    if (one.st_dev, one.st_ino) == (two.st_dev, two.st_ino):
        return True
    return one.st_size == two.st_size and a.read_bytes() == b.read_bytes()
