"""What a command remembers between runs, so its cost follows its own work, not the archive's.

One SQLite file in the data project, `.dagsorden/cache.sqlite` (the folder carries its own
`.gitignore`, so git never sees it). It holds three things, each keyed so that it can never make
a result differ from a run without it (docs/decisions.md):

* a data file's parsed records and problems, keyed by the file's path and the SHA-256 of its
  bytes (the bytes are always read; only the parsing is saved);
* the SHA-256 of a large file (bilag, frozen documents), keyed by its size, modification and
  change times (nanoseconds) and inode, trusted only when the file had not been touched for a
  while when it was hashed (a change within the same clock tick is never missed);
* the problems of a whole `tjek`, keyed by a fingerprint of every file the check reads.

The store is rebuilt silently when it is missing, from another version of dagsorden, or damaged;
when it cannot be written (a read-only share, a locked database) the command runs without it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from stat import S_IFMT, S_ISREG
from typing import Any

from . import __version__

__all__ = [
    "FOLDER",
    "Store",
    "content_digest",
    "file_sha256",
    "git_blob",
    "open_store",
    "settled",
]

FOLDER = ".dagsorden"
_SCHEMA = 8  # 8: summaries, results; CPR candidates and date parts read as a reader reads them
# Python's pickles and our model classes change between versions: either one starts afresh.


def _code() -> str:
    """A digest of dagsorden's own source: what the store remembers was computed by this code,
    so a changed program (a new version, or a developer's edit) starts afresh."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        with suppress(OSError):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_VERSION = f"{_SCHEMA}:{__version__}:{sys.version_info[0]}.{sys.version_info[1]}:{_code()}"
# What is kept in memory before `save_now_and_then` writes it.
_SAVE_AT = 500
# A file modified this close to the moment it was hashed may change again within the same
# clock tick without its times changing: its hash is not kept.
_RACY = 2.0
_DISABLED = "DAGSORDEN_UDEN_CACHE"
# Hashes asked for one by one before all are read at once.
_ONE_BY_ONE = 200
# Where the store lives instead of the project's own .dagsorden/ (one store may serve several
# projects: every entry is keyed by content, relative path or absolute path).
_ELSEWHERE = "DAGSORDEN_CACHE_MAPPE"


class Store:
    """The cache of one data project; every method is safe to call when the store is off."""

    def __init__(
        self, connection: sqlite3.Connection | None, *, collect: bool = False, fresh: bool = False
    ) -> None:
        self._db = connection
        # What this run learned is kept for writing: with a database, or `collect`ed for
        # another process to write (the helper of a cold check, `_parallel`; it reads nothing).
        self._collects = connection is not None or collect
        self._hashes: dict[str, tuple[int, int, int, int, str]] | None = None
        self._asked_hashes = 0
        self._results: dict[str, tuple[str, bytes]] | None = None
        self._new_results: dict[str, tuple[str, bytes]] = {}
        self._asked_summaries = 0
        self._new_hashes: dict[str, tuple[int, int, int, int, str]] = {}
        self._parsed: dict[tuple[str, str], bytes] = {}
        self._summaries: dict[str, tuple[int, int, int, int, str, bytes]] | None = None
        self._new_summaries: dict[str, tuple[int, int, int, int, str, bytes]] = {}
        # A store made by this run holds nothing to look up (a first `tjek` of an archive
        # asked for each of its 6,081 files); only what the run learns.
        self._fresh = fresh
        if fresh:
            self._hashes, self._summaries, self._results = {}, {}, {}

    @property
    def active(self) -> bool:
        return self._db is not None

    # -- parsed files ------------------------------------------------------------------------

    def parsed(self, path: str, digest: str) -> Any | None:
        """What reading `path` with content `digest` gave last time, or None."""
        if self._db is None or self._fresh:
            return None
        row = self._query("SELECT data FROM parsed WHERE path = ? AND digest = ?", (path, digest))
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:  # a damaged or foreign entry: read the file instead
            return None

    def remember_parsed(self, path: str, digest: str, value: Any) -> None:
        if self._collects:
            self._parsed[(path, digest)] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    # -- what each data file names (the index of a narrow read) -------------------------------

    def summary(
        self, key: str, relative: str, kind: str, stat: os.stat_result
    ) -> tuple[Any, str] | None:
        """What the data file at the absolute path `key` (`relative` in its project) names, and the
        digest of its content, when that is as when it was remembered: found by its size,
        times and inode, else by its hash."""
        known = self._known_summary(relative)
        if known is None:
            return None
        state = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        if known[:4] != state:
            digest = f"{kind}:{file_sha256(Path(key))}"
            if digest != known[4]:
                return None
            if settled(state):
                self._new_summaries[relative] = (*state, known[4], known[5])
        try:
            return pickle.loads(known[5]), known[4]
        except Exception:  # a damaged or foreign entry: read the file instead
            return None

    def _known_summary(self, relative: str) -> tuple[int, int, int, int, str, bytes] | None:
        """One by one at first (a second check in the same process misses a few), then all
        at once (the first one misses every file)."""
        if self._summaries is None and self._db is not None and self._asked_summaries < _ONE_BY_ONE:
            self._asked_summaries += 1
            row = self._query("SELECT * FROM summaries WHERE path = ?", (relative,))
            return (row[1], row[2], row[3], row[4], row[5], row[6]) if row is not None else None
        if self._summaries is None:
            self._summaries = {}
            if self._db is not None:
                with suppress(sqlite3.Error):
                    for row in self._db.execute("SELECT * FROM summaries"):
                        self._summaries[row[0]] = (row[1], row[2], row[3], row[4], row[5], row[6])
        return self._summaries.get(relative)

    def remember_summary(
        self, relative: str, digest: str, value: Any, stat: os.stat_result | None
    ) -> None:
        """Remember `value` for `relative` with content `digest`; `stat` is the file's state
        before its bytes were read (kept only when those times had settled)."""
        if not self._collects:
            return
        state = (-1, -1, -1, -1)
        if stat is not None:
            state = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            if not settled(state):
                state = (-1, -1, -1, -1)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._new_summaries[relative] = (*state, digest, data)
        if self._summaries is not None:
            self._summaries[relative] = (*state, digest, data)

    # -- hashes of large files ---------------------------------------------------------------

    def file_sha256(self, path: Path) -> str:
        """The SHA-256 of a file's bytes; remembered by its size, times and inode."""
        return self._digest(os.path.abspath(path), path.stat())

    def fingerprint(self, root: Path, names: Iterable[str]) -> str | None:
        """The content of the named files and folders (recursively; hidden ones left out) of
        `root`, and where a symbolic link takes any of them, as one hash; None when a file
        cannot be read."""
        digest = hashlib.sha256()
        base = os.path.realpath(root)
        real_folders: dict[str, str] = {}
        try:
            for name in names:
                digest.update(f"[{name}]{_elsewhere(base, name, real_folders)}".encode())
                for relative, stat, linked in _files(base, name):
                    file_digest = (
                        self._digest(f"{base}/{relative}", stat)
                        if S_ISREG(stat.st_mode)
                        else f"ikke en fil ({S_IFMT(stat.st_mode):o})"  # a pipe would block
                    )
                    # The check says whether a file lies outside the project, and a link
                    # changed to a copy (or back) keeps the content: the place counts too.
                    where = "\0" + os.path.realpath(f"{base}/{relative}") if linked else ""
                    digest.update(f"{relative}\0{file_digest}{where}\n".encode())
        except OSError:
            return None
        return digest.hexdigest()

    def git_blob(self, path: Path) -> str:
        """The id git gives the file's bytes as a blob; remembered like `file_sha256`."""
        return self._digest(os.path.abspath(path), path.stat(), prefix="git:", hasher=git_blob)

    def _digest(
        self,
        path: str,
        stat: os.stat_result,
        *,
        prefix: str = "",
        hasher: Callable[[Path], str] | None = None,
    ) -> str:
        """The digest of the file at the absolute `path` (by `hasher`, SHA-256 by default; kept
        under `prefix` + path), from the store when its stat is as remembered."""
        state = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        known = self._known_hash(prefix + path)
        if known is not None and known[:4] == state:
            return known[4]
        digest = (hasher or file_sha256)(Path(path))
        after = os.stat(path)
        unchanged = (after.st_size, after.st_mtime_ns, after.st_ctime_ns, after.st_ino) == state
        if self._collects and unchanged and settled(state):
            self._new_hashes[prefix + path] = (*state, digest)
        return digest

    def _known_hash(self, key: str) -> tuple[int, int, int, int, str] | None:
        """What is remembered of the file `key`: asked for one by one at first (a command
        on one meeting needs a few), then all at once (a check of everything needs all).
        What this run learned comes first: a cold check hashes every frozen file for the
        project's fingerprint, the meetings' keys and the records' check."""
        learned = self._new_hashes.get(key)
        if learned is not None:
            return learned
        if self._hashes is None and self._db is not None and self._asked_hashes < _ONE_BY_ONE:
            self._asked_hashes += 1
            row = self._query(
                "SELECT size, mtime, ctime, inode, digest FROM hashes WHERE path = ?", (key,)
            )
            return (row[0], row[1], row[2], row[3], row[4]) if row is not None else None
        if self._hashes is None:
            self._hashes = {}
            if self._db is not None:
                with suppress(sqlite3.Error):
                    for row in self._db.execute(
                        "SELECT path, size, mtime, ctime, inode, digest FROM hashes"
                    ):
                        self._hashes[row[0]] = (row[1], row[2], row[3], row[4], row[5])
        return self._hashes.get(key)

    def hashes_from(self, other: Store) -> None:
        """Know what `other` knew and learned of files' hashes (the parent of a cold check's
        helper, when it forked: it has just hashed every file for the project's
        fingerprint)."""
        self._hashes = {**(other._hashes or {}), **other._new_hashes}

    # -- one meeting's check --------------------------------------------------------------------

    def result(self, name: str, key: str) -> Any | None:
        """What checking `name` found, when everything it read is as it was (`key`)."""
        if self._results is None:
            self._results = {}
            if self._db is not None:
                with suppress(sqlite3.Error):
                    for row in self._db.execute("SELECT name, key, data FROM results"):
                        self._results[row[0]] = (row[1], row[2])
        known = self._results.get(name)
        if known is None or known[0] != key:
            return None
        try:
            return pickle.loads(known[1])
        except Exception:
            return None

    def remember_result(self, name: str, key: str, value: Any) -> None:
        if self._collects:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self._new_results[name] = (key, data)

    # -- the index of every data file, in one piece -------------------------------------------

    def register(self) -> Any | None:
        """The last index of the project's data files (`scope.read_index`): one value instead
        of a row per file, which a command on one meeting of a large archive would read."""
        if self._db is None:
            return None
        if self._results is not None:
            known = self._results.get(_REGISTER)
            data = known[1] if known is not None else None
        else:
            row = self._query("SELECT data FROM results WHERE name = ?", (_REGISTER,))
            data = row[0] if row is not None else None
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:
            return None

    def remember_register(self, value: Any) -> None:
        self.remember_result(_REGISTER, "", value)

    # -- whole runs --------------------------------------------------------------------------

    def run(self, fingerprint: str) -> Any | None:
        if self._db is None:
            return None
        row = self._query("SELECT data FROM runs WHERE fingerprint = ?", (fingerprint,))
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:
            return None

    def remember_run(self, fingerprint: str, value: Any) -> None:
        if self._db is None:
            return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with suppress(sqlite3.Error), self._db:
            # One result is enough: the last run's.
            self._db.execute("DELETE FROM runs")
            self._db.execute("INSERT INTO runs VALUES (?, ?)", (fingerprint, data))

    # -- writing -----------------------------------------------------------------------------

    @property
    def collects(self) -> bool:
        return self._collects

    def pending(self) -> tuple[dict[Any, Any], ...]:
        """What this run learned and has not written yet, for another process's store (all
        but the index of the data files: the other process makes its own)."""
        results = {k: v for k, v in self._new_results.items() if k != _REGISTER}
        return (self._parsed, self._new_hashes, self._new_summaries, results)

    def absorb(self, pending: tuple[dict[Any, Any], ...]) -> None:
        """Take over what another process learned (its `pending()`), to write with this."""
        if self._db is None or len(pending) != 4:
            return
        parsed, hashes, summaries, results = pending
        self._parsed.update(parsed)
        self._new_hashes.update(hashes)
        self._new_summaries.update(summaries)
        self._new_results.update(results)
        if self._summaries is not None:
            self._summaries.update(summaries)
        if self._hashes is not None:
            self._hashes.update(hashes)

    def save_now_and_then(self) -> None:
        """`save` once enough is pending: a loop over a thousand meetings (a cold `tjek`, `byg`
        of all) keeps its memory small without a transaction per meeting (a fifth of a
        second at 1,000). Whoever loops saves at its end."""
        pending = (
            len(self._parsed)
            + len(self._new_hashes)
            + len(self._new_summaries)
            + len(self._new_results)
        )
        if pending >= _SAVE_AT:
            self.save()

    def save(self) -> None:
        """Write what this run learned; a store that cannot be written is left as it was."""
        if self._db is None or not (
            self._parsed or self._new_hashes or self._new_summaries or self._new_results
        ):
            return
        with suppress(sqlite3.Error), self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)",
                [(p, d, data) for (p, d), data in self._parsed.items()],
            )
            # Only the newest content of each file is worth keeping.
            self._db.executemany(
                "DELETE FROM parsed WHERE path = ? AND digest != ?",
                list(self._parsed),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?, ?, ?)",
                [(k, *v) for k, v in self._new_hashes.items()],
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(p, *v) for p, v in self._new_summaries.items()],
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                [(n, *v) for n, v in self._new_results.items()],
            )
        if self._hashes is not None:  # still known to this run, as written
            self._hashes.update(self._new_hashes)
        self._new_results.clear()
        self._new_summaries.clear()
        self._parsed.clear()
        self._new_hashes.clear()

    def close(self) -> None:
        self.save()
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _query(self, sql: str, args: tuple[Any, ...]) -> Any:
        assert self._db is not None
        try:
            return self._db.execute(sql, args).fetchone()
        except sqlite3.Error:
            return None


