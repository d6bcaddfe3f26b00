"""Frozen records: what a meeting's agenda showed when it was sent, and its minutes when approved.

A record is a folder under `arkiv/<møde>/<fase>/` written once by the tool (docs/format.md):
`indhold.json` (the meeting file's own content at that moment, the bilag files' hashes, the
documents made and their hashes, and a checksum over all of it), one template context per
document and edition as JSON, and the Word and PDF files as they were made. Corrections to
approved minutes are records of their own, `arkiv/<møde>/rettelse-<n>.json`.

This module reads and verifies records; `freeze` writes them. Verifying costs hashing, never
rendering, so a frozen meeting is cheap however long the archive grows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from .cache import Store, content_digest, file_sha256, settled
from .errors import Location, Problem, Problems
from .inside import relative_name
from .model import (
    Correction,
    FrozenCorrection,
    FrozenDocument,
    FrozenRecord,
    Item,
    Meeting,
    Status,
    Text,
)

__all__ = [
    "ARCHIVE",
    "FORMAT",
    "INTERRUPTED",
    "SETTLED_BY_FREEZING",
    "STAGES",
    "STAGE_STATUS",
    "STAGE_WHAT",
    "STATUS_ORDER",
    "UNFROZEN",
    "canonical",
    "checksum",
    "correction_data",
    "data_key",
    "describe_item",
    "file_sha256",
    "item_key",
    "meeting_data",
    "read_records",
    "record_folder",
]

ARCHIVE = "arkiv"
FORMAT = 1
STAGES = ("udsendt", "afholdt", "godkendt")
# Problem code of a freezing that was interrupted after the record was written and before the
# meeting file said so; the command that froze completes it when run again.
INTERRUPTED = "frysning-afbrudt"
# Problem code of a meeting whose status says sent or approved but that has no record (data
# from before records existed); 'dagsorden frys' makes it.
UNFROZEN = "ikke-frosset"
SETTLED_BY_FREEZING = (INTERRUPTED, UNFROZEN)
STAGE_STATUS = {"udsendt": Status.SENT, "afholdt": Status.HELD, "godkendt": Status.APPROVED}
STAGE_WHAT = {
    "udsendt": "den udsendte dagsorden",
    "afholdt": "den behandlede dagsorden",
    "godkendt": "den godkendte protokol",
}
STATUS_ORDER = [Status.PLANNED, Status.SENT, Status.HELD, Status.APPROVED]
_CORRECTION = re.compile(r"rettelse-(\d+)\.json")


def record_folder(root: Path, meeting: str, stage: str) -> Path:
    return root / ARCHIVE / meeting / stage


def item_key(item: Item) -> str:
    """An item's identity within its meeting, independent of its position: its case number,
    or for an item without a case its title."""
    if item.case is not None:
        return f"sag {item.case.name}"
    return f"punkt {item.title or ''}"


def data_key(item: Mapping[str, Any]) -> str:
    """`item_key` of an item as a record keeps it (records.meeting_data)."""
    return f"sag {item['sag']}" if "sag" in item else f"punkt {item.get('titel', '')}"


def describe_item(position: int, item: Item) -> str:
    """'punkt 2 (sag 22/2217)' or 'punkt 5 (Meddelelser)', as messages name an item."""
    what = f"sag {item.case.name}" if item.case is not None else item.title or ""
    return f"punkt {position} ({what})"


# -- the meeting file's own content, canonical ----------------------------------------------


def _text(text: Text | None) -> str | None:
    return None if text is None else text.source.strip()


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, [], {})}


def _item_data(item: Item) -> dict[str, Any]:
    votes = item.votes
    return _compact(
        {
            "sag": item.case.name if item.case else None,
            "titel": item.title,
            "adgang": item.access.value if item.access else None,
            "offentlig_titel": item.public_title,
            "tekst": _text(item.text),
            "indstilling": _text(item.recommendation),
            "beslutning": _text(item.decision),
            "offentlig_beslutning": _text(item.public_decision),
            "deltog_ikke": [
                _compact({"navn": n.person.name, "årsag": n.reason}) for n in item.non_participation
            ],
            "protokolbemærkninger": [
                _compact({"navn": n.person.name if n.person else None, "tekst": _text(n.text)})
                for n in item.notes
            ],
            "afstemning": _compact(
                {
                    "for": [r.name for r in votes.for_],
                    "imod": [r.name for r in votes.against],
                    "undlod": [r.name for r in votes.abstained],
                }
            )
            if votes
            else None,
        }
    )


def meeting_data(meeting: Meeting) -> dict[str, Any]:
    """What the meeting file itself says (status, approval and corrections aside), in a plain
    form that compares equal exactly when the file's content is the same."""
    return _compact(
        {
            "udvalg": meeting.body.name if not meeting.joint else list(meeting.bodies),
            "dato": meeting.date.isoformat(),
            "start": f"{meeting.start:%H:%M}",
            "slut": f"{meeting.end:%H:%M}" if meeting.end else None,
            "sted": meeting.place,
            "lukket": meeting.closed or None,
            "ekstraordinært": meeting.extraordinary or None,
            "afbud": [r.name for r in meeting.absent],
            "stedfortrædere": [
                {"navn": s.person.name, "for": s.replaces.name} for s in meeting.substitutes
            ],
            "delvis": [
                _compact(
                    {
                        "navn": p.person.name,
                        "ankom": f"{p.arrived:%H:%M}" if p.arrived else None,
                        "gik": f"{p.left:%H:%M}" if p.left else None,
                        "punkter": list(p.items),
                    }
                )
                for p in meeting.partial
            ],
            "punkter": [_item_data(i) for i in meeting.items],
        }
    )


