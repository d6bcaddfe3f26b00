"""One running LibreOffice for `dagsorden.pdf`: soffice, its profile, and the UNO worker.

The mechanics only: starting, asking, killing without leaving anything behind. What a failure
means to the secretary is said in `pdf`, which turns the exceptions here into Danish errors.

Each Office has a folder of its own in the system's temporary folder, holding the profile
(parallel LibreOffices on one profile silently lose work), LibreOffice's temporary files and
the two processes' logs; stopping removes it. A new profile costs 0.1 s at start-up (and a
restart inside soffice), so the first converter that ends normally keeps its clean profile as
a seed, and later starts copy it (10 ms).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import uuid
from importlib.resources import files
from pathlib import Path
from typing import Any

__all__ = ["Died", "Missing", "Office", "StartFailed", "Timeout", "seed_path"]


class Timeout(Exception):
    """No reply in time; the Office must be stopped."""


class Died(Exception):
    """soffice or the worker ended unexpectedly."""


class Missing(Exception):
    """A program is not installed: `what` is "soffice" or "uno" (python3 with python3-uno)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class StartFailed(Exception):
    """LibreOffice started but never listened; the message is the end of its logs."""


# The profile's settings, written before a new profile's first start: no lock files (a killed
# LibreOffice would leave `.~lock.x.docx#` beside the document, and a document with such a
# file beside it silently fails to load), and no autosave or recovery data.
SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Misc">\
<prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Recovery/AutoSave">\
<prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Recovery/RecoveryInfo">\
<prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def seed_path(cache: Path, soffice: Path) -> Path:
    """The seed profile for this LibreOffice and these settings; another needs another."""
    real = soffice.resolve()
    info = real.stat()
    text = f"{real}:{info.st_mtime_ns}:{info.st_size}:{SETTINGS}"
    return cache / f"libreoffice-profile-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


