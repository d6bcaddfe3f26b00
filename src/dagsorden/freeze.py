"""Freezing a meeting's documents when its agenda is sent and when its minutes are approved.

The record (records.py) is made whole in a hidden folder beside its place, every file synced,
and then renamed into place in one step: a crash leaves either no record or the whole record,
never part of one. Only then does the command write the meeting file's status; if it is killed
in between, the next run of the same command finds the record and completes the status.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import __version__
from ._contents import fill_contents
from ._outputs import Progress, output_path, render
from .build import _check, _refuse, check
from .context import DocumentKind, Edition, History, build_context, case_history, shown_attachments
from .errors import DagsordenError, Problem, Problems, ProblemsError, cannot_write
from .frozen import document_context, supplement_context
from .model import Access, Correction, Meeting, Project, Status
from .pdf import Converter, convert_documents
from .pictures import shown_pictures
from .progress import CONVERTING
from .records import (
    ARCHIVE,
    FORMAT,
    SETTLED_BY_FREEZING,
    checksum,
    correction_data,
    file_sha256,
    item_key,
    meeting_data,
    record_folder,
)
from .render import save_documents

__all__ = [
    "check_for_freezing",
    "check_for_freezing_all",
    "freeze",
    "freeze_all",
    "freeze_correction",
]

# A hidden folder left by a killed freezing is removed by the next freezing once this old.
_STALE_AFTER = 60.0


def check_for_freezing(root: Path, name: str) -> tuple[Project, list[Problem]]:
    """Check the project for a command that freezes `name`: a freezing of this meeting that
    is missing or was interrupted is not an error here, since that very command settles it."""
    project, found, _ = _check(root, strict=False, meetings=[name])
    mine = f"agenda/{name}."
    rest = [
        p for p in found if not (p.code in SETTLED_BY_FREEZING and p.location.file.startswith(mine))
    ]
    _refuse(rest, False)
    return project, rest


def check_for_freezing_all(root: Path) -> None:
    """Refuse to freeze everything while the data has errors other than missing records."""
    try:
        check(root)
    except ProblemsError as exc:
        rest = [p for p in exc.problems if p.code not in SETTLED_BY_FREEZING]
        if any(p.is_error for p in rest):
            raise ProblemsError(rest) from exc


def freeze(
    root: Path,
    project: Project,
    meeting: Meeting,
    stage: str,
    *,
    on: dt.date,
    pdf: bool = True,
    progress: Progress | None = None,
    files: bool = True,
    history: History | None = None,
) -> str:
    """Freeze what `meeting`'s agenda (stage 'udsendt') or minutes ('godkendt') show now.

    Returns the record's checksum. An existing record of the stage is kept as it is (a second
    run completes an interrupted freezing, it never freezes twice). Without `files`, only the
    contents are frozen, not the Word and PDF files (for meetings from before records, whose
    documents were sent long ago).
    """
    target = record_folder(root, meeting.name, stage)
    existing = project.records.get(meeting.name, {}).get(stage)
    if existing is not None:
        return existing.checksum
    if target.exists():
        raise DagsordenError(
            f"{target.relative_to(root).as_posix()} findes, men kan ikke læses; hent den"
            " tilbage fra git, før mødet kan fryses"
        )
    history = history if history is not None else case_history(project)
    try:
        _prepare_archive(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target.parent)
    except OSError as exc:
        raise DagsordenError(cannot_write(target.relative_to(root).as_posix(), exc)) from exc
    with _hidden_folder(target) as work:
        documents: list[dict[str, Any]] = []
        rendered = []
        pictures: dict[str, str] = {}
        for kind, edition, context, made in _documents(project, meeting, stage, history):
            pictures.update(shown_pictures(context))
            corrections_at: list[int] = []
            if kind is DocumentKind.MINUTES:
                corrections_at = _clear_corrections(project, meeting, context, edition)
            stem = output_path(Path(), project, meeting, kind, edition).stem
            context_name = f"{kind.value}-{edition.value}.json"
            _write_json(work / context_name, context)
            if made and files:
                rendered.append((render(root, kind, context), work / f"{stem}.docx"))
            documents.append(
                {
                    "art": kind.value,
                    "udgave": edition.value,
                    "kontekst": {
                        "fil": context_name,
                        "sha256": file_sha256(work / context_name),
                    },
                    "stem": stem,
                    "rettelser_ved": corrections_at,
                }
            )
        save_documents(rendered)
        if pdf and rendered:
            jobs = [(docx, docx.with_suffix(".pdf")) for _, docx in rendered]
            bar = progress(len(jobs), CONVERTING) if progress else nullcontext(lambda _: None)
            with Converter() as converter, bar as advance:
                infos = convert_documents(
                    jobs, converter=converter, on_done=lambda path: advance(path.name)
                )
            for (docx, _), info in zip(jobs, infos, strict=True):  # as `byg` makes them
                filled = fill_contents(docx, info.contents, docx.name)
                if filled is not None:
                    docx.write_bytes(filled)
        for entry in documents:
            stem = entry.pop("stem")
            entry["filer"] = {
                f"{stem}{suffix}": file_sha256(work / f"{stem}{suffix}")
                for suffix in (".docx", ".pdf")
                if (work / f"{stem}{suffix}").is_file()
            }
        body: dict[str, Any] = {
            "format": FORMAT,
            "møde": meeting.name,
            "fase": stage,
            "dato": on.isoformat(),
            "frosset_af": f"dagsorden {__version__}",
            "mødedata": meeting_data(meeting),
            # The access each item had: a case opened later must not open this treatment.
            "adgang": {item_key(i): project.item_access(i).value for i in meeting.items},
            "dokumenter": documents,
            "bilag": _attachments(root, project, meeting, history),
        }
        if pictures:  # only then: a record without pictures reads as before
            body["billeder"] = [{"fil": name, "sha256": h} for name, h in sorted(pictures.items())]
        seal = checksum(body)
        _write_json(work / "indhold.json", {**body, "kontrolsum": seal})
    return seal


def freeze_all(root: Path, *, files: bool = False, pdf: bool = False) -> list[str]:
    """Freeze every meeting whose status says it was sent or held but that has no record, in
    date order, loading the project once: data from before records existed. Returns the
    records made ('møde/fase'). Approved minutes are left to 'dagsorden frys MØDE', which
    checks them against their old checksum first.
    """
    from .load import load_project
    from .records import read_records

    project, _ = load_project(root)
    history = case_history(project)
    made = []
    stages = (("udsendt", (Status.SENT, Status.HELD, Status.APPROVED)), ("afholdt", (Status.HELD,)))
    for meeting in sorted(project.meetings.values(), key=lambda m: m.sort_key):
        for stage, statuses in stages:
            if meeting.status not in statuses or stage in project.records.get(meeting.name, {}):
                continue
            freeze(
                root,
                project,
                meeting,
                stage,
                on=meeting.date,
                pdf=pdf,
                files=files,
                history=history,
            )
            records, _ = read_records(root, Problems(), only=meeting.name)
            merged = {**project.records, meeting.name: records.get(meeting.name, {})}
            project = replace(project, records=merged)
            made.append(f"{meeting.name}/{stage}")
    return made


def freeze_correction(root: Path, meeting: Meeting, number: int, correction: Correction) -> Path:
    """Keep correction `number` of approved minutes as written, beside their record."""
    path = root / ARCHIVE / meeting.name / f"rettelse-{number}.json"
    body = {"format": FORMAT, "møde": meeting.name, "rettelse": correction_data(correction)}
    if path.exists():
        return path
    try:
        _prepare_archive(root)
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DagsordenError(cannot_write(path.relative_to(root).as_posix(), exc)) from exc
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(_json_bytes({**body, "kontrolsum": checksum(body)}))
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
    _sync_folder(path.parent)
    return path


def _documents(
    project: Project, meeting: Meeting, stage: str, history: History
) -> Iterator[tuple[DocumentKind, Edition, dict[str, Any], bool]]:
    """What a stage freezes: (kind, edition, context, whether Word and PDF files are made).

    Sent: the agenda. Held: the agenda as the meeting treated it (content only) and the
    supplementary agenda, if anything changed after sending. Approved: the minutes.
    """
    for edition in Edition:
        if stage == "udsendt":
            agenda = document_context(project, meeting, DocumentKind.AGENDA, edition, history)
            yield DocumentKind.AGENDA, edition, agenda, True
        elif stage == "afholdt":
            # Nothing changed since sending: the sent agenda is the agenda as treated, and
            # the record says only that the meeting was held.
            supplement = supplement_context(project, meeting, edition, history)
            if supplement is not None:
                live = build_context(project, meeting, DocumentKind.AGENDA, edition, history)
                yield DocumentKind.AGENDA, edition, live, False
                yield DocumentKind.SUPPLEMENT, edition, supplement, True
        else:
            minutes = document_context(project, meeting, DocumentKind.MINUTES, edition, history)
            yield DocumentKind.MINUTES, edition, minutes, True


def _clear_corrections(
    project: Project, meeting: Meeting, context: dict[str, Any], edition: Edition
) -> list[int]:
    """The minutes are frozen without corrections (they come later, as additions); returns the
    items whose decision prints them, so a rebuild can add them where the live minutes would."""
    context["corrections"] = []
    at = []
    for item, shown in zip(meeting.items, context["items"], strict=True):
        current = shown["treatments"][-1]
        current["corrections"] = []
        hidden = edition is Edition.PUBLIC and project.item_access(item) is Access.CLOSED
        if current["decided"] and not hidden:
            at.append(shown["number"])
    return at


def _attachments(
    root: Path, project: Project, meeting: Meeting, history: Any
) -> list[dict[str, str]]:
    """Every bilag file the meeting's documents list, with its hash."""
    found: dict[str, str] = {}
    for item in meeting.items:
        case = project.cases.get(item.case.name) if item.case is not None else None
        if case is None:
            continue
        for shown in shown_attachments(case, meeting, history, public=False):
            file = shown.attachment.file
            if file is not None and file.name not in found:
                found[file.name] = file_sha256(root / file.name)
    return [{"fil": name, "sha256": digest} for name, digest in found.items()]


