"""A build's output: the Word documents, their PDFs and the agenda packets, made only if changed.

Called by `build.build` once the project is checked. Three steps, each over every selected
meeting, each making only what its manifest (`manifest.py`) does not already show, all into
the build's hidden folder in out/ (`_staging.Stage`):

1. **Word.** Each document is rendered and written at once, so memory holds one document at
   a time however many meetings are built.
2. **PDF.** Every Word document whose PDF is not current, on two LibreOffices side by side
   (`pdf.ConverterPool`).
3. **Packets.** Each meeting's agenda packet per edition, when its agenda PDF or a bilag file
   changed.

Only when all three have succeeded are the files renamed into place and the outputs of these
meetings that no longer match removed: an error at any step leaves out/ as it was.

A document is skipped when the data files its context is made from are unchanged (no context
is made), or when its context is the same as last time although a file changed (no rendering).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import _atomic
from ._reproducible import build_time
from ._staging import Stage, remove_leftovers
from .context import DocumentKind, Edition, History
from .errors import DagsordenError, cannot_write
from .frozen import document_context, supplement_context
from .manifest import Manifest, digest, file_sha256
from .model import Meeting, Project
from .packet import PacketItem, Supplement, build_packet, packet_items
from .pdf import ConverterPool, PdfInfo, convert_documents, read_pdf
from .progress import BUILDING, CONVERTING, MERGING
from .records import ARCHIVE, canonical, data_key, item_key
from .render import find_template, put_in_place, render_document, write_temporary

__all__ = [
    "Built",
    "Progress",
    "make_documents",
    "output_path",
    "planned_documents",
    "render",
]

LOCK_TIMEOUT = 10.0


@dataclass(frozen=True)
class Built:
    """One output file of a build; `written` is False when it was current and left as it was."""

    meeting: str
    kind: DocumentKind
    edition: Edition
    path: Path
    written: bool = True


Progress = Callable[[int, str], AbstractContextManager[Callable[[str], None]]]


def planned_documents(project: Project, meeting: Meeting) -> list[DocumentKind]:
    """The agenda always; the supplementary agenda when the agenda changed after it was sent;
    the minutes once the meeting has decisions."""
    kinds = [DocumentKind.AGENDA]
    if supplement_context(project, meeting, Edition.INTERNAL) is not None:
        kinds.append(DocumentKind.SUPPLEMENT)
    if meeting.has_decisions:
        kinds.append(DocumentKind.MINUTES)
    return kinds


def output_path(
    out: Path, project: Project, meeting: Meeting, kind: DocumentKind, edition: Edition
) -> Path:
    """out/<møde>/<dagsorden|referat|…>-<intern|offentlig>.docx: the name says the edition."""
    assert project.organisation is not None
    body = project.organisation.bodies[meeting.body.name]
    words = {DocumentKind.AGENDA: "dagsorden", DocumentKind.SUPPLEMENT: "tillaegsdagsorden"}
    word = words.get(kind) or body.minutes_title.lower()
    return out / meeting.name / f"{word}-{edition.value}.docx"


def _template_name(kind: DocumentKind) -> str:
    # The supplementary agenda is an agenda of its own and uses the agenda's template.
    return "protokol.docx" if kind is DocumentKind.MINUTES else "dagsorden.docx"


def render(root: Path, kind: DocumentKind, context: dict[str, Any]) -> Any:
    """One document from its context, with the project's template (or the built-in one)."""
    template = find_template(root, _template_name(kind))
    doc = context["document"]
    title = (
        f"{context['meeting']['header']} {doc['title'].capitalize()}"
        f" ({doc['edition_label'].lower()})"
    )
    return render_document(
        template, context, title=title, shown_name=_shown(root, template), when=_when(context)
    )


