"""byg writes only what changed: the documents that show a change, and nothing when nothing did."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from docx import Document

from conftest import ROOT
from dagsorden.build import build
from dagsorden.context import DocumentKind
from dagsorden.errors import DagsordenError
from dagsorden.manifest import MANIFEST_NAME
from dagsorden.progress import BUILDING
from docxdump import dump

Snapshot = dict[Path, tuple[int, int, bytes]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example project (three meetings, one case carried through all three)."""
    root = tmp_path / "projekt"
    for name in ("organisation.yaml", "cases", "agenda", "templates", "bilag", "arkiv"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            root.mkdir(exist_ok=True)
            shutil.copy2(source, root / name)
    return root


def snapshot(out: Path) -> Snapshot:
    """Every document in `out` with its inode, modification time and bytes."""
    return {
        path: (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def rewritten(before: Snapshot, after: Snapshot) -> set[str]:
    assert set(after) == set(before), "the same documents exist after the build"
    return {
        f"{p.parent.name}/{p.name}" for p in before if before[p][:2] != after[p][:2]
    }  # a rename gives a new inode; an untouched file keeps both


def showing(out: Path, text: str) -> set[str]:
    return {f"{p.parent.name}/{p.name}" for p in sorted(out.rglob("*.docx")) if text in dump(p)}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} står ikke i {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_writes_nothing(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, _ = build(project, out=out)
    assert first and all(b.written for b in first)
    before = snapshot(out)
    again, _ = build(project, out=out)
    assert [b.path for b in again] == [b.path for b in first]
    assert not any(b.written for b in again)
    assert rewritten(before, snapshot(out)) == set()


@pytest.mark.parametrize(
    ("case", "old", "new", "meetings"),
    [
        # treated only at HU: its four documents
        ("23-1532", "titel: ", "titel: Ændret i dag, ", {"2023-03-02-hu"}),
        # closed, treated at ØK and KB: their internal documents; the public ones never show it
        (
            "22-12954",
            "Forvaltningen vurderer,",
            "Ændret i dag. Forvaltningen vurderer,",
            {"2022-12-06-oek", "2022-12-13-kb"},
        ),
    ],
)
def test_a_changed_case_rewrites_exactly_the_documents_that_show_it(
    project: Path, tmp_path: Path, case: str, old: str, new: str, meetings: set[str]
) -> None:
    out = tmp_path / "out"
    build(project, out=out)
    before = snapshot(out)
    replace_in(project / "cases" / f"{case}.yaml", old, new)
    built, _ = build(project, out=out)
    changed = rewritten(before, snapshot(out))
    expected = showing(out, "Ændret i dag")
    assert expected and changed == expected
    assert {name.split("/")[0] for name in expected} == meetings
    assert {f"{b.path.parent.name}/{b.path.name}" for b in built if b.written} == expected
    if case == "22-12954":
        assert not any("offentlig" in name for name in expected)


def test_a_changed_decision_rewrites_its_minutes_and_the_later_history(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(project, out=out)
    before = snapshot(out)
    meeting = project / "agenda" / "2022-12-06-oek.yaml"
    decision = re.search(r"beslutning: *(\S[^\n]*)", meeting.read_text(encoding="utf-8"))
    assert decision is not None
    replace_in(meeting, decision.group(0), f"{decision.group(0)} Tilføjet efter mødet.")
    build(project, out=out)
    changed = rewritten(before, snapshot(out))
    expected = showing(out, "Tilføjet efter mødet.")
    assert changed == expected
    meetings = {name.split("/")[0] for name in expected}
    assert "2022-12-06-oek" in meetings and len(meetings) > 1, "later meetings show the history"
    assert not any(name.split("/")[1].startswith("dagsorden") and
                   name.startswith("2022-12-06-oek") for name in expected)  # fmt: skip


def test_a_deleted_or_edited_document_is_made_again(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(project, out=out)
    deleted = out / "2023-03-02-hu" / "dagsorden-intern.docx"
    edited = out / "2022-12-13-kb" / "dagsorden-offentlig.docx"
    original = deleted.read_bytes()
    deleted.unlink()
    edited.write_bytes(edited.read_bytes() + b"rettet i Word")
    before = snapshot(out)
    built, _ = build(project, out=out)
    assert {b.path for b in built if b.written} == {deleted, edited}
    assert deleted.is_file() and dump(deleted) == dump_bytes(tmp_path, original)
    assert not edited.read_bytes().endswith(b"rettet i Word")
    assert rewritten(before | {deleted: (0, 0, b"")}, snapshot(out)) == {
        "2023-03-02-hu/dagsorden-intern.docx",
        "2022-12-13-kb/dagsorden-offentlig.docx",
    }


def dump_bytes(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "før.docx"
    path.write_bytes(data)
    return dump(path)


def test_a_changed_template_rewrites_every_document_made_with_it(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(project, out=out)
    before = snapshot(out)
    template = project / "templates" / "protokol.docx"
    doc = Document(str(template))
    doc.add_paragraph("Sidste linje fra den nye skabelon")
    doc.save(str(template))
    built, _ = build(project, out=out)
    minutes = {
        f"{b.path.parent.name}/{b.path.name}" for b in built if b.kind is DocumentKind.MINUTES
    }
    assert minutes and rewritten(before, snapshot(out)) == minutes
    assert showing(out, "Sidste linje fra den nye skabelon") == minutes


def test_an_unusable_record_of_the_last_build_only_means_everything_is_made_again(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first, _ = build(project, out=out)
    (out / MANIFEST_NAME).write_text("{ikke json", encoding="utf-8")
    again, _ = build(project, out=out)
    assert all(b.written for b in again) and len(again) == len(first)
    third, _ = build(project, out=out)
    assert not any(b.written for b in third)


def test_a_template_error_after_some_documents_writes_nothing(
    project: Path, tmp_path: Path
) -> None:
    """The documents are written one by one into temporary files: a failure in a later one
    still leaves every document as it was, and no temporary file behind."""
    out = tmp_path / "out"
    build(project, out=out)
    before = snapshot(out)
    # Every agenda must be made again (the organisation changed), and the minutes' template
    # breaks: the agendas before it have been rendered when the error comes.
    replace_in(project / "organisation.yaml", "kommune: ", "kommune: Ny ")
    template = project / "templates" / "protokol.docx"
    doc = Document(str(template))
    doc.add_paragraph("{{ findes_ikke }}")
    doc.save(str(template))
    with pytest.raises(DagsordenError, match=r"templates/protokol\.docx"):
        build(project, out=out)
    assert snapshot(out) == before
    assert [p.name for p in out.rglob(".*") if p.name.endswith(".tmp")] == []


def test_a_failed_first_build_leaves_no_folder(project: Path, tmp_path: Path) -> None:
    template = project / "templates" / "protokol.docx"
    doc = Document(str(template))
    doc.add_paragraph("{{ findes_ikke }}")
    doc.save(str(template))
    out = tmp_path / "ny" / "out"
    with pytest.raises(DagsordenError):
        build(project, out=out)
    assert not (tmp_path / "ny").exists()


def test_the_progress_counts_every_document_built_or_skipped(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    steps: dict[str, list[int | str]] = {}

    @contextmanager
    def progress(total: int, label: str) -> Iterator[Callable[[str], None]]:
        steps[label] = [total]
        yield steps[label].append

    first, _ = build(project, out=out, progress=progress)
    assert steps[BUILDING][0] == len(first) == len(steps[BUILDING]) - 1
    steps.clear()
    again, _ = build(project, out=out, progress=progress)
    assert steps[BUILDING][0] == len(again) == len(steps[BUILDING]) - 1
    assert steps[BUILDING][1:] == [b.path.name for b in again]


def test_a_build_of_every_meeting_with_nothing_changed_reads_no_meeting(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """byg of the whole archive must cost what finding out that nothing changed costs: no
    meeting is even loaded when its documents are as the last build of every meeting left
    them (out/.dagsorden-møder.json)."""
    out = tmp_path / "out"
    first, _ = build(project, out=out)
    from dagsorden import scope

    loaded: list[list[str]] = []
    real = scope.load_meetings

    def load_meetings(root: Path, names: list[str], *args: object, **kwargs: object) -> object:
        loaded.append(list(names))
        return real(root, names, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("dagsorden.build.load_meetings", load_meetings)
    again, _ = build(project, out=out)
    assert loaded == [] and not any(b.written for b in again)
    assert sorted(b.path for b in again) == sorted(b.path for b in first)
    # One meeting changes: the meetings whose documents can show it are loaded (here all
    # three: they treat the same case, so each shows the others' decisions), and only the
    # documents that do show it are written.
    replace_in(project / "agenda" / "2023-03-02-hu.yaml", "Mødelokale", "Byrådssalen")
    third, _ = build(project, out=out)
    assert loaded == [["2022-12-06-oek", "2022-12-13-kb", "2023-03-02-hu"]]
    assert {b.meeting for b in third if b.written} == {"2023-03-02-hu"}
    # A build of one meeting in between leaves the next build of all to the manifest.
    replace_in(project / "agenda" / "2023-03-02-hu.yaml", "Byrådssalen", "Mødelokale")
    build(project, ["2023-03-02-hu"], out=out)
    loaded.clear()
    fourth, _ = build(project, out=out)
    assert len(loaded) == 1 and len(loaded[0]) == 3 and not any(b.written for b in fourth)
