"""Time merging an agenda packet of 300+ pages (target: under 1 s).

    .venv/bin/python bench/packet_benchmark.py [--pages 300] [--repeat 5]
    .venv/bin/python bench/packet_benchmark.py --quick   # 30 pages, one run: does it run?

Builds the example HU meeting with PDFs, then merges its agenda with enough copies of the
example bilag PDFs to reach the page count, timing build_packet alone (every bilag is a PDF,
so no conversion happens: this is the merge, outline and page labels).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from dagsorden.build import build
from dagsorden.packet import PacketItem, build_packet

ROOT = Path(__file__).resolve().parent.parent


class _NoConversions:
    def convert(
        self, docx: Path, pdf: Path, *, timeout: float = 0, shown_name: str | None = None
    ) -> None:
        raise AssertionError("the benchmark's bilag are all PDF")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="30 pages, one run")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.repeat = 30, 1
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        build(ROOT, ["2023-03-02-hu"], out=out, pdf=True)
        agenda = out / "2023-03-02-hu" / "dagsorden-intern.pdf"
        reader = PdfReader(agenda)
        outline = [
            (str(e.title), (reader.get_destination_page_number(e) or 0) + 1)
            for e in reader.outline
            if not isinstance(e, list)
        ]
        bilag = sorted((ROOT / "bilag").glob("*.pdf"))
        pages = len(reader.pages)
        items = []
        n = 0
        while pages < args.pages:
            n += 1
            files = tuple((k, f"Bilag {k}", bilag[(n + k) % len(bilag)]) for k in range(1, 11))
            pages += sum(len(PdfReader(f).pages) for _, _, f in files)
            heading = outline[(n - 1) % len(outline)][0]
            items.append(PacketItem(n, heading, files))
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            made = build_packet(
                agenda, outline, items, out / "pakke.pdf", title="Pakke", converter=_NoConversions()
            )
            times.append(time.perf_counter() - start)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print("| pages | median | min | peak RSS |\n| ---: | ---: | ---: | ---: |")
        print(f"| {made} | {statistics.median(times):.2f} s | {min(times):.2f} s | {rss:.0f} MB |")


if __name__ == "__main__":
    main()
