"""Verifying frozen records: each whole and unchanged, and the meeting files agreeing with them.

Verifying costs hashing, never rendering. Every difference is named: which meeting, item and
field, and what it said before and says now.
"""

from __future__ import annotations

import functools
import json
import subprocess
from collections.abc import Callable, Collection, Container, Iterator, Mapping
from pathlib import Path
from typing import Any

from .cache import git_blob
from .errors import Location, Problems
from .model import FrozenCorrection, FrozenRecord, Meeting, Status
from .records import (
    ARCHIVE,
    INTERRUPTED,
    STAGE_STATUS,
    STAGE_WHAT,
    STATUS_ORDER,
    UNFROZEN,
    correction_data,
    data_key,
    describe_item,
    file_sha256,
    item_key,
    meeting_data,
)

__all__ = ["check_committed", "check_records"]


# -- verifying -------------------------------------------------------------------------------


def check_records(
    root: Path,
    meetings: Mapping[str, Meeting],
    records: Mapping[str, Mapping[str, FrozenRecord]],
    corrections: Mapping[str, tuple[FrozenCorrection, ...]],
    problems: Problems,
    hashes: Callable[[Path], str] | None = None,
) -> None:
    """Every record is whole, matches its files and its meeting; nothing frozen was changed.

    `hashes` gives a file's SHA-256 (a bilag is listed by every record that showed it, so the
    caller should remember them)."""
    check_record_files(root, records, corrections, meetings, problems, hashes)
    check_meeting_records(meetings, records, corrections, problems)


def check_record_files(
    root: Path,
    records: Mapping[str, Mapping[str, FrozenRecord]],
    corrections: Mapping[str, tuple[FrozenCorrection, ...]],
    known: Container[str],
    problems: Problems,
    hashes: Callable[[Path], str] | None = None,
) -> None:
    """Every record is whole and matches its files; every record and correction belongs to a
    meeting of `known`."""
    if hashes is None:
        hashes = functools.lru_cache(maxsize=None)(file_sha256)
    for name, stages in records.items():
        for stage, record in stages.items():
            _check_record(root, record, problems, hashes)
            if name not in known:
                problems.error(
                    record.location,
                    f"mødet {name} er frosset ({stage} den {record.date:%d-%m-%Y}), men mødefilen"
                    f" agenda/{name}.yaml findes ikke; hent den tilbage fra git",
                )
    for name, fixes in corrections.items():
        if name not in known:
            for fix in fixes:
                problems.error(fix.location, f"rettelsen hører til mødet {name}, som ikke findes")


def check_meeting_records(
    meetings: Mapping[str, Meeting],
    records: Mapping[str, Mapping[str, FrozenRecord]],
    corrections: Mapping[str, tuple[FrozenCorrection, ...]],
    problems: Problems,
) -> None:
    """Each meeting's file agrees with its records: status, approval, what was approved,
    its corrections."""
    for name, meeting in meetings.items():
        stages = records.get(name, {})
        _check_status(meeting, stages, problems)
        approved = stages.get("godkendt")
        if approved is not None and approved.checksum_ok:
            _check_unchanged(meeting, approved, problems)
        _check_corrections(meeting, corrections.get(name, ()), approved, problems)


def _check_record(
    root: Path, record: FrozenRecord, problems: Problems, hashes: Callable[[Path], str]
) -> None:
    what = STAGE_WHAT[record.stage]
    if not record.checksum_ok:
        problems.error(
            record.location,
            f"{what} for {record.meeting} er ændret, efter den blev frosset (kontrolsummen passer"
            " ikke); en frossen fil ændres aldrig: hent den tilbage fra git",
        )
    expected = [(d.context_file, d.context_sha256) for d in record.documents]
    expected += [(f, h) for d in record.documents for f, h in d.files.items()]
    for relative, digest in expected:
        path = root / relative
        if not path.is_file():
            problems.error(
                record.location,
                f"{relative} fra {what} for {record.meeting} mangler; hent den tilbage fra git",
            )
        elif hashes(path) != digest:
            problems.error(
                record.location,
                f"{relative} fra {what} for {record.meeting} er ændret, efter den blev frosset;"
                " hent den tilbage fra git",
            )
    for relative, digest in record.attachments:
        path = root / relative
        if not path.is_file():
            problems.error(
                record.location,
                f"bilagsfilen {relative} fra {what} for {record.meeting} findes ikke mere;"
                " læg den tilbage (et nyt bilag får et nyt filnavn)",
            )
        elif hashes(path) != digest:
            problems.error(
                record.location,
                f"bilagsfilen {relative} er udskiftet, efter {what} for {record.meeting} blev"
                f" frosset den {record.date:%d-%m-%Y}; læg den oprindelige fil tilbage, og giv"
                " en ny udgave et nyt filnavn",
            )
    for relative, digest in record.pictures:
        path = root / relative
        if not path.is_file() or hashes(path) != digest:
            done = "findes ikke mere" if not path.is_file() else "er ændret"
            problems.error(
                record.location,
                f"billedet {relative} fra {what} for {record.meeting} {done}; læg det"
                " oprindelige billede tilbage (et nyt billede får et nyt filnavn)",
            )


