"""Publishing the archive (`dagsorden udgiv`): the first time, again, and after one change.

For each size an archive from `bench/archive.py` is generated (cached in the work folder),
copied and committed to a new git repository (the OParl and calendar times come from git), and
built once with `byg --uden-pdf` (the documents are `byg`'s; its cost is measured by
incremental_benchmark.py). Then `udgiv --uden-pdf` runs in fresh processes, each timed with its
peak RSS (`os.wait4`):

* the first publishing into an empty folder (every view made, every file written);
* again, nothing changed (no view made, no file written);
* after one meeting's decision changed: the views of the meetings that share a case with it
  are made again, the documents of that meeting rebuilt, and only the files whose bytes
  changed are written; the rest are linked from the old site.

    python bench/publish_benchmark.py [--sizes 1000] [--workdir DIR]
    python bench/publish_benchmark.py --quick      # 20 meetings: does it still run?
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from archive_benchmark import PYTHON, _s, child_env, machine, run
from incremental_benchmark import prepare

BASE = "https://kommune.example/moeder/"
_SUMMARY = re.compile(r"udgav (\d+) møder i .*: (\d+) filer skrevet, (\d+) uændrede")


def commit(root: Path) -> None:
    env = {
        "GIT_AUTHOR_NAME": "Benchmark",
        "GIT_AUTHOR_EMAIL": "benchmark@example.invalid",
        "GIT_COMMITTER_NAME": "Benchmark",
        "GIT_COMMITTER_EMAIL": "benchmark@example.invalid",
        "GIT_AUTHOR_DATE": "2026-12-01T12:00:00+01:00",
        "GIT_COMMITTER_DATE": "2026-12-01T12:00:00+01:00",
        "PATH": "/usr/bin:/bin",
    }
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "arkiv"]):
        subprocess.run(cmd, cwd=root, check=True, env=env)


def change_one_meeting(root: Path) -> str:
    """Change the first decision of the archive's suggested meeting (the last held KB
    meeting, whose cases came through a fagudvalg and ØK); its name."""
    name = str(json.loads((root / "arkiv.json").read_text())["one"])
    path = root / "agenda" / f"{name}.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("beslutning:"))
    if lines[at].rstrip().endswith(("|", ">")):  # a block: its first line
        at += 1
    lines[at] += " Ændret."
    path.write_text("\n".join(lines), encoding="utf-8")
    return name


def files(output: str) -> tuple[int, int, int]:
    found = _SUMMARY.search(output)
    assert found is not None, output
    meetings, written, kept = (int(x) for x in found.groups())
    return meetings, written, kept


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/dagsorden-udgiv"))
    parser.add_argument("--quick", action="store_true", help="20 meetings: does it run?")
    parser.add_argument(
        "--genbrug",
        action="store_true",
        help="reuse the copy and its built documents from an earlier run (its meeting files"
        " put back from the archive first)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [20]
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = child_env(args.workdir)
    lines = [
        "# udgiv af arkivet: første gang, igen, og efter én ændring",
        "",
        *machine(),
        "",
        "| møder | filer på sitet | udgiv (første) | udgiv igen | ét møde ændret |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for meetings in args.sizes:
        print(f"{meetings} møder ...", file=sys.stderr, flush=True)
        root = prepare(meetings, args.workdir, args.seed)
        project = args.workdir / f"m{meetings}" / "kopi"
        common = [PYTHON, "-m", "dagsorden", "--projekt", str(project)]
        if args.genbrug and (project / "out").is_dir():
            shutil.copytree(root / "agenda", project / "agenda", dirs_exist_ok=True)
        else:
            shutil.rmtree(project, ignore_errors=True)
            shutil.copytree(root, project)
            commit(project)
        run([*common, "byg", "--uden-pdf"], env)
        site = args.workdir / f"m{meetings}" / "websted"
        shutil.rmtree(site, ignore_errors=True)
        for stale in site.parent.glob(".websted*"):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        publish = [*common, "udgiv", "--uden-pdf", "--ud", str(site), "--basis-url", BASE]
        first = run(publish, env)
        _, total, _ = files(first.stdout)
        print(f"  første: {_s(first.seconds)}, {total} filer", file=sys.stderr, flush=True)
        again = run(publish, env)
        print(f"  igen: {_s(again.seconds)}", file=sys.stderr, flush=True)
        name = change_one_meeting(project)
        after = run(publish, env)
        _, written, _ = files(after.stdout)
        _, idle, _ = files(again.stdout)
        lines.append(
            f"| {meetings} | {total} | {_s(first.seconds)} / {first.rss_mb:.0f} MB | "
            f"{_s(again.seconds)} / {again.rss_mb:.0f} MB, {idle} skrevet | "
            f"{_s(after.seconds)} / {after.rss_mb:.0f} MB, {written} skrevet ({name}) |"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