def correction_data(correction: Correction) -> dict[str, Any]:
    return _compact(
        {
            "dato": correction.date.isoformat(),
            "punkt": correction.item,
            "tekst": _text(correction.text),
        }
    )


def canonical(value: Any) -> bytes:
    """The one byte form a record's content is hashed in."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def checksum(value: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical(value)).hexdigest()


# -- reading ---------------------------------------------------------------------------------


def read_records(
    root: Path,
    problems: Problems,
    *,
    only: str | Collection[str] | None = None,
    files_only: Store | None = None,
    skip: Collection[str] = (),
) -> tuple[dict[str, dict[str, FrozenRecord]], dict[str, tuple[FrozenCorrection, ...]]]:
    """Every record under arkiv/ (or only those of the meetings named by `only`, and never
    those `skip` names), by meeting and stage, and every frozen correction.

    With `files_only`, the records hold only what checking their files needs (no meeting
    data, no access), remembered in that store by each file's size and times: checking
    every record of a large archive then reads none of them again."""
    records: dict[str, dict[str, FrozenRecord]] = {}
    corrections: dict[str, tuple[FrozenCorrection, ...]] = {}
    archive = root / ARCHIVE
    if not archive.is_dir():
        return records, corrections
    if only is None:
        folders = sorted(archive.iterdir())
    else:
        names = sorted({only} if isinstance(only, str) else set(only))
        folders = [archive / name for name in names if (archive / name).is_dir()]
    for folder in folders:
        if folder.name.startswith(".") or folder.name in skip or not folder.is_dir():
            continue
        for stage in STAGES:
            index = folder / stage / "indhold.json"
            if index.is_file():
                record = _remembered(root, index, folder.name, stage, problems, files_only)
                if record is not None:
                    records.setdefault(folder.name, {})[stage] = record
            elif (folder / stage).exists():
                problems.error(
                    Location(_relative(root, folder / stage)),
                    "den frosne mappe mangler indhold.json; hent den tilbage fra git",
                )
        found = []
        for path in folder.iterdir():
            match = _CORRECTION.fullmatch(path.name)
            if match:
                fix = _read_correction(root, path, folder.name, int(match[1]), problems)
                if fix is not None:
                    found.append(fix)
        if found:
            corrections[folder.name] = tuple(sorted(found, key=lambda c: c.number))
    return records, corrections


# Records already read in this process, by absolute path and stat (only files whose times had
# settled), with the digest of the content read: checking every meeting reads each record for
# every meeting that shows it.
_SEEN: dict[
    str, tuple[tuple[int, int, int, int], FrozenRecord | None, list[Problem], str | None]
] = {}


def _remembered(
    root: Path,
    index: Path,
    meeting: str,
    stage: str,
    problems: Problems,
    store: Store | None = None,
) -> FrozenRecord | None:
    try:
        stat = index.stat()
    except OSError:
        return _read_record(root, index, meeting, stage, problems)
    state = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    relative = _relative(root, index)
    real = os.path.abspath(index)
    if store is not None:
        known = store.summary(real, relative, f"rekord:{meeting}:{stage}", stat)
        if known is not None and isinstance(known[0], tuple) and len(known[0]) == 2:
            light, found_before = known[0]
            problems.items.extend(found_before)
            return cast(FrozenRecord | None, light)
    key = f"{real}|{relative}"
    seen = _SEEN.get(key)
    if seen is not None and seen[0] == state:
        record, found_items, content = seen[1], seen[2], seen[3]
    else:
        try:
            data: bytes | None = index.read_bytes()
        except OSError:
            data = None  # reading it says why
        found = Problems()
        record = _read_record(root, index, meeting, stage, found, data)
        found_items = found.items
        content = content_digest(data) if data is not None else None
        if settled(state):
            if len(_SEEN) > 20_000:  # a long-running process (the web app) starts afresh
                _SEEN.clear()
            _SEEN[key] = (state, record, found_items, content)
    problems.items.extend(found_items)
    if store is None:
        return record
    light = replace(record, data={}, access={}) if record is not None else None
    if content is not None:  # remembered under the content it was read from
        digest = f"rekord:{meeting}:{stage}:{content}"
        store.remember_summary(relative, digest, (light, tuple(found_items)), stat)
    return light


def _relative(root: Path, path: Path) -> str:
    return relative_name(root, path) or path.relative_to(root).as_posix()


def _load_json(
    root: Path, path: Path, problems: Problems, data: bytes | None = None
) -> dict[str, Any] | None:
    where = Location(_relative(root, path))
    try:
        value = json.loads((path.read_bytes() if data is None else data).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        problems.error(where, "den frosne fil kan ikke læses; hent den tilbage fra git")
        return None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        problems.error(
            where,
            f"den frosne fil har ikke format {FORMAT}; den er skrevet af en anden udgave af"
            " dagsorden eller ændret i hånden",
        )
        return None
    return value


def _sealed(value: dict[str, Any]) -> bool:
    body = {k: v for k, v in value.items() if k != "kontrolsum"}
    return value.get("kontrolsum") == checksum(body)


def _read_record(
    root: Path,
    index: Path,
    meeting: str,
    stage: str,
    problems: Problems,
    data: bytes | None = None,
) -> FrozenRecord | None:
    value = _load_json(root, index, problems, data)
    if value is None:
        return None
    where = Location(_relative(root, index))
    base = index.parent
    try:
        documents = tuple(
            FrozenDocument(
                kind=str(d["art"]),
                edition=str(d["udgave"]),
                context_file=_relative(root, base / str(d["kontekst"]["fil"])),
                context_sha256=str(d["kontekst"]["sha256"]),
                files={_relative(root, base / name): str(h) for name, h in d["filer"].items()},
                corrections_at=tuple(int(n) for n in d.get("rettelser_ved", [])),
            )
            for d in value["dokumenter"]
        )
        return FrozenRecord(
            meeting=str(value["møde"]),
            stage=str(value["fase"]),
            date=dt.date.fromisoformat(str(value["dato"])),
            data=dict(value["mødedata"]),
            documents=documents,
            attachments=tuple((str(b["fil"]), str(b["sha256"])) for b in value["bilag"]),
            checksum=str(value.get("kontrolsum")),
            checksum_ok=_sealed(value) and value["møde"] == meeting and value["fase"] == stage,
            location=where,
            access={str(k): str(v) for k, v in value.get("adgang", {}).items()},
            pictures=tuple((str(b["fil"]), str(b["sha256"])) for b in value.get("billeder", [])),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        problems.error(where, "den frosne fil er ufuldstændig; hent den tilbage fra git")
        return None


def _read_correction(
    root: Path, path: Path, meeting: str, number: int, problems: Problems
) -> FrozenCorrection | None:
    value = _load_json(root, path, problems)
    if value is None:
        return None
    data = value.get("rettelse")
    ok = _sealed(value) and value.get("møde") == meeting and isinstance(data, dict)
    return FrozenCorrection(
        meeting,
        number,
        data if isinstance(data, dict) else {},
        ok,
        Location(_relative(root, path)),
    )
