"""Same data and templates, same bytes: every .docx and PDF of two builds is identical."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from conftest import ROOT
from dagsorden._reproducible import normalise_zip
from dagsorden.build import build
from dagsorden.cli import main

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice mangler (make test installerer det)"
)

MEETING = "2023-03-02-hu"


def _copy_project(target: Path) -> Path:
    target.mkdir()
    for name in ("organisation.yaml", "cases", "agenda", "templates", "bilag"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    return target


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The HU meeting built twice, with PDFs and packets, into two folders, seconds apart."""
    base = tmp_path_factory.mktemp("reproducible")
    root = _copy_project(base / "projekt")
    first, second = base / "ud1", base / "ud2"
    build(root, [MEETING], out=first, pdf=True)
    time.sleep(1.5)  # every clock-based stamp (seconds in zip entries and PDF dates) moves
    build(root, [MEETING], out=second, pdf=True)
    return first / MEETING, second / MEETING


def test_two_builds_give_the_same_bytes_in_every_docx_and_pdf(
    two_builds: tuple[Path, Path],
) -> None:
    first, second = (_files(folder) for folder in two_builds)
    assert sorted(first) == sorted(second)
    assert sorted(n for n in first if n.endswith(".docx")) == [
        "dagsorden-intern.docx",
        "dagsorden-offentlig.docx",
        "referat-intern.docx",
        "referat-offentlig.docx",
    ]
    assert len([n for n in first if n.endswith(".pdf")]) == 6  # 4 documents, 2 packets
    assert [name for name in first if first[name] != second[name]] == []


def test_the_time_stamps_are_the_meetings_date_at_noon_utc(
    two_builds: tuple[Path, Path],
) -> None:
    folder = two_builds[0]
    with zipfile.ZipFile(folder / "referat-intern.docx") as package:
        core = package.read("docProps/core.xml").decode()
        assert {info.date_time for info in package.infolist()} == {(2023, 3, 2, 12, 0, 0)}
    assert re.findall(r"<dcterms:(\w+) [^>]*>([^<]*)<", core) == [
        ("created", "2023-03-02T12:00:00Z"),
        ("modified", "2023-03-02T12:00:00Z"),
    ]
    reader = PdfReader(folder / "referat-intern.pdf", strict=True)
    assert reader.metadata is not None
    assert reader.metadata.creation_date_raw == "D:20230302120000Z"
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.xmp_create_date is not None
    assert xmp.xmp_create_date.isoformat() == "2023-03-02T12:00:00"
    assert "/DocChecksum" not in reader.trailer


def test_the_pdf_id_comes_from_the_content(two_builds: tuple[Path, Path]) -> None:
    ids = {}
    for name in ("dagsorden-intern.pdf", "dagsorden-offentlig.pdf"):
        path = two_builds[0] / name
        trailer_id = PdfReader(path, strict=True).trailer["/ID"]
        assert isinstance(trailer_id, ArrayObject)
        assert trailer_id[0] == trailer_id[1]
        ids[name] = trailer_id[0].original_bytes
        data = path.read_bytes()
        body = data[: data.rindex(b"\nxref\n") + 1]  # every object, before the table
        assert ids[name] == hashlib.md5(body, usedforsecurity=False).digest()
    assert len(set(ids.values())) == 2, "two documents, two IDs"


def test_source_date_epoch_sets_every_time_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy_project(tmp_path / "projekt")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    build(root, [MEETING], out=tmp_path / "ud", pdf=True)
    folder = tmp_path / "ud" / MEETING
    with zipfile.ZipFile(folder / "dagsorden-intern.docx") as package:
        core = package.read("docProps/core.xml").decode()
        assert {info.date_time for info in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2023-11-14T22:13:20Z<' in core
    reader = PdfReader(folder / "dagsorden-intern.pdf", strict=True)
    assert reader.metadata is not None
    assert reader.metadata.creation_date_raw == "D:20231114221320Z"


def test_a_source_date_epoch_that_is_not_a_number_is_a_danish_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy_project(tmp_path / "projekt")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "i går")
    out = tmp_path / "ud"
    assert main(["byg", MEETING, "--uden-pdf", "--projekt", str(root), "--ud", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "fejl: miljøvariablen SOURCE_DATE_EPOCH skal være et helt antal sekunder siden"
        " 1970-01-01 (den er 'i går')\n"
    )
    assert not out.exists()


class _Unseekable(io.RawIOBase):
    """A stream zipfile cannot seek back in, so it writes data descriptors."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.data += bytes(b)
        return len(b)


def test_a_zip_of_another_shape_is_written_again_with_the_same_time() -> None:
    stream = _Unseekable()
    with (
        zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as package,
        package.open("word/document.xml", "w") as part,
    ):
        part.write(b"<w:document/>")
    when = dt.datetime(2023, 3, 2, 12, tzinfo=dt.UTC)
    fixed = normalise_zip(bytes(stream.data), when)
    with zipfile.ZipFile(io.BytesIO(fixed)) as package:
        assert [(i.filename, i.date_time) for i in package.infolist()] == [
            ("word/document.xml", (2023, 3, 2, 12, 0, 0))
        ]
        assert package.read("word/document.xml") == b"<w:document/>"
    assert normalise_zip(fixed, when) == fixed