def _when(context: dict[str, Any]) -> dt.datetime:
    """The time the document is stamped with: from its meeting's date (or SOURCE_DATE_EPOCH).

    Read from the context, because a frozen document is rebuilt from its context alone."""
    try:
        day = dt.datetime.strptime(str(context["meeting"]["date"]), "%d-%m-%Y").date()
    except (KeyError, TypeError, ValueError):
        day = None
    return build_time(day)


def _shown(root: Path, template: Path) -> str:
    return template.relative_to(root).as_posix() if template.is_relative_to(root) else template.name


def make_documents(
    root: Path,
    project: Project,
    meetings: list[Meeting],
    history: History,
    out: Path,
    *,
    pdf: bool,
    progress: Progress,
) -> list[Built]:
    """Make every document of `meetings` that is not current in `out`; list them all.

    All or nothing: every file is made in a hidden folder inside `out` (`_staging`) and moved
    into place only when every step (Word, PDF, packets) has succeeded; then the outputs of
    these meetings that no longer match are removed. Any failure leaves `out` as it was; a
    folder that did not exist is removed again. Two builds into one folder take turns (a
    lock beside the manifest); what a killed build left is removed first.
    """
    folders = _Folders()
    folders.make(out)
    try:
        with _atomic.locked(out / _LOCK_NAME, f"{out.as_posix()}/", LOCK_TIMEOUT):
            remove_leftovers(out)
            manifest = Manifest.read(out)
            stage = Stage(out)
            try:
                built = _word(root, project, meetings, history, out, manifest, progress, stage)
                if pdf:
                    built += _pdfs(project, meetings, history, built, manifest, progress, stage)
                stale = _stale_outputs(project, meetings, history, built, manifest, stage)
                stage.commit(stale)
            except BaseException:
                stage.discard()
                raise
            manifest.write()
    except BaseException:
        if folders.made:  # a folder this build made is removed again, lock and all
            _atomic.lock_path(out / _LOCK_NAME).unlink(missing_ok=True)
            folders.remove_new()
        raise
    return built


_LOCK_NAME = "dagsorden-bygget"


def _stale_outputs(
    project: Project,
    meetings: list[Meeting],
    history: History,
    built: list[Built],
    manifest: Manifest,
    stage: Stage,
) -> list[Path]:
    """The files of these meetings in out/ that no longer match what this build made.

    A file counts as an output when the manifest records it or it has the name of one (any
    document, PDF or packet name); other files in the folder are the secretary's and stay.
    An output is kept when this build made it or found it current. Otherwise it is removed,
    so nothing stale can be sent by mistake: the PDFs of a `byg --uden-pdf` whose Word
    documents changed, a tillægsdagsorden whose changes were put back, the minutes of a
    meeting whose decisions were taken out, the files of a renamed protocol title. A PDF or
    packet a `--uden-pdf` build did not touch is kept when it still matches: its Word
    document (its agenda PDF and bilag) are as it was made from.
    """
    out = manifest.out
    made = {b.path for b in built}
    folders = {_packet_path(out, project, m, Edition.INTERNAL).parent for m in meetings}
    names: set[Path] = set()
    for meeting in meetings:
        for kind in DocumentKind:
            for edition in Edition:
                docx = output_path(out, project, meeting, kind, edition)
                names |= {docx, docx.with_suffix(".pdf")}
        names |= {_packet_path(out, project, meeting, edition) for edition in Edition}
    recorded = {out / name for name in manifest.entries}
    candidates = {p for p in names | recorded if p.parent in folders} - made
    stale = []
    # Packets last: one is made from its agenda PDF, and goes when that goes.
    for path in sorted(candidates, key=lambda p: (p.name.startswith("dagsordenspakke-"), p)):
        if path.suffix == ".pdf" and _still_matches(project, history, manifest, stage, path):
            continue
        if path.is_file() or path.is_symlink():
            stale.append(path)
        manifest.forget(path)
    return stale


