"""Helpers for the tests of the published site: a copy of the example project in git, and a
plain web server on 127.0.0.1 over a folder."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["COMMIT_TIME", "EXTRA_MEETINGS", "copy_example", "free_port", "serve", "tree"]

ROOT = Path(__file__).resolve().parent.parent
COMMIT_TIME = "2023-03-05T10:00:00+01:00"
# A meeting still to come (after summer time began on 26 March 2023) and a cancelled one
# (before it), beside the example's three.
EXTRA_MEETINGS = {
    "agenda/2023-04-13-hu.yaml": (
        "udvalg: HU\ndato: 2023-04-13\nstart: 13:00\nslut: 15:00\n"
        "sted: Mødelokale 1, Rådhuset, Grenaa\npunkter:\n  - titel: Meddelelser\n"
    ),
    "agenda/2023-03-23-hu.yaml": (
        "udvalg: HU\ndato: 2023-03-23\nstart: 13:00\nslut: 15:00\nstatus: aflyst\n"
        "sted: Mødelokale 1, Rådhuset, Grenaa\npunkter:\n  - titel: Meddelelser\n"
    ),
}


def copy_example(target: Path, *, git: bool = True) -> Path:
    """The example project (its data, bilag and templates) in `target`, with two more meetings,
    committed to a new git repository at COMMIT_TIME."""
    for name in ("organisation.yaml", "cases", "agenda", "bilag", "templates"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for name, text in EXTRA_MEETINGS.items():
        (target / name).write_text(text, encoding="utf-8")
    if git:
        commit(target, "eksempel")
    return target


def commit(root: Path, message: str, when: str = COMMIT_TIME) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env=env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path, port: int) -> Iterator[str]:
    """Serve `folder` on http://127.0.0.1:port/ in a thread; yield the address."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, relative path -> bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
