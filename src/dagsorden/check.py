"""Rules across records: every reference resolves, every person is a member on the day."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from ._bilag_files import CHECK_VERSION, CONVERTIBLE, file_problem
from ._keys import NUMBER_KINDS
from ._nodes import suggest
from ._record_checks import check_committed, check_meeting_records, check_records
from .cache import Store
from .context import History, body_names, case_history, participants, vote_count
from .cpr import cpr_numbers
from .errors import Location, Problems
from .inside import outside_problem
from .model import Access, Case, Item, Meeting, Organisation, Person, Project, Ref, Status
from .pictures import case_pictures, check_pictures, meeting_pictures
from .records import file_sha256

__all__ = ["CONVERTIBLE", "check_project", "file_problem"]

V = TypeVar("V")


def check_project(
    project: Project,
    problems: Problems,
    *,
    organisation_complete: bool = True,
    cases_complete: bool = True,
    history: History | None = None,
    store: Store | None = None,
    whole_records: bool = True,
) -> None:
    """Add every cross-record problem of `project` to `problems`.

    When a file could not be read whole, references into it are not checked: an unknown-case
    error for a case whose file has a syntax error would only send the reader the wrong way.
    `history` is the project's `case_history`, when the caller has it already; a `store`
    remembers the hashes of bilag and frozen files, and what a bilag file's check found.
    Without `whole_records`, each meeting's records are checked against its file, but not
    against their own files or git, and the organisation's own rules are not checked: the
    caller does that once for the whole project.
    """
    files = _Files(store, project.root)
    org = project.organisation
    if org is None or not organisation_complete:
        return
    if history is None:
        history = case_history(project)
    bodies = tuple(org.bodies)
    for person in org.people.values() if whole_records else ():
        for membership in person.memberships:
            _known_body(membership.body, bodies, problems, "medlemskabet")
    for case in project.cases.values():
        _check_case(project, org, case, problems, history, files)
    checked = project.checked_meetings()
    for meeting in checked:
        _check_meeting(project, org, meeting, problems, cases_complete)
        check_pictures(project.root, meeting_pictures(meeting), problems)
        if all(b in org.bodies for b in meeting.bodies):
            _check_recording(project, org, meeting, problems, history)
    if cases_complete:
        _check_route_onward(project, problems, history)
    focus = project.focus
    records = project.records if focus is None else _only(project.records, focus)
    corrections = project.corrections if focus is None else _only(project.corrections, focus)
    meetings = {m.name: m for m in checked}
    if not whole_records:  # the caller checks the records' files and git once for all
        check_meeting_records(meetings, records, corrections, problems)
        return
    check_records(project.root, meetings, records, corrections, problems, files.sha256)
    check_committed(project.root, problems, focus)


def _only(values: Mapping[str, V], names: frozenset[str]) -> dict[str, V]:
    return {k: v for k, v in values.items() if k in names}


class _Files:
    """Bilag and frozen files: their hashes, and what a bilag file's check found, once per
    content (remembered in the store between runs when there is one)."""

    def __init__(self, store: Store | None, home: Path) -> None:
        self.store = store
        self.home = home
        self.sha256 = functools.lru_cache(maxsize=None)(
            store.file_sha256 if store is not None and store.active else file_sha256
        )

    def problem(self, path: Path) -> str | None:
        if self.store is None or not self.store.active:
            return file_problem(path)
        key = f"bilag{CHECK_VERSION}:{self.sha256(path)}:{path.suffix.lower()}"
        known = self.store.parsed(f"bilagskontrol:{path}", key)
        if isinstance(known, tuple):
            return str(known[0]) if known[0] is not None else None
        found = file_problem(path)
        self.store.remember_parsed(f"bilagskontrol:{path}", key, (found,))
        return found


def _known_body(ref: Ref, bodies: tuple[str, ...], problems: Problems, where: str) -> bool:
    if ref.name in bodies:
        return True
    problems.error(
        ref.location,
        f"ukendt udvalg '{ref.name}' i {where} (kendte: {', '.join(bodies)})"
        f"{suggest(ref.name, bodies)}",
    )
    return False


def _check_case(
    project: Project,
    org: Organisation,
    case: Case,
    problems: Problems,
    history: History,
    files: _Files,
) -> None:
    bodies = tuple(org.bodies)
    _check_number(org, "sagsnr", case.number, case.location, problems)
    for a in case.attachments:
        if a.system_id is not None and a.system_id_at is not None:
            _check_number(org, "bilag_id", a.system_id, a.system_id_at, problems)
        if a.doc_number is not None and a.doc_number_at is not None:
            _check_number(org, "dokumentnr", a.doc_number, a.doc_number_at, problems)
    seen: set[str] = set()
    for ref in case.route:
        if _known_body(ref, bodies, problems, "sagsgangen") and ref.name in seen:
            problems.error(ref.location, f"udvalget {ref.name} står to gange i sagsgangen")
        seen.add(ref.name)
    first = case.route[0].name if case.route else ""
    allowed = org.sections_for(first)
    order = [allowed.index(s.heading) for s in case.sections if s.heading in allowed]
    for section in case.sections:
        if section.heading not in allowed:
            problems.error(
                section.location,
                f"ukendt afsnitsoverskrift '{section.heading}' (kendte: {', '.join(allowed)})"
                + (
                    suggest(section.heading, allowed)
                    or "; en ny overskrift skal først skrives under standardafsnit"
                    " i organisation.yaml"
                ),
            )
    if order != sorted(order):
        problems.warning(
            case.sections[0].location,
            "afsnittene står ikke i den rækkefølge, organisation.yaml giver: " + ", ".join(allowed),
        )
    treated_at = {m.name for m, _ in history.get(case.number, ())}
    for attachment in case.attachments:
        added = attachment.added
        if added is not None and added.name not in treated_at:
            problems.error(
                added.location,
                f"sagen {case.number} er ikke på mødet '{added.name}'"
                f" (den er på: {', '.join(sorted(treated_at)) or 'ingen møder'})"
                f"{suggest(added.name, tuple(sorted(treated_at)))}",
            )
        if attachment.file is not None:
            path = project.root / attachment.file.name
            if outside := outside_problem(files.home, attachment.file.name, "bilagsfilen"):
                problems.error(attachment.file.location, outside)
            elif not path.is_file():
                problems.error(
                    attachment.file.location, f"bilagsfilen '{attachment.file.name}' findes ikke"
                )
            elif (problem := files.problem(path)) is not None:
                problems.error(attachment.file.location, problem)
    check_pictures(project.root, case_pictures(case), problems)


def _check_number(
    org: Organisation, kind: str, value: str, where: Location, problems: Problems
) -> None:
    """A number in the municipality's own form (numre: in organisation.yaml)."""
    form = org.number_forms.get(kind)
    if form is None or _pattern(form.pattern).fullmatch(value):
        return
    what = NUMBER_KINDS[kind]
    shape = f"formen {form.name}" if form.name else "den form, organisation.yaml giver"
    problems.error(where, f"{what} '{value}' har ikke {shape} (fx {form.example})")


