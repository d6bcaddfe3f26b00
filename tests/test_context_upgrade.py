"""Contexts frozen before the structured values (issue 11) still render as they were sent.

tests/data/kontekst-v1-*.json are contexts as version 1 made them (`dagsorden kontekst` of the
example before this change): only the composed lines. The built-in templates now compose those
lines from structured values, which `_upgrade.upgrade_context` derives from the lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from dagsorden._upgrade import upgrade_context
from dagsorden.build import context_for
from dagsorden.context import DocumentKind, Edition
from dagsorden.render import builtin_template, render_document
from docxdump import dump

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
OLD = [
    ("referat-intern", "protokol.docx", "2023-03-02-hu/referat-intern"),
    (
        "kb-beslutningsprotokol-offentlig",
        "protokol.docx",
        "2022-12-13-kb/beslutningsprotokol-offentlig",
    ),
    ("kb-dagsorden-intern", "dagsorden.docx", "2022-12-13-kb/dagsorden-intern"),
]


@pytest.mark.parametrize(("name", "template", "golden"), OLD)
def test_an_old_frozen_context_renders_as_it_did(
    name: str, template: str, golden: str, tmp_path: Path
) -> None:
    old = json.loads((DATA / f"kontekst-v1-{name}.json").read_text(encoding="utf-8"))
    assert "case" not in old["items"][0]  # really a context from before the change
    document = render_document(builtin_template(template), upgrade_context(old), title="x")
    document.save(str(tmp_path / "d.docx"))
    assert dump(tmp_path / "d.docx") == (GOLDEN / f"{golden}.txt").read_text(encoding="utf-8")


def test_the_derived_values_are_those_a_build_gives() -> None:
    old = json.loads((DATA / "kontekst-v1-referat-intern.json").read_text(encoding="utf-8"))
    upgraded = upgrade_context(old)
    now = context_for(ROOT, "2023-03-02-hu", DocumentKind.MINUTES, Edition.INTERNAL)
    for then, built in zip(upgraded["items"], now["items"], strict=True):
        assert then["attachment_fields"] == built["attachment_fields"]
        if built["case"] is not None:
            assert {k: then["case"][k] for k in ("number", "kle", "access", "route")} == {
                k: built["case"][k] for k in ("number", "kle", "access", "route")
            }
        for t_then, t_built in zip(then["treatments"], built["treatments"], strict=True):
            assert (t_then["body"], t_then["date"], t_then["date_iso"]) == (
                t_built["body"],
                t_built["date"],
                t_built["date_iso"],
            )
    assert upgraded["meeting"]["date_iso"] == "2023-03-02"
    assert [m["label"] for m in upgraded["meeting"]["member_list"]] == now["meeting"]["members"]


def test_a_context_with_the_values_is_left_alone() -> None:
    now = context_for(ROOT, "2022-12-13-kb", DocumentKind.MINUTES, Edition.PUBLIC)
    before = json.dumps(now, sort_keys=True)
    assert json.dumps(upgrade_context(now), sort_keys=True) == before


def test_an_agenda_sent_by_the_old_version_is_unchanged_when_nothing_changed() -> None:
    """The supplement compares the sent agenda's items with today's: an agenda frozen before
    the structured values must not look changed because its derived values are less full."""
    from dagsorden.frozen import _content

    old = json.loads((DATA / "kontekst-v1-kb-dagsorden-intern.json").read_text(encoding="utf-8"))
    now = context_for(ROOT, "2022-12-13-kb", DocumentKind.AGENDA, Edition.INTERNAL)
    sent = upgrade_context(old)["items"]
    assert [_content(i) for i in sent] == [_content(i) for i in now["items"]]
    assert sent[0]["case"]["route_names"] != now["items"][0]["case"]["route_names"]
