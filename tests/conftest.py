"""Shared test helpers: the example project, and throwaway projects made from a dict of files."""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import configuration

# Tests never write into the working tree; hypothesis keeps its example database elsewhere.
configuration.set_hypothesis_home_dir(tempfile.mkdtemp(prefix="dagsorden-hypothesis-"))
# ... nor does the store of what commands remember (tests of the store itself unset this).
os.environ["DAGSORDEN_CACHE_MAPPE"] = tempfile.mkdtemp(prefix="dagsorden-cache-")

ROOT = Path(__file__).resolve().parent.parent

MINIMAL_FILES = {
    "organisation.yaml": """\
        kommune: Testrup Kommune
        standardafsnit: [Sagsfremstilling, Økonomiske konsekvenser]
        udvalg:
          ØK:
            navn: Økonomiudvalget
        personer:
          Anna Andersen:
            - udvalg: ØK
              parti: A
              rolle: Formand
              fra: 2022-01-01
          Bo Berg:
            - udvalg: ØK
              parti: V
              fra: 2022-01-01
        """,
    "cases/22-1.yaml": """\
        sagsnr: 22/1
        titel: Budget 2023
        sagsgang: [ØK]
        afsnit:
          Sagsfremstilling: Teksten.
        indstilling: Direktøren indstiller, at budgettet godkendes.
        """,
    "agenda/2023-01-10-oek.yaml": """\
        udvalg: ØK
        dato: 2023-01-10
        start: 16:00
        slut: 18:00
        sted: Mødelokale 1
        punkter:
          - sag: 22/1
        """,
}

MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write a project into tmp_path: the minimal valid one, with files replaced or added.

    A value of None removes that file. Text is dedented, so tests can indent YAML freely.
    """

    def make(files: dict[str, str | None] | None = None, *, base: bool = True) -> Path:
        merged: dict[str, str | None] = dict(MINIMAL_FILES) if base else {}
        merged.update(files or {})
        root = tmp_path / "projekt"
        for name, text in merged.items():
            path = root / name
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return make


def copy_example(root: Path) -> Path:
    """Copy the example municipality's data (organisation, cases, meetings, bilag) to `root`."""
    import shutil

    root.mkdir(parents=True, exist_ok=True)
    for name in ("organisation.yaml", "cases", "agenda", "bilag"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return root


@pytest.fixture(scope="session")
def example_root() -> Path:
    return ROOT


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden document dumps from the current output (review the diff).",
    )


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example meeting's documents, built once: 'meeting/document' -> path."""
    from dagsorden.build import build

    out = tmp_path_factory.mktemp("out")
    built, _ = build(ROOT, out=out)
    return {f"{b.path.parent.name}/{b.path.stem}": b.path for b in built}