@functools.cache
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _check_meeting(
    project: Project,
    org: Organisation,
    meeting: Meeting,
    problems: Problems,
    cases_complete: bool,
) -> None:
    body = meeting.body.name
    known = [
        _known_body(r, tuple(org.bodies), problems, "mødet") for r in (meeting.body, *meeting.joint)
    ]
    if not all(known):
        return

    substitutes = {s.person.name for s in meeting.substitutes}

    def member(ref: Ref, *, substitute: bool = False) -> None:
        """A member on the day; with `substitute`, a stedfortræder at the meeting will do."""
        person = org.people.get(ref.name)
        if person is None:
            problems.error(
                ref.location, f"ukendt person '{ref.name}'{suggest(ref.name, tuple(org.people))}"
            )
        elif person.membership(meeting.bodies, meeting.date) is None and not (
            substitute and ref.name in substitutes
        ):
            problems.error(
                ref.location,
                f"{ref.name} er ikke medlem af {body_names(org, meeting)} den"
                f" {meeting.date:%d-%m-%Y}"
                f"{_membership_hint(person, body, meeting)}",
            )

    named = re.match(r"\d{4}-\d{2}-\d{2}", meeting.name)
    if named and named[0] != meeting.date.isoformat():
        problems.warning(
            meeting.location,
            f"mødefilens navn begynder med {named[0]}, men mødets dato er"
            f" {meeting.date.isoformat()}; ret det ene, så de passer",
        )
    if meeting.status is Status.CANCELLED:
        for position, item in enumerate(meeting.items, start=1):
            if item.decision is not None:
                problems.error(
                    item.decision.location,
                    f"mødet er aflyst, men punkt {position} har en beslutning; et aflyst møde"
                    " træffer ingen beslutninger (flyt punktet med 'dagsorden videresend')",
                )
    elif meeting.has_decisions:
        for position, item in enumerate(meeting.items, start=1):
            if item.decision is None:
                problems.warning(
                    item.location,
                    f"punkt {position} har ingen beslutning, men mødet har andre beslutninger;"
                    " protokollen viser punktet uden beslutning",
                )
    absent: set[str] = set()
    for part in meeting.partial:
        member(part.person, substitute=True)
    for ref in meeting.absent:
        member(ref)
        if ref.name in absent:
            problems.error(ref.location, f"{ref.name} står to gange under afbud")
        absent.add(ref.name)
    cases_seen: set[str] = set()
    closed_before: Item | None = None
    for position, item in enumerate(meeting.items, start=1):
        _check_access(project, position, item, problems)
        access = project.item_access(item) if cases_complete else Access.OPEN
        if access is Access.CLOSED:
            closed_before = closed_before or item
        elif closed_before is not None:
            problems.warning(
                item.location,
                f"punkt {position} er åbent, men står efter et lukket punkt;"
                " lukkede punkter skal stå sidst på dagsordenen",
            )
        if item.case is not None:
            number = item.case.name
            if number not in project.cases and cases_complete:
                problems.error(
                    item.case.location,
                    f"ukendt sag '{number}'"
                    f"{suggest(number, tuple(sorted(project.case_numbers or project.cases)))}",
                )
            if number in cases_seen:
                problems.error(item.case.location, f"sagen {number} står to gange på mødet")
            cases_seen.add(number)
        for np in item.non_participation:
            member(np.person, substitute=True)
            if np.person.name in absent:
                problems.warning(
                    np.person.location,
                    f"{np.person.name} har meldt afbud til hele mødet"
                    " og står derfor allerede under Afbud",
                )


