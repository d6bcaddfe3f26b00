"""The format reference documents every key the loader accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagsorden.load import KEYS

FORMAT = (Path(__file__).resolve().parents[1] / "docs" / "format.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("kind", "key"), [(kind, key) for kind, keys in KEYS.items() for key in keys]
)
def test_key_is_documented(kind: str, key: str) -> None:
    assert f"`{key}`" in FORMAT or f"{key}`" in FORMAT or f".{key}`" in FORMAT, (
        f"nøglen '{key}' ({kind}) mangler i docs/format.md"
    )
