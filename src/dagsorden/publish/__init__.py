"""Publishing: the municipality's public meeting site, OParl 1.1 and calendar feeds.

`publish` builds every meeting's documents (`build.build`, so the public PDFs and packets are
`byg`'s own), makes each meeting's public view from the public edition's contexts
(`_public`), and writes the site (`site`), the search index (`search`), the OParl export
(`oparl`) and the calendar feeds (`calendar`) into a new folder that replaces the old site only
when all of it is made (`_folder`). A meeting whose data has not changed since the last
publishing keeps its view (remembered beside the site, keyed as `tjek` keys its check) and is
not read again; files whose bytes are unchanged are linked from the old site, not rewritten.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import DagsordenError, Problem, Problems, ProblemsError, cannot_write
from ..progress import silent

if TYPE_CHECKING:
    from .._outputs import Built, Progress
    from ..model import Organisation

__all__ = ["DEFAULT_BASE", "PUBLISHING", "Published", "publish", "site_folder"]

PUBLISHING = "Udgiver møder"
DEFAULT_BASE = "http://localhost:8000/"
_FORMAT = 1
# A view made by another version of the publisher is made again.
_VIEW_VERSION = "1"


@dataclass
class Published:
    """What a publishing did: the site folder, the files it wrote (relative; unchanged files
    were linked from the old site), how many it kept, and the build's warnings."""

    site: Path
    written: list[str] = field(default_factory=list)
    kept: int = 0
    meetings: int = 0
    read: int = 0  # meetings whose views were made anew
    warnings: list[Problem] = field(default_factory=list)


def site_folder(root: Path, out: Path | None) -> Path:
    """The site's folder: `--ud`, else out/websted/ in the project."""
    return out if out is not None else root / "out" / "websted"


def publish(
    root: Path,
    out: Path | None = None,
    *,
    base_url: str | None = None,
    pdf: bool = True,
    progress: Progress = silent,
) -> Published:
    """Build the documents, then write the public site into `out` (all or nothing)."""
    from ..build import build

    site = site_folder(root, out)
    base = _base(base_url)
    built, warnings = build(root, out=root / "out", pdf=pdf, progress=progress)
    with _locked(site):
        result = _publish(root, site, base, built, progress)
    result.warnings = warnings
    return result


def _publish(
    root: Path, site: Path, base: str, built: list[Built], progress: Progress
) -> Published:
    from .._check_all import keys_for
    from ..cache import open_store
    from ..check import check_public_text
    from ..context import case_history
    from ..model import Organisation
    from ..scope import CHANGED_MEANWHILE, load_meetings, read_index
    from . import calendar, oparl, search
    from . import site as pages
    from ._folder import SiteFolder
    from ._material import Material
    from ._public import meeting_view
    from ._stamps import Stamps

    remembered = _Remembered(site)
    store = open_store(root)
    try:
        index = read_index(root, store)
        keys = keys_for(root, store, index)
        org_model = index.organisation.record
        if not isinstance(org_model, Organisation):
            raise DagsordenError("organisation.yaml kunne ikke læses")
        views: dict[str, dict[str, Any]] = {}
        wanted = {n: f"{keys.meeting(n)}|{__version__}|{_VIEW_VERSION}" for n in index.meetings}
        stale = []
        for name, key in wanted.items():
            known = remembered.views.get(name)
            if isinstance(known, dict) and known.get("key") == key:
                views[name] = known["view"]
            else:
                stale.append(name)
        if stale:
            scoped = load_meetings(root, stale, store, None, index)
            if scoped is None:
                raise DagsordenError(CHANGED_MEANWHILE)
            project = scoped[0]
            history = case_history(project)
            made = []
            with progress(len(stale), PUBLISHING) as advance:
                for name in sorted(stale):
                    views[name] = meeting_view(project, project.meetings[name], history)
                    made.append(views[name])
                    advance(name)
            # The CPR guard over what the site shows, frozen meetings included.
            problems = Problems()
            check_public_text(project, list(_strings(made)), problems)
            if problems.items:
                raise ProblemsError(problems.sorted())
        sources: dict[str, list[str]] = {
            name: [entry.relative, f"arkiv/{name}/"] for name, (entry, _) in index.meetings.items()
        }
        for view in views.values():
            for item in view["items"]:
                if item["case"] and item["case"] in index.cases:
                    sources[f"sag {item['case']}"] = [index.cases[item["case"]][0].relative]
    finally:
        store.close()
    org = _organisation(org_model)
    files = _files(built, remembered)
    stamps = Stamps(root)
    # A meeting whose view, PDFs, times and address are as last time: its own pages and
    # objects are kept as they are, without being made.
    signatures = {
        name: _digest(
            [wanted[name], base, stamps.of(sources[name], _day(views[name]["date"]))]
            + [[f[k] for k in ("file", "bytes", "sha1")] for f in files.get(name, [])]
        )
        for name in views
    }
    unchanged = frozenset(n for n, s in signatures.items() if remembered.signature(n) == s)
    material = Material(base, org, views, files, sources, stamps, unchanged)
    folder = SiteFolder(site)
    try:
        for path, maker, keep in chain(
            pages.pages(material), oparl.objects(material), calendar.feeds(material)
        ):
            folder.make(path, maker, keep)
        for name, shown in files.items():
            for f in shown:
                folder.put_file(f"moeder/{name}/{f['file']}", Path(f["source"]))
        if any(w.endswith(".html") for w in folder.written) or not search.current(site):
            for path, data in search.index(folder.folder):
                folder.put(path, data)
        else:  # the same pages give the same index: keep it as it is
            folder.keep_tree(search.FOLDER)
        folder.swap()
    except BaseException:
        folder.discard()
        raise
    remembered.write(
        {n: {"key": wanted[n], "signature": signatures[n], "view": v} for n, v in views.items()},
        {f["source"]: f for shown in files.values() for f in shown},
    )
    return Published(site, sorted(folder.written), folder.kept, len(views), len(stale))


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()