def _membership_hint(person: Person, body: str, meeting: Meeting) -> str:
    """Why someone is not a member on the day, when a membership of the body exists at all."""
    spans = [m for m in person.memberships if m.body.name == body]
    ended = [m.end for m in spans if m.end is not None and m.end < meeting.date]
    starts = [m.start for m in spans if m.start > meeting.date]
    if ended:
        return f" (medlemskabet sluttede {max(ended):%d-%m-%Y})"
    if starts:
        return f" (medlemskabet begynder {min(starts):%d-%m-%Y})"
    return ""


def _check_access(project: Project, number: int, item: Item, problems: Problems) -> None:
    """A closed item shows the public nothing it should not; an open one has no public text."""
    case = project.cases.get(item.case.name) if item.case is not None else None
    if item.case is not None and case is None and item.access is None:
        return  # its case could not be read (or is unknown): its access is not known
    access = project.item_access(item)
    if access is Access.OPEN and item.public_decision is not None:
        problems.error(
            item.public_decision.location,
            f"punkt {number} er åbent, så beslutningen offentliggøres som den er;"
            " fjern offentlig_beslutning (den bruges kun ved lukkede punkter)",
        )
    if (
        access is Access.CLOSED
        and case is not None
        and case.sensitive_title
        and case.public_title is None
    ):
        problems.error(
            item.location,
            f"punkt {number} er lukket, og sagen {case.number} har en følsom titel,"
            " men ingen offentlig_titel; skriv den titel, offentligheden må se, i sagen",
        )


