"""PDF through real LibreOffice: the contents are right, the file is tagged PDF/A, failures are
loud and leave the previous PDF alone, and parallel converters do not lose work."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_BREAK
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from dagsorden import progress
from dagsorden.build import build
from dagsorden.pdf import (
    FILE_TYPES,
    ConversionTimeout,
    Converter,
    ConverterPool,
    LibreOfficeMissing,
    PdfError,
    PdfInfo,
    convert_documents,
)

ROOT = Path(__file__).resolve().parent.parent
MEETING = "2023-03-02-hu"

# --------------------------------------------------------------------------------------------
# Reading a PDF back: pdftotext for what a reader sees, pypdf for the structure
# --------------------------------------------------------------------------------------------

_LEADER = re.compile(r"^(.*?)\s*\.{3,}\s*(\d+)$")
_FOOTER_PAGE = re.compile(r"\bSide (\d+)$")


@functools.cache
def headings(document: Path) -> list[str]:
    """The Heading 1 paragraphs of a .docx: what the contents and the outline must list."""
    return [
        " ".join(p.text.split())
        for p in docx.Document(str(document)).paragraphs
        if p.style is not None and p.style.name == "Heading 1"
    ]


@functools.cache
def page_texts(pdf: Path) -> list[str]:
    """Each page's text, as pdftotext lays it out, whitespace runs made single spaces."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return ["\n".join(" ".join(ln.split()) for ln in page.splitlines()) for page in out.split("\f")]


def printed_numbers(pages: list[str]) -> list[int | None]:
    """The 'Side N' of each page's footer; None on the front page and the contents."""
    numbers: list[int | None] = []
    for page in pages:
        lines = [ln for ln in page.splitlines() if ln]
        found = _FOOTER_PAGE.search(lines[-1]) if lines else None
        numbers.append(int(found.group(1)) if found else None)
    return numbers


def contents(pages: list[str]) -> list[tuple[str, int]]:
    """The Indholdsfortegnelse's entries: title and page, a wrapped title joined again."""
    entries: list[tuple[str, int]] = []
    started, pending = False, ""
    for page in pages:
        for line in page.splitlines():
            if line == "Indholdsfortegnelse":
                started = True
            elif started and (found := _LEADER.match(line)):
                entries.append((f"{pending} {found.group(1)}".strip(), int(found.group(2))))
                pending = ""
            elif started and line:
                pending = f"{pending} {line}".strip()
        if started and entries:
            pending = ""  # the page's footer
        if started and any(_FOOTER_PAGE.search(ln) for ln in page.splitlines()):
            break
    return entries


def printed_page_of(title: str, pages: list[str], numbers: list[int | None]) -> int | None:
    """The printed number of the first numbered page on which `title` stands."""
    pattern = re.compile(r"(?<![\d.])" + re.escape(title))
    for page, number in zip(pages, numbers, strict=True):
        if number is not None and pattern.search(" ".join(page.split())):
            return number
    return None


def structure_roles(reader: PdfReader) -> list[str]:
    """The standard role of every element in the tag tree, in reading order."""
    catalog: Any = reader.root_object
    tree = catalog["/StructTreeRoot"].get_object()
    role_map = tree.get("/RoleMap", DictionaryObject())
    roles: list[str] = []

    def walk(kid: Any) -> None:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, ArrayObject):
            for child in kid:
                walk(child)
        elif isinstance(kid, DictionaryObject) and "/S" in kid:
            role = kid["/S"]
            roles.append(str(role_map.get(role, role)).removeprefix("/"))
            if "/K" in kid:
                walk(kid["/K"])

    walk(tree["/K"])
    return roles


def xmp(reader: PdfReader) -> dict[str, str]:
    """The XMP packet's simple properties, by prefix:name."""
    catalog: Any = reader.root_object
    packet = catalog["/Metadata"].get_object().get_data()
    root = etree.fromstring(packet)
    found: dict[str, str] = {}
    for element in root.iter():
        if not isinstance(element.tag, str) or element.text is None or not element.text.strip():
            continue
        namespace, _, name = element.tag[1:].partition("}")
        prefix = {v: k for k, v in element.nsmap.items()}.get(namespace, namespace)
        found.setdefault(f"{prefix}:{name}", element.text.strip())
    return found


