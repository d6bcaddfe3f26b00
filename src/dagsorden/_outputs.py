"""A build's output: the Word documents, their PDFs and the agenda packets, made only if changed.

Called by `build.build` once the project is checked. Three steps, each over every selected
meeting, each writing only what its manifest (`manifest.py`) does not already show:

1. **Word.** Each document is rendered and written to a temporary file beside its target at
   once, so memory holds one document at a time however many meetings are built. Only when
   every document has been rendered are they renamed into place: a data or template error
   anywhere leaves every earlier document as it was (the temporary files are removed).
2. **PDF.** Every Word document whose PDF is not current, on two LibreOffices side by side
   (`pdf.ConverterPool`), renamed into place together when all succeeded.
3. **Packets.** Each meeting's agenda packet per edition, when its agenda PDF or a bilag file
   changed.

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
from .context import DocumentKind, Edition, History
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

    Two builds into one folder take turns (a lock beside the manifest). A folder that does
    not exist yet is made only once the documents are ready to be renamed into it.
    """
    with ExitStack() as stack:
        if out.is_dir():
            stack.enter_context(
                _atomic.locked(out / "dagsorden-bygget", f"{out.as_posix()}/", LOCK_TIMEOUT)
            )
        manifest = Manifest.read(out)
        try:
            built = _word(root, project, meetings, history, out, manifest, progress)
            if pdf:
                built += _pdfs(project, meetings, history, built, manifest, progress)
            _remove_stale_supplements(project, meetings, manifest)
        finally:
            manifest.write()
    return built


def _remove_stale_supplements(
    project: Project, meetings: list[Meeting], manifest: Manifest
) -> None:
    """A tillægsdagsorden made earlier, for changes that are no longer there (put back as they
    were sent), must not lie in out/ to be sent by mistake: it is removed."""
    for meeting in meetings:
        if DocumentKind.SUPPLEMENT in planned_documents(project, meeting):
            continue
        for edition in Edition:
            docx = output_path(manifest.out, project, meeting, DocumentKind.SUPPLEMENT, edition)
            for path in (docx, docx.with_suffix(".pdf")):
                if path.is_file():
                    path.unlink()
                manifest.entries.pop(path.relative_to(manifest.out).as_posix(), None)


# --------------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------------


class _Sources:
    """The content of the project's files, each read and hashed once per build."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self._hashes: dict[str, str] = {}
        self._archive: dict[str, list[str]] | None = None

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
        """Every file of the meeting's frozen records and corrections."""
        if self._archive is None:  # one walk over the archive, not one per meeting
            self._archive = {}
            top = os.path.join(self.root, ARCHIVE)
            for parent, _, files in os.walk(top):
                relative = os.path.relpath(parent, self.root).replace(os.sep, "/")
                owner = relative.split("/")[1] if relative.count("/") >= 1 else ""
                self._archive.setdefault(owner, []).extend(f"{relative}/{f}" for f in files)
        return self._archive.get(meeting, [])

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
        try:
            found[name] = digest(_shown(root, template), file_sha256(template))
        except OSError:
            found[name] = "-"  # rendering says what is wrong with it
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
) -> list[Built]:
    sources = _Sources(root)
    templates = _template_digests(root)
    plan = [(m, kind) for m in meetings for kind in planned_documents(project, m)]
    built: list[Built] = []
    pending: list[_Pending] = []
    folders = _Folders()
    rendered = False
    try:
        with progress(len(plan) * len(Edition), BUILDING) as advance, _collecting() as collect:
            for meeting, kind in plan:
                of_meeting = sources.of_meeting(project, meeting, history)
                template = templates[_template_name(kind)]
                for edition in Edition:
                    path = output_path(out, project, meeting, kind, edition)
                    key = digest("docx", kind.value, edition.value, template, of_meeting)
                    made = _one_document(
                        root, project, meeting, kind, edition, history, path, template, key,
                        manifest, folders,
                    )  # fmt: skip
                    built.append(Built(meeting.name, kind, edition, path, made is not None))
                    if made is not None:
                        pending.append(made)
                        rendered = True
                    advance(path.name)
                if rendered:
                    collect()
                    rendered = False
        put_in_place([(p.temporary, p.built.path) for p in pending])
    except BaseException:
        for p in pending:
            p.temporary.unlink(missing_ok=True)
        folders.remove_new()
        raise
    for p in pending:
        manifest.record(p.built.path, inputs=p.inputs, sources=p.sources, extra=p.extra)
    return built