def check_public_text(project: Project, public_texts: list[str], problems: Problems) -> None:
    """CPR numbers must not reach a public document, unless the field says !ikke-cpr."""
    public = cpr_numbers(public_texts)
    for number, location in project.cpr_candidates:
        if number in public:
            problems.error(
                location,
                "her står noget, der ligner et CPR-nummer, og teksten kommer med i den offentlige"
                " udgave; fjern det, eller skriv !ikke-cpr lige efter feltets kolon"
                " (fx 'Sagsfremstilling: !ikke-cpr |'), hvis det ikke er et CPR-nummer",
            )


def _check_recording(
    project: Project, org: Organisation, meeting: Meeting, problems: Problems, history: History
) -> None:
    """Attendance, votes, notes and the approval of what was recorded."""
    absent = {r.name for r in meeting.absent}
    for sub in meeting.substitutes:
        person = org.people.get(sub.person.name)
        if person is None:
            problems.error(
                sub.person.location,
                f"ukendt person '{sub.person.name}'{suggest(sub.person.name, tuple(org.people))}",
            )
        elif person.membership(meeting.bodies, meeting.date) is not None:
            problems.error(
                sub.person.location,
                f"{sub.person.name} er selv medlem af {body_names(org, meeting)}"
                " og kan ikke være stedfortræder",
            )
        if sub.replaces.name not in absent:
            problems.error(
                sub.replaces.location,
                f"{sub.replaces.name} står ikke under afbud, så der kan ikke være en stedfortræder"
                " for vedkommende",
            )
    for partial in meeting.partial:
        if partial.person.name in absent:
            problems.error(
                partial.location, f"{partial.person.name} har meldt afbud til hele mødet"
            )
        if partial.arrived and partial.left and partial.left <= partial.arrived:
            problems.error(partial.location, "medlemmet gik, før det ankom")
        if len(set(partial.items)) != len(partial.items):
            problems.error(partial.location, "det samme punkt står to gange under punkter")
        for number in partial.items:
            if not 1 <= number <= len(meeting.items):
                problems.error(
                    partial.location,
                    f"punkt {number} findes ikke på mødet (punkterne er 1-{len(meeting.items)})",
                )
    for number, item in enumerate(meeting.items, start=1):
        if item.votes is not None:
            _check_votes(org, meeting, number, item, problems)
        for note in item.notes:
            if note.person is not None:
                _check_note(org, meeting, number, item, note.person, problems)
    for correction in meeting.corrections:
        if correction.item is not None and not 1 <= correction.item <= len(meeting.items):
            problems.error(
                correction.text.location,
                f"rettelsen gælder punkt {correction.item}, som ikke findes på mødet"
                f" (punkterne er 1-{len(meeting.items)})",
            )
        if meeting.approval and correction.date < meeting.approval.date:
            problems.error(
                correction.text.location,
                f"rettelsen er dateret {correction.date:%d-%m-%Y}, før protokollen blev godkendt"
                f" den {meeting.approval.date:%d-%m-%Y}",
            )
    approved = meeting.status is Status.APPROVED or "godkendt" in project.records.get(
        meeting.name, {}
    )
    if meeting.corrections and not approved:
        problems.warning(
            meeting.location,
            "mødet har rettelser, men er ikke godkendt;"
            " før godkendelsen rettes beslutningen direkte",
        )