def leftovers(folder: Path) -> list[str]:
    """Temporary files a conversion may have left beside its target."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def our_soffice_processes() -> list[int]:
    """soffice and worker processes started by this test run, alive or zombie: their pipe is
    named after our pid. The module's converter runs throughout; compare with a baseline."""
    mark = f"dagsorden-{os.getpid()}-".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if mark in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


# --------------------------------------------------------------------------------------------
# Fixtures: the example HU meeting, built once and converted once by one converter
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def profile_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("profilcache")


@pytest.fixture(scope="module")
def converter(profile_cache: Path) -> Iterator[Converter]:
    with Converter(profile_cache=profile_cache) as active:
        yield active


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every .docx of the meeting by name: agenda and minutes, each edition."""
    built, _ = build(ROOT, [MEETING], out=tmp_path_factory.mktemp("ud"))
    return {b.path.stem: b.path for b in built}


@pytest.fixture(scope="module")
def document(documents: dict[str, Path]) -> Path:
    """One of them, for the tests of what goes wrong."""
    return documents[min(documents)]


@pytest.fixture(scope="module")
def converted(converter: Converter, documents: dict[str, Path]) -> dict[str, PdfInfo]:
    return {
        name: converter.convert(path, path.with_suffix(".pdf")) for name, path in documents.items()
    }


def test_every_document_of_the_meeting_is_converted(
    documents: dict[str, Path], converted: dict[str, PdfInfo]
) -> None:
    assert len(documents) >= 2 and any(n.startswith("dagsorden") for n in documents)
    for name, path in documents.items():
        assert converted[name].path == path.with_suffix(".pdf")
        assert path.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")


# --------------------------------------------------------------------------------------------
# (a) The contents and the Bilagsoversigt give the page each heading stands on
# --------------------------------------------------------------------------------------------


def test_contents_give_the_page_each_item_stands_on(
    documents: dict[str, Path], converted: dict[str, PdfInfo]
) -> None:
    for name, path in documents.items():
        expected = headings(path)
        assert expected[-1] == "Bilagsoversigt" and len(expected) == 4, name  # 3 items first
        pages = page_texts(converted[name].path)
        numbers = printed_numbers(pages)
        entries = contents(pages)
        assert [title for title, _ in entries] == expected, name
        stands_on = {title: printed_page_of(title, pages, numbers) for title in expected}
        assert dict(entries) == stands_on, name
        assert [page for _, page in entries] == sorted(page for _, page in entries), name
        assert entries[0][1] == 1, name  # the first item is page 1, after front page and contents


def test_the_links_of_the_contents_lead_to_the_headings(
    documents: dict[str, Path], converted: dict[str, PdfInfo]
) -> None:
    for name in documents:
        assert _link_targets(name, documents, converted) == _heading_pages(
            name, documents, converted
        ), name


def _heading_pages(
    name: str, documents: dict[str, Path], converted: dict[str, PdfInfo]
) -> list[int]:
    """0-based PDF page of each heading, found by its text on the printed page."""
    pages = page_texts(converted[name].path)
    numbers = printed_numbers(pages)
    return [
        numbers.index(printed_page_of(title, pages, numbers)) for title in headings(documents[name])
    ]


def _link_targets(
    name: str, documents: dict[str, Path], converted: dict[str, PdfInfo]
) -> list[int | None]:
    """0-based PDF page each link on the contents page leads to, top to bottom."""
    reader = PdfReader(converted[name].path)
    pages = page_texts(converted[name].path)
    contents_page = next(i for i, text in enumerate(pages) if "Indholdsfortegnelse" in text)
    links = [
        annotation.get_object()
        for annotation in reader.pages[contents_page].get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    links.sort(key=lambda link: -float(link["/Rect"][3]))  # top to bottom, as the entries
    return [reader.get_page_number(link["/Dest"][0].get_object()) for link in links]


def test_one_bookmark_per_item_on_its_page(
    documents: dict[str, Path], converted: dict[str, PdfInfo]
) -> None:
    for name, path in documents.items():
        info = converted[name]
        pages = [p + 1 for p in _heading_pages(name, documents, converted)]
        expected = list(zip(headings(path), pages, strict=True))
        assert [(entry.title, entry.page) for entry in info.outline] == expected, name
        assert info.pages == len(PdfReader(info.path).pages) == len(page_texts(info.path)) - 1


# --------------------------------------------------------------------------------------------
# (b) Tagged PDF/A-2b with the PDF/UA flag, Danish, titled
# --------------------------------------------------------------------------------------------


def test_the_pdf_is_tagged_pdfa_and_pdfua_in_danish(
    documents: dict[str, Path], converted: dict[str, PdfInfo]
) -> None:
    for name in documents:
        _check_tagged(name, documents, converted)


def _check_tagged(name: str, documents: dict[str, Path], converted: dict[str, PdfInfo]) -> None:
    reader = PdfReader(converted[name].path)
    catalog: Any = reader.root_object
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "da-DK"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    roles = structure_roles(reader)
    assert roles[0] == "Document"
    assert roles.count("H1") == len(headings(documents[name]))
    assert "TOC" in roles and "TOCI" in roles
    metadata = xmp(reader)
    assert metadata["pdfaid:part"] == "2"
    assert metadata["pdfaid:conformance"] == "B"
    assert metadata["pdfuaid:part"] == "1"
    title = docx.Document(str(documents[name])).core_properties.title
    assert title.startswith("Hovedudvalget 02-03-2023 ")
    assert metadata["rdf:li"] == title  # dc:title
    assert reader.metadata is not None and reader.metadata.title == title
    assert converted[name].title == title


# --------------------------------------------------------------------------------------------
# (c) Failures are loud, and the previous PDF stays as it was
# --------------------------------------------------------------------------------------------


def _damaged(tmp_path: Path, good: Path, kind: str) -> Path:
    damaged = tmp_path / f"{kind}.docx"
    if kind == "ikke-zip":
        damaged.write_bytes(b"Dette er ikke et Word-dokument.\n")
        return damaged
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]  # cut off in the middle of the body
            target.writestr(item, data)
    return damaged


@pytest.mark.parametrize("kind", ["ikke-zip", "halv-document-xml"])
def test_a_damaged_document_is_an_error_and_the_previous_pdf_stays(
    kind: str, tmp_path: Path, converter: Converter, document: Path, converted: dict[str, PdfInfo]
) -> None:
    damaged = _damaged(tmp_path, document, kind)
    target = tmp_path / "referat.pdf"
    shutil.copyfile(converted[document.stem].path, target)
    before = target.read_bytes()
    with pytest.raises(PdfError) as caught:
        converter.convert(damaged, target, shown_name=f"ud/{kind}.docx")
    assert str(caught.value) == (
        f"ud/{kind}.docx: fejl: LibreOffice kan ikke åbne filen; den er beskadiget eller ikke "
        "et Word-dokument (.docx)"
    )
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_damaged_document_leaves_no_pdf(
    tmp_path: Path, converter: Converter, document: Path
) -> None:
    damaged = _damaged(tmp_path, document, "ikke-zip")
    with pytest.raises(PdfError):
        converter.convert(damaged, tmp_path / "ud" / "referat.pdf")
    assert list((tmp_path / "ud").iterdir()) == []


def test_one_failure_writes_none_of_the_pdfs(
    tmp_path: Path, converter: Converter, document: Path
) -> None:
    damaged = _damaged(tmp_path, document, "ikke-zip")
    first, second = tmp_path / "dagsorden.pdf", tmp_path / "referat.pdf"
    first.write_bytes(b"forrige dagsorden")
    second.write_bytes(b"forrige referat")
    with pytest.raises(PdfError, match=r"ikke-zip\.docx: fejl: LibreOffice kan ikke åbne"):
        convert_documents([(document, first), (damaged, second)], converter=converter)
    assert first.read_bytes() == b"forrige dagsorden"
    assert second.read_bytes() == b"forrige referat"
    assert leftovers(tmp_path) == []


def test_a_timeout_stops_libreoffice_and_the_converter_goes_on(
    tmp_path: Path, profile_cache: Path, document: Path
) -> None:
    target = tmp_path / "referat.pdf"
    target.write_bytes(b"forrige referat")
    before = set(our_soffice_processes())
    with Converter(profile_cache=profile_cache) as active:
        hung = set(our_soffice_processes()) - before
        with pytest.raises(ConversionTimeout) as caught:
            active.convert(document, target, timeout=0.001, shown_name="referat.docx")
        assert str(caught.value) == (
            "referat.docx: fejl: LibreOffice blev ikke færdig med PDF'en inden for 0.001 "
            "sekunder og er stoppet"
        )
        assert target.read_bytes() == b"forrige referat"
        assert leftovers(tmp_path) == []
        assert hung and not hung & set(our_soffice_processes())  # the hung one is gone
        info = active.convert(document, target)
    assert set(our_soffice_processes()) == before
    assert info.pages > 0 and len(info.outline) == len(headings(document))
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_crashed_libreoffice_is_started_again(
    tmp_path: Path, profile_cache: Path, document: Path
) -> None:
    before = set(our_soffice_processes())
    with Converter(profile_cache=profile_cache) as active:
        active.convert(document, tmp_path / "første.pdf")
        (crashed,) = [
            pid
            for pid in set(our_soffice_processes()) - before
            if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        os.kill(crashed, signal.SIGKILL)
        info = active.convert(document, tmp_path / "anden.pdf")
        assert crashed not in our_soffice_processes()
    assert len(info.outline) == len(headings(document))
    assert set(our_soffice_processes()) == before


def test_libreoffice_dies_with_a_killed_owner(tmp_path: Path, profile_cache: Path) -> None:
    owner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, sys; from pathlib import Path; from dagsorden.pdf import Converter; "
            "c = Converter(profile_cache=Path(sys.argv[1])); c.start(); "
            "print(os.getpid(), flush=True); sys.stdin.read()",
            str(profile_cache),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert owner.stdout is not None and owner.stdin is not None
    mark = f"dagsorden-{owner.stdout.readline().strip()}-".encode()

    def cmdline(process: Path) -> bytes:
        try:
            return (process / "cmdline").read_bytes()
        except OSError:  # the process ended between the listing and the read
            return b""

    def left() -> list[str]:
        processes = [
            p.name
            for p in Path("/proc").glob("[0-9]*")
            if mark in cmdline(p)  # the pipe name is in soffice's arguments
        ]
        return processes + [p.name for p in Path("/tmp").glob(f"OSL_PIPE_*{mark.decode()}*")]

    assert left() != []
    owner.kill()  # as a crash would: no close(), no finalizer
    owner.wait()
    owner.stdin.close()
    owner.stdout.close()
    for _ in range(50):
        if not left():
            break
        time.sleep(0.1)
    assert left() == []


def test_without_libreoffice_the_message_names_the_package(tmp_path: Path) -> None:
    with pytest.raises(LibreOfficeMissing) as caught:
        Converter(soffice=tmp_path / "soffice")
    assert str(caught.value) == (
        "LibreOffice mangler: installer pakken libreoffice-writer-nogui (make installerer den)"
    )


@pytest.mark.parametrize("python", ["findes-ikke", "uden-uno"])
def test_without_python3_uno_the_message_names_the_package(
    python: str, tmp_path: Path, profile_cache: Path, document: Path
) -> None:
    # The project's own Python has no `uno`: the worker starts and says so.
    interpreter = tmp_path / "python3" if python == "findes-ikke" else Path(sys.executable)
    with (
        pytest.raises(LibreOfficeMissing) as caught,
        Converter(python=interpreter, profile_cache=profile_cache) as active,
    ):
        active.convert(document, tmp_path / "referat.pdf")
    assert str(caught.value) == (
        "LibreOffices Python-forbindelse mangler: installer pakken python3-uno "
        "(make installerer den)"
    )
    assert not (tmp_path / "referat.pdf").exists()


# --------------------------------------------------------------------------------------------
# (d) Parallel converters each have their own profile and lose nothing
# --------------------------------------------------------------------------------------------


def test_two_converters_in_parallel_convert_everything(
    tmp_path: Path, profile_cache: Path, documents: dict[str, Path]
) -> None:
    results: dict[str, list[PdfInfo]] = {}
    errors: list[BaseException] = []
    before = set(our_soffice_processes())

    def work(worker: str) -> None:
        try:
            with Converter(profile_cache=profile_cache) as active:
                results[worker] = [
                    active.convert(path, tmp_path / worker / f"{name}.pdf")
                    for name, path in documents.items()
                ]
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for worker in ("a", "b"):
        made = sorted(p.name for p in (tmp_path / worker).iterdir())
        assert made == sorted(f"{name}.pdf" for name in documents)
        for info, path in zip(results[worker], documents.values(), strict=True):
            assert [e.title for e in info.outline] == headings(path)
            assert [title for title, _ in contents(page_texts(info.path))] == headings(path)
    assert set(our_soffice_processes()) == before  # both ended with their converters


def our_libreoffices() -> set[str]:
    """The pipe names of this test run's running LibreOffices: one per converter."""
    names = set()
    for pid in our_soffice_processes():
        with contextlib.suppress(OSError):
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            names |= set(re.findall(rf"dagsorden-{os.getpid()}-[0-9a-f]+", command))
    return names


