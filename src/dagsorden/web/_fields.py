"""Which field of a data file a line stands in, so a page can show a problem beside the field.

Presentation only: a problem's `file:line` is matched against the file's own YAML keys (the
last key, or list entry, starting at or before the line, followed down through mappings and
lists), as the secretary reads the file. A file that is not valid YAML has no fields; its
problems are shown at the top of the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from ..errors import Problem

__all__ = ["FieldPath", "field_paths", "fields_of"]

FieldPath = tuple[str, ...]  # ("afsnit", "Sagsfremstilling"), ("bilag", "2", "titel"), ("sted",)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def field_paths(text: str, lines: Iterable[int]) -> dict[int, FieldPath]:
    """For each 1-based line, the path of keys (list entries as '1', '2', …) it stands in;
    lines before the first key, or in a file that is not YAML, are left out."""
    wanted = sorted({line for line in lines if line > 0})
    if not wanted:
        return {}
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return {}
    found: dict[int, FieldPath] = {}
    for line in wanted:
        path = _path(root, line - 1)
        if path:
            found[line] = path
    return found


def fields_of(
    problems: Iterable[Problem], file: str, root: Path | None = None, text: str | None = None
) -> dict[Problem, FieldPath]:
    """The field path of each problem located in `file`, read from `text` (or from the file
    under `root`)."""
    own = [p for p in problems if p.location.file == file and p.location.line]
    if not own:
        return {}
    if text is None:
        assert root is not None
        try:
            text = (root / file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return {}
    paths = field_paths(text, (p.location.line for p in own))
    return {p: paths[p.location.line] for p in own if p.location.line in paths}


def _path(node: yaml.Node | None, line: int) -> FieldPath:
    """Keys from `node` down to the innermost entry starting at or before 0-based `line`."""
    path: list[str] = []
    while node is not None:
        if isinstance(node, yaml.MappingNode):
            starts = [(k.start_mark.line, str(k.value), v) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            starts = [(v.start_mark.line, str(n), v) for n, v in enumerate(node.value, start=1)]
        else:
            break
        before = [entry for entry in starts if entry[0] <= line]
        if not before:
            break
        _, key, node = before[-1]
        if node.end_mark.line < line and path:  # past the entry's end: in its parent
            break
        path.append(key)
    return tuple(path)
