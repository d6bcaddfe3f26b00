"""PDF benchmark: dagsorden's Converter beside a bare `soffice --convert-to pdf`.

The synthetic 60-item meeting of `bench/benchmark.py` (its generator, imported) is built into
.docx; its agenda is then converted, interleaved and `--repeat` times each:

* bare: `soffice -env:UserInstallation=<existing profile> --headless --convert-to pdf`, a fresh
  soffice per run. Its contents stay empty (the Word TOC is never updated), the PDF untagged;
* Converter, cold: a fresh Python process that starts a Converter, converts the agenda (contents
  updated, tagged PDF/A-2b + PDF/UA) and closes it. The time is taken inside the process, from
  `Converter()` to after `close()`; the process's own start and imports are shown beside it;
* the same with a new LibreOffice profile (an empty profile cache), as on a machine's first run;
* the meeting's 4 documents: one cold Converter for all, beside 4 bare runs;
* Converter, warm: one started Converter, after one warm-up document, 5 documents in a row;
* workers (`--workers-only` runs just this): the meeting's documents, copied to `--documents`
  documents, converted interleaved and `--repeat` times by a warm Converter (`convert_documents`,
  one LibreOffice), by a warm ConverterPool of two, by one bare `soffice --convert-to pdf` given
  all the documents at once (a warm bare conversion: the profile exists, soffice's start is
  shared by all), and by two such bare soffices side by side, each with its own profile and
  half the documents. Each is reported per document, the converter beside the bare soffice.

Every PDF the Converter makes is checked: each contents entry must give the page its heading
stands on (`tests/test_pdf.py`'s reading helpers). Peak RSS is the child's own rusage, which
includes the soffice it waited for. Results and the decision: docs/pdf.md.

    .venv/bin/python bench/pdf_benchmark.py [--repeat 5] [--size 60]
    .venv/bin/python bench/pdf_benchmark.py --quick   # 5 items, one run: does it still run?
    .venv/bin/python bench/pdf_benchmark.py --workers-only [--documents 8]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import benchmark

sys.path.insert(0, str(benchmark.REPO / "tests"))
from pypdf import PdfReader

import test_pdf  # its PDF reading helpers
from dagsorden.build import build
from dagsorden.context import DocumentKind
from dagsorden.pdf import Converter, ConverterPool, convert_documents

COLD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    t0 = time.perf_counter()
    from dagsorden.pdf import Converter, ConverterPool, convert_documents
    t1 = time.perf_counter()
    out, cache, docs = Path(sys.argv[1]), sys.argv[2], [Path(d) for d in sys.argv[3:]]
    timings = []
    with Converter(profile_cache=Path(cache) if cache else None) as converter:
        t2 = time.perf_counter()
        for doc in docs:
            s = time.perf_counter()
            converter.convert(doc, out / doc.with_suffix(".pdf").name)
            timings.append(time.perf_counter() - s)
        t3 = time.perf_counter()
    t4 = time.perf_counter()
    print(json.dumps({"import": t1 - t0, "start": t2 - t1, "convert": timings,
                      "close": t4 - t3, "total": t4 - t1}))
    """
)


@dataclass
class Series:
    seconds: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    parts: list[dict[str, float]] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)


def _s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def bare(docs: Sequence[Path], out: Path, profile: Path) -> tuple[float, float]:
    """Wall time and peak RSS of bare conversions, one fresh soffice per document."""
    seconds, rss = 0.0, 0.0
    for doc in docs:
        run = benchmark.run_child(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(doc),
            ]
        )
        if not (out / doc.with_suffix(".pdf").name).is_file():
            raise SystemExit(f"soffice --convert-to made no PDF of {doc}")
        seconds += run.seconds
        rss = max(rss, run.max_rss_mb)
    return seconds, rss


def cold(
    docs: Sequence[Path], out: Path, cache: Path | None
) -> tuple[float, float, dict[str, float]]:
    """A fresh process: Converter start, the documents, close. Times from inside it."""
    run = benchmark.run_child(
        [benchmark.PYTHON, "-c", COLD, str(out), str(cache or ""), *map(str, docs)]
    )
    data = json.loads(run.stdout)
    parts = {
        "process": run.seconds,
        "import": data["import"],
        "start": data["start"],
        "convert": sum(data["convert"]),
        "close": data["close"],
    }
    return data["total"], run.max_rss_mb, parts