class _Folders:
    """The folders a build makes for its temporary files, removed again if it fails."""

    def __init__(self) -> None:
        self.made: list[Path] = []

    def make(self, folder: Path) -> None:
        missing = []
        while not folder.exists() and folder.parent != folder:
            missing.append(folder)
            folder = folder.parent
        for new in reversed(missing):
            try:
                new.mkdir()
            except FileExistsError:
                continue
            except OSError:
                return  # writing the document says why, in Danish
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
    folders: _Folders,
) -> _Pending | None:
    """Render the document into a temporary file beside `path`, unless it is current."""
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
    folders.make(path.parent)
    _atomic.remove_stale_temporaries(path)
    temporary = write_temporary(render(root, kind, context), path)
    return _Pending(Built(meeting.name, kind, edition, path), temporary, inputs, sources, extra)


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
) -> list[Built]:
    """Every document as PDF, then one agenda packet per meeting and edition."""
    with ExitStack() as stack:
        pool: list[ConverterPool] = []

        def converter() -> ConverterPool:
            if not pool:
                pool.append(stack.enter_context(ConverterPool()))
            return pool[0]

        made = _convert(documents, manifest, progress, converter)
        made += _packets(project, meetings, history, manifest, progress, converter)
    return made


def _convert(
    documents: list[Built],
    manifest: Manifest,
    progress: Progress,
    converter: Callable[[], ConverterPool],
) -> list[Built]:
    made: list[Built] = []
    jobs: list[tuple[Built, str]] = []
    with progress(len(documents), CONVERTING) as advance:
        for document in documents:
            target = document.path.with_suffix(".pdf")
            entry = manifest.entry(document.path)
            inputs = digest("pdf", entry.sha256 if entry is not None else "-")
            if manifest.current(target, inputs=inputs):
                made.append(_as(document, target, written=False))
                advance(target.name)
            else:
                jobs.append((document, inputs))
        if jobs:
            infos = convert_documents(
                [(d.path, d.path.with_suffix(".pdf")) for d, _ in jobs],
                converter=converter(),
                on_done=lambda path: advance(path.name),
            )
            for (document, inputs), info in zip(jobs, infos, strict=True):
                manifest.record(info.path, inputs=inputs, extra=_outline(info))
                made.append(_as(document, info.path, written=True))
    return made


def _as(document: Built, path: Path, *, written: bool) -> Built:
    return Built(document.meeting, document.kind, document.edition, path, written)


def _outline(info: PdfInfo) -> dict[str, Any]:
    return {"titel": info.title, "bogmaerker": [[e.title, e.page] for e in info.outline]}


def _packets(
    project: Project,
    meetings: list[Meeting],
    history: History,
    manifest: Manifest,
    progress: Progress,
    converter: Callable[[], ConverterPool],
) -> list[Built]:
    out = manifest.out
    bilag = _Sources(project.root)
    made: list[Built] = []
    with progress(len(meetings) * len(Edition), MERGING) as advance:
        for meeting in meetings:
            for edition in Edition:
                docx = output_path(out, project, meeting, DocumentKind.AGENDA, edition)
                agenda = docx.with_suffix(".pdf")
                target = agenda.with_name(f"dagsordenspakke-{edition.value}.pdf")
                public = edition is Edition.PUBLIC
                items = packet_items(
                    project,
                    meeting,
                    _headings(project, meeting, edition, history, manifest, docx),
                    history,
                    public=public,
                    keys=_sent_keys(project, meeting),
                )
                supplement = _supplement(project, meeting, edition, history, manifest, items)
                entry = manifest.entry(agenda)
                extra = manifest.entry(supplement.pdf) if supplement is not None else None
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
                written = not manifest.current(target, inputs=inputs)
                if written:
                    title, outline = _agenda_outline(agenda, manifest)
                    build_packet(
                        agenda,
                        outline,
                        items,
                        target,
                        title=f"{title} med bilag",
                        converter=converter(),
                        supplement=supplement,
                    )
                    manifest.record(target, inputs=inputs)
                made.append(Built(meeting.name, DocumentKind.AGENDA, edition, target, written))
                advance(target.name)
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
) -> Supplement | None:
    """The tillægsdagsorden in the packet, with the bilag of its items not on the agenda."""
    pdf = output_path(manifest.out, project, meeting, DocumentKind.SUPPLEMENT, edition)
    pdf = pdf.with_suffix(".pdf")
    if DocumentKind.SUPPLEMENT not in planned_documents(project, meeting) or not pdf.is_file():
        return None
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
    _, outline = _agenda_outline(pdf, manifest)
    return Supplement(pdf, outline, [i for i in shown if i.attachments])


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


def _agenda_outline(agenda: Path, manifest: Manifest) -> tuple[str, list[tuple[str, int]]]:
    """The agenda PDF's title and item bookmarks: recorded when it was made, else read."""
    entry = manifest.entry(agenda)
    if entry is not None and "bogmaerker" in entry.extra:
        marks = [(str(t), int(p)) for t, p in entry.extra["bogmaerker"]]
        return str(entry.extra.get("titel", "")), marks
    info = read_pdf(agenda)
    return info.title, [(e.title, e.page) for e in info.outline]