_REGISTER = "filregister"


def open_store(root: Path) -> Store:
    """The project's store, made or remade as needed; an inactive one when it cannot be."""
    if os.environ.get(_DISABLED):
        return Store(None)
    folder = Path(os.environ.get(_ELSEWHERE) or root / FOLDER)
    path = folder / "cache.sqlite"
    for attempt in range(2):
        try:
            fresh = not path.exists()
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# dagsordens cache; den kan altid slettes\n*\n", "utf-8")
            connection = sqlite3.connect(path, timeout=2.0, isolation_level=None)
            connection.isolation_level = "DEFERRED"  # transactions by `with connection`
            if _prepared(connection):
                return Store(connection, fresh=fresh)
            connection.close()
        except (OSError, sqlite3.Error):
            pass
        if attempt == 0:  # damaged or from another version: start afresh once
            with suppress(OSError):
                path.unlink()
    return Store(None)


def _prepared(connection: sqlite3.Connection) -> bool:
    """The tables exist and belong to this version (made now if the file is new)."""
    connection.execute("PRAGMA journal_mode=WAL")
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    if "meta" in tables:
        row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return row is not None and row[0] == _VERSION
    with connection:
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        connection.execute(
            "CREATE TABLE parsed (path TEXT, digest TEXT, data BLOB, PRIMARY KEY (path, digest))"
        )
        connection.execute(
            "CREATE TABLE hashes (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,"
            " ctime INTEGER, inode INTEGER, digest TEXT)"
        )
        connection.execute(
            "CREATE TABLE summaries (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,"
            " ctime INTEGER, inode INTEGER, digest TEXT, data BLOB)"
        )
        connection.execute("CREATE TABLE results (name TEXT PRIMARY KEY, key TEXT, data BLOB)")
        connection.execute("CREATE TABLE runs (fingerprint TEXT PRIMARY KEY, data BLOB)")
        connection.execute("INSERT INTO meta VALUES ('version', ?)", (_VERSION,))
    return True


