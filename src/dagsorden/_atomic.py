"""Writing a data file safely: an exclusive lock beside it, and atomic replacement.

Shared by every writer of the secretary's files: the new text goes to a temporary file beside
the target, is made durable, and is renamed (or, for a new file, linked) into place, so a crash
leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import fcntl
import glob
import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import DagsordenError

__all__ = [
    "STALE_AFTER",
    "create",
    "lock_path",
    "locked",
    "read",
    "remove_stale_temporaries",
    "replace",
    "temporary_pattern",
]

# A temporary file left by a killed process is removed by the next edit of the same file once
# it is this old. Its name never ends in .yaml, so the loader does not see it meanwhile.
STALE_AFTER = 60.0
_POLL = 0.01


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextmanager
def locked(target: Path, shown: str, timeout: float) -> Iterator[None]:
    """Hold an exclusive flock on a lock file beside `target`; the kernel drops it on exit.

    The lock is on a file of its own because the data file is replaced, not rewritten, and a
    lock on a replaced inode would protect nothing. The lock file is never removed: removing it
    would let two processes lock two different files.
    """
    try:
        fd = os.open(lock_path(target), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except PermissionError as exc:
        raise DagsordenError(
            f"{shown} kan ikke opdateres: du har ikke adgang til at skrive i mappen"
        ) from exc
    except OSError as exc:
        raise DagsordenError(f"{shown} kan ikke opdateres: {exc.strerror}") from exc
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DagsordenError(
                        f"{shown} er i brug af en anden dagsorden-kommando; prøv igen om lidt"
                    ) from None
                time.sleep(_POLL)
        yield
    finally:
        os.close(fd)


def temporary_pattern(target: Path) -> str:
    return f".{glob.escape(target.name)}.*.tmp"


def remove_stale_temporaries(target: Path) -> None:
    now = time.time()
    for leftover in target.parent.glob(temporary_pattern(target)):
        with suppress(FileNotFoundError):
            if now - leftover.stat().st_mtime > STALE_AFTER:
                leftover.unlink()


def read(target: Path, shown: str) -> bytes:
    try:
        return target.read_bytes()
    except FileNotFoundError as exc:
        raise DagsordenError(f"{shown} findes ikke; intet er skrevet") from exc
    except OSError as exc:
        raise DagsordenError(f"{shown} kan ikke læses: {exc.strerror}") from exc


def replace(target: Path, data: bytes, shown: str) -> None:
    """Write a temporary file beside `target`, make it durable, and rename it over `target`."""
    stat = target.stat()
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), stat.st_mode & 0o7777)
            if (stat.st_uid, stat.st_gid) != (os.geteuid(), os.getegid()):
                with suppress(PermissionError):
                    os.fchown(out.fileno(), stat.st_uid, stat.st_gid)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise DagsordenError(
            f"{shown} kunne ikke gemmes ({exc.strerror}); intet er skrevet"
        ) from exc
    _sync_folder(target.parent)


def create(path: Path, data: bytes, shown: str) -> None:
    """Write a new file; refuse, writing nothing, if it exists (or appears meanwhile).

    The temporary file is linked into place, which fails rather than overwrite a file.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        # O_EXCL and mode 0o666: the umask decides, as for any file she makes herself.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, path)
    except FileExistsError as exc:
        raise DagsordenError(f"{shown} findes allerede; intet er skrevet") from exc
    except OSError as exc:
        raise DagsordenError(
            f"{shown} kunne ikke gemmes ({exc.strerror}); intet er skrevet"
        ) from exc
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """A rename or link is durable only once the folder is synced."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