def _still_matches(
    project: Project, history: History, manifest: Manifest, stage: Stage, pdf: Path
) -> bool:
    """A PDF this build did not make (`--uden-pdf`) is still what it would make now."""
    if pdf.name.startswith("dagsordenspakke-"):
        meeting = project.meetings.get(pdf.parent.name)
        plans = _packet_plans(project, [meeting] if meeting else [], history, manifest, stage)
        return any(p.target == pdf and manifest.current(pdf, inputs=p.inputs) for p in plans)
    entry = manifest.entry(pdf.with_suffix(".docx"))
    if entry is None:
        return False
    return manifest.current(pdf, inputs=_pdf_inputs(entry.sha256))


# --------------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------------


class _Sources:
    """The content of the project's files, each read and hashed once per build."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self._hashes: dict[str, str] = {}
        self._archive: dict[str, list[str]] = {}

    def sha(self, name: str) -> str:
        found = self._hashes.get(name)
        if found is None:
            try:
                found = file_sha256(Path(os.path.join(self.root, name)))
            except OSError:
                found = "-"
            self._hashes[name] = found
        return found

    def archive(self, meeting: str) -> list[str]:
        """Every file of the meeting's frozen records and corrections (its own folder only:
        the archive of five years is thousands of folders)."""
        found = self._archive.get(meeting)
        if found is None:
            found = []
            for parent, _, files in os.walk(os.path.join(self.root, ARCHIVE, meeting)):
                relative = os.path.relpath(parent, self.root).replace(os.sep, "/")
                found.extend(f"{relative}/{f}" for f in files)
            self._archive[meeting] = found
        return found

    def of_meeting(self, project: Project, meeting: Meeting, history: History) -> str:
        """The fingerprint of every file a context of `meeting` can be made from.

        A context shows the organisation, the meeting, its cases, every meeting that treats
        one of them (their decisions are the history), and the meeting's frozen records. A
        file that joins or leaves this set (a new treatment of a case) changes it too.
        """
        names = {"organisation.yaml", meeting.location.file, *self.archive(meeting.name)}
        for item in meeting.items:
            if item.case is None:
                continue
            case = project.cases.get(item.case.name)
            names.add(case.location.file if case is not None else f"?{item.case.name}")
            names.update(m.location.file for m, _ in history.get(item.case.name, ()))
        return digest(sorted((name, self.sha(name)) for name in names))


def _template_digests(root: Path) -> dict[str, str]:
    found = {}
    for name in ("dagsorden.docx", "protokol.docx"):
        template = find_template(root, name)
        found[name] = "-"  # rendering says what is wrong with it
        if template.is_file():  # not a folder, nor a named pipe that would block
            with contextlib.suppress(OSError):
                found[name] = digest(_shown(root, template), file_sha256(template))
    return found


@dataclass(frozen=True)
class _Pending:
    built: Built
    temporary: Path
    inputs: str
    sources: str
    extra: dict[str, Any]


def _word(
    root: Path,
    project: Project,
    meetings: list[Meeting],
    history: History,
    out: Path,
    manifest: Manifest,
    progress: Progress,
    stage: Stage,
) -> list[Built]:
    sources = _Sources(root)
    templates = _template_digests(root)
    plan = [(m, kind) for m in meetings for kind in planned_documents(project, m)]
    built: list[Built] = []
    pending: list[_Pending] = []
    rendered = False
    with progress(len(plan) * len(Edition), BUILDING) as advance, _collecting() as collect:
        for meeting, kind in plan:
            of_meeting = sources.of_meeting(project, meeting, history)
            template = templates[_template_name(kind)]
            for edition in Edition:
                path = output_path(out, project, meeting, kind, edition)
                key = digest("docx", kind.value, edition.value, template, of_meeting)
                made = _one_document(
                    root, project, meeting, kind, edition, history, path, template, key,
                    manifest, stage,
                )  # fmt: skip
                built.append(Built(meeting.name, kind, edition, path, made is not None))
                if made is not None:
                    pending.append(made)
                    rendered = True
                advance(path.name)
            if rendered:
                collect()
                rendered = False
    for p in pending:
        manifest.record(
            p.built.path, inputs=p.inputs, sources=p.sources, extra=p.extra, file=p.temporary
        )
    return built


class _Folders:
    """The folders a build makes for its output, removed again if it fails."""

    def __init__(self) -> None:
        self.made: list[Path] = []

    def make(self, folder: Path) -> None:
        missing = []
        while not folder.is_dir() and folder.parent != folder:
            missing.append(folder)
            folder = folder.parent
        for new in reversed(missing):
            try:
                new.mkdir()
            except FileExistsError:
                if new.is_dir():
                    continue
                raise DagsordenError(cannot_write(new, FileExistsError())) from None
            except OSError as exc:
                self.remove_new()
                raise DagsordenError(cannot_write(new, exc)) from exc
            self.made.append(new)

    def remove_new(self) -> None:
        for folder in reversed(self.made):
            with contextlib.suppress(OSError):  # not empty: someone else's now
                folder.rmdir()


def _one_document(
    root: Path,
    project: Project,
    meeting: Meeting,
    kind: DocumentKind,
    edition: Edition,
    history: History,
    path: Path,
    template: str,
    sources: str,
    manifest: Manifest,
    stage: Stage,
) -> _Pending | None:
    """Render the document into the build's hidden folder, unless it is current."""
    if manifest.current(path, sources=sources):
        return None
    context = document_context(project, meeting, kind, edition, history)
    inputs = digest("docx", template, hashlib.sha256(canonical(context)).hexdigest())
    if manifest.current(path, inputs=inputs):
        manifest.update_sources(path, sources)
        return None
    extra = {}
    if kind is DocumentKind.AGENDA:  # what the packet needs, without this context again
        extra["overskrifter"] = [item["heading"] for item in context["items"]]
    staged = stage.path(path)
    put_in_place([(write_temporary(render(root, kind, context), staged), staged)])
    return _Pending(Built(meeting.name, kind, edition, path), staged, inputs, sources, extra)