def settled(state: tuple[int, int, int, int]) -> bool:
    """A file with this (size, mtime, ctime, inode) was last touched long enough ago that a
    change would show in its times: what is known about it by its times may be trusted."""
    return time.time() - max(state[1], state[2]) / 1e9 > _RACY


def settled_before() -> int:
    """The time (ns) before which a file's times have settled, as `settled` judges now: for
    judging thousands of files at once."""
    return int((time.time() - _RACY) * 1e9)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks: the one way files are hashed here."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def git_blob(path: Path) -> str:
    """The id git gives a file's bytes as a blob (SHA-1 of 'blob <size>\\0' and the bytes)."""
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(
    base: str, name: str, linked: bool = False
) -> Iterator[tuple[str, os.stat_result, bool]]:
    """(path relative to `base`, stat, whether a symbolic link below `name` leads to it) of the
    file `name`, or of every file below the folder `name`, hidden ones left out, in a stable
    order."""
    path = f"{base}/{name}"
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return
    if not os.path.isdir(path):
        yield name, stat, linked
        return
    with os.scandir(path) as entries:
        found = sorted(entries, key=lambda e: e.name)
    for entry in found:
        if entry.name.startswith("."):
            continue
        relative = f"{name}/{entry.name}"
        link = linked or entry.is_symlink()
        if entry.is_dir():
            yield from _files(base, relative, link)
        else:
            yield relative, entry.stat(), link


def _elsewhere(base: str, name: str, real_folders: dict[str, str]) -> str:
    """Where `name` really is when a symbolic link (it, or a folder above it) takes it away
    from `base/name`; '' when it is where it says. Each folder is followed once per call of
    `Store.fingerprint`."""
    path = f"{base}/{name}"
    if os.path.islink(path):
        return "\0" + os.path.realpath(path)
    folder = os.path.dirname(path)
    if folder not in real_folders:
        real_folders[folder] = os.path.realpath(folder)
    return "" if real_folders[folder] == folder else "\0" + real_folders[folder]