def warm(docs: Sequence[Path], out: Path, cache: Path, count: int) -> list[float]:
    """One started Converter: a warm-up document, then `count` documents timed one by one."""
    with Converter(profile_cache=cache) as converter:
        converter.convert(docs[0], out / "opvarmning.pdf")
        timings = []
        for i in range(count):
            doc = docs[i % len(docs)]
            start = time.perf_counter()
            converter.convert(doc, out / f"varm-{i}-{doc.stem}.pdf")
            timings.append(time.perf_counter() - start)
    return timings


def bare_batch(docs: Sequence[Path], out: Path, profile: Path) -> float:
    """One bare soffice converting every document given: its start is shared by all of them."""
    command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(out), *map(str, docs)]
    run = benchmark.run_child(command)
    missing = [d.name for d in docs if not (out / d.with_suffix(".pdf").name).is_file()]
    if missing:
        raise SystemExit(f"soffice --convert-to made no PDF of {', '.join(missing)}")
    return run.seconds


def bare_parallel(docs: Sequence[Path], out: Path, profiles: Sequence[Path]) -> float:
    """Two bare soffices side by side, each with its own profile and half the documents."""
    halves = [docs[0::2], docs[1::2]]
    options = ["--headless", "--convert-to", "pdf", "--outdir", str(out)]
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            ["soffice", f"-env:UserInstallation={profile.as_uri()}", *options, *map(str, half)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=benchmark.CHILD_ENV,
        )
        for profile, half in zip(profiles, halves, strict=True)
    ]
    for proc in procs:
        proc.wait()
    seconds = time.perf_counter() - start
    if any(not (out / d.with_suffix(".pdf").name).is_file() for d in docs):
        raise SystemExit("two bare soffices did not make every PDF")
    return seconds


