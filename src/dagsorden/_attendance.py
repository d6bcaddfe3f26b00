"""People at a meeting as documents print them: names by period, parties and roles, the
front page's order, who took part in an item, and the fixed sentences about attendance
(with the organisation's wording, `ordlyd:`)."""

from __future__ import annotations

import datetime as dt

from ._keys import WORDING
from .model import Meeting, Membership, Organisation, Partial, Person

__all__ = [
    "away_line",
    "dotted",
    "format_person",
    "item_span",
    "members",
    "not_there_for",
    "own_party",
    "partial_line",
    "participants",
    "person_values",
    "printed_name",
    "words",
]


def words(org: Organisation | None, key: str, **values: str) -> str:
    """The fixed words `key` (ordlyd: in organisation.yaml, else the default) with `values`
    put in for their {…}."""
    text = org.wording.get(key) if org is not None else None
    text = text if text is not None else WORDING[key][0]
    for name, value in values.items():
        text = text.replace(f"{{{name}}}", value)
    return text


def format_person(org: Organisation, name: str, meeting: Meeting) -> str:
    """'Jens Meilvang (I)', 'Christian Bertelsen (Kommunaldirektør) (Formand)'.

    A stedfortræder, who is no member of the body, is shown with his own party.
    """
    values = person_values(org, name, meeting)
    parts = (values["party"] or values["organisation"], values["job_title"], values["role"])
    return " ".join([values["name"], *(f"({p})" for p in parts if p)])


def person_values(org: Organisation, name: str, meeting: Meeting) -> dict[str, str]:
    """A person at a meeting as values: the name printed then, party or organisation, job
    title, role, and the label the built-in templates print ('Jens Meilvang (I)')."""
    person = org.people.get(name)
    membership = person.membership(meeting.bodies, meeting.date) if person else None
    values = {"name": name, "party": "", "organisation": "", "job_title": "", "role": ""}
    if person is not None:
        values["name"] = printed_name(person, meeting.date)
    if membership is None:
        substitute = person is not None and any(s.person.name == name for s in meeting.substitutes)
        party = own_party(person, meeting.date) if person is not None and substitute else None
        values["party"] = party or ""
        values["label"] = f"{values['name']} ({party})" if party else values["name"]
        return values
    values.update(
        party=membership.party or "",
        organisation=membership.organisation or "",
        job_title=membership.job_title or "",
        role=membership.role or "",
    )
    parts = (membership.party or membership.organisation, membership.job_title, membership.role)
    values["label"] = " ".join([values["name"], *(f"({p})" for p in parts if p)])
    return values


def printed_name(person: Person, day: dt.date) -> str:
    """The name printed on `day`: a membership's `navn:` while it lasts (a name changed by
    marriage), else the person's name as organisation.yaml keys it."""
    for m in person.memberships:
        if m.printed_name and m.active_on(day):
            return m.printed_name
    return person.name


def own_party(person: Person, day: dt.date) -> str | None:
    """The party of someone outside the body (a stedfortræder): from a membership of another
    body on the day, else the latest one that names a party."""
    with_party = [m for m in person.memberships if m.party]
    current = [m for m in with_party if m.active_on(day)]
    chosen = current or sorted(with_party, key=lambda m: m.start, reverse=True)
    return chosen[0].party if chosen else None


def item_span(numbers: list[int] | tuple[int, ...]) -> str:
    """'1-3, 5': item numbers as minutes write them."""
    parts: list[str] = []
    ordered = sorted(set(numbers))
    start = 0
    for index, number in enumerate(ordered):
        if index + 1 < len(ordered) and ordered[index + 1] == number + 1:
            continue
        first = ordered[start]
        parts.append(str(first) if first == number else f"{first}-{number}")
        start = index + 1
    return ", ".join(parts)


def dotted(value: dt.time) -> str:
    """'17.45', as running text in minutes writes a time."""
    return f"{value.hour}.{value.minute:02d}"


def _times(org: Organisation, partial: Partial) -> str:
    """'ankom kl. 17.45', 'gik kl. 19.30', or both."""
    times = [words(org, "ankom", kl=dotted(partial.arrived))] if partial.arrived else []
    times += [words(org, "gik", kl=dotted(partial.left))] if partial.left else []
    return ", ".join(times)


def partial_line(org: Organisation, meeting: Meeting, partial: Partial) -> str:
    """'Anna Andersen (A) deltog ikke i punkt 1-3 (ankom kl. 17.45)', under Fraværende."""
    who = format_person(org, partial.person.name, meeting)
    return words(
        org, "delvis", navn=who, punkter=item_span(partial.items), tid=_times(org, partial)
    )


def away_line(org: Organisation, meeting: Meeting, number: int, name: str) -> str:
    """One line under an item for someone who was not there for it: the seed's sentence, with
    the time for a member who came late or left early."""
    who = format_person(org, name, meeting)
    item = meeting.items[number - 1]
    if any(np.person.name == name for np in item.non_participation):
        return words(org, "deltog_ikke", navn=who)
    partial = next(p for p in meeting.partial if p.person.name == name and number in p.items)
    return words(org, "deltog_ikke_tid", navn=who, tid=_times(org, partial))


def members(org: Organisation, meeting: Meeting) -> list[dict[str, str]]:
    """The members on the day: those the body's `medlemsorden` names first, in its order,
    then by role (`rolleorden`), then as organisation.yaml lists them."""
    body = org.bodies.get(meeting.body.name)
    ordered = [r.name for r in body.member_order] if body is not None else []
    roles = org.role_order
    found: list[tuple[int, int, int, dict[str, str]]] = []
    for index, person in enumerate(org.people.values()):
        membership: Membership | None = person.membership(meeting.bodies, meeting.date)
        if membership is None:
            continue
        place = ordered.index(person.name) if person.name in ordered else len(ordered)
        rank = roles.index(membership.role) if membership.role in roles else len(roles)
        found.append((place, rank, index, person_values(org, person.name, meeting)))
    return [values for *_, values in sorted(found, key=lambda f: f[:3])]


def participants(
    org: Organisation, meeting: Meeting, number: int | None = None
) -> list[tuple[str, str | None]]:
    """Who took part (name, party): the members less afbud, plus substitutes; for an item
    also less those who did not take part in it or were not there for it."""
    away = {r.name for r in meeting.absent}
    if number is not None:
        away |= set(not_there_for(meeting, number))
    found: list[tuple[str, str | None]] = []
    for person in org.people.values():
        membership = person.membership(meeting.bodies, meeting.date)
        if membership is not None and person.name not in away:
            found.append((person.name, membership.party))
    for sub in meeting.substitutes:
        substitute = org.people.get(sub.person.name)
        if substitute is None or substitute.name in away:
            continue
        own = substitute.membership(meeting.bodies, meeting.date)
        found.append((substitute.name, own.party if own else own_party(substitute, meeting.date)))
    return found


def not_there_for(meeting: Meeting, number: int) -> list[str]:
    """Who did not take part in item `number`: deltog_ikke, then late or early (delvis)."""
    item = meeting.items[number - 1]
    names = [np.person.name for np in item.non_participation]
    names += [
        p.person.name for p in meeting.partial if number in p.items and p.person.name not in names
    ]
    return names
