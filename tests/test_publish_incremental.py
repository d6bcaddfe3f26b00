"""Publishing again after one meeting changed rewrites only what depends on it."""

from __future__ import annotations

from pathlib import Path

from dagsorden.publish import publish
from site_support import copy_example, tree

CHANGED = "2023-03-02-hu"
# What a meeting's change may reach besides its own pages and objects: the pages and lists
# that show it, the papers of its cases, the feeds and the search index.
SHARED = (
    "index.html",
    "udvalg/hu/index.html",
    "kalender/",
    "pagefind/",
    "oparl/lister/",
    "oparl/paper/",
    "oparl/location/",
    "oparl/body/",
    "oparl/system.json",
)
OWN = (
    f"moeder/{CHANGED}/",
    f"oparl/meeting/{CHANGED}.json",
    f"oparl/agendaitem/{CHANGED}/",
    f"oparl/consultation/{CHANGED}/",
    f"oparl/file/{CHANGED}/",
)


def test_one_changed_decision_rewrites_only_what_shows_it(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "p", git=False)
    site = tmp_path / "websted"
    first = publish(root, site, pdf=False)
    assert first.read == first.meetings == 5 and first.kept == 0
    untouched = site / "moeder" / "2022-12-13-kb" / "index.html"
    inode = untouched.stat().st_ino
    before = tree(site)

    again = publish(root, site, pdf=False)
    assert (again.read, again.written) == (0, [])  # nothing read, nothing written
    assert tree(site) == before  # the search index kept whole, without running Pagefind

    meeting = root / "agenda" / f"{CHANGED}.yaml"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(
        text.replace("godkendte den foreslåede indsats for 2023.", "udsatte sagen."),
        encoding="utf-8",
    )
    changed = publish(root, site, pdf=False)
    # The meetings sharing a case with it are read again; the two other HU meetings are not.
    assert changed.read == 3
    assert changed.written, "the change must show"
    assert f"moeder/{CHANGED}/sag-23-1532.html" in changed.written
    assert f"oparl/agendaitem/{CHANGED}/sag-23-1532.json" in changed.written
    strays = [w for w in changed.written if not w.startswith((*OWN, *SHARED))]
    assert strays == []
    assert not [w for w in changed.written if w.startswith("moeder/2022-")]
    assert "udsatte sagen." in (site / "moeder" / CHANGED / "sag-23-1532.html").read_text(
        encoding="utf-8"
    )
    # An unchanged page is the same file as before, not a copy.
    assert untouched.stat().st_ino == inode
    # And the site is exactly what publishing the changed data afresh gives.
    fresh = publish(root, tmp_path / "frisk", pdf=False)
    assert fresh.read == 5
    assert tree(site) == tree(tmp_path / "frisk")
