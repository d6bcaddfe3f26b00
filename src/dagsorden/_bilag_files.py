"""Is a bilag file what its name says, whole? Checked by `tjek`, before any document is made.

A bilag that fails only when the packet is made would stop a build half way, with a message
far from the line that names the file. So each file is opened here as its type: an Office
Open XML file (.docx .xlsx .pptx) is a zip whose every entry unpacks (a truncated copy does
not) and which holds its application's main part (word/document.xml for a Word document); an
OpenDocument file names its own type in its `mimetype` entry and has its content.xml; a PDF
parses with pypdf in strict mode, which refuses what pypdf would otherwise repair quietly,
and every page's content unpacks. The older binary types and RTF are recognised by their first
bytes. pypdf's own warnings (English, on stderr) are silenced: the answer is a Danish sentence.
"""

from __future__ import annotations

import logging
import posixpath
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

__all__ = ["CHECK_VERSION", "CONVERTIBLE", "file_problem", "silence_pypdf"]

# Bilag file types the agenda packet takes: PDF as is, the rest through LibreOffice.
CONVERTIBLE = (".docx", ".doc", ".odt", ".rtf", ".xlsx", ".xls", ".ods", ".pptx", ".ppt", ".odp")
# Part of the key under which the store remembers a file's answer: a new check, a new answer.
CHECK_VERSION = 2

_OLE = (".doc", ".xls", ".ppt")
# Office Open XML: what the file is called in Danish, and its usual main part (the part its
# _rels/.rels names may have another name, but lies in the same folder).
_OOXML = {
    ".docx": ("et Word-dokument", "word/document.xml"),
    ".xlsx": ("et regneark", "xl/workbook.xml"),
    ".pptx": ("en præsentation", "ppt/presentation.xml"),
}
# OpenDocument: what it is called, and the mimetype entry it must carry.
_ODF = {
    ".odt": ("et tekstdokument", "application/vnd.oasis.opendocument.text"),
    ".ods": ("et regneark", "application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": ("en præsentation", "application/vnd.oasis.opendocument.presentation"),
}
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",  # strict OOXML
)
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def file_problem(path: Path) -> str | None:
    """Why a bilag file cannot go into the packet, in Danish; None when it can."""
    suffix = path.suffix.lower()
    if suffix != ".pdf" and suffix not in CONVERTIBLE:
        known = ", ".join((".pdf", *CONVERTIBLE))
        return f"bilagsfilen har en type, der ikke kan komme i bilagspakken (kendte: {known})"
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except PermissionError:
        return "bilagsfilen kan ikke læses: du har ikke adgang til den"
    except OSError:
        return "bilagsfilen kan ikke læses"
    if suffix == ".pdf":
        if not head.startswith(b"%PDF-"):
            return "bilagsfilen hedder .pdf, men er ikke en PDF"
        return _pdf_problem(path)
    if suffix in _OOXML or suffix in _ODF:
        if not head.startswith(b"PK\x03\x04"):
            return f"bilagsfilen hedder {suffix}, men er ikke en {suffix}-fil"
        return _package_problem(path, suffix)
    if suffix in _OLE and not head.startswith(b"\xd0\xcf\x11\xe0"):
        return f"bilagsfilen hedder {suffix}, men er ikke en {suffix}-fil"
    if suffix == ".rtf" and not head.startswith(b"{\\rtf"):
        return "bilagsfilen hedder .rtf, men er ikke en RTF-fil"
    return None


def _damaged(suffix: str) -> str:
    return (
        f"bilagsfilen er en beskadiget {suffix}-fil (afkortet eller ødelagt);"
        " gem den igen fra det program, den er lavet i"
    )


def _package_problem(path: Path, suffix: str) -> str | None:
    """A zip of the right kind, every entry whole."""
    try:
        with zipfile.ZipFile(path) as package:
            if package.testzip() is not None:  # an entry whose bytes do not unpack
                return _damaged(suffix)
            names = set(package.namelist())
            if suffix in _ODF:
                what, mimetype = _ODF[suffix]
                found = package.read("mimetype") if "mimetype" in names else b""
                if found.decode("ascii", "replace").strip() != mimetype or (
                    "content.xml" not in names
                ):
                    return f"bilagsfilen hedder {suffix}, men er ikke {what} ({suffix})"
                return None if _well_formed(package, "content.xml") else _damaged(suffix)
            what, usual = _OOXML[suffix]
            main = _ooxml_main_part(package, names)
            if main is None or not main.startswith(usual.split("/")[0] + "/"):
                return f"bilagsfilen hedder {suffix}, men er ikke {what} ({usual} mangler i filen)"
            if not (_well_formed(package, "[Content_Types].xml") and _well_formed(package, main)):
                return _damaged(suffix)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        return _damaged(suffix)
    except OSError:
        return "bilagsfilen kan ikke læses"
    return None


def _ooxml_main_part(package: zipfile.ZipFile, names: set[str]) -> str | None:
    """The package's main part, as its _rels/.rels names it (word/document.xml in Word's)."""
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        return None
    try:
        relationships = ElementTree.fromstring(package.read("_rels/.rels"))
    except ElementTree.ParseError:
        return None
    for relationship in relationships.iter(_RELATIONSHIP):
        if relationship.get("Type") in _OFFICE_DOCUMENT:
            target = posixpath.normpath(relationship.get("Target", "").lstrip("/"))
            return target if target in names else None
    return None


def _well_formed(package: zipfile.ZipFile, name: str) -> bool:
    """The part is XML a reader can parse (a Word document whose text is cut is not)."""
    parser = expat.ParserCreate()
    try:
        with package.open(name) as part:
            parser.ParseFile(part)
    except expat.ExpatError:
        return False
    return True


def _pdf_problem(path: Path) -> str | None:
    """A PDF that parses strictly (nothing repaired), with pages whose content unpacks."""
    from pypdf import PdfReader  # here: `tjek` imports this module, and most runs need no pypdf

    try:
        reader = PdfReader(path, strict=True)
        if reader.is_encrypted:
            return "bilagsfilen er en krypteret PDF; gem den uden adgangskode"
        if len(reader.pages) == 0:
            return "bilagsfilen er en PDF uden sider"
        for page in reader.pages:
            page.get_contents()
    except Exception:  # pypdf raises many kinds on a damaged file
        return "bilagsfilen er en beskadiget PDF"
    return None


def silence_pypdf() -> None:
    """Keep pypdf's log lines (English, such as "EOF marker not found") from the user.

    pypdf logs what it repairs or skips; with no handler, Python prints such a line on stderr.
    Our callers say what matters in Danish instead. pypdf warns through `warnings` only about
    deprecated calls, which are ours to fix, not the user's.
    """
    logger = logging.getLogger("pypdf")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.propagate = False


silence_pypdf()