def test_a_pool_converts_on_two_libreoffices_at_once(
    tmp_path: Path, profile_cache: Path, documents: dict[str, Path]
) -> None:
    before = our_libreoffices()
    running: list[int] = []
    jobs = [(path, tmp_path / f"{name}.pdf") for name, path in documents.items()]

    def done(pdf: Path) -> None:
        running.append(len(our_libreoffices() - before))

    with ConverterPool(2, profile_cache=profile_cache) as pool:
        infos = convert_documents(jobs, converter=pool, on_done=done)
    assert max(running) == 2  # two LibreOffices, each with its own pipe and profile
    assert [info.path for info in infos] == [pdf for _, pdf in jobs]
    for info, (path, _) in zip(infos, jobs, strict=True):
        assert [e.title for e in info.outline] == headings(path)
        assert [title for title, _ in contents(page_texts(info.path))] == headings(path)
    assert our_libreoffices() == before
    assert leftovers(tmp_path) == []


def test_one_failure_in_a_pool_writes_none_of_the_pdfs(
    tmp_path: Path, profile_cache: Path, documents: dict[str, Path], document: Path
) -> None:
    damaged = _damaged(tmp_path, document, "ikke-zip")
    jobs = [(path, tmp_path / "ud" / f"{name}.pdf") for name, path in documents.items()]
    jobs.insert(1, (damaged, tmp_path / "ud" / "ødelagt.pdf"))
    (tmp_path / "ud").mkdir()
    for _, pdf in jobs:
        pdf.write_bytes(b"forrige")
    before = set(our_soffice_processes())
    failing = pytest.raises(PdfError, match=r"ikke-zip\.docx: fejl: LibreOffice kan ikke åbne")
    with ConverterPool(2, profile_cache=profile_cache) as pool, failing:
        convert_documents(jobs, converter=pool)
    assert [pdf.read_bytes() for _, pdf in jobs] == [b"forrige"] * len(jobs)
    assert leftovers(tmp_path / "ud") == []
    assert set(our_soffice_processes()) == before


