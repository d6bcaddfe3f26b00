"""The Word templates a project uses, and their check for 'dagsorden tjek'.

Light on purpose: finding the templates and fingerprinting them imports nothing of Word, so
`tjek` stays cheap when nothing changed (project_check). The check itself opens each template,
compiles every part of it and fills it in twice with a sample context (once with everything
present, once with everything empty), in the same bounded sandbox as a build, so a fault a
build would meet is reported by `tjek`, at the same place and in the same words.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem

if TYPE_CHECKING:
    from .cache import Store

__all__ = [
    "SHARED_TEMPLATE",
    "TEMPLATES",
    "builtin_template",
    "check_templates",
    "find_template",
    "sample_context",
    "shown_name",
    "templates_fingerprint",
]

# Each template and the kinds of document made from it (context.DocumentKind values).
TEMPLATES = {"dagsorden.docx": ("dagsorden", "tillaeg"), "protokol.docx": ("protokol",)}
# One template for every kind of document, restyled once: used for a kind whose own file the
# project does not have (`document.is_minutes` tells the kinds apart inside it).
SHARED_TEMPLATE = "skabelon.docx"


def builtin_template(name: str) -> Path:
    # Beside this module: the package is installed as files (importlib.resources would cost
    # the light `tjek` path a fifth of its import time).
    return Path(__file__).parent / "templates" / name


def find_template(project_root: Path, name: str) -> Path:
    """The project's own template if it has one (`name`, else the shared `skabelon.docx`),
    else the built-in one.

    Anything at the template's path counts as the project's own (a folder, a broken link):
    rendering then says what is wrong with it instead of quietly using the built-in one.
    """
    for own in (project_root / "templates" / name, project_root / "templates" / SHARED_TEMPLATE):
        if os.path.lexists(own):
            return own
    return builtin_template(name)


def shown_name(root: Path, template: Path) -> str:
    """How messages name a template: relative to the project, or the built-in one's name."""
    return template.relative_to(root).as_posix() if template.is_relative_to(root) else template.name


def templates_fingerprint(root: Path, store: Store) -> str | None:
    """The bytes of every template the project uses, for the store's key of a `tjek` run;
    None when one cannot be read (the check then always runs)."""
    parts = []
    for name in TEMPLATES:
        path = find_template(root, name)
        if not path.is_file():  # a folder, a broken link, a named pipe that would block
            return None
        try:
            parts.append(f"{shown_name(root, path)}:{store.file_sha256(path)}")
        except OSError:
            return None
    return "|".join(parts)


def check_templates(root: Path, store: Store | None = None) -> list[Problem]:
    """Every fault of every template the project uses, each at its place.

    A template's result is remembered in the store by its bytes, so a `tjek` after an edit
    of a case does not open the templates again.
    """
    problems: list[Problem] = []
    from .inside import outside_problem

    used: dict[Path, tuple[str, ...]] = {}  # a shared template is checked once, for every kind
    for name, kinds in TEMPLATES.items():
        path = find_template(root, name)
        used[path] = (*used.get(path, ()), *kinds)
    for path, kinds in used.items():
        shown = shown_name(root, path)
        if shown.startswith("templates/") and outside_problem(root, shown, "skabelonen"):
            continue  # its place is the fault (inside.check_template_places says so)
        try:
            digest = store.file_sha256(path) if store is not None and path.is_file() else None
        except OSError:
            digest = None
        key = f"skabelonkontrol:{shown}:{','.join(kinds)}"
        known = store.parsed(key, digest) if store is not None and digest else None
        if isinstance(known, tuple) and len(known) == 1:
            problems += known[0]
            continue
        found = _check(path, shown, kinds)
        if store is not None and digest:
            store.remember_parsed(key, digest, (found,))
        problems += found
    return problems


def _check(path: Path, shown: str, kinds: tuple[str, ...]) -> list[Problem]:
    from ._docx_template import TemplateFault, compile_parts, fill, open_template

    try:
        problems = compile_parts(open_template(path, shown), shown)
    except TemplateFault as fault:
        return [fault.problem]
    if problems:
        return problems
    for kind in kinds:
        for full in (True, False):
            try:
                # A fresh copy each time: docxtpl fills the template in place.
                fill(open_template(path, shown), sample_context(kind, full=full), shown)
            except TemplateFault as fault:
                if fault.problem not in problems:
                    problems.append(fault.problem)
    return problems


# --------------------------------------------------------------------------------------------
# The sample context: every key of docs/templates.md
# --------------------------------------------------------------------------------------------


def _blocks(full: bool) -> list[dict[str, Any]]:
    if not full:
        return []
    return [
        {
            "kind": kind,
            "runs": [
                {"text": text, "bold": False, "italic": False},
                {"text": " med fed og kursiv", "bold": True, "italic": True},
            ],
        }
        for kind, text in (
            ("paragraph", "Et afsnit."),
            ("bullet", "Et punkt."),
            ("number", "Første nummer."),
        )
    ] + [
        {
            "kind": "paragraph",
            "runs": [{"text": "Et link", "bold": False, "italic": False, "link": _LINK}],
        },
        {
            "kind": "table",
            "rows": [[_cell("Strækning"), _cell("Pris")], [_cell("Vestervej"), _cell("1.000 kr.")]],
            "align": ["", "right"],
            "runs": [_run("Strækning | Pris\nVestervej | 1.000 kr.")],
        },
        {
            "kind": "image",
            "file": "billeder/kort.png",
            "alt": "Kort",
            "sha256": "",
            "runs": [_run("Kort")],
        },
        {"kind": "pagebreak", "runs": []},
    ]


def _run(text: str) -> dict[str, Any]:
    return {"text": text, "bold": False, "italic": False}