class Office:
    """A running soffice, listening on a private pipe, and the worker connected to it."""

    def __init__(self, folder: Path, pipe: str, seeded: bool) -> None:
        self.folder = folder
        self.pipe = pipe
        self.seeded = seeded
        self.profile = folder / "profile"
        # A killed soffice leaves two sockets in /tmp, named by its pipe and its profile.
        digest = hashlib.md5(self.profile.as_uri().encode("utf-16-le")).digest()
        profile_hash = "".join(f"{byte:x}" for byte in digest)  # LibreOffice does not pad
        self.sockets = [
            Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{name}"
            for name in (pipe, f"SingleOfficeIPC_{profile_hash}")
        ]
        self.soffice: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.idle = True  # False while a request is unanswered: its reply is still to come
        self._buffer = b""
        self._owner: int | None = None

    @classmethod
    def start(cls, soffice: Path, python: Path, start_timeout: float, seed: Path) -> Office:
        remove_stale_folders()
        folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        # Held while this process lives: a folder whose lock is free belongs to no one.
        owner = os.open(folder / OWNER_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(owner, fcntl.LOCK_EX)
        pipe = f"dagsorden-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        office = cls(folder, pipe, seeded=False)
        office._owner = owner
        try:
            # Written first: from now on a killed owner's folder is found and removed.
            (folder / SOCKETS).write_text("\n".join(map(str, office.sockets)), encoding="utf-8")
            office.seeded = _copy_profile(seed, folder / "profile")
            if not office.seeded:
                settings = office.profile / "user" / "registrymodifications.xcu"
                settings.parent.mkdir(parents=True)
                settings.write_text(SETTINGS, encoding="utf-8")
            # The worker first: from its start it stops soffice if this process dies, so no
            # moment is left in which a soffice runs that nothing would stop.
            office._start_worker(python, start_timeout)
            office._start_soffice(soffice)
            office._wait_until_ready(start_timeout)
        except BaseException:
            office.stop()
            raise
        return office

    def _start_soffice(self, soffice: Path) -> None:
        (self.folder / "tmp").mkdir()
        command = [
            str(soffice),
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
        ]
        # LibreOffice's temporary files go inside the folder, so removing it leaves nothing.
        env = dict(os.environ, TMPDIR=str(self.folder / "tmp"))
        try:
            with open(self.folder / "soffice.log", "wb") as log:
                self.soffice = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    start_new_session=True,  # its own process group, killed as one
                )
        except OSError as exc:
            raise Missing("soffice") from exc

    def _start_worker(self, python: Path, start_timeout: float) -> None:
        script = str(files("dagsorden") / "_uno_worker.py")
        command = [
            *(str(python), "-I", script, self.pipe, str(start_timeout)),
            *map(str, (self.folder, *self.sockets)),
        ]
        try:
            with open(self.folder / "worker.log", "wb") as log:
                self.worker = subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    bufsize=0,
                    # It stops soffice the moment this process dies (it watches this pid).
                    env=dict(os.environ, DAGSORDEN_EIER=str(os.getpid())),
                )
        except OSError as exc:
            raise Missing("uno") from exc

    def _wait_until_ready(self, start_timeout: float) -> None:
        try:
            ready = self._reply(time.monotonic() + start_timeout + 5, starting=True)
        except (Timeout, Died) as exc:
            raise StartFailed(self.log_tail()) from exc
        if not ready.get("ready"):
            if ready.get("error") == "uno":
                raise Missing("uno")
            raise StartFailed(self.log_tail())

    def alive(self) -> bool:
        """Both processes run and no reply is outstanding (after a timeout or an interrupt)."""
        return self.idle and (
            self.soffice is not None
            and self.soffice.poll() is None
            and self.worker is not None
            and self.worker.poll() is None
        )

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request to the worker and wait at most `timeout` seconds for its reply."""
        assert self.worker is not None and self.worker.stdin is not None
        self.idle = False
        try:
            self.worker.stdin.write(json.dumps(message).encode() + b"\n")
        except OSError as exc:  # BrokenPipeError: the worker is gone
            raise Died from exc
        reply = self._reply(time.monotonic() + timeout, starting=False)
        self.idle = True
        if reply.get("stage") == "lost":  # soffice died; the worker found its bridge gone
            raise Died(reply.get("detail", ""))
        return reply

    def _reply(self, deadline: float, *, starting: bool) -> dict[str, Any]:
        assert self.worker is not None and self.worker.stdout is not None
        assert self.soffice is not None
        fd = self.worker.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout
            # While starting, a soffice that exits at once must not keep us waiting a minute.
            readable, _, _ = select.select([fd], [], [], min(remaining, 0.1))
            if not readable:
                if starting and self.soffice.poll() is not None:
                    raise Died
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise Died
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def log_tail(self) -> str:
        """The last lines the two processes wrote, for an error message."""
        lines: list[str] = []
        for name in ("soffice.log", "worker.log"):
            with contextlib.suppress(OSError):
                text = (self.folder / name).read_text(errors="replace")
                lines += [ln for ln in text.splitlines() if ln.strip() and "javaldx" not in ln]
        return " / ".join(lines[-3:])

    def save_profile(self, seed: Path) -> None:
        """End LibreOffice cleanly and keep its profile as the seed for later starts."""
        assert self.soffice is not None
        try:
            self.request({"quit": True}, timeout=10)
            if self.soffice.wait(timeout=10) != 0:
                return
        except (Timeout, Died, subprocess.TimeoutExpired):
            return
        partial = seed.with_name(f"{seed.name}.{uuid.uuid4().hex[:12]}.tmp")
        try:
            shutil.copytree(self.profile, partial, symlinks=True)
            partial.rename(seed)  # atomic; another converter may have been first
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)

    def stop(self) -> None:
        """Kill both processes and remove the folder; nothing of this LibreOffice is left."""
        if self.soffice is not None:
            # soffice is a launcher waiting for soffice.bin: kill soffice.bin first so the
            # launcher reaps it, or it would linger as a zombie.
            for child in _children(self.soffice.pid):
                with contextlib.suppress(OSError):
                    os.kill(child, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.soffice.wait(timeout=2)
            with contextlib.suppress(OSError):  # already gone
                os.killpg(self.soffice.pid, signal.SIGKILL)
            self.soffice.wait()
        if self.worker is not None:
            self.worker.kill()
            self.worker.wait()
            for stream in (self.worker.stdin, self.worker.stdout):
                if stream is not None:
                    stream.close()
        for socket in self.sockets:
            with contextlib.suppress(OSError):
                if stat.S_ISSOCK(socket.lstat().st_mode):
                    socket.unlink()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._owner is not None:
            os.close(self._owner)
            self._owner = None


FOLDER_PREFIX = "dagsorden-libreoffice-"
OWNER_LOCK = "eier.lock"
SOCKETS = "sockets"


def remove_stale_folders() -> None:
    """Remove what a LibreOffice left whose owner and worker were both killed (kill -9 of the
    whole process group): its processes, found by its folder in their command line, its
    sockets and its folder. A folder is stale when no process holds its owner lock."""
    uid = os.getuid()
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        try:
            info = folder.lstat()
            if info.st_uid != uid or not stat.S_ISDIR(info.st_mode):
                continue
            # Its sockets are written once its lock is held: without them it is being made
            # just now, or it is not of this kind, and not ours to judge.
            if not (folder / SOCKETS).exists():
                continue
            handle = os.open(folder / OWNER_LOCK, os.O_RDWR | os.O_CLOEXEC)
        except OSError:  # not ours to judge
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(handle)
            continue  # in use
        try:
            _kill_processes_of(folder, uid)
            with contextlib.suppress(OSError):
                for line in (folder / SOCKETS).read_text(encoding="utf-8").splitlines():
                    socket = Path(line)
                    if socket.parent == Path("/tmp") and stat.S_ISSOCK(socket.lstat().st_mode):
                        socket.unlink()
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(handle)


def _kill_processes_of(folder: Path, uid: int) -> None:
    """SIGKILL every process of this user whose command line names `folder` (its soffice)."""
    mark = str(folder).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if entry.stat().st_uid == uid and mark in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)


def _children(pid: int) -> list[int]:
    children: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError):
                children += [int(c) for c in (task / "children").read_text().split()]
    return children


def _copy_profile(seed: Path, profile: Path) -> bool:
    if not seed.is_dir():
        return False
    try:
        shutil.copytree(seed, profile, symlinks=True)
    except OSError:
        shutil.rmtree(profile, ignore_errors=True)
        return False
    return True
