"""Markdown benchmark: the texts of an archive that hold markup, parsed by markdown-it and by
`parse_markdown`'s short way for lists and emphasis (issue 9).

The texts are the distinct YAML texts of a data project that the first short way (paragraphs of
plain words) leaves to the parser: in the generated archives, sagsfremstillinger with `- ` list
items and `**bold**`. Each pass parses all of them in one process, uncached, and is timed
with `time.perf_counter`; the report gives the best and the median of `--repeat` passes, how
many texts the short way takes, and checks that both ways give the same blocks. Speed is
measured here, never asserted in tests. Results: docs/performance.md.

    PYTHONPATH=src python bench/markdown_benchmark.py [PROJECT] [--repeat 5]
    PYTHONPATH=src python bench/markdown_benchmark.py --quick    # 20 meetings, one pass

Without PROJECT, the archive generator's 200 meetings are written to a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

import archive
from dagsorden.text import Parsed, _fast, _parse, has_markup, parse_markdown


def texts(project: Path) -> list[str]:
    """The distinct scalars of more than one line in the project's YAML files that hold markup
    (the one-line ones `has_markup` finds are journal numbers such as `00.01.00P16`)."""
    found: set[str] = set()
    for path in sorted(project.rglob("*.yaml")):
        nodes = [yaml.compose(path.read_text("utf-8"), Loader=yaml.CSafeLoader)]
        while nodes:
            node = nodes.pop()
            if isinstance(node, yaml.ScalarNode):
                found.add(node.value)
            elif isinstance(node, yaml.SequenceNode):
                nodes.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                nodes.extend(value for _, value in node.value)
    return sorted(text for text in found if "\n" in text and has_markup(text))


def passes(parse: Callable[[str], Parsed], sources: list[str], repeat: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for source in sources:
            parse(source)
        seconds.append(time.perf_counter() - start)
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="20 meetings, one pass")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
    with tempfile.TemporaryDirectory(prefix="markdown-benchmark-") as work:
        project = args.project
        if project is None:
            project = Path(work) / "projekt"
            archive.generate(project, 20 if args.quick else 200)
        sources = texts(project)
    uncached = parse_markdown.__wrapped__
    taken = sum(_fast(source) is not None for source in sources)
    different = [source for source in sources if uncached(source) != _parse(source)]
    print(f"{len(sources)} texts with markup; the short way takes {taken}")
    print("| way | best | median | per text |")
    print("| --- | ---: | ---: | ---: |")
    for name, parse in [("markdown-it (`_parse`)", _parse), ("`parse_markdown`", uncached)]:
        seconds = passes(parse, sources, args.repeat)
        per_text = min(seconds) / max(len(sources), 1) * 1e6
        print(
            f"| {name} | {min(seconds) * 1000:.0f} ms | {statistics.median(seconds) * 1000:.0f} ms"
            f" | {per_text:.0f} µs |"
        )
    if different:
        print(
            f"FEJL: {len(different)} tekster giver andre blokke ad den korte vej", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