_LINK = "https://www.example.dk/"


def _cell(text: str) -> dict[str, Any]:
    return {"runs": [{"text": text, "bold": False, "italic": False}]}


def _lines(full: bool, *lines: str) -> list[str]:
    return list(lines) if full else []


def _person(name: str, party: str, role: str = "") -> dict[str, str]:
    label = " ".join([name, f"({party})", *([f"({role})"] if role else [])])
    return {
        "name": name,
        "party": party,
        "organisation": "",
        "job_title": "",
        "role": role,
        "label": label,
    }


def _people(full: bool, *people: dict[str, str]) -> list[dict[str, str]]:
    return list(people) if full else []


def _correction(full: bool) -> list[dict[str, Any]]:
    if not full:
        return []
    return [
        {
            "heading": "Rettelse den 20-12-2022",
            "date": "20-12-2022",
            "date_iso": "2022-12-20",
            "blocks": _blocks(full),
        }
    ]


def _attachment_fields(full: bool) -> list[dict[str, Any]]:
    if not full:
        return []
    return [
        {
            "number": 1,
            "id": "3389825",
            "access": "Åben",
            "title": "Udmøntningsplan 2023-2026",
            "doc_number": "151433/22",
            "inherited": True,
        }
    ]


def _item(full: bool) -> dict[str, Any]:
    treatment = {
        "recommendation": _blocks(full),
        "decided": full,
        "heading": "Beslutning i Økonomiudvalget den 06-12-2022",
        "body": "Økonomiudvalget",
        "body_abbreviation": "ØK",
        "date": "06-12-2022",
        "date_iso": "2022-12-06",
        "item_number": 4,
        "decision": _blocks(full),
        "votes": _lines(full, "For stemte: A (5)", "Imod stemte: V (2)"),
        "notes": _blocks(full),
        "non_participation": _lines(full, "Bo Berg (V) deltog ikke under behandling af punktet."),
        "absent": _lines(full, "Anna Andersen (A)"),
        "absent_list": _people(full, _person("Anna Andersen", "A")),
        "corrections": _correction(full),
    }
    return {
        "number": 1,
        "title": "Udmøntningsplan 2023-2026",
        "heading": "1. Udmøntningsplan 2023-2026",
        "note": "Punktet er ændret efter udsendelsen af dagsordenen." if full else "",
        "case_line": "00.01.00-A00-1-22 22/291 Åben Sag" if full else "",
        "route": "ØK, KB" if full else "",
        "text": _blocks(full),
        "sections": [{"heading": "Sagsfremstilling", "blocks": _blocks(full)}] if full else [],
        "recommendation": _blocks(full),
        "treatments": [treatment],
        "attachments": _lines(full, "1 - 3389825 Åben Udmøntningsplan 2023-2026 (151433/22) (H)"),
        "case": {
            "number": "22/291",
            "kle": "00.01.00-A00-1-22",
            "access": "Åben",
            "route": ["ØK", "KB"],
            "route_names": ["Økonomiudvalget", "Kommunalbestyrelsen"],
        }
        if full
        else None,
        "attachment_fields": _attachment_fields(full),
    }


def sample_context(kind: str, *, full: bool) -> dict[str, Any]:
    """A context with every key a template may use: with every list and text filled and
    every flag set (`full`), or with everything empty, as a public edition."""
    minutes = kind == "protokol"
    item = _item(full)
    titles = {"dagsorden": "DAGSORDEN", "tillaeg": "TILLÆGSDAGSORDEN", "protokol": "REFERAT"}
    edition = "intern" if full else "offentlig"
    return {
        "municipality": "Testrup Kommune",
        "document": {
            "kind": kind,
            "title": titles[kind],
            "is_minutes": minutes,
            "edition": edition,
            "edition_label": f"{edition.capitalize()} udgave",
            "is_public": not full,
            "cancelled": full,
            "extraordinary": full,
            "closed_meeting": full,
            "notices": _lines(full, "Mødet er aflyst.", "Ekstraordinært møde"),
        },
        "body": {"name": "Økonomiudvalget", "abbreviation": "ØK"},
        "meeting": {
            "place": "Mødelokale 1, Rådhuset",
            "date": "02-03-2023",
            "date_iso": "2023-03-02",
            "date_long": "Torsdag den 2. marts 2023",
            "start": "13:00",
            "start_note": "Medarbejdersiden holder formøde fra kl. 12:00" if full else "",
            "end": "15:00" if full else "",
            "header": "Økonomiudvalget 02-03-2023",
            "members": _lines(full, "Anna Andersen (A) (Formand)", "Bo Berg (V)"),
            "absent": _lines(full, "Anna Andersen (A)"),
            "member_list": _people(
                full, _person("Anna Andersen", "A", "Formand"), _person("Bo Berg", "V")
            ),
            "absent_list": _people(full, _person("Anna Andersen", "A")),
            "substitute_list": [
                {**_person("Dorte Dahl", "A"), "replaces": _person("Anna Andersen", "A")}
            ]
            if full
            else [],
            "partial_list": [
                {**_person("Bo Berg", "V"), "items": "1-3", "arrived": "17.45", "left": ""}
            ]
            if full
            else [],
        },
        "items": [item],
        "corrections": _correction(full and minutes),
        "signature": {"title": "Underskriftsblad", "members": ["Anna Andersen (A)", "Bo Berg (V)"]}
        if full and minutes
        else None,
        "attachment_overview": [
            {
                "heading": item["heading"],
                "number": item["number"],
                "title": item["title"],
                "attachments": item["attachments"],
                "attachment_fields": item["attachment_fields"],
            }
        ]
        if full
        else [],
    }