@contextmanager
def _collecting() -> Iterator[Callable[[], None]]:
    """`collect()` frees the documents just rendered, however many meetings come after.

    A rendered Word document is a graph of cycles that only the cyclic garbage collector
    frees; the command line switches it off for speed. Everything alive now (the project) is
    moved out of its sight first, so each collection looks only at what the last meeting
    made: milliseconds, not a walk over the whole archive.
    """

    def collect() -> None:
        gc.collect()

    gc.freeze()
    try:
        yield collect
    finally:
        gc.unfreeze()


# --------------------------------------------------------------------------------------------
# PDF and packets
# --------------------------------------------------------------------------------------------


def _pdfs(
    project: Project,
    meetings: list[Meeting],
    history: History,
    documents: list[Built],
    manifest: Manifest,
    progress: Progress,
    stage: Stage,
) -> list[Built]:
    """Every document as PDF, then one agenda packet per meeting and edition."""
    with ExitStack() as stack:
        pool: list[ConverterPool] = []

        def converter() -> ConverterPool:
            if not pool:
                pool.append(stack.enter_context(ConverterPool()))
            return pool[0]

        made = _convert(project.root, documents, manifest, progress, converter, stage)
        made += _packets(project, meetings, history, manifest, progress, converter, stage)
    return made


def _pdf_inputs(docx_sha256: str) -> str:
    return digest("pdf", docx_sha256)


