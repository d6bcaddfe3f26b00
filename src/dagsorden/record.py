"""Recording a meeting: attendance, decisions, votes and notes, written into the meeting's file.

Each function checks its input against the project before it writes, writes through `edit`
(round-trip YAML under a lock, atomically), and refuses to touch approved minutes except by a
dated correction (KSL § 13; docs/domain.md §4.2).
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

from ._keys import REASONS
from ._nodes import suggest
from .build import Progress, check
from .context import approval_checksum, participants
from .edit import append_value, edit_yaml, insert_value, set_value, text_value
from .errors import DagsordenError, Location, Problem, ProblemsError
from .freeze import check_for_freezing, freeze, freeze_correction
from .model import Access, Correction, Meeting, Project, Status, Text
from .records import correction_data
from .text import clean

__all__ = [
    "REASONS",
    "STANDARD_DECISIONS",
    "RecordError",
    "absent",
    "approve",
    "correct",
    "decide",
    "forward",
    "freeze_missing",
    "not_taking_part",
    "note",
    "partial",
    "set_status",
    "vote",
]

# The body's standard phrases (docs/domain.md §3.2), offered by `dagsorden beslut --standard`.
STANDARD_DECISIONS = {
    "godkendt": "Godkendt.",
    "tiltrådt": "Tiltrådt.",
    "anbefales": "Anbefales.",
    "efterretning": "Taget til efterretning.",
    "drøftet": "Drøftet.",
}
_ORDER = [Status.PLANNED, Status.SENT, Status.HELD, Status.APPROVED, Status.CANCELLED]


class RecordError(DagsordenError):
    """A recording command was refused; nothing was written."""


F = TypeVar("F", bound=Callable[..., Any])


def _located(function: F) -> F:
    """Refusals name the meeting's file, as every other error names its place."""

    @functools.wraps(function)
    def wrapper(root: Path, name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(root, name, *args, **kwargs)
        except RecordError as exc:
            files = [
                f"agenda/{name}{s}"
                for s in (".yaml", ".yml")
                if (root / "agenda" / f"{name}{s}").is_file()
            ]
            if not files or str(exc).startswith(files[0]):
                raise
            raise RecordError(f"{files[0]}: fejl: {exc}") from exc

    return cast(F, wrapper)


@_located
def absent(root: Path, name: str, person: str, *, substitute: str | None = None) -> list[Problem]:
    """Record afbud for a member, and the stedfortræder who comes instead, if any."""
    project, meeting = _open(root, name)
    _member(project, meeting, person)
    if substitute is not None:
        _person(project, substitute)

    def change(doc: Any) -> None:
        names = _list(doc, "afbud", after="sted")
        if person in [str(n) for n in names]:
            raise RecordError(f"{person} står allerede under afbud til mødet {name}")
        append_value(names, person)
        if substitute is not None:
            append_value(
                _list(doc, "stedfortrædere", after="afbud"), {"navn": substitute, "for": person}
            )

    return _write(root, meeting, change)


@_located
def partial(
    root: Path,
    name: str,
    person: str,
    *,
    arrived: str | None = None,
    left: str | None = None,
    items: Iterable[int] = (),
) -> list[Problem]:
    """Record a member who came late or left early, and the items they were not there for."""
    project, meeting = _open(root, name)
    _member(project, meeting, person)
    numbers = [_item_number(meeting, n) for n in items]
    if arrived is None and left is None:
        raise RecordError("skriv, hvornår medlemmet ankom (--ankom) eller gik (--gik)")
    entry: dict[str, Any] = {"navn": person}
    if arrived is not None:
        entry["ankom"] = _time(arrived)
    if left is not None:
        entry["gik"] = _time(left)
    entry["punkter"] = _flow([str(n) for n in numbers])

    def change(doc: Any) -> None:
        append_value(_list(doc, "delvis", after="afbud"), entry)

    return _write(root, meeting, change)


@_located
def decide(root: Path, name: str, number: int, text: str, *, public: bool = False) -> list[Problem]:
    """Record an item's decision (or, with `public`, the decision a closed item publishes)."""
    _, meeting = _open(root, name)
    _item_number(meeting, number)
    text = _clean(text)
    if not text.strip():
        raise RecordError("beslutningen er tom; skriv teksten eller brug --standard")
    key = "offentlig_beslutning" if public else "beslutning"

    def change(doc: Any) -> None:
        set_value(_item(doc, number), key, text_value(text.strip()))

    return _write(root, meeting, change)


@_located
def not_taking_part(
    root: Path, name: str, number: int, person: str, *, reason: str | None = None
) -> list[Problem]:
    """Record that a member did not take part in one item, with the reason."""
    project, meeting = _open(root, name)
    _item_number(meeting, number)
    _member(project, meeting, person)
    if reason is not None and reason not in REASONS:
        raise RecordError(
            f"årsagen '{reason}' er ukendt; brug {', '.join(REASONS)}{suggest(reason, REASONS)}"
        )

    def change(doc: Any) -> None:
        entries = _list(_item(doc, number), "deltog_ikke")
        if person in [str(e.get("navn")) for e in entries if hasattr(e, "get")]:
            raise RecordError(f"{person} står allerede under deltog_ikke ved punkt {number}")
        append_value(entries, {"navn": person, "årsag": reason} if reason else {"navn": person})

    return _write(root, meeting, change)


@_located
def vote(
    root: Path,
    name: str,
    number: int,
    *,
    for_: Iterable[str] = (),
    against: Iterable[str] = (),
    abstained: Iterable[str] = (),
) -> list[Problem]:
    """Record a vote: parties or members for, against and abstaining."""
    project, meeting = _open(root, name)
    _item_number(meeting, number)
    assert project.organisation is not None
    present = participants(project.organisation, meeting, number)
    known = sorted({p for _, p in present if p} | {n for n, _ in present})
    sides = {"for": list(for_), "imod": list(against), "undlod": list(abstained)}
    if not any(sides.values()):
        raise RecordError("skriv, hvem der stemte: --for, --imod og/eller --undlod")
    for who in (w for side in sides.values() for w in side):
        if who not in known:
            raise RecordError(
                f"'{who}' er hverken et parti eller et medlem, der deltog i punkt {number}"
                f"{suggest(who, tuple(known))}"
            )

    def change(doc: Any) -> None:
        set_value(_item(doc, number), "afstemning", {k: _flow(v) for k, v in sides.items() if v})

    return _write(root, meeting, change)


@_located
def note(
    root: Path, name: str, number: int, text: str, *, person: str | None = None
) -> list[Problem]:
    """Record a protocol note, for a member's dissent when `person` is given."""
    project, meeting = _open(root, name)
    _item_number(meeting, number)
    if person is not None:
        _member(project, meeting, person)
    text = _clean(text)
    if not text.strip():
        raise RecordError("bemærkningen er tom")

    def change(doc: Any) -> None:
        notes = _list(_item(doc, number), "protokolbemærkninger")
        value = text_value(text.strip())
        append_value(notes, {"navn": person, "tekst": value} if person else value)

    return _write(root, meeting, change)


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
    if wanted is not Status.CANCELLED and _ORDER.index(wanted) < _ORDER.index(current):
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

    return _write(root, meeting, change)


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
    day = frozen.date if frozen is not None else on or dt.date.today()
    seal = freeze(root, project, meeting, "godkendt", on=day, pdf=pdf, progress=progress)

    def change(doc: Any) -> None:
        _set(doc, "status", Status.APPROVED.value, after="sted")
        _set(doc, "godkendt", {"dato": day.isoformat(), "kontrolsum": seal}, after="status")

    return _write(root, meeting, change)


@_located
def freeze_missing(
    root: Path, name: str, *, pdf: bool = True, progress: Progress | None = None
) -> list[str]:
    """Freeze what a meeting's status says was sent or approved, for data from before records
    existed. Approved minutes are frozen only if their checksum shows them unchanged."""
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
    project, meeting = _open(root, name, allow_approved=True, freezing=True)
    if meeting.status is not Status.APPROVED:
        raise RecordError(
            f"mødet {name} er ikke godkendt; ret beslutningen direkte med 'dagsorden beslut'"
        )
    if number is not None:
        _item_number(meeting, number)
    text = _clean(text)
    if not text.strip():
        raise RecordError("rettelsen er tom")
    entry: dict[str, Any] = {"dato": (on or dt.date.today()).isoformat()}
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


@_located
def forward(
    root: Path, name: str, number: int, *, to: str | None = None
) -> tuple[str, list[Problem]]:
    """Put an item's case on the next body of its sagsgang: the next meeting, or `to`.

    The case is not copied: the new item points at it, so the next agenda shows the whole
    history. Returns the meeting the case was put on.
    """
    project, meeting = _open(root, name, allow_approved=True)
    item = meeting.items[_item_number(meeting, number) - 1]
    if item.case is None or item.case.name not in project.cases:
        raise RecordError(f"punkt {number} på {name} er ikke en sag og kan ikke sendes videre")
    case = project.cases[item.case.name]
    if item.decision is None:
        raise RecordError(f"{meeting.body.name} har ikke besluttet punkt {number} endnu")
    route = [r.name for r in case.route]
    body = meeting.body.name
    if body not in route or route.index(body) == len(route) - 1:
        raise RecordError(
            f"sagsgangen for {case.number} ({', '.join(route)}) går ikke videre efter {body}"
        )
    following = route[route.index(body) + 1]
    if to is None:
        later = sorted(
            (
                m
                for m in project.meetings.values()
                if m.body.name == following and m.sort_key > meeting.sort_key
            ),
            key=lambda m: m.sort_key,
        )
        if not later:
            raise RecordError(
                f"{following} har intet møde efter {meeting.date:%d-%m-%Y}; opret mødefilen i"
                " agenda/ først, eller nævn mødet med --til"
            )
        target = later[0]
    else:
        if to not in project.meetings:
            known = tuple(project.meetings)
            raise RecordError(f"ukendt møde '{to}'{suggest(to, known)}")
        target = project.meetings[to]
        if target.body.name != following:
            raise RecordError(f"mødet {to} er i {target.body.name}, men sagen skal til {following}")
    if any(i.case and i.case.name == case.number for i in target.items):
        raise RecordError(f"sagen {case.number} står allerede på mødet {target.name}")
    if target.status is Status.APPROVED:
        raise RecordError(f"mødet {target.name} er godkendt og kan ikke få nye punkter")
    # Closed items stay last on the agenda: the case goes in before the first of them.
    closed = [i for i, it in enumerate(target.items) if project.item_access(it) is Access.CLOSED]
    position = closed[0] if closed else len(target.items)

    def change(doc: Any) -> None:
        items = _list(doc, "punkter")
        entry = _mapping({"sag": case.number})
        entry.yaml_add_eol_comment(f"fra {name}; skriv {following}s egen indstilling her", "sag")
        if position == len(items):
            append_value(items, entry)
            return
        insert_value(items, position, entry)
        # Items after the new one move down: what was recorded by number follows them.
        for part in doc.get("delvis") or []:
            part["punkter"] = _flow([_shifted(n, position) for n in part.get("punkter") or []])
        for fix in doc.get("rettelser") or []:
            if fix.get("punkt") is not None:
                fix["punkt"] = _shifted(fix["punkt"], position)

    return target.name, _write(root, target, change)


# -- plumbing --------------------------------------------------------------------------------


def _open(
    root: Path, name: str, *, allow_approved: bool = False, freezing: bool = False
) -> tuple[Project, Meeting]:
    """The project, checked for a command on `name`. A command that freezes (`freezing`) may
    settle a missing or interrupted freezing of this meeting, so that is not an error for it."""
    project, _ = check_for_freezing(root, name) if freezing else check(root, meetings=[name])
    meeting = project.meetings.get(name)
    if meeting is None:
        known = tuple(project.meetings)
        raise RecordError(f"ukendt møde '{name}'{suggest(name, known)}")
    if meeting.status is Status.APPROVED and not allow_approved and not freezing:
        raise RecordError(
            f"protokollen for {name} er godkendt den {meeting.approval.date:%d-%m-%Y} og kan ikke"
            " ændres; skriv en rettelse med 'dagsorden ret'"
            if meeting.approval
            else f"protokollen for {name} er godkendt og kan ikke ændres"
        )
    return project, meeting


def _write(root: Path, meeting: Meeting, change: Callable[[Any], None]) -> list[Problem]:
    """Apply `change` to the meeting's file under its lock; the changed project must pass the
    check before anything is written, so a command can never leave the data broken."""
    found: list[Problem] = []

    def validate(new: bytes) -> None:
        found.extend(_check_changed(root, meeting, new))

    with edit_yaml(
        root / meeting.location.file, name=meeting.location.file, validate=validate
    ) as doc:
        change(doc)
    return found


def _check_changed(root: Path, meeting: Meeting, new: bytes) -> list[Problem]:
    """Check the project as it would be with the meeting file's new content.

    The project is mirrored with links into a scratch folder, the one file replaced.
    """
    with tempfile.TemporaryDirectory(prefix="dagsorden-tjek-") as scratch:
        mirror = Path(scratch)
        for entry in root.iterdir():
            if entry.name != "agenda" and not entry.name.startswith("."):
                (mirror / entry.name).symlink_to(entry.resolve())
        (mirror / "agenda").mkdir()
        for entry in (root / "agenda").iterdir():
            if entry.name != Path(meeting.location.file).name:
                (mirror / "agenda" / entry.name).symlink_to(entry.resolve())
        (mirror / meeting.location.file).write_bytes(new)
        try:
            _, warnings = check(mirror, meetings=[meeting.name])
        except ProblemsError as exc:
            errors = [p for p in exc.problems if p.is_error]
            raise RecordError(
                "ændringen ville give fejl i data, så intet er skrevet:\n"
                + "\n".join(p.render() for p in errors)
            ) from exc
    return warnings


def _member(project: Project, meeting: Meeting, person: str) -> None:
    org = project.organisation
    assert org is not None
    _person(project, person)
    found = org.people[person]
    if found.membership(meeting.body.name, meeting.date) is None and person not in {
        s.person.name for s in meeting.substitutes
    }:
        body = org.bodies[meeting.body.name].name
        raise RecordError(f"{person} er ikke medlem af {body} den {meeting.date:%d-%m-%Y}")


def _person(project: Project, person: str) -> None:
    org = project.organisation
    assert org is not None
    if person not in org.people:
        raise RecordError(f"ukendt person '{person}'{suggest(person, tuple(org.people))}")


def _item_number(meeting: Meeting, number: int) -> int:
    if not 1 <= number <= len(meeting.items):
        raise RecordError(
            f"mødet {meeting.name} har punkterne 1-{len(meeting.items)}; punkt {number} findes ikke"
        )
    return number


def _time(value: str) -> str:
    try:
        hour, minute = (int(p) for p in value.replace(".", ":").split(":"))
        dt.time(hour, minute)
    except ValueError:
        raise RecordError(f"'{value}' er ikke et klokkeslæt på formen TT:MM (fx 17:45)") from None
    return f"{hour}:{minute:02d}"


def _shifted(number: Any, position: int) -> str:
    """An item number after an item was inserted at 0-based `position`."""
    value = int(str(number))
    return str(value + 1 if value > position else value)


def _clean(text: str) -> str:
    """Text typed or pasted for the record, cleaned of Word's control characters as on load."""
    return clean(text)[0]


def _item(doc: Any, number: int) -> Any:
    return doc["punkter"][number - 1]


def _flow(values: list[str]) -> Any:
    """A short list written on one line, `[A, F, Ø]`, as a secretary would write it."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _mapping(values: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap(values)


def _list(doc: Any, key: str, *, after: str | None = None) -> Any:
    """The list under `key`, made (after the key `after`, if present) when it is missing."""
    from ruamel.yaml.comments import CommentedSeq

    if key not in doc or doc[key] is None:
        _set(doc, key, CommentedSeq(), after=after)
    return doc[key]


def _set(doc: Any, key: str, value: Any, *, after: str | None = None) -> None:
    """Set `key`, placing a new key after `after` (or last) so the file keeps its order."""
    if key in doc or after is None or after not in doc:
        set_value(doc, key, value)
        return
    doc.insert(list(doc).index(after) + 1, key, value)