def test_a_converter_leaves_no_process_and_no_files(profile_cache: Path, document: Path) -> None:
    temporary = Path(tempfile.gettempdir())

    def folders() -> set[Path]:
        return set(temporary.glob("dagsorden-libreoffice-*"))

    before, processes = folders(), set(our_soffice_processes())
    sockets_before = set(Path("/tmp").glob("OSL_PIPE_*"))
    with Converter(profile_cache=profile_cache) as active:
        assert set(our_soffice_processes()) - processes != set()
        (folder,) = folders() - before  # the profile, LibreOffice's temporary files, logs
        active.convert(document, Path(tempfile.mkdtemp()) / "referat.pdf")
    assert set(our_soffice_processes()) == processes
    assert not folder.exists()
    # soffice's sockets are named by its pipe (after our pid) and by its profile's MD5.
    digest = hashlib.md5((folder / "profile").as_uri().encode("utf-16-le")).digest()
    single = "SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)
    sockets = [p.name for p in set(Path("/tmp").glob("OSL_PIPE_*")) - sockets_before]
    assert [name for name in sockets if f"dagsorden-{os.getpid()}-" in name or single in name] == []
    assert leftovers(document.parent) == []  # no .~lock.x.docx# beside the document


# --------------------------------------------------------------------------------------------
# The progress bar: only for a person at a terminal
# --------------------------------------------------------------------------------------------


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "ci", "shown"),
    [(True, None, True), (False, None, False), (True, "true", False), (True, "", True)],
)
def test_the_progress_bar_shows_only_on_a_terminal_outside_ci(
    tty: bool, ci: str | None, shown: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    stream = _Stream(tty)
    with progress.progress_bar(2, progress.CONVERTING, stream=stream) as advance:
        advance("dagsorden.pdf")
        advance("referat.pdf")
    text = stream.getvalue()
    assert (text != "") is shown
    assert ("Laver PDF" in text) is shown
    assert ("2/2" in text) is shown


# --------------------------------------------------------------------------------------------
# (e) Bilag of every office type the agenda packet takes, each through its application
# --------------------------------------------------------------------------------------------

# Flat-XML OpenDocument, written here as text: a one-page sheet and a presentation of two slides.
_FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:body><office:spreadsheet><table:table table:name="Budget">
  <table:table-row>
   <table:table-cell office:value-type="string"><text:p>Vejbelysning</text:p></table:table-cell>
   <table:table-cell office:value-type="float" office:value="125000"><text:p>125000</text:p>
   </table:table-cell></table:table-row>
  <table:table-row>
   <table:table-cell office:value-type="string"><text:p>Æbleplantage</text:p></table:table-cell>
   <table:table-cell office:value-type="float" office:value="4711"><text:p>4711</text:p>
   </table:table-cell></table:table-row>
 </table:table></office:spreadsheet></office:body>
</office:document>
"""
_SLIDE = """  <draw:page draw:name="{name}"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm"
   svg:height="3cm"><draw:text-box><text:p>{text}</text:p></draw:text-box></draw:frame></draw:page>
"""
_FODP = (
    """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:body><office:presentation>
"""
    + _SLIDE.format(name="Dias1", text="Første dias om vejbelysning")
    + _SLIDE.format(name="Dias2", text="Andet dias med blåbær")
    + """ </office:presentation></office:body>
</office:document>
"""
)
# Each file type, and the text each page of its PDF must hold (so also the page count).
_BILAG_PAGES = {
    "tekst": ["Bilag om vejbelysning Æbletræer og øer på side én.", "Anden side med blåbær."],
    "regneark": ["Vejbelysning 125000 Æbleplantage 4711"],
    "praesentation": ["Første dias om vejbelysning", "Andet dias med blåbær"],
}
_BILAG_TYPES = {
    ".docx": "tekst",
    ".doc": "tekst",
    ".odt": "tekst",
    ".rtf": "tekst",
    ".xlsx": "regneark",
    ".xls": "regneark",
    ".ods": "regneark",
    ".pptx": "praesentation",
    ".ppt": "praesentation",
    ".odp": "praesentation",
}
# What `soffice --convert-to` makes of each source; .xlsx with the filter that matches Excel's
# own files (LibreOffice's default writes its "Office Open XML" flavour).
_MADE_FROM = {
    "tekst.docx": ["odt", "doc", "rtf"],
    "regneark.fods": ["xlsx:Calc MS Excel 2007 XML", "xls", "ods"],
    "praesentation.fodp": ["pptx", "ppt", "odp"],
}


def _soffice_convert(source: Path, formats: list[str], profile: Path) -> None:
    for target in formats:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(source.parent),
                str(source),
            ],
            capture_output=True,
            check=True,
            timeout=60,
        )


@pytest.fixture(scope="module")
def bilag_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One small real file of every type, by extension: a .docx from python-docx, flat-XML
    OpenDocument written as text, and the rest converted from these by `soffice --convert-to`
    (one soffice per format; the three sources side by side)."""
    folder = tmp_path_factory.mktemp("bilag")
    document = docx.Document()
    document.add_heading("Bilag om vejbelysning", level=1)
    document.add_paragraph("Æbletræer og øer på side én.")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Anden side med blåbær.")
    document.save(str(folder / "tekst.docx"))
    (folder / "regneark.fods").write_text(_FODS, encoding="utf-8")
    (folder / "praesentation.fodp").write_text(_FODP, encoding="utf-8")
    profiles = tmp_path_factory.mktemp("soffice-profiler")
    with ThreadPoolExecutor(len(_MADE_FROM)) as pool:
        runs = [
            pool.submit(_soffice_convert, folder / source, formats, profiles / source)
            for source, formats in _MADE_FROM.items()
        ]
        for run in runs:
            run.result()
    files = {suffix: folder / f"{kind}{suffix}" for suffix, kind in _BILAG_TYPES.items()}
    assert [s for s, path in files.items() if not path.is_file()] == []  # soffice exits 0 anyway
    return files


def test_the_converter_takes_the_bilag_types_and_each_is_tested() -> None:
    # The agenda packet's office types (check.py's CONVERTIBLE when this was written).
    packet_types = [".docx", ".doc", ".odt", ".rtf"]
    packet_types += [".xlsx", ".xls", ".ods", ".pptx", ".ppt", ".odp"]
    assert list(FILE_TYPES) == packet_types == list(_BILAG_TYPES)


@pytest.mark.parametrize("suffix", list(_BILAG_TYPES))
def test_every_bilag_type_becomes_a_tagged_pdf_with_its_content(
    suffix: str, tmp_path: Path, converter: Converter, bilag_files: dict[str, Path]
) -> None:
    target = tmp_path / "bilag.pdf"
    info = converter.convert(bilag_files[suffix], target, shown_name=f"bilag/x{suffix}")
    expected = _BILAG_PAGES[_BILAG_TYPES[suffix]]
    reader = PdfReader(target)
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert info.path == target and info.pages == len(expected) == len(texts)
    for text, wanted in zip(texts, expected, strict=True):
        assert wanted in text, (suffix, texts)
    # Tagged PDF/A-2b with the PDF/UA flag, whichever application made it.
    catalog: Any = reader.root_object
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert structure_roles(reader) != []
    metadata = xmp(reader)
    assert (metadata["pdfaid:part"], metadata["pdfaid:conformance"]) == ("2", "B")
    assert metadata["pdfuaid:part"] == "1"
    assert leftovers(tmp_path) == []


def test_the_extension_is_read_in_either_case(
    tmp_path: Path, converter: Converter, bilag_files: dict[str, Path]
) -> None:
    shouting = tmp_path / "REGNEARK.XLSX"
    shutil.copyfile(bilag_files[".xlsx"], shouting)
    assert converter.convert(shouting, tmp_path / "regneark.pdf").pages == 1


@pytest.mark.parametrize(
    ("source", "named", "described"),
    [
        (".docx", ".xlsx", "et regneark (.xlsx)"),  # opened as Calc, it was an empty sheet
        ("tilfældige bytes", ".xlsx", "et regneark (.xlsx)"),
        (".xlsx", ".pptx", "en præsentation (.pptx)"),
        (".odt", ".ods", "et regneark (.ods)"),
        (".docx", ".rtf", "et RTF-dokument (.rtf)"),  # the RTF filter opens anything at all
        ("tilfældige bytes", ".rtf", "et RTF-dokument (.rtf)"),
        (".xls", ".doc", "et Word-dokument (.doc)"),
        (".pptx", ".odt", "et tekstdokument (.odt)"),
        (".ods", ".odp", "en præsentation (.odp)"),
    ],
)
def test_a_file_of_another_type_is_an_error_and_leaves_no_pdf(
    source: str,
    named: str,
    described: str,
    tmp_path: Path,
    converter: Converter,
    bilag_files: dict[str, Path],
) -> None:
    wrong = tmp_path / f"bilag{named}"
    if source in bilag_files:
        shutil.copyfile(bilag_files[source], wrong)
    else:
        wrong.write_bytes(random.Random(named).randbytes(4096))
    target = tmp_path / "ud" / "bilag.pdf"
    with pytest.raises(PdfError) as caught:
        converter.convert(wrong, target, shown_name=f"bilag/bilag{named}")
    assert str(caught.value) == (
        f"bilag/bilag{named}: fejl: LibreOffice kan ikke åbne filen; den er beskadiget eller "
        f"ikke {described}"
    )
    assert list(target.parent.iterdir()) == []
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["bilag.txt", "bilag.pdf", "bilag"])
def test_an_unsupported_type_names_the_supported_ones(
    name: str, tmp_path: Path, converter: Converter
) -> None:
    source = tmp_path / name
    source.write_text("Bare tekst.\n", encoding="utf-8")
    with pytest.raises(PdfError) as caught:
        converter.convert(source, tmp_path / "ud.pdf", shown_name=name)
    what = f"filtypen {source.suffix}" if source.suffix else "en fil uden filtype"
    assert str(caught.value) == (
        f"{name}: fejl: LibreOffice kan ikke lave PDF af {what} (kendte: .docx, .doc, .odt, "
        ".rtf, .xlsx, .xls, .ods, .pptx, .ppt, .odp)"
    )
    assert not (tmp_path / "ud.pdf").exists()


