"""Reading a meeting file: the meeting, its items and what was recorded at it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import yaml

from ._keys import KEYS, REASONS
from ._nodes import NodeReader, is_null, one_of, suggest
from .model import (
    Access,
    Approval,
    Correction,
    Item,
    Meeting,
    NonParticipation,
    Note,
    Partial,
    Ref,
    Status,
    Substitute,
    Votes,
)

__all__ = ["MeetingReader"]


class MeetingReader(NodeReader):
    """Reads the records of a meeting file."""

    def meeting(self, node: yaml.MappingNode, name: str) -> Meeting | None:
        f = self.fields(node, KEYS["møde"], "mødet")
        if f is None:
            return None
        body, joint = self.bodies(f["udvalg"]) if "udvalg" in f else (None, ())
        date = self.date(f["dato"], "datoen") if "dato" in f else None
        start = self.time(f["start"], "starttidspunktet") if "start" in f else None
        end = self.time(f["slut"], "sluttidspunktet") if "slut" in f else None
        if start and end and end <= start:
            self.error(
                f["slut"], f"mødet slutter kl. {end:%H:%M}, før det starter kl. {start:%H:%M}"
            )
        place = self.opt_string(f, "sted", "mødestedet")
        start_note = self.opt_string(f, "start_bemærkning", "bemærkningen til starttidspunktet")
        absent = self.refs(f["afbud"], "afbud", "et navn under afbud") if "afbud" in f else ()
        items = tuple(self.each(f["punkter"], "punkterne", self.item)) if "punkter" in f else ()
        status = self.status(f["status"]) if "status" in f else Status.PLANNED
        substitutes = (
            tuple(self.each(f["stedfortrædere"], "stedfortrædere", self.substitute))
            if "stedfortrædere" in f
            else ()
        )
        partial = tuple(self.each(f["delvis"], "delvis", self.partial)) if "delvis" in f else ()
        approval = self.approval(f["godkendt"]) if "godkendt" in f else None
        corrections = (
            tuple(self.each(f["rettelser"], "rettelser", self.correction))
            if "rettelser" in f
            else ()
        )
        closed = self.boolean(f["lukket"], "lukket") if "lukket" in f else False
        extra = (
            self.boolean(f["ekstraordinært"], "ekstraordinært") if "ekstraordinært" in f else False
        )
        if closed:
            items = tuple(replace(i, access=i.access or Access.CLOSED) for i in items)
        if body is None or date is None or status is None:
            return None
        # A start time or place that could not be read is already an error; the meeting is
        # still read, so that everything else in it is checked in the same run.
        return Meeting(
            name,
            body,
            date,
            start if start is not None else dt.time(0, 0),
            end,
            place if place is not None else "",
            absent,
            items,
            self.loc(node),
            status,
            substitutes,
            partial,
            approval,
            corrections,
            bool(closed),
            bool(extra),
            joint,
            self.loc(f["status"]) if "status" in f else None,
            start_note,
        )

    def bodies(self, node: yaml.Node) -> tuple[Ref | None, tuple[Ref, ...]]:
        """One body (`udvalg: ØK`), or the bodies of a joint meeting (`udvalg: [TMU, ØK]`)."""
        if not isinstance(node, yaml.SequenceNode):
            return self.ref(node, "udvalget"), ()
        refs = self.refs(node, "udvalgene", "et udvalg")
        names = [r.name for r in refs]
        for ref in refs:
            if names.count(ref.name) > 1:
                self.error(
                    node, f"udvalget {ref.name} står to gange; et fællesmøde har hvert én gang"
                )
                return None, ()
        if not refs:
            self.error(node, "et fællesmøde skal have mindst ét udvalg, fx [TMU, ØK]")
            return None, ()
        return refs[0], tuple(refs[1:])

    def status(self, node: yaml.Node) -> Status | None:
        value = self.string(node, "status")
        for status in Status:
            if value == status.value:
                return status
        if value is not None:
            names = tuple(s.value for s in Status)
            self.error(
                node, f"status '{value}' er ukendt; brug {one_of(names)}{suggest(value, names)}"
            )
        return None

    def substitute(self, node: yaml.Node) -> Substitute | None:
        f = self.fields(node, KEYS["stedfortræder"], "stedfortræderen")
        if f is None or "navn" not in f or "for" not in f:
            return None
        person = self.ref(f["navn"], "stedfortræderens navn")
        replaces = self.ref(f["for"], "navnet på den, stedfortræderen er for")
        return Substitute(person, replaces) if person and replaces else None

    def partial(self, node: yaml.Node) -> Partial | None:
        f = self.fields(node, KEYS["delvis"], "delvis deltagelse")
        if f is None or "navn" not in f:
            return None
        person = self.ref(f["navn"], "navnet")
        arrived = self.time(f["ankom"], "ankomsttidspunktet") if "ankom" in f else None
        left = self.time(f["gik"], "tidspunktet, medlemmet gik") if "gik" in f else None
        numbers = []
        for child in self.seq(f["punkter"], "punkterne") if "punkter" in f else []:
            value = self.string(child, "et punktnummer")
            if value is not None and value.isdigit():
                numbers.append(int(value))
            elif value is not None:
                self.error(child, f"punkter skal være punktnumre (1, 2, …), ikke '{value}'")
        if "ankom" not in f and "gik" not in f:
            self.error(node, "delvis deltagelse skal have 'ankom' eller 'gik' (et klokkeslæt)")
        return Partial(person, arrived, left, tuple(numbers), self.loc(node)) if person else None

    def approval(self, node: yaml.Node) -> Approval | None:
        f = self.fields(node, KEYS["godkendt"], "godkendelsen")
        if f is None:
            return None
        date = self.date(f["dato"], "godkendelsesdatoen") if "dato" in f else None
        checksum = self.opt_string(f, "kontrolsum", "kontrolsummen")
        if date is None or checksum is None:
            return None
        return Approval(date, checksum, self.loc(node))

    def correction(self, node: yaml.Node) -> Correction | None:
        f = self.fields(node, KEYS["rettelse"], "rettelsen")
        if f is None:
            return None
        date = self.date(f["dato"], "rettelsens dato") if "dato" in f else None
        item = None
        if "punkt" in f:
            value = self.string(f["punkt"], "punktnummeret")
            if value is not None and value.isdigit():
                item = int(value)
            elif value is not None:
                self.error(f["punkt"], f"punkt skal være et punktnummer (1, 2, …), ikke '{value}'")
        text = self.text(f["tekst"], "rettelsens tekst") if "tekst" in f else None
        return Correction(date, item, text) if date and text else None

    def votes(self, node: yaml.Node) -> Votes | None:
        f = self.fields(node, KEYS["afstemning"], "afstemningen")
        if f is None:
            return None
        sides = [
            self.refs(f[key], key, f"et navn eller parti under {key}") if key in f else ()
            for key in ("for", "imod", "undlod")
        ]
        return Votes(sides[0], sides[1], sides[2], self.loc(node))

    def note(self, node: yaml.Node) -> Note | None:
        if isinstance(node, yaml.ScalarNode):
            text = self.text(node, "protokolbemærkningen")
            return Note(None, text) if text else None
        f = self.fields(node, KEYS["protokolbemærkning"], "protokolbemærkningen")
        if f is None or "tekst" not in f:
            return None
        person = self.ref(f["navn"], "navnet") if "navn" in f else None
        text = self.text(f["tekst"], "protokolbemærkningen")
        return Note(person, text) if text else None

    def item(self, node: yaml.Node) -> Item | None:
        f = self.fields(node, KEYS["punkt"], "punktet")
        if f is None:
            return None
        case = self.ref(f["sag"], "sagsnummeret") if "sag" in f else None
        title = self.opt_string(f, "titel", "punktets titel")
        if case is None and title is None and "sag" not in f:
            self.error(
                node,
                "punktet mangler enten 'sag' (et sagsnummer) eller 'titel' (et punkt uden sag)",
            )
        if "sag" in f and ("titel" in f or "tekst" in f):
            key = "titel" if "titel" in f else "tekst"
            self.error(f[key], f"et punkt med en sag tager titel og tekst fra sagen; fjern '{key}'")
        access = self.access(f, "punktets adgang") if "adgang" in f else None
        public_title = self.opt_string(f, "offentlig_titel", "den offentlige titel")
        text = self.text(f["tekst"], "punktets tekst") if "tekst" in f else None
        recommendation = (
            self.text(f["indstilling"], "indstillingen") if "indstilling" in f else None
        )
        decision = self.text(f["beslutning"], "beslutningen") if "beslutning" in f else None
        public_decision = (
            self.text(f["offentlig_beslutning"], "den offentlige beslutning")
            if "offentlig_beslutning" in f
            else None
        )
        absent = (
            tuple(self.each(f["deltog_ikke"], "deltog_ikke", self.non_participation))
            if "deltog_ikke" in f
            else ()
        )
        notes = (
            tuple(self.each(f["protokolbemærkninger"], "protokolbemærkningerne", self.note))
            if "protokolbemærkninger" in f
            else ()
        )
        votes = self.votes(f["afstemning"]) if "afstemning" in f else None
        return Item(
            case,
            title,
            access,
            public_title,
            text,
            recommendation,
            decision,
            public_decision,
            absent,
            notes,
            votes,
            self.loc(node),
        )

    def non_participation(self, node: yaml.Node) -> NonParticipation | None:
        if isinstance(node, yaml.ScalarNode) and not is_null(node):
            self.error(
                node,
                f"skriv personen under deltog_ikke med navn:, fx '- navn: {node.value.strip()}'",
            )
            return None
        f = self.fields(node, KEYS["deltog_ikke"], "deltog_ikke")
        if f is None:
            return None
        person = self.ref(f["navn"], "navnet") if "navn" in f else None
        reason = self.opt_string(f, "årsag", "årsagen")
        if reason is not None and reason not in REASONS:
            self.error(
                f["årsag"],
                f"årsagen '{reason}' er ukendt; brug {one_of(REASONS)}{suggest(reason, REASONS)}",
            )
            reason = None
        return None if person is None else NonParticipation(person, reason)
