"""The store of what commands remember between runs can never change a result.

Random edits to a project (texts, broken YAML, a bilag file swapped, a file put back with its
old times, a change within the same second) are checked with the store and without it; the
answers must be the same, every time.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL_FILES
from dagsorden import cache, scope
from dagsorden.build import check
from dagsorden.cache import FOLDER
from dagsorden.errors import ProblemsError
from dagsorden.project_check import check_everything

CASE_WITH_BILAG = """\
    sagsnr: 22/1
    titel: Budget 2023
    sagsgang: [ØK]
    afsnit:
      Sagsfremstilling: Teksten.
    indstilling: Direktøren indstiller, at budgettet godkendes.
    bilag:
      - id: "1"
        titel: Budgetforslag
        fil: bilag/forslag.pdf
    """


SECOND_MEETING = """\
    udvalg: ØK
    dato: 2023-02-14
    start: 16:00
    sted: Mødelokale 1
    punkter:
      - sag: 22/1
        beslutning: Godkendt.
    """


def _pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


GOOD_PDF = _pdf()
BROKEN_PDF = b"%PDF-1.4\n" + b"x" * (len(GOOD_PDF) - 9)  # same size, not a PDF inside


@pytest.fixture(autouse=True)
def own_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests use the project's own store, .dagsorden/ beside the data."""
    monkeypatch.delenv("DAGSORDEN_CACHE_MAPPE", raising=False)


MEETINGS = ("2023-01-10-oek", "2023-02-14-oek")


def answer(root: Path, *, cached: bool) -> list[tuple[bool, list[str]]]:
    """What 'dagsorden tjek' says, and what a command on each meeting is told (the narrow
    check of scope.py): whether it failed, and every problem as printed."""
    if cached:
        os.environ.pop("DAGSORDEN_UDEN_CACHE", None)
    else:
        os.environ["DAGSORDEN_UDEN_CACHE"] = "1"
    said = []
    try:
        for name in (None, *MEETINGS):
            try:
                found = check_everything(root) if name is None else check(root, meetings=[name])[1]
                said.append((False, [p.render() for p in found]))
            except ProblemsError as exc:
                said.append((True, [p.render() for p in exc.problems]))
    finally:
        os.environ.pop("DAGSORDEN_UDEN_CACHE", None)
    return said


def make(folder: Path) -> Path:
    root = folder / "projekt"
    # The case is treated twice: a change to one meeting reaches the other's history.
    files = {
        **MINIMAL_FILES,
        "cases/22-1.yaml": CASE_WITH_BILAG,
        f"agenda/{MEETINGS[1]}.yaml": SECOND_MEETING,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "bilag").mkdir()
    (root / "bilag" / "forslag.pdf").write_bytes(GOOD_PDF)
    return root


EDITS = st.sampled_from(
    [
        "text",  # a text value changes
        "broken_yaml",  # a file stops being YAML
        "unknown_key",  # an error the check reports
        "swap_bilag",  # the bilag file's content changes, same size
        "old_back",  # a file is put back as it was, with its old times
        "same_second",  # written twice within one clock tick
        "touch",  # only the times change
    ]
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    edits=st.lists(
        st.tuples(EDITS, st.sampled_from(["case", "meeting", "later", "bilag"])), max_size=6
    ),
    trusting=st.booleans(),
    whole_register=st.booleans(),
)
def test_the_store_never_changes_what_tjek_says(
    edits: list[tuple[str, str]], trusting: bool, whole_register: bool
) -> None:
    # `trusting`: a file's times are trusted at once, not only two seconds after its last
    # change (so the edits below reach the store's paths that go by size, times and inode).
    # `whole_register`: the index of every file is stored again after each change, else only
    # the first time (so a changed file's entry there is out of date and must not be used).
    racy, rewrite = cache._RACY, scope._Register.REWRITE_FROM
    cache._RACY = -1.0 if trusting else racy
    scope._Register.REWRITE_FROM = 1 if whole_register else rewrite
    try:
        _edit_and_compare(edits)
    finally:
        cache._RACY = racy
        scope._Register.REWRITE_FROM = rewrite


def _edit_and_compare(edits: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory(prefix="dagsorden-cache-") as scratch:
        root = make(Path(scratch))
        files = {
            "case": root / "cases" / "22-1.yaml",
            "meeting": root / "agenda" / f"{MEETINGS[0]}.yaml",
            "later": root / "agenda" / f"{MEETINGS[1]}.yaml",
            "bilag": root / "bilag" / "forslag.pdf",
        }
        saved = {k: (p.read_bytes(), p.stat()) for k, p in files.items()}
        assert answer(root, cached=True) == answer(root, cached=False)
        for edit, which in edits:
            path = files[which]
            if which == "bilag" and edit in ("text", "broken_yaml", "unknown_key", "swap_bilag"):
                data = path.read_bytes()
                path.write_bytes(BROKEN_PDF if data == GOOD_PDF else GOOD_PDF)
            elif edit == "text":
                text = path.read_text("utf-8")
                for old, new in (
                    ("Teksten.", "Ny tekst."),
                    ("Mødelokale 1", "Sal 2"),
                    ("Godkendt.", "Afvist."),
                ):
                    text = text.replace(old, new)
                path.write_text(text, "utf-8")
            elif edit == "broken_yaml":
                path.write_text(path.read_text("utf-8") + "  : [\n", "utf-8")
            elif edit == "unknown_key":
                path.write_text(path.read_text("utf-8") + "ukendt: 1\n", "utf-8")
            elif edit == "old_back":
                data, stat = saved[which]
                path.write_bytes(data)
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            elif edit == "same_second":
                stat = path.stat()
                data = path.read_bytes()
                changed = data.replace(b"1", b"2", 1) if b"1" in data else data + b"\n"
                path.write_bytes(changed)
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            elif edit == "touch":
                os.utime(path)
            else:  # swap_bilag on a YAML file: nothing to swap, touch instead
                os.utime(path)
            assert answer(root, cached=True) == answer(root, cached=False), (edit, which)
        # Asked again with nothing changed, the remembered answer is the same.
        assert answer(root, cached=True) == answer(root, cached=False)


def test_a_damaged_or_foreign_store_is_rebuilt_silently(tmp_path: Path) -> None:
    root = make(tmp_path)
    first = answer(root, cached=True)
    store = root / FOLDER / "cache.sqlite"
    assert store.is_file()
    assert (root / FOLDER / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    store.write_bytes(b"dette er ikke en database" * 100)
    assert answer(root, cached=True) == first
    with sqlite3.connect(store) as db:
        db.execute("UPDATE meta SET value = 'en anden udgave' WHERE key = 'version'")
    assert answer(root, cached=True) == first
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT value FROM meta").fetchone()[0] != "en anden udgave"
    shutil.rmtree(root / FOLDER)
    assert answer(root, cached=True) == first