def _convert(
    root: Path,
    documents: list[Built],
    manifest: Manifest,
    progress: Progress,
    converter: Callable[[], ConverterPool],
    stage: Stage,
) -> list[Built]:
    made: list[Built] = []
    jobs: list[tuple[Built, str]] = []
    with progress(len(documents), CONVERTING) as advance:
        for document in documents:
            target = document.path.with_suffix(".pdf")
            entry = manifest.entry(document.path)
            inputs = _pdf_inputs(entry.sha256 if entry is not None else "-")
            if manifest.current(target, inputs=inputs):
                made.append(_as(document, target, written=False))
                advance(target.name)
            else:
                jobs.append((document, inputs))
        if jobs:
            infos = convert_documents(
                [(stage.where(d.path), stage.path(d.path.with_suffix(".pdf"))) for d, _ in jobs],
                converter=converter(),
                on_done=lambda path: advance(path.name),
                shown_names=[_shown_output(root, d.path) for d, _ in jobs],
            )
            for (document, inputs), info in zip(jobs, infos, strict=True):
                target = document.path.with_suffix(".pdf")
                manifest.record(target, inputs=inputs, extra=_outline(info), file=info.path)
                made.append(_as(document, target, written=True))
    return made


def _shown_output(root: Path, path: Path) -> str:
    """An output file as the secretary finds it: relative to the project when inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _as(document: Built, path: Path, *, written: bool) -> Built:
    return Built(document.meeting, document.kind, document.edition, path, written)


def _outline(info: PdfInfo) -> dict[str, Any]:
    return {"titel": info.title, "bogmaerker": [[e.title, e.page] for e in info.outline]}


def _packet_path(out: Path, project: Project, meeting: Meeting, edition: Edition) -> Path:
    agenda = output_path(out, project, meeting, DocumentKind.AGENDA, edition)
    return agenda.with_name(f"dagsordenspakke-{edition.value}.pdf")


@dataclass(frozen=True)
class _PacketPlan:
    target: Path
    inputs: str
    meeting: Meeting
    edition: Edition
    agenda: Path
    items: list[PacketItem]
    supplement: Supplement | None


def _packet_plans(
    project: Project,
    meetings: list[Meeting],
    history: History,
    manifest: Manifest,
    stage: Stage,
) -> Iterator[_PacketPlan]:
    """Each meeting's packet per edition, with the fingerprint of what it is made from."""
    out = manifest.out
    bilag = _Sources(project.root)
    for meeting in meetings:
        for edition in Edition:
            docx = output_path(out, project, meeting, DocumentKind.AGENDA, edition)
            agenda = docx.with_suffix(".pdf")
            items = packet_items(
                project,
                meeting,
                _headings(project, meeting, edition, history, manifest, docx),
                history,
                public=edition is Edition.PUBLIC,
                keys=_sent_keys(project, meeting),
            )
            supplement, supplement_pdf = _supplement(
                project, meeting, edition, history, manifest, items, stage
            )
            entry = manifest.entry(agenda)
            extra = manifest.entry(supplement_pdf) if supplement_pdf is not None else None
            inputs = digest(
                "pakke",
                entry.sha256 if entry is not None else "-",
                [_packet_item(item, project.root, bilag) for item in items],
                extra.sha256 if extra is not None else "-",
                [
                    _packet_item(item, project.root, bilag)
                    for item in (supplement.items if supplement is not None else [])
                ],
            )
            target = _packet_path(out, project, meeting, edition)
            yield _PacketPlan(target, inputs, meeting, edition, agenda, items, supplement)


def _packets(
    project: Project,
    meetings: list[Meeting],
    history: History,
    manifest: Manifest,
    progress: Progress,
    converter: Callable[[], ConverterPool],
    stage: Stage,
) -> list[Built]:
    made: list[Built] = []
    with progress(len(meetings) * len(Edition), MERGING) as advance:
        for plan in _packet_plans(project, meetings, history, manifest, stage):
            written = not manifest.current(plan.target, inputs=plan.inputs)
            if written:
                title, outline = _agenda_outline(plan.agenda, manifest, stage)
                staged = stage.path(plan.target)
                build_packet(
                    stage.where(plan.agenda),
                    outline,
                    plan.items,
                    staged,
                    title=f"{title} med bilag",
                    converter=converter(),
                    supplement=plan.supplement,
                    scratch=stage.scratch(),
                    root=project.root,
                )
                manifest.record(plan.target, inputs=plan.inputs, file=staged)
            made.append(
                Built(plan.meeting.name, DocumentKind.AGENDA, plan.edition, plan.target, written)
            )
            advance(plan.target.name)
    return made


