"""A command on one meeting reads what that meeting shows, not the whole archive (scope.py).

Its documents show the organisation, the meeting, its cases and every other treatment of
those cases; a recording command or 'byg MØDE' must read exactly those, however many other
meetings the project holds, and still see every problem in them.
"""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import MakeProject
from dagsorden import load, scope
from dagsorden.build import check
from dagsorden.errors import ProblemsError, RecordError
from dagsorden.load import FileRead
from dagsorden.project_check import check_everything
from dagsorden.record import decide

CASE = """\
    sagsnr: {number}
    titel: Sag {number}
    sagsgang: [ØK]
    afsnit:
      Sagsfremstilling: Teksten.
    """

MEETING = "udvalg: ØK\ndato: {day}\nstart: 16:00\nsted: Mødelokale 1\npunkter:\n{items}\n"


def _project(make_project: MakeProject) -> Path:
    """Four meetings: the first two share case 22/1, the last two have cases of their own."""
    plan = {
        "2023-01-10-oek": ["22/1"],
        "2023-02-14-oek": ["22/1", "22/2"],
        "2023-03-14-oek": ["22/3"],
        "2023-04-11-oek": ["22/4"],
    }
    files: dict[str, str | None] = {}
    for number in ("22/1", "22/2", "22/3", "22/4"):
        files[f"cases/{number.replace('/', '-')}.yaml"] = CASE.format(number=number)
    for name, numbers in plan.items():
        items = "\n".join(f"  - sag: {n}" for n in numbers)
        files[f"agenda/{name}.yaml"] = MEETING.format(day=name[:10], items=items)
    return make_project(files)


def _read_whole(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The files the narrow read asks for whole (whether parsed or found in the store)."""
    asked: set[str] = set()

    def read_file(root: Path, path: Path, *args: Any, **kwargs: Any) -> FileRead:
        asked.add(path.relative_to(root).as_posix())
        return load.read_file(root, path, *args, **kwargs)

    monkeypatch.setattr(scope, "read_file", read_file)
    return asked


def test_a_command_on_one_meeting_reads_its_files_and_no_others(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(make_project)
    check_everything(root)  # the store now knows every file
    asked = _read_whole(monkeypatch)
    project, _ = check(root, meetings=["2023-01-10-oek"])
    assert asked == {
        "agenda/2023-01-10-oek.yaml",
        "agenda/2023-02-14-oek.yaml",  # treats 22/1 too: its history
        "cases/22-1.yaml",
    }
    assert set(project.meetings) == {"2023-01-10-oek", "2023-02-14-oek"}
    assert set(project.cases) == {"22/1"}


def test_a_problem_in_the_meetings_history_still_stops_a_write(
    make_project: MakeProject,
) -> None:
    root = _project(make_project)
    later = root / "agenda" / "2023-02-14-oek.yaml"
    later.write_text(later.read_text("utf-8") + "afbud: [Ukendt Person]\n", "utf-8")
    # The other meeting's own rule is not this meeting's: it is for 'dagsorden tjek' ...
    check(root, meetings=["2023-01-10-oek"])
    with pytest.raises(ProblemsError) as found:
        check_everything(root)
    assert any("ukendt person 'Ukendt Person'" in p.message for p in found.value.problems)
    # ... but a file that may hold this meeting's history and cannot be read (it names the
    # case) stops it, as it always did.
    later.write_text(later.read_text("utf-8") + "slut: [\n", "utf-8")
    with pytest.raises((ProblemsError, RecordError)):
        decide(root, "2023-01-10-oek", 1, "Godkendt.")
    assert "beslutning" not in (root / "agenda" / "2023-01-10-oek.yaml").read_text("utf-8")


def test_an_unknown_case_is_named_with_the_nearest_known_numbers(
    make_project: MakeProject,
) -> None:
    root = _project(make_project)
    path = root / "agenda" / "2023-03-14-oek.yaml"
    path.write_text(path.read_text("utf-8").replace("22/3", "22/5"), "utf-8")
    with pytest.raises(ProblemsError) as narrow:
        check(root, meetings=["2023-03-14-oek"])
    with pytest.raises(ProblemsError) as whole:
        check_everything(root)
    narrow_errors = [p.message for p in narrow.value.problems if p.is_error]
    whole_errors = [p.message for p in whole.value.problems if p.is_error]
    assert narrow_errors == whole_errors
    assert len(narrow_errors) == 1 and narrow_errors[0].startswith("ukendt sag '22/5'")


def test_a_long_running_process_sees_a_new_case_put_on_a_meeting(
    make_project: MakeProject,
) -> None:
    # The web app keeps its index between requests while no data file's stat changes; a new
    # case file and an item naming it must both be seen the next time.
    root = _project(make_project)
    old = time.time() - 3600
    for path in root.rglob("*.yaml"):
        os.utime(path, (old, old))
    project, _ = check(root, meetings=["2023-03-14-oek"])
    assert set(project.cases) == {"22/3"}
    (root / "cases" / "22-5.yaml").write_text(
        textwrap.dedent(CASE.format(number="22/5")), encoding="utf-8"
    )
    meeting = root / "agenda" / "2023-03-14-oek.yaml"
    meeting.write_text(meeting.read_text("utf-8") + "  - sag: 22/5\n", encoding="utf-8")
    for path in (root / "cases" / "22-5.yaml", meeting):
        os.utime(path, (old + 60, old + 60))
    project, _ = check(root, meetings=["2023-03-14-oek"])
    assert set(project.cases) == {"22/3", "22/5"}
    assert [i.case.name for i in project.meetings["2023-03-14-oek"].items if i.case] == [
        "22/3",
        "22/5",
    ]


def test_the_kept_index_reads_an_overridden_file_as_given(make_project: MakeProject) -> None:
    # A recording checks the meeting as it would be after its change (an override); with the
    # index kept from before, the overridden file must still be read as given.
    root = _project(make_project)
    old = time.time() - 3600
    for path in root.rglob("*.yaml"):
        os.utime(path, (old, old))
    check(root, meetings=["2023-03-14-oek"])
    file = "agenda/2023-03-14-oek.yaml"
    text = (root / file).read_text("utf-8")
    project, _ = check(
        root, meetings=["2023-03-14-oek"], override={file: (text + "  - sag: 22/4\n").encode()}
    )
    assert set(project.cases) == {"22/3", "22/4"}
    assert set(project.meetings) == {"2023-03-14-oek", "2023-04-11-oek"}
    with pytest.raises(ProblemsError) as found:
        check(
            root, meetings=["2023-03-14-oek"], override={file: (text + "  - sag: 22/9\n").encode()}
        )
    errors = [p.message for p in found.value.problems if p.is_error]
    assert len(errors) == 1 and errors[0].startswith("ukendt sag '22/9'")
    project, _ = check(root, meetings=["2023-03-14-oek"])
    assert set(project.cases) == {"22/3"}