def _check_status(meeting: Meeting, stages: Mapping[str, FrozenRecord], problems: Problems) -> None:
    """The meeting file's status and approval agree with what is frozen."""
    status = meeting.status
    name = meeting.name
    at = meeting.status_at or meeting.location  # the status line, where the file has one
    # Approved and frozen: 'dagsorden godkend' puts status and approval back; the earlier
    # stages need no advice of their own.
    shown = {"godkendt": stages["godkendt"]} if "godkendt" in stages else stages
    for stage, record in shown.items():
        needed = STAGE_STATUS[stage]
        if status is Status.CANCELLED and stage == "udsendt":
            continue  # a sent meeting may be cancelled; its sent agenda stays
        if status is not Status.CANCELLED and STATUS_ORDER.index(status) >= STATUS_ORDER.index(
            needed
        ):
            continue
        folder = f"{ARCHIVE}/{name}/{stage}"
        if stage in ("udsendt", "afholdt"):
            done = "blev udsendt" if stage == "udsendt" else "blev holdt"
            message = (
                f"mødet {name} {done}, og dagsordenen blev frosset den {record.date:%d-%m-%Y}"
                f" ({folder}), men mødefilen har status {status.value}; det kan ikke gøres om."
                f" Kør 'dagsorden status {name} {stage}' for at skrive status igen"
            )
        else:
            message = (
                f"protokollen for {name} blev godkendt og frosset den {record.date:%d-%m-%Y}"
                f" ({folder}), men mødefilen har status {status.value}; en godkendt protokol kan"
                f" ikke gøres ugodkendt. Kør 'dagsorden godkend {name}' for at skrive status og"
                " godkendelsen igen (den frosne protokol bruges)"
            )
        problems.error(at, message, code=INTERRUPTED)
    if status is Status.APPROVED and "godkendt" in stages:
        record = stages["godkendt"]
        approval = meeting.approval
        if approval is None:
            problems.error(
                at,
                f"mødet har status godkendt, men godkendelsen mangler i mødefilen; kør"
                f" 'dagsorden godkend {name}' for at skrive den igen (den frosne protokol bruges)",
                code=INTERRUPTED,
            )
        elif approval.checksum != record.checksum or approval.date != record.date:
            problems.error(
                approval.location,
                f"godkendelsen passer ikke med den frosne protokol ({ARCHIVE}/{name}/godkendt,"
                f" godkendt den {record.date:%d-%m-%Y}); skriv dato og kontrolsum tilbage, som de"
                " var",
            )
    elif status in (Status.SENT, Status.HELD, Status.APPROVED) and "udsendt" not in stages:
        problems.error(
            at,
            f"mødet har status {status.value}, men dets dagsorden er ikke frosset i"
            f" {ARCHIVE}/{name}/udsendt; kør 'dagsorden frys {name}' for at fryse den (eller"
            " 'dagsorden frys --alle' for alle møder fra før arkivet)",
            code=UNFROZEN,
        )
    elif status is Status.APPROVED:
        problems.error(
            at,
            f"mødet har status godkendt, men protokollen er ikke frosset i {ARCHIVE}/{name}/"
            f"godkendt; kør 'dagsorden frys {name}' for at fryse den",
            code=UNFROZEN,
        )


def _check_unchanged(meeting: Meeting, record: FrozenRecord, problems: Problems) -> None:
    """After approval, the meeting file says what it said; each difference is named."""
    for location, what, before, now in _differences(meeting, record.data):
        problems.error(
            location,
            f"protokollen for {meeting.name} blev godkendt den {record.date:%d-%m-%Y}, men {what}"
            f" er ændret siden: før {_shown(before)}, nu {_shown(now)}; sæt det tilbage, og skriv"
            f" ændringen som en rettelse ('dagsorden ret {meeting.name}')",
        )


_MEETING_FIELDS = {
    "udvalg": "udvalget",
    "dato": "datoen",
    "start": "starttidspunktet",
    "slut": "sluttidspunktet",
    "sted": "mødestedet",
    "lukket": "om mødet er lukket",
    "ekstraordinært": "om mødet er ekstraordinært",
    "afbud": "afbud",
    "stedfortrædere": "stedfortræderne",
    "delvis": "delvis deltagelse",
}


def _differences(
    meeting: Meeting, frozen: Mapping[str, Any]
) -> Iterator[tuple[Location, str, Any, Any]]:
    live = meeting_data(meeting)
    for key, what in _MEETING_FIELDS.items():
        if live.get(key) != frozen.get(key):
            yield meeting.location, what, frozen.get(key), live.get(key)
    before = list(frozen.get("punkter", []))
    now = live.get("punkter", [])
    keys_before = [data_key(i) for i in before]
    keys_now = [item_key(i) for i in meeting.items]
    if keys_before != keys_now:
        yield (
            meeting.location,
            "punkterne",
            ", ".join(k.split(" ", 1)[1] for k in keys_before),
            ", ".join(k.split(" ", 1)[1] for k in keys_now),
        )
        return
    for position, (item, old, new) in enumerate(zip(meeting.items, before, now, strict=True), 1):
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                yield (
                    item.location,
                    f"{describe_item(position, item)}, {key}",
                    old.get(key),
                    new.get(key),
                )


