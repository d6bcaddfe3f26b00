"""A Word template opened and filled in safely: every fault a Danish sentence at its place.

The place is what the secretary sees in Word: the template file, the part (body, header,
footer, footnotes, document properties) and the text of the paragraph. docxtpl puts every
paragraph of a part on a line of its own before Jinja sees it, so Jinja's line number is a
paragraph; a `{%p … %}` paragraph is replaced by its bare tag at the end of the line before, so
a fault in such a tag is shown as the tag itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from ._docx_file import diagnosis, unusable
from ._filters import FILTERS
from ._sandbox import LimitExceeded, Refused, Sandbox, limits
from ._template_messages import danish
from ._word_blocks import picture, rendering, rich, table
from .errors import Location, Problem, Severity, TemplateError

__all__ = ["PROPERTIES", "Template", "TemplateFault", "environment", "fill", "open_template"]

# The document properties docxtpl fills in as templates too.
PROPERTIES = {
    "author": "Forfatter",
    "comments": "Kommentarer",
    "identifier": "Id",
    "language": "Sprog",
    "subject": "Emne",
    "title": "Titel",
}
_CANNOT_OPEN = "skabelonen kan ikke åbnes som Word-dokument"
_BROKEN_RESULT = (
    "den udfyldte skabelon er ikke et gyldigt Word-dokument (begynder et {% if %} eller"
    " {% for %} i ét afsnit eller én tabelcelle og slutter i en anden?)"
)


class TemplateFault(TemplateError):
    """A template fault with its place, as the problem `tjek` lists and the text `byg` shows."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _fault(shown: str, where: str, message: str) -> TemplateFault:
    location = Location(f"{shown}: {where}" if where else shown)
    return TemplateFault(Problem(Severity.ERROR, location, message))


@cache
def environment() -> Sandbox:
    sandbox = Sandbox()
    sandbox.filters["rich"] = rich
    sandbox.filters["table"] = table
    sandbox.filters["picture"] = picture
    sandbox.filters.update(FILTERS)  # Danish dates and lists (dato, opremsning)
    return sandbox


# --------------------------------------------------------------------------------------------
# Opening
# --------------------------------------------------------------------------------------------


def open_template(path: Path, shown: str) -> Template:
    """The template at `path`, or TemplateFault saying in Danish why it is not a usable .docx.

    The file is looked at before any library opens it (`_docx_file`): a directory would be
    read as an unpacked package, a named pipe would block for ever.
    """
    reason = unusable(path)
    if reason is None:
        try:
            template = Template(str(path))
            template.render_init()
            return template
        except Exception as exc:  # docx, zip and XML errors of a damaged file
            reason = diagnosis(path, exc)
    raise _fault(shown, "", f"{_CANNOT_OPEN}: {reason}")


# --------------------------------------------------------------------------------------------
# Filling in
# --------------------------------------------------------------------------------------------


class Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template, remembering which part and source it is rendering, so a fault can
    be placed."""

    # The part being rendered, the source Jinja compiles for it and the context.
    _source: tuple[Any, str, Any] = (None, "", None)

    def resolve_listing(self, xml: str) -> str:
        # docxtpl runs a regex pass over every run of the document for the rare text that
        # holds such marks; skipping it when none is there halves the render time.
        return super().resolve_listing(xml) if _NEEDS_LISTING.search(xml) else xml

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> Any:
        self._source = (part, _lines(src_xml), context)
        return super().render_xml_part(src_xml, part, context, jinja_env)

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        properties = self.docx.core_properties
        for name in PROPERTIES:
            source = getattr(properties, name)
            self._source = (name, source, context)
            setattr(properties, name, jinja_env.from_string(source).render(context))

    def fix_tables(self, xml: str) -> Any:
        # docxtpl reads the rendered body leniently, dropping what does not parse: a template
        # whose tags cut through the document's structure would lose text without a word. So
        # it is read strictly here; only a body with tables needs docxtpl's own pass (which
        # reads it again) to fix their column grids.
        try:
            tree = etree.fromstring(xml, etree.XMLParser())
        except etree.XMLSyntaxError as exc:
            raise Refused(_BROKEN_RESULT) from exc
        return super().fix_tables(xml) if "<w:tbl>" in xml or "<w:tbl " in xml else tree

    def sources(self) -> Iterator[tuple[Any, str]]:
        """Every part docxtpl renders, with the text Jinja compiles for it."""
        yield self.docx._part, _lines(self.patch_xml(self.get_xml()))
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            for _, part in self.get_headers_footers(uri):
                yield part, _lines(self.patch_xml(self.get_part_xml(part)))
        for part in self.docx.part.package.parts:
            if part.content_type.endswith("footnotes+xml"):
                yield part, _lines(self.patch_xml(part.blob.decode("utf-8")))
        for name in PROPERTIES:
            yield name, getattr(self.docx.core_properties, name)

    def fault(
        self, shown: str, exc: BaseException, part: Any, source: str, context: Any = None
    ) -> TemplateFault:
        if isinstance(exc, jinja2.TemplateSyntaxError) and not isinstance(part, str):
            # A tag left open runs on into the next paragraphs, where docxtpl and Jinja meet
            # it as something else: the paragraph it starts in is the place to show.
            unclosed = _open_tag(self, part)
            if unclosed is not None:
                paragraph, closing = unclosed
                where = _part_name(part)
                where = f"{where} i afsnittet «{_short(paragraph)}»".strip()
                return _fault(shown, where, f"et mærke bliver ikke lukket (der mangler {closing})")
        message = _BROKEN_RESULT if isinstance(exc, etree.XMLSyntaxError) else danish(exc)
        return _fault(shown, _where(self, part, source, exc, context), message)


# A w:t holding a tab, line break, paragraph or page mark that docxtpl must turn into Word XML.
_NEEDS_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\x07\x0c]")


def _lines(xml: str) -> str:
    # As docxtpl's render_xml_part: every paragraph on a line of its own.
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def fill(template: Template, context: dict[str, Any], shown: str, root: Path | None = None) -> Any:
    """Render `template` with `context` within the sandbox's limits; the python-docx document,
    or TemplateFault at the fault's place. Pictures are read from the project folder `root`
    (without one, as for `tjek`'s sample, a picture shows its alt text)."""
    try:
        with limits(), rendering(template, root):
            template.render(context, environment(), autoescape=True)
    except Exception as exc:  # every fault of a template, whatever raised it
        part, source, context = template._source
        raise template.fault(shown, exc, part, source, context) from exc
    return template.docx


def compile_parts(template: Template, shown: str) -> list[Problem]:
    """Compile every part of `template` (what `tjek` does before it renders a sample)."""
    problems = []
    for part, source in template.sources():
        try:
            environment().from_string(source)
        except Exception as exc:
            problems.append(template.fault(shown, exc, part, source).problem)
    return problems


# --------------------------------------------------------------------------------------------
# The place of a fault
# --------------------------------------------------------------------------------------------


def _where(template: Template, part: Any, source: str, exc: BaseException, context: Any) -> str:
    if isinstance(part, str):  # a document property: its text is the place
        return f"i dokumentegenskaben '{PROPERTIES[part]}' «{_short(source)}»"
    where = _part_name(part)
    tag = None
    lineno: int | None
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        lineno, tag = _tag_line(source, exc)
    else:
        lineno = getattr(exc, "lineno", None) or _template_line(exc.__traceback__)
        if lineno and context is not None and _rerun_tells(exc) and _tags_on(source, lineno) > 1:
            lineno, tag = _tag_line(source, exc, context, lineno)
    shown = _paragraph(template, part, source, lineno, tag, exc) if lineno else ""
    if shown:
        where = f"{where} i afsnittet «{shown}»".strip()
    return where


def _part_name(part: Any) -> str:
    partname = str(getattr(part, "partname", "/word/document.xml")).rsplit("/", 1)[-1]
    return {"header": "i sidehovedet", "footer": "i sidefoden", "footnotes": "i fodnoterne"}.get(
        re.sub(r"\d*\.xml$", "", partname), ""
    )


_CLOSING = {"{{": "}}", "{%": "%}", "{#": "#}"}
_DELIMITER = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")


def _open_tag(template: Template, part: Any) -> tuple[str, str] | None:
    """The first paragraph of `part` with a tag that is not closed within it, and the closing
    mark it lacks."""
    for paragraph in _written_paragraphs(template, part):
        expected = None
        for m in _DELIMITER.finditer(paragraph):
            if m[0] in _CLOSING:
                if expected is not None:
                    return paragraph, expected
                expected = _CLOSING[m[0]]
            elif m[0] == expected:
                expected = None
        if expected is not None:
            return paragraph, expected
    return None


def _template_line(tb: TracebackType | None) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_TAG_START = re.compile(r"\{\{|\{%")
_MARK = "{#\n#}"


def _rerun_tells(exc: BaseException) -> bool:
    # Running out of steps, time or stack again would only cost the time once more.
    return not isinstance(exc, (LimitExceeded, RecursionError, MemoryError))


def _tags_on(source: str, lineno: int) -> int:
    lines = source.split("\n")
    return len(_TAG_START.findall(lines[lineno - 1])) if 0 < lineno <= len(lines) else 0


def _tag_line(
    source: str, exc: BaseException, context: Any = None, lineno: int | None = None
) -> tuple[int | None, str | None]:
    """The line and the tag a fault is in, when a line holds several tags: the source is
    compiled (for a syntax error) or run (with the same context) again with every tag on a
    line of its own (a comment holding a line break before each), which only moves line
    numbers. An unclosed block is placed at the tag that opens it."""
    marked = _TAG_START.sub(lambda m: _MARK + m[0], source)
    lines = marked.split("\n")
    found = None
    if context is not None:
        try:
            with limits():
                environment().from_string(marked, globals={}).render(context)
        except Exception as again:  # the same fault, now on the line of its own tag
            if type(again) is type(exc):
                found = _template_line(again.__traceback__)
    else:
        lineno = getattr(exc, "lineno", None)
        if "nexpected end of template" in str(getattr(exc, "message", "")):
            found = _unclosed(marked)
        if found is None:
            try:
                environment().compile(marked)
            except jinja2.TemplateSyntaxError as again:
                if type(again) is type(exc) and again.lineno:
                    found = again.lineno
    if found is None or not 0 < found <= len(lines):
        return lineno, None
    lineno = found
    original = lineno - sum(1 for line in lines[: lineno - 1] if line.endswith("{#"))
    m = re.match(r"#\}(\{\{.*?\}\}|\{%.*?%\})", lines[lineno - 1])
    return original, m[1] if m else None


_OPENERS = {"for", "if", "macro", "call", "filter", "with", "block", "raw", "set", "trans"}


def _unclosed(source: str) -> int | None:
    """The line of the innermost block tag that is never closed."""
    stack: list[tuple[str, int]] = []
    try:
        tokens = [t for t in environment().lex(source) if t[1] != "whitespace"]
    except jinja2.TemplateSyntaxError:
        return None
    for i, (lineno, kind, value) in enumerate(tokens):
        if kind != "name" or i == 0 or tokens[i - 1][1] != "block_begin":
            continue
        if value in _OPENERS and not (value == "set" and _is_plain_set(tokens, i)):
            stack.append((value, lineno))
        elif value.startswith("end"):
            for j in range(len(stack) - 1, -1, -1):
                if stack[j][0] == value[3:]:
                    del stack[j:]
                    break
    return stack[-1][1] if stack else None


def _is_plain_set(tokens: list[tuple[int, str, str]], i: int) -> bool:
    """`{% set x = … %}` (no end tag), not `{% set x %}…{% endset %}`."""
    for _, kind, _ in tokens[i + 1 :]:
        if kind == "block_end":
            return False
        if kind == "operator" and _ == "=":
            return True
    return False


def _paragraph(
    template: Template,
    part: Any,
    source: str,
    lineno: int,
    tag: str | None,
    exc: BaseException,
) -> str:
    """The paragraph (or bare tag) the secretary finds in Word at Jinja's line `lineno`."""
    lines = source.split("\n")
    if not 0 < lineno <= len(lines):
        return ""
    line = lines[lineno - 1]
    own, end, tail = line.rpartition("</w:p>")
    own_text = _text(own + end) if end else _text(tail)
    tail_tags = [_original(template, part, t) for t in _TAG.findall(_text(tail))] if end else []
    if tag is not None and end and tag in _text(tail):
        shown = _original(template, part, tag)
    elif tag is not None:
        shown = own_text
    elif tail_tags and not _TAG.search(own_text):
        shown = " ".join(tail_tags)
    elif tail_tags:
        name = _MISSING.search(str(getattr(exc, "message", "") or ""))
        chosen = [t for t in [own_text, *tail_tags] if name and (name[1] or name[2]) in t]
        shown = chosen[0] if chosen else " ".join([own_text, *tail_tags])
    else:
        shown = own_text
    if shown != own_text and own_text and shown.startswith("{%"):
        # A bare tag such as {%p endfor %} is in the template many times: say what it follows.
        return f"{_short(shown)}» efter «{_short(own_text)}"
    return _short(shown)


_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")
# The name an UndefinedError is about.
_MISSING = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


def _text(xml: str) -> str:
    # Only XML's own tags: a '<' in a tag such as {{ a < 1 }} is the secretary's.
    text = re.sub(r"</?[A-Za-z][^>]*>", "", xml.replace("<w:tab/>", " "))
    return html.unescape(text).strip()


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


def _original(template: Template, part: Any, tag: str) -> str:
    """A bare `{% … %}` as the secretary wrote it: `{%p … %}` when a paragraph held it."""
    inner = tag[2:-2].strip()
    for written in _written_tags(template, part):
        m = re.fullmatch(r"\{%\s*(p|tr|tc)\s+(.*?)\s*%\}", written)
        if m and " ".join(m[2].split()) == " ".join(inner.split()):
            return written
    return tag


def _written_tags(template: Template, part: Any) -> list[str]:
    return [t for p in _written_paragraphs(template, part) for t in re.findall(r"\{%.*?%\}", p)]


def _written_paragraphs(template: Template, part: Any) -> list[str]:
    """The text of every paragraph of `part` as the secretary wrote it."""
    try:
        xml = template.get_xml() if part is template.docx._part else template.get_part_xml(part)
    except Exception:  # best effort: the description is shown without it
        return []
    return [_text(p) for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)]