def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _base(base_url: str | None) -> str:
    """The site's absolute address, ending in '/'."""
    base = (base_url or DEFAULT_BASE).strip()
    if not base.startswith(("http://", "https://")):
        raise DagsordenError(
            f"--basis-url skal være en fuld adresse, der begynder med https:// (fik '{base}')"
        )
    return base if base.endswith("/") else base + "/"


def _organisation(org: Organisation) -> dict[str, Any]:
    """The bodies and the people with their dated memberships: public facts of the council."""
    from ._public import slug

    return {
        "municipality": org.municipality,
        "bodies": [
            {"abbr": b.abbreviation, "name": b.name, "slug": slug(b.abbreviation)}
            for b in org.bodies.values()
        ],
        "people": [
            {
                "name": p.name,
                "memberships": [
                    {
                        "body": m.body.name,
                        "party": m.party,
                        "organisation": m.organisation,
                        "job_title": m.job_title,
                        "role": m.role,
                        "start": m.start.isoformat(),
                        "end": m.end.isoformat() if m.end else "",
                    }
                    for m in p.memberships
                    if m.body.name in org.bodies
                ],
            }
            for p in org.people.values()
        ],
    }


_LABELS = {
    "dagsorden": "Dagsorden",
    "tillaeg": "Tillægsdagsorden",
    "pakke": "Dagsorden med alle offentlige bilag",
}


def _files(built: list[Built], remembered: _Remembered) -> dict[str, list[dict[str, Any]]]:
    """The public PDFs and packets `byg` made, per meeting, in the order a reader wants them."""
    from ..context import DocumentKind, Edition

    found: dict[str, list[dict[str, Any]]] = {}
    order = ("dagsorden", "tillaeg", "referat", "pakke")
    for b in built:
        if b.edition is not Edition.PUBLIC or b.path.suffix != ".pdf":
            continue
        if b.path.name.startswith("dagsordenspakke-"):
            kind = "pakke"
        elif b.kind is DocumentKind.SUPPLEMENT:
            kind = "tillaeg"
        elif b.kind is DocumentKind.MINUTES:
            kind = "referat"
        else:
            kind = "dagsorden"
        word = b.path.name.rsplit("-", 1)[0]
        label = _LABELS.get(kind) or word.capitalize()
        info = b.path.stat()
        key = f"{b.path}"
        old = remembered.files.get(key)
        if isinstance(old, dict) and (old.get("bytes"), old.get("mtime")) == (
            info.st_size,
            info.st_mtime_ns,
        ):
            sha1 = old["sha1"]
        else:
            sha1 = hashlib.sha1(b.path.read_bytes()).hexdigest()
        found.setdefault(b.meeting, []).append(
            {
                "kind": kind,
                "label": label,
                "file": b.path.name,
                "source": key,
                "bytes": info.st_size,
                "mtime": info.st_mtime_ns,
                "size": _size(info.st_size),
                "sha1": sha1,
            }
        )
    for shown in found.values():
        shown.sort(key=lambda f: order.index(f["kind"]))
    return found


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} kB"
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        if "items" in value and "tag" in value:  # a text group: its entries as they read
            for runs in value["items"]:
                yield "".join(r["text"] for r in runs)
            return
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


class _Remembered:
    """The views and PDF checksums of the last publishing, beside the site (not in it)."""

    def __init__(self, site: Path) -> None:
        self.path = site.parent / f".{site.name}.dagsorden-udgivet.json"
        self.views: Mapping[str, Any] = {}
        self.files: Mapping[str, Any] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == _FORMAT and site.is_dir():
            self.views = data.get("views", {})
            self.files = data.get("files", {})

    def signature(self, name: str) -> str | None:
        known = self.views.get(name)
        return known.get("signature") if isinstance(known, dict) else None

    def write(self, views: Mapping[str, Any], files: Mapping[str, Any]) -> None:
        data = {"format": _FORMAT, "views": views, "files": files}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)  # only a shortcut: next time every view is made


@contextmanager
def _locked(site: Path) -> Iterator[None]:
    """One publishing into a folder at a time."""
    lock = site.parent / f".{site.name}.lock"
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a")  # noqa: SIM115
    except OSError as exc:
        raise DagsordenError(cannot_write(site, exc)) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise DagsordenError(
                f"{site}: en anden udgivelse til samme mappe er i gang; vent, til den er færdig"
            ) from exc
        yield