def _shown(value: Any) -> str:
    if value is None or value == []:
        return "intet"
    if isinstance(value, str):
        short = value if len(value) <= 80 else value[:77] + "…"
        return repr(short).replace('"', "'") if "'" not in short else f'"{short}"'
    return json.dumps(value, ensure_ascii=False)


def _check_corrections(
    meeting: Meeting,
    frozen: tuple[FrozenCorrection, ...],
    approved: FrozenRecord | None,
    problems: Problems,
) -> None:
    """Corrections are appended, never edited or removed: each has its own frozen copy."""
    if approved is None:
        return
    live = [correction_data(c) for c in meeting.corrections]
    for fix in frozen:
        if not fix.checksum_ok:
            problems.error(
                fix.location,
                f"rettelse {fix.number} til {meeting.name} er ændret, efter den blev skrevet;"
                " hent den tilbage fra git",
            )
        elif fix.number > len(live):
            data = fix.data
            again = f'dagsorden ret {meeting.name} "{data.get("tekst", "")}"'
            again += f" --dato {data.get('dato')}"
            again += f" --punkt {data['punkt']}" if data.get("punkt") else ""
            problems.error(
                meeting.location,
                f"rettelse {fix.number} står i {ARCHIVE}/{meeting.name}/rettelse-{fix.number}.json,"
                " men ikke i mødefilen; en rettelse til en godkendt protokol kan ikke fjernes."
                f" Blev 'dagsorden ret' afbrudt, så skriv den igen præcis sådan: {again}",
                code=INTERRUPTED,
            )
        elif live[fix.number - 1] != dict(fix.data):
            where = meeting.corrections[fix.number - 1].text.location
            problems.error(
                where,
                f"rettelse {fix.number} er ændret, efter den blev skrevet: før"
                f" {_shown(fix.data.get('tekst'))}; skriv en ny rettelse i stedet",
            )
    numbers = {f.number for f in frozen}
    for number, correction in enumerate(meeting.corrections, start=1):
        if number not in numbers:
            problems.error(
                correction.text.location,
                f"rettelse {number} er ikke skrevet med 'dagsorden ret' og er derfor ikke frosset"
                f" i {ARCHIVE}/{meeting.name}/rettelse-{number}.json; skriv rettelser med"
                " 'dagsorden ret'",
            )


# -- git: a record that was ever committed stays -----------------------------------------------


def check_committed(
    root: Path,
    problems: Problems,
    only: Collection[str] | None = None,
    blob: Callable[[Path], str] | None = None,
) -> None:
    """Where the project is in git, every frozen file that was ever committed still exists,
    exactly as it was first committed: deleting a record and its status cannot hide it.
    With `only`, the records of those meetings; `blob` gives a file's git blob id (the
    store remembers them)."""
    blob = blob or git_blob
    if only is not None and not only:
        return
    first = _first_committed(root, only)
    missing: dict[str, list[str]] = {}
    for relative, committed in first.items():
        path = root / relative
        if not path.is_file():
            missing.setdefault(relative.rsplit("/", 1)[0], []).append(relative)
        elif blob(path) != committed:
            problems.error(
                Location(relative),
                f"{relative} er ikke, som den blev gemt i git første gang; en frossen fil ændres"
                f" aldrig: hent den tilbage med 'git checkout {_first_commit(root, relative)}"
                f" -- {relative}'",
            )
    for folder, files in missing.items():
        gone = not (root / folder).exists()
        what = folder if gone else files[0] if len(files) == 1 else f"{len(files)} filer i {folder}"
        target = folder if gone or len(files) > 1 else files[0]
        problems.error(
            Location(folder if gone else files[0]),
            f"{what} er slettet, men blev gemt i git som frosset; en frossen fil slettes aldrig:"
            f" hent den tilbage med 'git checkout {_first_commit(root, files[0])} -- {target}'",
        )


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _first_committed(root: Path, only: Collection[str] | None = None) -> dict[str, str]:
    """Frozen file (relative to the project) -> the blob it had when first committed."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.strip() != "true":
        return {}
    log = _git(
        root,
        "log",
        "--reverse",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "--relative",
        "--format=",
        "--",
        *([ARCHIVE] if only is None else [f"{ARCHIVE}/{name}" for name in sorted(only)]),
    )
    first: dict[str, str] = {}
    for line in (log or "").splitlines():
        if not line.startswith(":"):
            continue
        meta, _, path = line.partition("\t")
        parts = meta.split()
        status, blob = parts[4], parts[3]
        if status.startswith("A") and path not in first and _is_frozen_file(path):
            first[path] = blob
    return first


def _is_frozen_file(path: str) -> bool:
    parts = path.split("/")
    return len(parts) >= 3 and parts[0] == ARCHIVE and not any(p.startswith(".") for p in parts)


def _first_commit(root: Path, relative: str) -> str:
    found = _git(root, "log", "--format=%h", "--diff-filter=A", "--", relative)
    lines = (found or "").split()
    return lines[-1] if lines else "HEAD"
