"""A build writes all of its files or none, removes what no longer matches, and cleans up
after a killed build: Word, PDF and packets alike, with real LibreOffice."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT
from dagsorden.cli import main

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice mangler (make test installerer det)"
)

MEETING = "2023-03-02-hu"
SRC = ROOT / "src"


def _copy_project(target: Path) -> Path:
    target.mkdir()
    for name in ("organisation.yaml", "cases", "agenda", "templates", "bilag"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    return target


def _snapshot(out: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every file and folder under `out`, hidden ones included, with bytes and times."""
    found: dict[str, tuple[bytes, int] | None] = {}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        found[name] = None if path.is_dir() else (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _byg(root: Path, out: Path, *options: str) -> int:
    return main(["byg", MEETING, "--projekt", str(root), "--ud", str(out), *options])


def _bad_doc(root: Path) -> None:
    """A bilag `tjek` takes (an old Word file by its first bytes) that LibreOffice refuses, so
    the build fails only in its last step, the packet."""
    (root / "bilag" / "gammel.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"x" * 600)
    _replace(root / "cases" / "22-291.yaml", "bilag/22-291-1.pdf", "bilag/gammel.doc")


BAD_DOC = (
    "bilag/gammel.doc: fejl: LibreOffice kan ikke åbne filen; den er beskadiget eller ikke"
    " et Word-dokument (.doc)\n"
)


def test_a_failing_packet_leaves_out_exactly_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy_project(tmp_path / "projekt")
    out = tmp_path / "ud"
    assert _byg(root, out) == 0
    before = _snapshot(out)
    # New Word documents and PDFs would be made (the case's title changed), then the packet
    # fails on the bilag: none of them may land in out/, nor may the manifest change.
    _replace(
        root / "cases" / "22-291.yaml",
        "titel: Udmøntningsplan 2023-2026\nadgang",
        "titel: Ny udmøntningsplan\nadgang",
    )
    _bad_doc(root)
    capsys.readouterr()
    assert _byg(root, out) == 1
    assert capsys.readouterr().err == BAD_DOC
    assert _snapshot(out) == before


def test_a_failing_first_build_leaves_no_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy_project(tmp_path / "projekt")
    _bad_doc(root)
    out = tmp_path / "ny" / "ud"
    capsys.readouterr()
    assert _byg(root, out) == 1
    assert capsys.readouterr().err == BAD_DOC
    assert not (tmp_path / "ny").exists()


def test_outputs_that_no_longer_match_are_removed(tmp_path: Path) -> None:
    root = _copy_project(tmp_path / "projekt")
    out = tmp_path / "ud"
    folder = out / MEETING
    assert _byg(root, out) == 0
    (folder / "noter.txt").write_text("mine egne noter", encoding="utf-8")
    agenda_files = {
        name: (folder / name).read_bytes()
        for name in (
            "dagsorden-intern.pdf",
            "dagsorden-offentlig.pdf",
            "dagsordenspakke-intern.pdf",
            "dagsordenspakke-offentlig.pdf",
        )
    }

    # A decision changes: the minutes' Word files are new, so their PDFs no longer match and
    # go; the agenda is unchanged, and its PDFs and packets stay as they were.
    _replace(root / "agenda" / f"{MEETING}.yaml", "Taget til efterretning.", "Drøftet.")
    assert _byg(root, out, "--uden-pdf") == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [
            "dagsorden-intern.docx",
            "dagsorden-offentlig.docx",
            "referat-intern.docx",
            "referat-offentlig.docx",
            "noter.txt",
            *agenda_files,
        ]
    )
    assert {name: (folder / name).read_bytes() for name in agenda_files} == agenda_files

    # The case changes, and with it the agenda: its PDFs and packets go too.
    _replace(
        root / "cases" / "22-291.yaml",
        "titel: Udmøntningsplan 2023-2026\nadgang",
        "titel: Ny udmøntningsplan\nadgang",
    )
    assert _byg(root, out, "--uden-pdf") == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "dagsorden-intern.docx",
        "dagsorden-offentlig.docx",
        "noter.txt",
        "referat-intern.docx",
        "referat-offentlig.docx",
    ]

    # The minutes go when the decisions are taken out (a file the manifest knows).
    text = (root / "agenda" / f"{MEETING}.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line.lstrip().startswith("beslutning:"):
            skipping = True
            continue
        if skipping and (line.startswith("      ") or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    (root / "agenda" / f"{MEETING}.yaml").write_text("".join(kept), encoding="utf-8")
    assert _byg(root, out) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "dagsorden-intern.docx",
        "dagsorden-intern.pdf",
        "dagsorden-offentlig.docx",
        "dagsorden-offentlig.pdf",
        "dagsordenspakke-intern.pdf",
        "dagsordenspakke-offentlig.pdf",
        "noter.txt",
    ]


def test_what_a_killed_build_left_is_removed_by_the_next(tmp_path: Path) -> None:
    root = _copy_project(tmp_path / "projekt")
    out = tmp_path / "ud"
    assert _byg(root, out, "--uden-pdf") == 0
    folder = out / MEETING
    leftovers = [
        out / ".dagsorden-byg-4242-0123456789ab" / MEETING / "dagsorden-intern.docx",
        folder / ".dagsorden-intern.pdf.0123456789ab.tmp",  # an earlier version's temporary
        out / ".dagsorden-bygget.json.k1ll3d.tmp",
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"halvt")
    assert _byg(root, out, "--uden-pdf") == 0
    assert [p.name for p in out.rglob("*") if p.name.startswith(".") and "tmp" in p.name] == []
    assert not any(p.name.startswith(".dagsorden-byg-") for p in out.iterdir())


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            for child in children:
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _unowned_libreoffice_folders(since: float) -> list[str]:
    """LibreOffice folders made since then whose owner is gone (their lock is free)."""
    left = []
    for folder in Path(tempfile.gettempdir()).glob("dagsorden-libreoffice-*"):
        lock = folder / "eier.lock"
        try:
            if folder.stat().st_mtime < since:
                continue
            handle = os.open(lock, os.O_RDWR)
        except OSError:
            continue  # gone, or not of this version
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            left.append(folder.name)
        except OSError:
            pass  # in use by a running converter
        finally:
            os.close(handle)
    return left


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_kill_9_of_byg_stops_libreoffice_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    root = _copy_project(tmp_path / "projekt")
    out = tmp_path / "ud"
    since = time.time() - 1
    command = [sys.executable, "-m", "dagsorden", "byg", MEETING, "--projekt", str(root)]
    env = dict(os.environ, PYTHONPATH=str(SRC))
    process = subprocess.Popen(
        [*command, "--ud", str(out)], env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    # Wait until LibreOffice is at work on the staged Word documents, then kill the build.
    deadline = time.monotonic() + 120
    soffice: set[int] = set()
    while time.monotonic() < deadline and process.poll() is None:
        staged = list(out.glob(f".dagsorden-byg-*/{MEETING}/*.docx"))
        soffice = _descendants(process.pid)
        if len(staged) == 4 and len(soffice) >= 3:  # worker, soffice and soffice.bin
            break
        time.sleep(0.05)
    assert process.poll() is None, "the build ended before it could be killed"
    soffice = _descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_running(p) for p in soffice):
        time.sleep(0.1)
    assert [p for p in soffice if _running(p)] == []
    left = [p.name for p in out.iterdir() if p.name.startswith(".dagsorden-byg-")]
    assert len(left) == 1  # what the killed build had made, not yet in place
    assert not (out / MEETING).exists()

    again = subprocess.run(
        [*command, "--ud", str(out), "--uden-pdf"], env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert _unowned_libreoffice_folders(since) == []
    assert [p.name for p in out.iterdir() if p.name.startswith(".dagsorden-byg-")] == []
    assert sorted(p.name for p in (out / MEETING).iterdir()) == [
        "dagsorden-intern.docx",
        "dagsorden-offentlig.docx",
        "referat-intern.docx",
        "referat-offentlig.docx",
    ]
