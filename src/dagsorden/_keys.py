"""The keys of the data format and its fixed words, shared by the readers.

Every key the format knows, per kind of record: key -> required. The reference page
(docs/format.md) documents each of them; a test keeps the two in step.
"""

from __future__ import annotations

__all__ = [
    "CLOSED_WORDING",
    "KEYS",
    "MINUTES_TITLES",
    "NAMED_NUMBER_FORMS",
    "NUMBER_FORMS",
    "NUMBER_KINDS",
    "REASONS",
    "STANDARD_DECISIONS",
    "VOTE_WORDING",
    "WORDING",
]

KEYS: dict[str, dict[str, bool]] = {
    "organisation": {
        "kommune": True,
        "standardafsnit": True,
        "udvalg": True,
        "personer": True,
        "numre": False,
        "ordlyd": False,
        "rolleorden": False,
    },
    "numre": {"sagsnr": False, "dokumentnr": False, "bilag_id": False},
    "nummerform": {"mønster": True, "eksempel": True, "navn": False},
    "udvalg": {
        "navn": True,
        "protokoltitel": False,
        "afsnit": False,
        "lukket_punkt": False,
        "underskriftsblad": False,
        "afstemning_for": False,
        "afstemning_imod": False,
        "afstemning_undlod": False,
        "medlemsorden": False,
    },
    "medlemskab": {
        "udvalg": True,
        "fra": True,
        "til": False,
        "parti": False,
        "organisation": False,
        "stilling": False,
        "rolle": False,
        "navn": False,
    },
    "sag": {
        "sagsnr": True,
        "kle": False,
        "titel": True,
        "offentlig_titel": False,
        "titel_følsom": False,
        "adgang": False,
        "sagsgang": True,
        "afsnit": False,
        "indstilling": False,
        "bilag": False,
    },
    "bilag": {
        "id": False,
        "titel": True,
        "dokumentnr": False,
        "adgang": False,
        "tilføjet": False,
        "fil": False,
    },
    "møde": {
        "udvalg": True,
        "dato": True,
        "start": True,
        "slut": False,
        "sted": True,
        "afbud": False,
        "stedfortrædere": False,
        "delvis": False,
        "punkter": False,  # a planned meeting may have no items yet
        "status": False,
        "godkendt": False,
        "rettelser": False,
        "lukket": False,
        "ekstraordinært": False,
        "start_bemærkning": False,
    },
    "stedfortræder": {"navn": True, "for": True},
    "delvis": {"navn": True, "ankom": False, "gik": False, "punkter": True},
    "godkendt": {"dato": True, "kontrolsum": True},
    "rettelse": {"dato": True, "punkt": False, "tekst": True},
    "afstemning": {"for": False, "imod": False, "undlod": False},
    "protokolbemærkning": {"navn": False, "tekst": True},
    "punkt": {
        "sag": False,
        "titel": False,
        "adgang": False,
        "offentlig_titel": False,
        "tekst": False,
        "indstilling": False,
        "beslutning": False,
        "offentlig_beslutning": False,
        "deltog_ikke": False,
        "protokolbemærkninger": False,
        "afstemning": False,
    },
    "deltog_ikke": {"navn": True, "årsag": False},
}
REASONS = ("inhabil", "forlod mødet", "ankom senere")
MINUTES_TITLES = ("BESLUTNINGSPROTOKOL", "REFERAT", "BESLUTNINGSREFERAT")
VOTE_WORDING = (
    "For stemte {antal} ({hvem}).",
    "Imod stemte {antal} ({hvem}).",
    "Undlod at stemme {antal} ({hvem}).",
)
CLOSED_WORDING = "Lukket punkt: {titel}"

# The body's standard phrases (docs/domain.md §3.2), offered by `dagsorden beslut --standard`.
STANDARD_DECISIONS = {
    "godkendt": "Godkendt.",
    "tiltrådt": "Tiltrådt.",
    "anbefales": "Anbefales.",
    "efterretning": "Taget til efterretning.",
    "drøftet": "Drøftet.",
    "udsat": "Udsat.",
}

# The forms of the municipality's numbers (numre: in organisation.yaml): (pattern, example,
# name). Norddjurs' forms are the default; bilag ids are not checked unless a form is given.
NUMBER_FORMS: dict[str, tuple[str, str, str]] = {
    "sagsnr": (r"\d{2}/\d+", "22/291", "ÅÅ/løbenummer"),
    "dokumentnr": (r"\d+/\d{2}", "151433/22", "løbenummer/ÅÅ"),
}
# Forms a municipality can name instead of writing a pattern (`sagsnr: KLE`).
NAMED_NUMBER_FORMS: dict[str, tuple[str, str, str]] = {
    "ÅÅ/løbenummer": NUMBER_FORMS["sagsnr"],
    "løbenummer/ÅÅ": NUMBER_FORMS["dokumentnr"],
    # KLE journal number: emne, handlingsfacet, serial, year (docs/domain.md §2.4)
    "KLE": (
        r"\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2}",
        "01.02.05-P16-3-26",
        "KLE-journalnummer",
    ),
    "ÅÅÅÅ-løbenummer": (r"\d{4}-\d+", "2026-001234", "ÅÅÅÅ-løbenummer"),
    "tal": (r"\d+", "3389825", "et tal"),
}
NUMBER_KINDS = {
    "sagsnr": "sagsnummeret",
    "dokumentnr": "dokumentnummeret",
    "bilag_id": "bilagets id",
}

# The fixed words the documents print (ordlyd: in organisation.yaml), with the {…} each may
# hold. docs/format.md lists them; a key not written keeps these words.
WORDING: dict[str, tuple[str, tuple[str, ...]]] = {
    "dagsorden": ("DAGSORDEN", ()),
    "tillægsdagsorden": ("TILLÆGSDAGSORDEN", ()),
    "intern_udgave": ("Intern udgave", ()),
    "offentlig_udgave": ("Offentlig udgave", ()),
    "aflyst": ("Mødet er aflyst.", ()),
    "ekstraordinært": ("Ekstraordinært møde", ()),
    "lukket_møde": ("Mødet er lukket for offentligheden.", ()),
    "stedfortræder": ("{navn}, stedfortræder for {for}", ("navn", "for")),
    "deltog_ikke": ("{navn} deltog ikke under behandling af punktet.", ("navn",)),
    "deltog_ikke_tid": ("{navn} deltog ikke under behandling af punktet ({tid}).", ("navn", "tid")),
    "delvis": ("{navn} deltog ikke i punkt {punkter} ({tid})", ("navn", "punkter", "tid")),
    "ankom": ("ankom kl. {kl}", ("kl",)),
    "gik": ("gik kl. {kl}", ("kl",)),
    "rettelse": ("Rettelse den {dato}", ("dato",)),
    "underskriftsblad": ("Underskriftsblad", ()),
    # The notes of a tillægsdagsorden and of minutes with items added at the meeting.
    "nyt_punkt": ("Nyt punkt, optaget på dagsordenen efter udsendelsen.", ()),
    "ændret_punkt": ("Punktet er ændret efter udsendelsen af dagsordenen.", ()),
    "taget_af": ("Punktet (nr. {nr} på den udsendte dagsorden) er taget af dagsordenen.", ("nr",)),
    "optaget_under_mødet": ("Punktet blev optaget på dagsordenen under mødet.", ()),
}
