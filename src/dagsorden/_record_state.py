"""The meeting's state: sent, held, cancelled, approved, corrected; each step that freezes.

Sending freezes the agenda, holding the agenda as treated (and the supplementary agenda),
approving the minutes, and each correction is kept as a record of its own (records.py,
freeze.py). Reached through `dagsorden.record`, like every recording command.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._recording import clean_text as _clean
from ._recording import ensure_list as _list
from ._recording import located as _located
from ._recording import open_meeting as _open
from ._recording import set_key as _set
from ._recording import write as _write
from ._refs import item_number as _item_number
from .context import approval_checksum
from .edit import append_value, text_value
from .errors import Location, Problem, RecordError, Severity
from .model import Correction, Status, Text
from .records import correction_data

if TYPE_CHECKING:
    from ._outputs import Progress

__all__ = ["approve", "correct", "freeze_everything", "freeze_missing", "set_status"]

_ORDER = [Status.PLANNED, Status.SENT, Status.HELD, Status.APPROVED, Status.CANCELLED]


@_located
def set_status(
    root: Path,
    name: str,
    status: str,
    *,
    pdf: bool = True,
    progress: Progress | None = None,
    on: dt.date | None = None,
) -> list[Problem]:
    """Move a meeting on: planlagt → udsendt → afholdt (godkendt only through approve).

    Sending freezes the agenda as it reads now (records.py): it is rebuilt from that record
    ever after, whatever happens to the cases later.
    """
    from .freeze import freeze

    project, meeting = _open(root, name, freezing=True)
    wanted = next((s for s in _ORDER if s.value == status), None)
    if wanted is None or wanted is Status.APPROVED:
        choices = ("planlagt", "udsendt", "afholdt", "aflyst")
        raise RecordError(
            f"status '{status}' kan ikke sættes her; brug {', '.join(choices)}"
            " (godkendt sættes med 'dagsorden godkend')"
        )
    stages = project.records.get(name, {})
    current = Status.APPROVED if "godkendt" in stages else meeting.status
    if wanted is Status.CANCELLED and current in (Status.HELD, Status.APPROVED):
        raise RecordError(f"mødet {name} er holdt og kan ikke aflyses")
    if wanted is Status.CANCELLED and meeting.has_decisions:
        raise RecordError(
            f"mødet {name} har beslutninger og kan ikke aflyses; fjern dem først, eller flyt"
            f" punkterne til et andet møde med 'dagsorden videresend'"
        )
    if current is Status.CANCELLED and wanted in (Status.PLANNED, Status.SENT):
        # Called off by mistake: the meeting goes back to where it was.
        if wanted is Status.PLANNED and "udsendt" in stages:
            raise RecordError(
                f"dagsordenen for {name} blev udsendt den {stages['udsendt'].date:%d-%m-%Y};"
                " mødet kan kun sættes tilbage til udsendt"
            )
    elif wanted is not Status.CANCELLED and _ORDER.index(wanted) < _ORDER.index(current):
        raise RecordError(
            f"mødet {name} har status {current.value}; det kan ikke gå tilbage til"
            f" {wanted.value}"
            + (
                f" (dagsordenen blev udsendt og frosset den {stages['udsendt'].date:%d-%m-%Y})"
                if "udsendt" in stages
                else ""
            )
        )
    day = on or dt.date.today()
    if wanted in (Status.SENT, Status.HELD):
        freeze(root, project, meeting, "udsendt", on=day, pdf=pdf, progress=progress)
    if wanted is Status.HELD:
        # The agenda as the meeting treats it, and the supplementary agenda if it changed.
        project, meeting = _open(root, name, freezing=True)
        freeze(root, project, meeting, "afholdt", on=day, pdf=pdf, progress=progress)

    def change(doc: Any) -> None:
        _set(doc, "status", wanted.value, after="sted")

    warnings = _write(root, meeting, change)
    if wanted is Status.SENT and not meeting.items:
        warnings.insert(
            0,
            Problem(
                Severity.WARNING,
                meeting.location,
                f"dagsordenen for {name} er udsendt uden punkter; punkter, der skrives i"
                " mødefilen nu, kommer på en tillægsdagsorden",
            ),
        )
    return warnings


@_located
def approve(
    root: Path,
    name: str,
    *,
    on: dt.date | None = None,
    pdf: bool = True,
    progress: Progress | None = None,
) -> list[Problem]:
    """Approve the minutes: freeze what they show, and lock the meeting file's record under
    the frozen record's checksum."""
    from .freeze import freeze

    project, meeting = _open(root, name, freezing=True)
    frozen = project.records.get(name, {}).get("godkendt")
    if frozen is not None and meeting.status is Status.APPROVED and meeting.approval is not None:
        raise RecordError(
            f"protokollen for {name} blev godkendt den {frozen.date:%d-%m-%Y} og er allerede"
            " låst; ændringer skrives som rettelser ('dagsorden ret')"
        )
    if frozen is None:
        if meeting.status is not Status.HELD:
            raise RecordError(
                f"mødet {name} har status {meeting.status.value}; kun et afholdt møde kan"
                f" godkendes (sæt først status med 'dagsorden status {name} afholdt')"
            )
        if not meeting.has_decisions:
            raise RecordError(f"mødet {name} har ingen beslutninger at godkende")
    day = frozen.date if frozen is not None else _dated(on, "godkendelsen", meeting.date)
    seal = freeze(root, project, meeting, "godkendt", on=day, pdf=pdf, progress=progress)

    def change(doc: Any) -> None:
        _set(doc, "status", Status.APPROVED.value, after="sted")
        _set(doc, "godkendt", {"dato": day.isoformat(), "kontrolsum": seal}, after="status")

    return _write(root, meeting, change)