def _sent_keys(project: Project, meeting: Meeting) -> list[str] | None:
    """The items of the sent agenda, when the agenda is frozen (the packet follows it)."""
    sent = project.records.get(meeting.name, {}).get("udsendt")
    if sent is None:
        return None
    return [data_key(i) for i in sent.data.get("punkter", [])]


def _supplement(
    project: Project,
    meeting: Meeting,
    edition: Edition,
    history: History,
    manifest: Manifest,
    items: list[PacketItem],
    stage: Stage,
) -> tuple[Supplement | None, Path | None]:
    """The tillægsdagsorden in the packet, with the bilag of its items not on the agenda; and
    its PDF's path in out/ (the Supplement's is where this build has it)."""
    pdf = output_path(manifest.out, project, meeting, DocumentKind.SUPPLEMENT, edition)
    pdf = pdf.with_suffix(".pdf")
    if DocumentKind.SUPPLEMENT not in planned_documents(project, meeting):
        return None, None
    if not stage.where(pdf).is_file():
        return None, None
    # Items new since sending bring their bilag; the others' are with the agenda already.
    sent = set(_sent_keys(project, meeting) or [])
    live = _live_headings(project, meeting, edition, history)
    new = [
        (number, item_key(i), h)
        for number, (i, h) in enumerate(zip(meeting.items, live, strict=True), 1)
        if item_key(i) not in sent
    ]
    shown = packet_items(
        project,
        meeting,
        [h for _, _, h in new],
        history,
        public=edition is Edition.PUBLIC,
        keys=[k for _, k, _ in new],
        numbers=[n for n, _, _ in new],
    )
    _, outline = _agenda_outline(pdf, manifest, stage)
    return Supplement(stage.where(pdf), outline, [i for i in shown if i.attachments]), pdf


def _live_headings(
    project: Project, meeting: Meeting, edition: Edition, history: History
) -> list[str]:
    from .context import build_context

    context = build_context(project, meeting, DocumentKind.AGENDA, edition, history)
    return [str(i["heading"]) for i in context["items"]]


def _headings(
    project: Project,
    meeting: Meeting,
    edition: Edition,
    history: History,
    manifest: Manifest,
    docx: Path,
) -> list[str]:
    """The agenda's item headings, as recorded when it was made (or from its context)."""
    entry = manifest.entry(docx)
    if entry is not None and isinstance(entry.extra.get("overskrifter"), list):
        return [str(h) for h in entry.extra["overskrifter"]]
    context = document_context(project, meeting, DocumentKind.AGENDA, edition, history)
    return [item["heading"] for item in context["items"]]


def _packet_item(item: PacketItem, root: Path, files: _Sources) -> list[Any]:
    files_of = item.attachments
    return [
        item.number,
        item.heading,
        [[n, title, path.as_posix(), _bilag_sha(path, root, files)] for n, title, path in files_of],
    ]


def _bilag_sha(path: Path, root: Path, files: _Sources) -> str:
    return files.sha(path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path))


def _agenda_outline(
    agenda: Path, manifest: Manifest, stage: Stage
) -> tuple[str, list[tuple[str, int]]]:
    """The agenda PDF's title and item bookmarks: recorded when it was made, else read."""
    entry = manifest.entry(agenda)
    if entry is not None and "bogmaerker" in entry.extra:
        marks = [(str(t), int(p)) for t, p in entry.extra["bogmaerker"]]
        return str(entry.extra.get("titel", "")), marks
    info = read_pdf(stage.where(agenda))
    return info.title, [(e.title, e.page) for e in info.outline]
