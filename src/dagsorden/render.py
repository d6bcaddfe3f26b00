"""Render a context into a Word document with docxtpl, safely.

Autoescape is on (docxtpl's default silently drops text after '&' or '<'), undefined names are
errors, and the Jinja environment is sandboxed because templates belong to the secretary. A
broken template is reported with the template's name and the paragraph it broke in.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate, RichText
from jinja2.sandbox import SandboxedEnvironment

from ._reproducible import build_time, normalise_zip
from .errors import DagsordenError, TemplateError, cannot_write

__all__ = [
    "builtin_template",
    "find_template",
    "put_in_place",
    "render_document",
    "save_documents",
    "write_temporary",
]


def builtin_template(name: str) -> Path:
    return Path(str(files("dagsorden") / "templates" / name))


def find_template(project_root: Path, name: str) -> Path:
    """The project's own template if it has one, else the built-in one."""
    own = project_root / "templates" / name
    return own if own.is_file() else builtin_template(name)


def render_document(
    template: Path,
    context: dict[str, Any],
    *,
    title: str,
    shown_name: str | None = None,
    when: dt.datetime | None = None,
) -> Any:
    """Render `template` with `context`; the document is returned, not yet written.

    `when` is the time the package's properties give (default: `SOURCE_DATE_EPOCH`, else a
    fixed time), never the clock: the same data must give the same bytes.
    """
    shown = shown_name or str(template)
    try:
        tpl = _Template(str(template))
        tpl.render_init()
    except Exception as exc:  # docx/zip/xml errors of an unreadable template
        raise TemplateError(
            f"{shown}: fejl: skabelonen kan ikke åbnes som Word-dokument ({exc})"
        ) from exc
    try:
        tpl.render(context, _environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(_describe(shown, tpl, exc)) from exc
    _restart_numbered_lists(tpl.docx)
    _set_properties(tpl.docx, title, when or build_time(None))
    _clean_package(tpl.docx)
    return tpl.docx


# A w:t holding a tab, line break, paragraph or page mark that docxtpl must turn into Word XML.
_NEEDS_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\x07\x0c]")


class _Template(DocxTemplate):  # type: ignore[misc]
    def resolve_listing(self, xml: str) -> str:
        # docxtpl runs a regex pass over every run of the document for the rare text that
        # holds such marks; skipping it when none is there halves the render time.
        return super().resolve_listing(xml) if _NEEDS_LISTING.search(xml) else xml


class _Environment(SandboxedEnvironment):
    """The sandbox, remembering compiled parts: every edition of every document of a build
    uses the same template parts, and compiling them is a third of the render time."""

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self.filters["rich"] = _rich
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) > 64:  # a long-lived process with many templates
                self._compiled.clear()
            template = self._compiled[source] = super().from_string(source)
        return template


@cache
def _environment() -> _Environment:
    return _Environment()


def _rich(runs: Iterable[dict[str, Any]]) -> RichText:
    text = RichText()
    for run in runs:
        text.add(run["text"], bold=run["bold"] or None, italic=run["italic"] or None)
    return text


_MESSAGES = [
    (
        re.compile(r"'(\w+) object' has no attribute '([^']+)'"),
        "feltet '{1}' findes ikke i konteksten",
    ),
    (re.compile(r"'([^']+)' is undefined"), "'{0}' findes ikke i konteksten"),
    (
        re.compile(r"Unexpected end of template.*'(\w+)'", re.S),
        "et mærke er ikke lukket (mangler {{% {0} %}})",
    ),
    (re.compile(r"unexpected end of template", re.I), "et mærke er ikke lukket"),
    (re.compile(r"Encountered unknown tag '([^']+)'"), "ukendt eller uventet mærke '{0}'"),
    (re.compile(r"unexpected '([^']+)'"), "uventet '{0}' i et mærke"),
    (re.compile(r"expected token '([^']+)', got '([^']+)'"), "forventede '{0}', men fandt '{1}'"),
    (re.compile(r"no filter named '([^']+)'"), "ukendt filter '{0}'"),
    (
        re.compile(r"access to attribute '([^']+)'.*unsafe"),
        "adgang til '{0}' er ikke tilladt i en skabelon",
    ),
]


def _describe(shown: str, tpl: DocxTemplate, exc: jinja2.TemplateError) -> str:
    message = str(exc.message or exc)
    for pattern, danish in _MESSAGES:
        m = pattern.search(message)
        if m:
            message = danish.format(*m.groups())
            break
    else:
        message = f"skabelonfejl ({message})"
    part = getattr(tpl, "current_rendering_part", None)
    partname = str(getattr(part, "partname", "/word/document.xml"))
    where = {"header": "i sidehovedet", "footer": "i sidefoden"}.get(
        re.sub(r"\d*\.xml$", "", partname.rsplit("/", 1)[-1]), ""
    )
    lineno = getattr(exc, "lineno", None) or _template_line(sys.exc_info()[2])
    paragraph = _paragraph_text(tpl, part, lineno) if lineno else ""
    if paragraph:
        where = f"{where} i afsnittet «{paragraph[:70]}»".strip()
    return f"{shown}: {where}: fejl: {message}" if where else f"{shown}: fejl: {message}"


def _paragraph_text(tpl: DocxTemplate, part: Any, lineno: int) -> str:
    """The text of the template paragraph a Jinja line number points at.

    docxtpl puts every paragraph of the part on a line of its own before Jinja sees it, so a
    line number is a paragraph; the secretary finds it in Word by its text.
    """
    try:
        xml = tpl.get_xml() if part is None or part is tpl.docx._part else tpl.get_part_xml(part)
        lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml)).splitlines()
    except Exception:  # the description is best effort; the error itself is what matters
        return ""
    if not 0 < lineno <= len(lines):
        return ""
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
    # Control tags of the paragraphs docxtpl removed stick to the line; show the paragraph's own.
    return re.sub(r"\{%.*?%\}", "", text).strip() or text


def _template_line(tb: TracebackType | None) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


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