def freeze_everything(root: Path) -> list[str]:
    """Freeze the contents of every sent or held meeting that has no record yet."""
    from .freeze import check_for_freezing_all, freeze_all

    check_for_freezing_all(root)
    return freeze_all(root, files=False)


@_located
def freeze_missing(
    root: Path, name: str, *, pdf: bool = True, progress: Progress | None = None
) -> list[str]:
    """Freeze what a meeting's status says was sent or approved, for data from before records
    existed. Approved minutes are frozen only if their checksum shows them unchanged."""
    from .freeze import freeze

    project, meeting = _open(root, name, freezing=True)
    stages = project.records.get(name, {})
    done: list[str] = []
    if meeting.status is Status.PLANNED:
        raise RecordError(
            f"mødet {name} har status planlagt; dagsordenen fryses, når den udsendes"
            f" ('dagsorden status {name} udsendt')"
        )
    if "udsendt" not in stages:
        freeze(root, project, meeting, "udsendt", on=dt.date.today(), pdf=pdf, progress=progress)
        done.append("udsendt")
    approval = meeting.approval
    if meeting.status is Status.APPROVED and "godkendt" not in stages and approval is not None:
        if approval.checksum != approval_checksum(project, meeting):
            raise RecordError(
                f"protokollen for {name} er ændret, efter den blev godkendt den"
                f" {approval.date:%d-%m-%Y} (kontrolsummen passer ikke), så den kan ikke fryses"
                " som godkendt; sæt ændringen tilbage (se git log), og kør kommandoen igen"
            )
        project, meeting = _open(root, name, freezing=True)
        seal = freeze(
            root, project, meeting, "godkendt", on=approval.date, pdf=pdf, progress=progress
        )

        def change(doc: Any) -> None:
            doc["godkendt"]["kontrolsum"] = seal

        _write(root, meeting, change)
        done.append("godkendt")
    return done


@_located
def correct(
    root: Path, name: str, text: str, *, number: int | None = None, on: dt.date | None = None
) -> list[Problem]:
    """Add a dated correction to approved minutes; the approved text itself never changes.

    The correction is kept as a record of its own before the meeting file gets it, so it can
    never be edited or removed unnoticed."""
    from .freeze import freeze_correction

    project, meeting = _open(root, name, allow_approved=True, freezing=True)
    if meeting.status is not Status.APPROVED:
        raise RecordError(
            f"mødet {name} er ikke godkendt; ret beslutningen direkte med 'dagsorden beslut'"
        )
    if number is not None:
        _item_number(meeting, number)
        if meeting.items[number - 1].decision is None:
            raise RecordError(
                f"punkt {number} har ingen beslutning i protokollen, så en rettelse til det"
                " ville ikke blive vist; skriv rettelsen uden --punkt (den står så til sidst i"
                " protokollen)"
            )
    text = _clean(text)
    if not text.strip():
        raise RecordError("rettelsen er tom")
    earliest = meeting.approval.date if meeting.approval is not None else meeting.date
    entry: dict[str, Any] = {"dato": _dated(on, "rettelsen", earliest).isoformat()}
    if number is not None:
        entry["punkt"] = str(number)
    entry["tekst"] = text_value(text.strip())
    position = len(meeting.corrections) + 1
    frozen = {c.number: c for c in project.corrections.get(name, ())}
    correction = Correction(
        dt.date.fromisoformat(entry["dato"]),
        number,
        Text((), Location(""), text.strip()),
    )
    if position in frozen and dict(frozen[position].data) != correction_data(correction):
        raise RecordError(
            f"rettelse {position} står allerede i arkiv/{name}/rettelse-{position}.json med en"
            " anden tekst eller dato; skriv den samme rettelse igen, eller hent mødefilen"
            " tilbage fra git"
        )
    written = freeze_correction(root, meeting, position, correction)
    fresh = position not in frozen

    def change(doc: Any) -> None:
        append_value(_list(doc, "rettelser", after="godkendt"), entry)

    try:
        return _write(root, meeting, change)
    except BaseException:
        if fresh:
            written.unlink(missing_ok=True)
        raise


def _dated(on: dt.date | None, what: str, earliest: dt.date) -> dt.date:
    """The day a record is dated (today unless given): never after today, never before
    `earliest` (the meeting, or the approval a correction follows)."""
    today = dt.date.today()
    day = on or today
    if day > today:
        raise RecordError(
            f"{what} kan ikke dateres {day:%d-%m-%Y}, efter i dag ({today:%d-%m-%Y});"
            " den dateres den dag, den sker"
        )
    if day < earliest:
        raise RecordError(f"{what} kan ikke dateres {day:%d-%m-%Y}, før {earliest:%d-%m-%Y}")
    return day