def _check_votes(
    org: Organisation, meeting: Meeting, number: int, item: Item, problems: Problems
) -> None:
    assert item.votes is not None
    present = participants(org, meeting, number)
    names = {name for name, _ in present}
    parties = {party for _, party in present if party}
    seen: dict[str, str] = {}
    faulty = False  # an unknown or doubled name: its own error says what is wrong
    for side, refs in (
        ("for", item.votes.for_),
        ("imod", item.votes.against),
        ("undlod", item.votes.abstained),
    ):
        for ref in refs:
            if ref.name not in names and ref.name not in parties:
                faulty = True
                known = tuple(sorted(parties)) + tuple(sorted(names))
                problems.error(
                    ref.location,
                    f"'{ref.name}' er hverken et parti eller et medlem, der deltog i punkt {number}"
                    f"{suggest(ref.name, known)}",
                )
            elif ref.name in seen:
                faulty = True
                problems.error(
                    ref.location, f"'{ref.name}' står både under {seen[ref.name]} og {side}"
                )
            seen[ref.name] = side
    counted = sum(vote_count(r, present) for r in seen if r in names or r in parties)
    party_of = dict(present)
    doubled = [r for r in seen if r in names and party_of.get(r) in seen]
    for name in doubled:
        problems.error(
            item.votes.location,
            f"{name} er talt med to gange: ved navn og med partiet {party_of[name]}",
        )
    if counted > len(present):
        problems.error(
            item.votes.location,
            f"der er talt {counted} stemmer, men kun {len(present)} deltog i punkt {number}",
        )
    elif counted < len(present) and not doubled and not faulty:
        sides = [
            (word, sum(vote_count(r.name, present) for r in refs))
            for word, refs in (
                ("for", item.votes.for_),
                ("imod", item.votes.against),
                ("undlod", item.votes.abstained),
            )
        ]
        problems.warning(
            item.votes.location,
            f"afstemningen i punkt {number} tæller {counted} stemmer"
            f" ({', '.join(f'{word} {count}' for word, count in sides)}),"
            f" men {len(present)} deltog i punktet; skriv dem, der mangler, under for,"
            " imod eller undlod, eller ret fremmødet",
        )


def _check_note(
    org: Organisation, meeting: Meeting, number: int, item: Item, person: Ref, problems: Problems
) -> None:
    """KSL § 13 stk. 2: only a member in the outvoted minority may have a dissent entered."""
    present = participants(org, meeting, number)
    if person.name not in {name for name, _ in present}:
        problems.error(
            person.location,
            f"{person.name} deltog ikke i punkt {number} og kan ikke få en protokolbemærkning",
        )
        return
    votes = item.votes
    if votes is None:
        problems.warning(
            person.location,
            f"der er ikke stemt om punkt {number}; en afvigende mening tilføres protokollen for"
            " et medlem, der blev stemt ned (KSL § 13, stk. 2)",
        )
        return
    for_count = sum(vote_count(r.name, present) for r in votes.for_)
    against_count = sum(vote_count(r.name, present) for r in votes.against)
    # On a tie the proposal falls (KSL § 11, stk. 3: simple majority), so "for" lost.
    minority = votes.against if for_count > against_count else votes.for_
    party = dict(present).get(person.name)
    if not any(r.name in (person.name, party) for r in minority):
        problems.warning(
            person.location,
            f"{person.name} var ikke i det mindretal, der blev stemt ned i punkt {number};"
            " efter KSL § 13, stk. 2 er det kun dem, der kan få deres afvigende mening tilført",
        )


def _check_route_onward(project: Project, problems: Problems, history: History) -> None:
    """A case decided in one body whose sagsgang goes on must reach the next body."""
    for number, treatments in history.items():
        case = project.cases.get(number)
        if case is None or not treatments:
            continue
        route = [r.name for r in case.route]
        last = treatments[-1][0]
        position, item = next(
            (n, i) for n, i in enumerate(last.items, 1) if i.case and i.case.name == number
        )
        # A joint meeting moves the case on from the body furthest along its sagsgang.
        body = next((b for b in reversed(route) if b in last.bodies), last.body.name)
        if item.postponed or last.status is Status.CANCELLED:
            why = (
                f"blev udsat i {body} den {last.date:%d-%m-%Y}"
                if item.postponed
                else f"stod på {body}s aflyste møde den {last.date:%d-%m-%Y}"
            )
            problems.warning(
                item.location,
                f"sagen {number} {why}, men står ikke på et senere møde; brug 'dagsorden"
                f" videresend {last.name} {position}' for at sætte den på {body}s næste møde",
            )
            continue
        if item.decision is None or body not in route or route.index(body) == len(route) - 1:
            continue
        following = route[route.index(body) + 1]
        problems.warning(
            item.location,
            f"sagen {number} er besluttet i {body} den {last.date:%d-%m-%Y}, men står ikke på et"
            f" senere møde i {following}, som er næste i sagsgangen ({', '.join(route)}); brug"
            f" 'dagsorden videresend {last.name} {position}'",
        )
