"""The web app on a real-sized archive: how long a page and a recording click take.

A data project from `bench/archive.py` (or an existing one given with --projekt) is served by
the app in this process through Starlette's test client, so the figures are the server's own
work (no network, no browser). Timed, after one warm-up request each:

* the overview of the year (every meeting of the archive, what needs doing next);
* a planned meeting's page and its live recording page (the narrow check of the meeting);
* a recording click: afbud for a member and its withdrawal, alternately (check before write,
  lock, atomic write, check after; the answer is the 303 back to the page).

The targets (issue 12): a page under 100 ms, a recording click under 200 ms, on 1,000 meetings.

    python bench/web_benchmark.py [--moeder 1000] [--gange 20] [--workdir DIR] [--projekt DIR]
    python bench/web_benchmark.py --quick      # 20 meetings, a few runs: does it still run?
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import archive
from dagsorden.load import load_project
from dagsorden.model import Status


def timed(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm-up: the first request reads what the store does not know yet
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        found.append(time.perf_counter() - start)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--moeder", type=int, default=1000)
    parser.add_argument("--gange", type=int, default=20, help="timed runs of each")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--projekt", type=Path, default=None, help="an archive already made")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.moeder, args.gange = 20, 2
    os.environ.setdefault("DAGSORDEN_CACHE_MAPPE", tempfile.mkdtemp(prefix="dagsorden-web-"))
    from starlette.testclient import TestClient

    from dagsorden.web import create_app

    root = args.projekt
    if root is None:
        workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dagsorden-web-bench-"))
        root = workdir / f"m{args.moeder}"
        archive.generate(root, args.moeder)
    project, _ = load_project(root)
    planned = sorted(
        (m for m in project.meetings.values() if m.status is Status.PLANNED and m.items),
        key=lambda m: m.sort_key,
    )
    meeting = planned[0] if planned else max(project.meetings.values(), key=lambda m: m.sort_key)
    org = project.organisation
    assert org is not None
    member = next(p.name for p in org.people.values() if p.membership(meeting.bodies, meeting.date))
    app = create_app(root, token="bench", commit=False)
    client = TestClient(app, base_url="http://127.0.0.1:8017")
    client.get("/?token=bench")
    origin = {"origin": "http://127.0.0.1:8017"}
    clicks = [0]

    def page(url: str) -> Callable[[], object]:
        def get() -> object:
            answer = client.get(url)
            assert answer.status_code == 200, answer.text[:500]
            return answer

        return get

    def click() -> object:
        clicks[0] += 1
        data = {"navn": member, "side": "optag"}
        if clicks[0] % 2 == 0:
            data["handling"] = "fjern"
        answer = client.post(
            f"/moede/{meeting.name}/afbud", data=data, headers=origin, follow_redirects=False
        )
        assert answer.status_code == 303, answer.text[:2000]
        return answer

    if any(r.name == member for r in meeting.absent):
        clicks[0] = 1  # the first click withdraws
    print(f"{len(project.meetings)} møder, {len(project.cases)} sager; mødet {meeting.name}")
    rows = [
        ("oversigten over året", page(f"/?aar={meeting.date.year}"), 0.100),
        ("mødets side", page(f"/moede/{meeting.name}"), 0.100),
        ("optagesiden", page(f"/moede/{meeting.name}/optag?punkt=1"), 0.100),
        ("et klik (afbud/fortryd)", click, 0.200),
    ]
    print(f"{'':28} {'median':>8} {'største':>8} {'mål':>6}")
    for label, action, target in rows:
        times = timed(action, args.gange)
        median = statistics.median(times)
        print(
            f"{label:28} {median * 1000:7.0f}ms {max(times) * 1000:7.0f}ms {target * 1000:5.0f}ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
