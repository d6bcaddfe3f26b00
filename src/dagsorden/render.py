"""Render a context into a Word document with docxtpl, safely.

Autoescape is on (docxtpl's default silently drops text after '&' or '<'), undefined names are
errors, and the Jinja environment is sandboxed and bounded because templates belong to the
secretary (`_sandbox`). A broken template is reported with the template's name and the
paragraph it broke in (`_docx_template`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from ._docx_template import fill, open_template
from ._reproducible import build_time, normalise_zip
from ._templates import builtin_template, find_template
from .errors import DagsordenError, cannot_write
from .pictures import verify_pictures

__all__ = [
    "builtin_template",
    "find_template",
    "put_in_place",
    "render_document",
    "save_documents",
    "write_temporary",
]


def render_document(
    template: Path,
    context: dict[str, Any],
    *,
    title: str,
    shown_name: str | None = None,
    when: dt.datetime | None = None,
    root: Path | None = None,
) -> Any:
    """Render `template` with `context`; the document is returned, not yet written.

    `when` is the time the package's properties give (default: `SOURCE_DATE_EPOCH`, else a
    fixed time), never the clock: the same data must give the same bytes. Pictures come from
    the project folder `root`, and must be the files the context was made with.

    A template that is not a usable Word file, or that fails or goes past a limit while it is
    filled in, raises TemplateError naming the template and the paragraph, in Danish.
    """
    shown = shown_name or str(template)
    if root is not None:
        verify_pictures(context, root)
    document = fill(open_template(template, shown), context, shown, root)
    _restart_numbered_lists(document)
    _set_properties(document, title, when or build_time(None))
    _clean_package(document)
    return document


def _restart_numbered_lists(document: Any) -> None:
    """Give every run of 'List Number' paragraphs its own numbering, so each list starts at 1.

    Word continues one numbering through the whole document otherwise (4, 5, 6 in the
    second list). Each list gets a new w:num on the style's abstract numbering with a start
    override, which is how Word itself restarts a list.
    """
    try:
        style = document.styles["List Number"]
    except KeyError:
        return
    body = document.element.body
    style_path = f"{_P_STYLE}[@{qn('w:val')}='{style.style_id}']"
    if body.find(f"{qn('w:p')}/{style_path}") is None:
        return
    num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        return
    numbering = document.part.numbering_part.element
    abstract_id = next(
        (n.abstractNumId.val for n in numbering.num_lst if n.numId == num_pr.numId.val), None
    )
    if abstract_id is None:
        return
    current = None
    for paragraph in body.iterchildren(qn("w:p")):
        if paragraph.find(style_path) is None:
            current = None
            continue
        if current is None:
            num = numbering.add_num(abstract_id)
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            current = num.numId
        p_num = paragraph.get_or_add_pPr().get_or_add_numPr()
        p_num.get_or_add_ilvl().val = 0
        p_num.get_or_add_numId().val = current


_P_STYLE = f"{qn('w:pPr')}/{qn('w:pStyle')}"


def _set_properties(document: Any, title: str, when: dt.datetime) -> None:
    """Properties carry the title and the language, nothing of the machine or the user, and
    a time from the data, not the clock."""
    props = document.core_properties
    props.title = title
    props.language = "da-DK"
    props.author = ""
    props.last_modified_by = ""
    props.subject = ""
    props.keywords = ""
    props.comments = ""
    props.category = ""
    stamp = when.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = stamp
    props.modified = stamp
    props.revision = 1


_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>dagsorden</Application><DocSecurity>0</DocSecurity></Properties>"
)
_DROPPED = ("custom-properties", "thumbnail")


def _clean_package(document: Any) -> None:
    """Leave nothing of the template's author, machine or history in the output's properties.

    A template saved by Word carries the company, the manager, the path of the template it
    was made from and custom properties; none of it belongs in a published document.
    """
    package = document.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype.endswith(_DROPPED):
            package.rels.pop(r_id)
        elif rel.reltype.endswith("extended-properties"):
            rel.target_part._blob = _APP_XML
    settings = document.settings.element
    for attached in settings.findall(qn("w:attachedTemplate")):
        r_id = attached.get(qn("r:id"))
        settings.remove(attached)
        if r_id in document.settings.part.rels:
            document.settings.part.rels.pop(r_id)


def save_documents(documents: list[tuple[Any, Path]]) -> None:
    """Write every document, or none: each goes to a temporary file beside its target, and only
    when all are written are they renamed into place. A crash never leaves half a document."""
    written: list[tuple[Path, Path]] = []
    try:
        for document, output in documents:
            written.append((write_temporary(document, output), output))
        put_in_place(written)
    finally:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)


def write_temporary(document: Any, output: Path) -> Path:
    """Write `document` to a new hidden file beside `output`, for `put_in_place` to rename.

    The caller removes it if the rename never comes.
    """
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    except OSError as exc:
        raise _write_error(output, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_package_bytes(document))
        # mkstemp makes the file private; a document is for colleagues on the share too.
        os.chmod(tmp, 0o666 & ~_UMASK)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _package_bytes(document: Any) -> bytes:
    """The saved package with fixed zip entry times: those of its own properties."""
    buffer = io.BytesIO()
    document.save(buffer)
    modified = document.core_properties.modified
    when = modified.replace(tzinfo=dt.UTC) if modified is not None else build_time(None)
    return normalise_zip(buffer.getvalue(), when)


def put_in_place(written: list[tuple[Path, Path]]) -> None:
    """Rename each (temporary, target) pair of `write_temporary` into place."""
    for temporary, target in written:
        try:
            os.replace(temporary, target)
        except OSError as exc:
            raise _write_error(target, exc) from exc


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _write_error(output: Path, exc: OSError) -> DagsordenError:
    return DagsordenError(cannot_write(output, exc))
