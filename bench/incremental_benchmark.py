"""Building every meeting of the archive: peak memory, and what a second build costs (issue 9).

For each size an archive from `bench/archive.py` is generated (cached in the work folder) and
`dagsorden byg --uden-pdf` of all meetings is run in fresh processes, each with its peak RSS
(`os.wait4`):

* the first build into an empty folder (every document rendered and written);
* the same again, nothing changed;
* after one case's text changed (a case treated at three meetings).

Beside each, a child process times the two parts of the same build separately: load + check
(`build.check`, the lead's side) and render + write (`_outputs.make_documents`: the manifest,
the fingerprints, rendering what changed), and counts the documents written.

The generated archive's held meetings have frozen agendas (`arkiv/`), as a real archive's
would: their agendas are rendered from the records, the rest from the live files.

    python bench/incremental_benchmark.py [--sizes 125 250 500 1000] [--workdir DIR]
    python bench/incremental_benchmark.py --quick      # 20 meetings: does it still run?
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import archive
from archive_benchmark import PYTHON, _s, child_env, machine, run

SPLIT = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import dagsorden.cli
    from dagsorden.build import _check, select_meetings
    from dagsorden._outputs import make_documents
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    t0 = time.perf_counter()
    project, _, history = _check(root, strict=False, meetings=[])
    t1 = time.perf_counter()
    built = make_documents(root, project, select_meetings(project, []), history, out, pdf=False,
                           progress=dagsorden.build._silent)
    t2 = time.perf_counter()
    print(json.dumps({"check": t1 - t0, "write": t2 - t1, "documents": len(built),
                      "written": sum(b.written for b in built)}))
    """
)


def prepare(meetings: int, workdir: Path, seed: int) -> Path:
    base = workdir / f"m{meetings}"
    root = base / "projekt"
    stamp = hashlib.sha256(repr((Path(archive.__file__).read_bytes(), seed, meetings)).encode())
    stamp_file = base / "stamp"
    if not (stamp_file.is_file() and stamp_file.read_text() == stamp.hexdigest()):
        print(f"  genererer {meetings} møder i {root} ...", file=sys.stderr, flush=True)
        shutil.rmtree(root, ignore_errors=True)
        archive.generate(root, meetings, seed=seed)
        stamp_file.write_text(stamp.hexdigest())
    return root


def change_one_case(root: Path) -> str:
    """Add a sentence to a case treated at three meetings; its file name."""
    data = json.loads((root / "arkiv.json").read_text())
    number, case = next((n, c) for n, c in data["cases"].items() if len(c["meetings"]) >= 3)
    path = root / case["file"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("titel: ", "titel: Ændret, ", 1), encoding="utf-8")
    return f"{number} ({len(case['meetings'])} møder)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[125, 250, 500, 1000])
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/dagsorden-byg"))
    parser.add_argument("--quick", action="store_true", help="20 meetings: does it run?")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [20]
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = child_env(args.workdir)
    lines = [
        "# byg af alle møder: hukommelse og anden gang",
        "",
        *machine(),
        "",
        "| møder | dokumenter | byg (første) | byg igen | delt: tjek + skriv | "
        "én sag ændret: skrevet | delt: tjek + skriv |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for meetings in args.sizes:
        print(f"{meetings} møder ...", file=sys.stderr, flush=True)
        root = prepare(meetings, args.workdir, args.seed)
        project = args.workdir / f"m{meetings}" / "kopi"
        shutil.rmtree(project, ignore_errors=True)
        shutil.copytree(root, project)
        out = args.workdir / f"m{meetings}" / "ud"
        shutil.rmtree(out, ignore_errors=True)
        build = [PYTHON, "-m", "dagsorden", "--projekt", str(project), "byg", "--uden-pdf"]
        first = run([*build, "--ud", str(out)], env)
        again = run([*build, "--ud", str(out)], env)
        split = run([PYTHON, "-c", SPLIT, str(project), str(out)], env)
        idle = json.loads(split.stdout)
        changed = change_one_case(project)
        after = run([PYTHON, "-c", SPLIT, str(project), str(out)], env)
        one = json.loads(after.stdout)
        lines.append(
            f"| {meetings} | {idle['documents']} | {_s(first.seconds)} / {first.rss_mb:.0f} MB | "
            f"{_s(again.seconds)} / {again.rss_mb:.0f} MB | "
            f"{_s(idle['check'])} + {_s(idle['write'])} ({idle['written']} skrevet) | "
            f"{one['written']} ({changed}) | {_s(one['check'])} + {_s(one['write'])} |"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