def test_without_calc_or_impress_the_message_names_the_package(
    tmp_path: Path, bilag_files: dict[str, Path]
) -> None:
    """A real LibreOffice that lacks Calc and Impress as a machine without their packages does:
    their configuration (calc.xcd, impress.xcd, which hold their filters) is left out of the
    configuration layers soffice reads; Writer still works."""
    soffice = Path(shutil.which("soffice") or "soffice").resolve()
    rc = (soffice.parent / "fundamentalrc").read_text()
    found = re.search(r"xcsxcu:(\S+)", rc)
    assert found is not None
    registry = Path(found.group(1).removeprefix("file://"))
    partial = tmp_path / "registry"
    partial.mkdir()
    for item in registry.iterdir():
        if item.name not in ("calc.xcd", "impress.xcd"):
            (partial / item.name).symlink_to(item)
    layers = (
        f"xcsxcu:{partial.as_uri()} res:{partial.as_uri()}/res "
        "user:!${$BRAND_BASE_DIR/program/bootstraprc:UserInstallation}"
        "/user/registrymodifications.xcu"
    )
    wrapper = tmp_path / "soffice"
    wrapper.write_text(f"#!/bin/sh\nexec {soffice} '-env:CONFIGURATION_LAYERS={layers}' \"$@\"\n")
    wrapper.chmod(0o755)
    with Converter(soffice=wrapper, profile_cache=tmp_path / "cache") as active:
        assert active.convert(bilag_files[".docx"], tmp_path / "tekst.pdf").pages == 2
        for suffix, package, what in [
            (".xlsx", "libreoffice-calc-nogui", "Calc til regneark"),
            (".ods", "libreoffice-calc-nogui", "Calc til regneark"),
            (".pptx", "libreoffice-impress-nogui", "Impress til præsentationer"),
        ]:
            with pytest.raises(LibreOfficeMissing) as caught:
                active.convert(bilag_files[suffix], tmp_path / "bilag.pdf", shown_name=suffix)
            assert str(caught.value) == (
                f"{suffix}: fejl: LibreOffice mangler {what}: installer pakken {package} "
                "(make installerer den)"
            )
            assert not (tmp_path / "bilag.pdf").exists()
