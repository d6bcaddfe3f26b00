"""A broken Word template is an error naming the template and the place in it; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from conftest import MakeProject
from dagsorden.cli import main
from dagsorden.render import builtin_template


def _own_template(root: Path, old: str, new: str) -> None:
    """Copy the built-in agenda template into the project with one paragraph's text replaced."""
    doc = Document(str(builtin_template("dagsorden.docx")))
    for paragraph in doc.paragraphs:
        if paragraph.text == old:
            for run in paragraph.runs[1:]:
                run.text = ""
            paragraph.runs[0].text = new
            break
    else:
        raise AssertionError(f"afsnittet {old!r} findes ikke i skabelonen")
    (root / "templates").mkdir(exist_ok=True)
    doc.save(str(root / "templates" / "dagsorden.docx"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{{ item.heading }}",
            "{{ item.overskrift }}",
            "fejl: feltet 'overskrift' findes ikke i konteksten",
        ),
        ("{%p endif %}", "{%p endiff %}", "fejl: ukendt eller uventet mærke 'endiff'"),
        ("{%p endfor %}", "{%p end %}", "fejl: ukendt eller uventet mærke 'end'"),
    ],
)
def test_broken_template_is_named_with_its_paragraph(
    make_project: MakeProject,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    message: str,
) -> None:
    root = make_project()
    _own_template(root, old, new)
    out = tmp_path / "out"
    assert main(["byg", "--projekt", str(root), "--ud", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("templates/dagsorden.docx: i afsnittet «"), err
    assert message in err
    assert not out.exists(), "intet må skrives, når en skabelon er i stykker"


def test_undefined_name_shows_the_offending_paragraph(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    _own_template(root, "{{ item.heading }}", "{{ item.overskrift }}")
    assert main(["byg", "--projekt", str(root), "--ud", str(tmp_path / "out")]) == 1
    assert "«{{ item.overskrift }}»" in capsys.readouterr().err


def test_a_file_that_is_not_a_word_document(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"templates/dagsorden.docx": "dette er ikke et Word-dokument"})
    assert main(["byg", "--projekt", str(root), "--ud", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "templates/dagsorden.docx: fejl: skabelonen kan ikke åbnes som Word-dokument"
    )
