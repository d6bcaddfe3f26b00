"""A cold `tjek` on two cores says exactly what it says on one (`_parallel`).

The archive is the benchmark's generator at 40 meetings (238 data files), with mistakes put in
both halves of it: the helper process reads and checks the later half of the files.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from dagsorden import _check_all, _parallel, load, scope
from dagsorden.errors import ProblemsError
from dagsorden.project_check import check_everything
from dagsorden.render import builtin_template

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from archive import generate

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="hjælpeprocessen bruges kun på Linux"
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "arkiv"
    generate(root, 40)
    cases = sorted((root / "cases").iterdir())
    meetings = sorted((root / "agenda").iterdir())
    late_meeting = meetings[-2]
    # A public title with a CPR number, in a case the last meeting treats (planned, so its
    # agenda is not frozen): found by the helper, which checks the later half's meetings.
    first = next(line for line in meetings[-1].read_text("utf-8").split("\n") if "sag:" in line)
    late_case = root / "cases" / (first.split("sag:")[1].strip().replace("/", "-") + ".yaml")
    text = late_case.read_text("utf-8")
    late_case.write_text(text.replace("titel: ", "titel: Borger 010190-1234, ", 1), "utf-8")
    # The same case number in a file of the first half (sorted before every other).
    shutil.copy(cases[-1], root / "cases" / "00-kopi.yaml")
    # An unknown key in a meeting of the later half, a broken file among the first.
    late_meeting.write_text(late_meeting.read_text("utf-8") + "ukendt_nøgle: ja\n", "utf-8")
    meetings[1].write_text(meetings[1].read_text("utf-8") + "punkter: [\n", "utf-8")
    # A frozen document of a meeting of the later half changed after it was sent: the helper
    # checks that meeting's records against their files.
    frozen = sorted((root / "arkiv").glob("*/udsendt/dagsorden-offentlig.json"))[-1]
    frozen.write_bytes(frozen.read_bytes() + b" ")
    # An own agenda template with a field the context does not have: the helper checks the
    # templates after its meetings.
    doc = Document(str(builtin_template("dagsorden.docx")))
    heading = next(p for p in doc.paragraphs if p.text == "{{ item.heading }}")
    for run in heading.runs[1:]:
        run.text = ""
    heading.runs[0].text = "{{ item.overskrift }}"
    (root / "templates").mkdir(exist_ok=True)
    doc.save(str(root / "templates" / "dagsorden.docx"))
    return root


def _forget() -> None:
    """What this process remembers of files it read (the helper must read its own)."""
    load._SEEN.clear()
    scope._SEEN.clear()
    scope._LAST.clear()


def _tjek(root: Path) -> list[str]:
    _forget()
    try:
        found = check_everything(root)
    except ProblemsError as exc:
        return ["fejl", *(p.render() for p in exc.problems)]
    return [p.render() for p in found]


def _one_process(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a cold `tjek` says in one process (the store off for what follows too)."""
    monkeypatch.setenv("DAGSORDEN_UDEN_CACHE", "1")
    monkeypatch.setenv(_parallel.ONE_PROCESS, "1")
    said = _tjek(root)
    monkeypatch.delenv(_parallel.ONE_PROCESS)
    return said


def _started(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every helper started (the real one), so a test can say the helper did the work."""
    started: list[Any] = []
    start = _parallel.start

    def recording(*args: Any) -> Any:
        helper = start(*args)
        started.append(helper)
        return helper

    monkeypatch.setattr(_parallel, "start", recording)
    monkeypatch.setattr(_parallel, "AT_LEAST", 0)
    return started


def test_two_processes_find_what_one_finds(
    archive: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started = _started(monkeypatch)
    monkeypatch.setenv("DAGSORDEN_UDEN_CACHE", "1")
    two = _tjek(archive)
    assert started and started[0] is not None
    monkeypatch.setenv(_parallel.ONE_PROCESS, "1")
    one = _tjek(archive)
    assert two == one
    said = "\n".join(one)
    assert one[0] == "fejl"
    assert "010190-1234" in said  # found by the helper: its file is in the later half
    assert "ukendt_nøgle" in said
    assert "00-kopi.yaml" in said
    assert said.count("ugyldig YAML") == 1
    assert "feltet 'overskrift' findes ikke" in said
    assert started[0].templates  # the helper checked the templates
    assert "dagsorden-offentlig.json fra den udsendte dagsorden for" in said
    assert [p.message for p in started[0].records if "er ændret" in p.message]  # and that one


def test_what_the_helper_read_is_remembered(
    archive: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started = _started(monkeypatch)
    monkeypatch.setenv("DAGSORDEN_CACHE_MAPPE", str(tmp_path / "lager"))
    first = _tjek(archive)
    assert started[0] is not None
    late = sorted(f for f in started[0].theirs if f.startswith("agenda/"))[-1]
    late_case = sorted(f for f in started[0].theirs if f.startswith("cases/"))[-1]
    with sqlite3.connect(tmp_path / "lager" / "cache.sqlite") as db:
        parsed = {row[0] for row in db.execute("SELECT path FROM parsed")}
        results = {row[0] for row in db.execute("SELECT name FROM results")}
    assert {late, late_case} <= parsed  # read by the helper, written by this process
    assert f"møde:{Path(late).stem}" in results
    # After a comment is added, the next run knows the rest: one process, the same answer.
    meeting = sorted((archive / "agenda").iterdir())[0]
    meeting.write_text(meeting.read_text("utf-8") + "# en kommentar\n", "utf-8")
    assert _tjek(archive) == first
    assert started[1] is None


def test_a_helper_that_fails_leaves_its_work_to_this_process(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _one_process(archive, monkeypatch)
    started = _started(monkeypatch)
    parent = os.getpid()
    meeting = _check_all._meeting

    def failing(*args: Any) -> Any:
        if os.getpid() != parent:  # in the helper, after a few meetings
            failing.calls += 1  # type: ignore[attr-defined]
            if failing.calls > 3:  # type: ignore[attr-defined]
                raise RuntimeError("helperen fejler")
        return meeting(*args)

    failing.calls = 0  # type: ignore[attr-defined]
    monkeypatch.setattr(_check_all, "_meeting", failing)
    assert _tjek(archive) == one
    assert started[0] is not None


def test_a_helper_that_dies_leaves_its_work_to_this_process(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _one_process(archive, monkeypatch)
    monkeypatch.setattr(_parallel, "AT_LEAST", 0)
    start = _parallel.start

    def killed(*args: Any) -> Any:
        helper = start(*args)
        assert helper is not None
        os.kill(helper.pid, 9)
        return helper

    monkeypatch.setattr(_parallel, "start", killed)
    assert _tjek(archive) == one