def _json_bytes(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return (text + "\n").encode("utf-8")


def _write_json(path: Path, value: Any) -> None:
    path.write_bytes(_json_bytes(value))


@contextmanager
def _hidden_folder(target: Path) -> Iterator[Path]:
    """A hidden folder to fill; renamed to `target` when the block succeeds, else removed."""
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        yield work
        for path in work.iterdir():
            os.chmod(path, 0o644)
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        os.chmod(work, 0o755)
        _sync_folder(work)
        os.rename(work, target)
        _sync_folder(target.parent)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


# Frozen files are compared byte for byte: git must never change their line endings (Git for
# Windows' autocrlf would), and a folder left by an interrupted freezing is never committed.
_ATTRIBUTES = "# dagsorden: frosne filer gemmes, som de er\n* -text\n"
_IGNORE = "# dagsorden: en afbrudt frysnings halve mappe\n.*-*/\n"


def _prepare_archive(root: Path) -> None:
    archive = root / ARCHIVE
    archive.mkdir(exist_ok=True)
    for name, text in ((".gitattributes", _ATTRIBUTES), (".gitignore", _IGNORE)):
        if not (archive / name).exists():
            (archive / name).write_text(text, encoding="utf-8")


def _remove_stale(folder: Path) -> None:
    """Remove what an interrupted freezing of this meeting left (git ignores it meanwhile)."""
    now = time.time()
    for leftover in folder.glob(".*-*"):
        with suppress(OSError):
            if leftover.is_dir() and now - leftover.stat().st_mtime > _STALE_AFTER:
                shutil.rmtree(leftover)


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
