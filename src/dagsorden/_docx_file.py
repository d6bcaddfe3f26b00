"""Whether a file is a usable Word document, and if not, why: said in Danish.

A template path may hold anything: a folder, a link in a ring, an empty file, an old .doc, a
.dotx, a zip without a document, broken XML. python-docx and zipfile say so in English and in
their own terms ("Package not found", "There is no item named 'word/document.xml'"), and some
things they should never be given at all (a folder is read as an unpacked package, a named pipe
blocks for ever). So the file is looked at first, and a file the library refuses is examined to
tell the secretary what is wrong with it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import zipfile
from pathlib import Path

from lxml import etree

__all__ = ["MAX_UNPACKED", "diagnosis", "unusable"]

# A template is a few hundred kilobytes; one that unpacks to more is not a template.
MAX_UNPACKED = 100 * 1024 * 1024


def unusable(path: Path) -> str | None:
    """Why the file at `path` cannot be a template, found without a library reading it; None
    when it may be one."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return {
            errno.ELOOP: "linket peger i ring",
            errno.ENOENT: "linket peger på en fil, der ikke findes",
            errno.EACCES: "du har ikke adgang til at læse den",
        }.get(exc.errno or 0, "filen kan ikke læses")
    if stat.S_ISDIR(info.st_mode):
        return "det er en mappe, ikke en fil"
    if not stat.S_ISREG(info.st_mode):
        return "det er ikke en almindelig fil"
    if info.st_size == 0:
        return "filen er tom"
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
        if not zipfile.is_zipfile(path):
            if start.startswith(b"\xd0\xcf\x11\xe0"):
                return "det er et ældre Word-dokument (.doc); gem det i Word som .docx"
            return "filen er ikke et Word-dokument (.docx)"
        with zipfile.ZipFile(path) as package:
            if sum(i.file_size for i in package.infolist()) > MAX_UNPACKED:
                return f"den fylder over {MAX_UNPACKED // 1024 // 1024} MB udpakket"
    except PermissionError:
        return "du har ikke adgang til at læse den"
    except (OSError, zipfile.BadZipFile):
        return "filen er beskadiget (zip-pakken kan ikke læses)"
    return None


_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def diagnosis(path: Path, exc: Exception) -> str:
    """Why python-docx could not open a file that is a zip package (`exc`), in Danish."""
    kind = re.search(r"content type is '([^']+)'", str(exc))
    if kind is not None:
        if "template" in kind[1]:
            return "det er en Word-skabelon (.dotx); gem den i Word som Word-dokument (.docx)"
        if "macroEnabled" in kind[1]:
            return "det er et Word-dokument med makroer (.docm); gem den som Word-dokument (.docx)"
        return "pakken er ikke et Word-dokument (.docx), men en anden slags Office-fil"
    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            types = _read(package, "[Content_Types].xml") if "[Content_Types].xml" in names else ""
            if _MAIN not in types:
                return "zip-pakken indeholder intet Word-dokument"
            for name in names:
                if name.endswith((".xml", ".rels")):
                    broken = _broken_xml(package, name)
                    if broken:
                        return broken
            if "word/document.xml" not in names and isinstance(exc, KeyError):
                return "zip-pakken indeholder intet Word-dokument (word/document.xml mangler)"
    except Exception:  # zipfile, zlib and lzma each have their own errors for damaged data
        return "filen er beskadiget (zip-pakken kan ikke læses)"
    if isinstance(exc, KeyError):
        return "zip-pakken mangler en del, som Word-dokumentet henviser til"
    return "filen kan ikke læses som Word-dokument"


def _read(package: zipfile.ZipFile, name: str) -> str:
    return package.read(name).decode("utf-8", "replace")


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _broken_xml(package: zipfile.ZipFile, name: str) -> str | None:
    try:
        etree.fromstring(package.read(name), _PARSER)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        return (
            f"XML'en i {name} er i stykker (linje {line}, kolonne {column});"
            " åbn filen i Word, og gem den igen"
        )
    return None
