"""The static search index: Pagefind, run over the finished pages of the new site.

Pagefind (MIT, a Rust binary shipped in the `pagefind-bin` wheel; runs offline) indexes the
text inside each page's `data-pagefind-body` (meeting and item pages), with Danish stemming,
into small fragment files the browser fetches as a search needs them. Its output is the same
bytes for the same pages, so an unchanged index is linked, not rewritten.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import DagsordenError

__all__ = ["FOLDER", "current", "index"]

FOLDER = "pagefind"


def current(site: Path) -> bool:
    """The site's search index was made by this Pagefind (a pinned dependency): when no page
    changed, it is the index the pages would get again."""
    from importlib.metadata import version

    try:
        entry = json.loads((site / FOLDER / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(entry, dict) and entry.get("version") == version("pagefind-bin")


def index(pages: Path) -> Iterator[tuple[str, bytes]]:
    """The search bundle for the HTML pages under `pages`: (path in the site, bytes)."""
    import pagefind_bin

    scratch = Path(tempfile.mkdtemp(prefix="dagsorden-soeg-"))
    try:
        try:
            done = subprocess.run(
                [
                    str(pagefind_bin.get_executable()),
                    "--site",
                    str(pages),
                    "--output-path",
                    str(scratch / FOLDER),
                    "--force-language",
                    "da",
                    "--silent",
                ],
                capture_output=True,
                timeout=600,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise DagsordenError(
                f"søgeindekset kunne ikke laves (Pagefind kunne ikke køre: {exc})"
            ) from exc
        if done.returncode != 0:
            raise DagsordenError(
                f"søgeindekset kunne ikke laves (Pagefind stoppede med kode {done.returncode})"
            )
        for path in sorted((scratch / FOLDER).rglob("*")):
            if path.is_file():
                yield f"{FOLDER}/{path.relative_to(scratch / FOLDER).as_posix()}", path.read_bytes()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
