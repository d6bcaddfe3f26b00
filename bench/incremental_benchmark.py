"""Building every meeting of the archive: peak memory, and what a second build costs (issue 9).

For each size an archive from `bench/archive.py` is generated (cached in the work folder) and
`dagsorden byg --uden-pdf` of all meetings is run in fresh processes, each with its wall time
and peak RSS (`os.wait4`):

* the first build into an empty folder (every document rendered and written);
* the same again, nothing changed;
* after the title of a case on a planned meeting changed (the case with the most treatments
  among those): only the planned meeting's documents that show it may be written;
* after the title of a case treated only at held meetings changed: their documents are the
  frozen records' (`arkiv/`), so nothing may be written.

What was written is counted from the output folder itself (each file's inode and time before
and after), not from what the command says.

    python bench/incremental_benchmark.py [--sizes 125 250 500 1000] [--workdir DIR]
    python bench/incremental_benchmark.py --quick      # 20 meetings: does it still run?
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import archive
from archive_benchmark import PYTHON, Run, Series, child_env, machine, run


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


def pick_cases(root: Path) -> tuple[str, str]:
    """A case on a planned meeting with the most treatments, and one treated only at held
    meetings with the most treatments (the first found of each)."""
    data = json.loads((root / "arkiv.json").read_text())
    planned = {name for name, m in data["meetings"].items() if not m["held"]}
    cases = sorted(data["cases"].items(), key=lambda nc: -len(nc[1]["meetings"]))
    live = next(n for n, c in cases if planned & set(c["meetings"]))
    held = next(n for n, c in cases if not planned & set(c["meetings"]))
    return live, held


def change_case(root: Path, number: str) -> str:
    """Put a word before the case's title; the case as the table shows it."""
    data = json.loads((root / "arkiv.json").read_text())
    case = data["cases"][number]
    path = root / case["file"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("titel: ", "titel: Ændret, ", 1), encoding="utf-8")
    return f"{number} ({len(case['meetings'])} møder)"


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    """Every output file (not the build's own hidden files) by its inode and time."""
    found = {}
    for parent, folders, files in os.walk(out):
        folders[:] = [f for f in folders if not f.startswith(".")]
        for name in files:
            if not name.startswith("."):
                path = os.path.join(parent, name)
                st = os.stat(path)
                found[os.path.relpath(path, out)] = (st.st_ino, st.st_mtime_ns)
    return found


def written(before: dict[str, tuple[int, int]], out: Path) -> list[str]:
    after = snapshot(out)
    return sorted(name for name, state in after.items() if before.get(name) != state)


def _cell(r: Run) -> str:
    return Series([r]).cell()


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
        "| møder | dokumenter | byg (første) | byg igen | en sag på et planlagt møde ændret "
        "| skrevet | en sag kun på afholdte møder ændret | skrevet |",
        "| ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
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
        build += ["--ud", str(out)]
        first = run(build, env)
        documents = len([n for n in snapshot(out) if n.endswith(".docx")])
        state = snapshot(out)
        again = run(build, env)
        none = written(state, out)
        live, held = pick_cases(project)
        cells = []
        for number in (live, held):
            shown = change_case(project, number)
            state = snapshot(out)
            result = run(build, env)
            names = written(state, out)
            listed = ", ".join(names) if len(names) <= 4 else f"{len(names)} filer"
            cells += [f"{_cell(result)}, {shown}", f"{len(names)}: {listed}" if names else "0"]
        lines.append(
            f"| {meetings} | {documents} | {_cell(first)} | {_cell(again)}, "
            f"{len(none)} skrevet | {' | '.join(cells)} |"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
