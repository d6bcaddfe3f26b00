"""The keys of the data format and its fixed words, shared by the readers.

Every key the format knows, per kind of record: key -> required. The reference page
(docs/format.md) documents each of them; a test keeps the two in step.
"""

from __future__ import annotations

__all__ = [
    "CLOSED_WORDING",
    "KEYS",
    "MINUTES_TITLES",
    "REASONS",
    "STANDARD_DECISIONS",
    "VOTE_WORDING",
]

KEYS: dict[str, dict[str, bool]] = {
    "organisation": {"kommune": True, "standardafsnit": True, "udvalg": True, "personer": True},
    "udvalg": {
        "navn": True,
        "protokoltitel": False,
        "afsnit": False,
        "lukket_punkt": False,
        "underskriftsblad": False,
        "afstemning_for": False,
        "afstemning_imod": False,
        "afstemning_undlod": False,
    },
    "medlemskab": {
        "udvalg": True,
        "fra": True,
        "til": False,
        "parti": False,
        "organisation": False,
        "stilling": False,
        "rolle": False,
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
        "id": True,
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
