"""Nothing closed reaches the published site: its pages, the search index, the OParl export,
the calendar feeds, and what the publisher remembers beside the site; and the CPR guard covers
what the site shows, frozen meetings included."""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import MakeProject
from dagsorden.cli import main
from dagsorden.errors import ProblemsError
from dagsorden.publish import publish
from test_editions import Generated, _parts, _write, projects

GENERATED_CASES: list[int] = []


def _published_texts(site: Path) -> Iterator[tuple[str, str]]:
    """Every file of the site as text, as a client would read it: gzip'd search fragments
    unpacked, folded calendar lines joined."""
    files = [p for p in site.rglob("*") if p.is_file()]
    files += list(site.parent.glob(f".{site.name}.dagsorden-udgivet.json"))
    for path in files:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if path.suffix == ".ics":
            data = data.replace(b"\r\n ", b"")
        yield path.relative_to(site.parent).as_posix(), data.decode("utf-8", errors="replace")


@settings(
    max_examples=110,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(projects())
def test_no_closed_text_reaches_the_published_site(generated: Generated) -> None:
    root = Path(tempfile.mkdtemp(prefix="dagsorden-udgiv-leak-"))
    try:
        _write(root, generated)  # the generated files, and the picture their texts show
        site = root / "websted"
        done = publish(root, site, pdf=False)
        assert done.meetings == 2
        searched = 0
        for name, text in _published_texts(site):
            leaked = [c for c in generated.canaries if c in text]
            assert not leaked, f"{name} indeholder lukket tekst: {leaked}"
            searched += "pagefind/fragment/" in name
        assert searched > 0  # the search index's page texts were read
        # The canaries are real content: the internal documents show every one of them.
        internal = [p for p in (root / "out").rglob("*-intern.docx")]
        everything = "".join(text for p in internal for _, text in _parts(p))
        assert [c for c in generated.canaries if c not in everything] == []
        GENERATED_CASES.append(generated.cases)
    finally:
        shutil.rmtree(root)


def test_the_site_leak_test_covered_at_least_a_thousand_cases() -> None:
    if not GENERATED_CASES:
        pytest.skip("lækagetesten af sitet blev ikke kørt i denne kørsel")
    assert sum(GENERATED_CASES) >= 1000, sum(GENERATED_CASES)


def test_a_cpr_number_in_a_frozen_agenda_stops_the_publishing(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The agenda was sent with a number marked !ikke-cpr; the mark was taken away later.
    The frozen agenda still shows it, so the site must not."""
    root = make_project(
        {
            "cases/22-1.yaml": """\
                sagsnr: 22/1
                titel: Budget 2023
                sagsgang: [ØK]
                afsnit:
                  Sagsfremstilling: !ikke-cpr Journal 010190-1234 er vedlagt.
                """
        }
    )
    assert main(["--projekt", str(root), "status", "2023-01-10-oek", "udsendt", "--uden-pdf"]) == 0
    case = root / "cases" / "22-1.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("!ikke-cpr ", ""), encoding="utf-8")
    site = tmp_path / "websted"
    with pytest.raises(ProblemsError) as caught:
        publish(root, site, pdf=False)
    (problem,) = caught.value.problems
    assert problem.render().startswith(
        "cases/22-1.yaml:5:29: fejl: her står noget, der ligner et CPR-nummer"
    )
    assert not site.exists()