def workers(args: argparse.Namespace, docs: Sequence[Path]) -> str:
    """1 vs 2 warm converters, and the converter vs a warm bare soffice, per document."""
    folder = args.workdir / "workers"
    shutil.rmtree(folder, ignore_errors=True)
    source = folder / "docx"
    source.mkdir(parents=True)
    corpus = []
    for i in range(args.documents):
        doc = docs[i % len(docs)]
        copy = source / f"{i:02d}-{doc.name}"
        shutil.copy2(doc, copy)
        corpus.append(copy)
    cache = args.workdir / "profilcache"
    profiles = [args.workdir / "soffice-profil", args.workdir / "soffice-profil-2"]
    series: dict[str, list[float]] = {
        "one": [], "two": [], "bare-batch": [], "bare-two": []
    }  # fmt: skip
    with Converter(profile_cache=cache) as one, ConverterPool(2, profile_cache=cache) as two:

        def converted(converter: Converter | ConverterPool, out: Path) -> float:
            jobs = [(d, out / d.with_suffix(".pdf").name) for d in corpus]
            start = time.perf_counter()
            convert_documents(jobs, converter=converter)
            return time.perf_counter() - start

        variants: dict[str, Callable[[Path], float]] = {
            "one": lambda o: converted(one, o),
            "two": lambda o: converted(two, o),
            "bare-batch": lambda o: bare_batch(corpus, o, profiles[0]),
            "bare-two": lambda o: bare_parallel(corpus, o, profiles),
        }
        for name, run in variants.items():  # warm-up: LibreOffices started, profiles made
            run(folder / "opvarmning" / name)
        for r in range(args.repeat):
            names = list(variants)
            shift = r % len(names)
            for name in names[shift:] + names[:shift]:
                series[name].append(variants[name](folder / f"{r}" / name) / len(corpus))
    for doc in corpus:
        right, total = contents_right(doc, folder / "0" / "two" / doc.with_suffix(".pdf").name)
        if right != total:
            raise SystemExit(f"{doc.name}: only {right} of {total} contents entries are right")
    per = {name: statistics.median(values) for name, values in series.items()}
    best = {name: min(values) for name, values in series.items()}
    labels = {
        "one": "Converter varm, 1 LibreOffice (`convert_documents`)",
        "two": "ConverterPool varm, 2 LibreOffice side om side",
        "bare-batch": "bar `soffice --convert-to pdf`, 1 proces til alle (varm profil)",
        "bare-two": "bar `soffice --convert-to pdf`, 2 processer side om side",
    }
    lines = [
        "",
        f"## Arbejdere: {len(corpus)} dokumenter ({len(docs)} forskellige), "
        f"median og bedste af {args.repeat} i skiftende rækkefølge, pr. dokument",
        "",
        "| variant | pr. dokument (median) | (bedste) | ÷ bar 1 proces | ÷ bar 2 processer |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, label in labels.items():
        lines.append(
            f"| {label} | {_s(per[name])} | {_s(best[name])} | "
            f"{per[name] / per['bare-batch']:.2f}× | {per[name] / per['bare-two']:.2f}× |"
        )
    lines += [
        "",
        f"2 arbejdere mod 1: {per['one'] / per['two']:.2f}× så hurtigt. "
        f"Mål: den varme Converter højst 1,2 × en varm bar konvertering pr. dokument: "
        f"{per['one'] / per['bare-batch']:.2f}× med 1 LibreOffice hver, "
        f"{per['two'] / per['bare-two']:.2f}× med 2.",
        "",
    ]
    return "\n".join(lines)


def contents_right(docx: Path, pdf: Path) -> tuple[int, int]:
    """How many contents entries give the page their heading stands on, of how many headings."""
    pages = test_pdf.page_texts(pdf)
    numbers = test_pdf.printed_numbers(pages)
    entries = test_pdf.contents(pages)
    expected = test_pdf.headings(docx)
    right = sum(
        1
        for (title, page), want in zip(entries, expected, strict=False)
        if title == want and test_pdf.printed_page_of(title, pages, numbers) == page
    )
    return right, len(expected)


def machine() -> list[str]:
    soffice = subprocess.run(
        ["soffice", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    cpu = "?"
    with contextlib.suppress(OSError):
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1).strip() if found else cpu
    return [
        f"- dato: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- nproc: {len(os.sched_getaffinity(0))} ({cpu})",
        f"- system: {platform.platform()}",
        f"- {soffice or 'soffice ?'}; pypdf {version('pypdf')}; python {platform.python_version()}",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warm", type=int, default=5, help="documents timed on a warm converter")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/pdf-bench"))
    parser.add_argument("--quick", action="store_true", help="5 items, one run of each")
    parser.add_argument("--documents", type=int, default=8, help="documents in the workers mode")
    parser.add_argument(
        "--workers-only", action="store_true", help="only 1 vs 2 workers and warm bare soffice"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.size, args.repeat, args.warm, args.documents = 5, 1, 1, 4
    if shutil.which("soffice") is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    benchmark.child_env(args.workdir, as_is=False)
    args.workdir.mkdir(parents=True, exist_ok=True)
    fx = benchmark.generate(args.size, args.workdir, args.seed)
    built, _ = build(fx.root, [benchmark.MEETING], out=args.workdir / "docx")
    docs = [b.path for b in built]
    agenda = next(b.path for b in built if b.kind is DocumentKind.AGENDA)
    print(f"N={args.size}: {len(docs)} dokumenter, {agenda.name} ...", file=sys.stderr)
    if args.workers_only:
        lines = ["# dagsorden: PDF-måling, arbejdere", "", *machine(), f"- N={args.size} punkter"]
        sys.stdout.write("\n".join(lines) + "\n" + workers(args, docs))
        return 0

    out = args.workdir / "pdf"
    bare_profile = args.workdir / "soffice-profil"  # made by the warm-up run, then reused
    cache = args.workdir / "profilcache"  # the Converter's seed profile, made by its warm-up
    shutil.rmtree(cache, ignore_errors=True)

    def fresh() -> Path:
        return Path(tempfile.mkdtemp(dir=args.workdir, prefix="tom-profilcache-"))

    variants: dict[str, Callable[[Path], tuple[float, float, dict[str, float]]]] = {
        "bare": lambda o: (*bare([agenda], o, bare_profile), {}),
        "cold": lambda o: cold([agenda], o, cache),
        "cold-new-profile": lambda o: cold([agenda], o, fresh()),
        "bare-all": lambda o: (*bare(docs, o, bare_profile), {}),
        "cold-all": lambda o: cold(docs, o, cache),
    }
    for name, run in variants.items():  # warm-up: profiles, file cache; not counted
        run(out / "opvarmning" / name)
    series = {name: Series() for name in variants}
    for r in range(args.repeat):
        names = list(variants)
        shift = r % len(names)  # rotate the order so no variant always runs first
        for name in names[shift:] + names[:shift]:
            seconds, rss, parts = variants[name](out / f"{r}" / name)
            series[name].seconds.append(seconds)
            series[name].rss.append(rss)
            series[name].parts.append(parts)
    warm_times = warm(docs, out / "varm", cache, args.warm)

    checks = {
        "bare": contents_right(agenda, out / "0" / "bare" / agenda.with_suffix(".pdf").name),
        "cold": contents_right(agenda, out / "0" / "cold" / agenda.with_suffix(".pdf").name),
    }
    for doc in docs:
        right, total = contents_right(doc, out / "0" / "cold-all" / doc.with_suffix(".pdf").name)
        if right != total:
            raise SystemExit(f"{doc.name}: only {right} of {total} contents entries are right")

    sys.stdout.write(report(args, agenda, docs, series, warm_times, checks))
    sys.stdout.write(workers(args, docs))
    return 0


def report(
    args: argparse.Namespace,
    agenda: Path,
    docs: Sequence[Path],
    series: dict[str, Series],
    warm_times: list[float],
    checks: dict[str, tuple[int, int]],
) -> str:
    pages = PdfReader(args.workdir / "pdf" / "0" / "cold" / agenda.with_suffix(".pdf").name).pages
    lines = ["# dagsorden: PDF-måling", "", *machine(), ""]
    lines += [
        f"Dagsorden med {args.size} punkter ({len(pages)} sider), median og bedste af "
        f"{args.repeat} kørsler i skiftende rækkefølge; RSS = højeste peak RSS (med soffice).",
        "",
        "| variant | median | min | peak RSS | ÷ bar soffice (median) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    labels = {
        "bare": "bar `soffice --convert-to pdf`, 1 dokument (indholdsfortegnelse tom)",
        "cold": "Converter kold: start + 1 dokument + luk",
        "cold-new-profile": "Converter kold, ny LibreOffice-profil (første kørsel)",
        "bare-all": f"bar `soffice --convert-to pdf`, {len(docs)} dokumenter (én soffice hver)",
        "cold-all": f"Converter kold: start + {len(docs)} dokumenter + luk",
    }
    for name, label in labels.items():
        s = series[name]
        base = series["bare-all" if name.endswith("all") else "bare"].median
        lines.append(
            f"| {label} | {_s(s.median)} | {_s(s.best)} | {max(s.rss):.0f} MB | "
            f"{s.median / base:.2f}× |"
        )
    warm = statistics.median(warm_times)
    lines += [
        f"| Converter varm, pr. dokument (median af {len(warm_times)}) | {_s(warm)} | "
        f"{_s(min(warm_times))} | – | {warm / series['bare'].median:.2f}× |",
        "",
        "Den kolde Converter, delt op (median; proces = hele Python-processens vægurtid):",
        "",
        "| variant | proces | import | start | konvertering | luk |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in ("cold", "cold-new-profile", "cold-all"):
        parts = series[name].parts
        cells = [
            _s(statistics.median(p[k] for p in parts))
            for k in ("process", "import", "start", "convert", "close")
        ]
        lines.append(f"| {labels[name]} | {' | '.join(cells)} |")
    ratio = series["cold"].median / series["bare"].median
    lines += [
        "",
        "Indholdsfortegnelsen (punkter og Bilagsoversigt, der står på den side, den angiver): "
        f"bar soffice {checks['bare'][0]}/{checks['bare'][1]}, "
        f"Converter {checks['cold'][0]}/{checks['cold'][1]} "
        f"(og alle {len(docs)} dokumenter i Converter-kørslen).",
        "",
        f"Mål: kold højst 1,2 × bar soffice: {ratio:.2f}× "
        f"({'nået' if ratio <= 1.2 else 'IKKE nået'}); varm under 0,8 s pr. dokument: "
        f"{_s(warm)} ({'nået' if warm < 0.8 else 'IKKE nået'}).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
