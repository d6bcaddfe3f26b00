"""Live recording: attendance and each item's decision, votes and notes, through the very
functions the recording commands use (record.py: check before write, lock, atomic write,
comments kept). A refused recording shows the library's Danish sentence at the form, with
what the secretary typed still in it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import plan, record
from .._keys import STANDARD_DECISIONS
from ..changes import commit
from ..errors import DagsordenError, RecordError
from ._fields import FieldPath
from ._state import file_digest
from ._views import preview, refused_at
from .pages import meeting_page

if TYPE_CHECKING:
    from pathlib import Path

    from .app import Workplace

__all__ = ["Fields", "routes", "submit"]

Fields = dict[str, str]
# What a form does: (root, meeting, item number or None, fields) -> what was done, in Danish.
Action = Callable[["Path", str, int | None, Fields], str]
PAGES = {"moede": "moede.html", "optag": "optag.html"}
CHANGED = (
    "Mødefilen er ændret i mellemtiden (i en editor, af en kommando eller i et andet vindue);"
    " siden viser den nu, som den er. Det, du skrev, står stadig i feltet: gem igen, hvis det"
    " stadig skal med."
)


def routes(workplace: Workplace) -> list[Route]:
    async def live(request: Request) -> Response:
        return await meeting_page(workplace, request, "optag.html", item=_item(request))

    async def changed(request: Request) -> Response:
        name = request.path_params["name"]
        path = workplace.root / "agenda" / f"{name}.yaml"
        if file_digest(path) == request.query_params.get("digest"):
            return Response(status_code=204)
        return workplace.page(request, "_aendret.html", name=name)

    posts: list[tuple[str, Action, str]] = [
        ("/moede/{name}/afbud", _absent, "fremmoede"),
        ("/moede/{name}/delvis", _partial, "fremmoede"),
        ("/moede/{name}/punkt/{number:int}/beslut", _decide, "beslutning"),
        ("/moede/{name}/punkt/{number:int}/deltog-ikke", _away, "deltog-ikke"),
        ("/moede/{name}/punkt/{number:int}/afstem", _vote, "afstemning"),
        ("/moede/{name}/punkt/{number:int}/bemaerk", _note, "bemaerkninger"),
        ("/moede/{name}/punkter", _add, "nyt-punkt"),
        ("/moede/{name}/ret", _correct, "rettelse"),
        ("/moede/{name}/punkt/{number:int}/flyt", _move, "punkter"),
        ("/moede/{name}/punkt/{number:int}/adgang", _access, "punkter"),
    ]
    remove = submit(workplace, _remove, "punkter")

    async def withdraw(request: Request) -> Response:
        """Taking an item off the agenda asks first, saying what it means for the documents
        (the library's sentence); the confirmation posts again with bekraeft=ja."""
        form = await request.form()
        if form.get("bekraeft") == "ja":
            return await remove(request)
        name, number = request.path_params["name"], request.path_params["number"]
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        try:
            planned = await run_in_threadpool(plan.planned_removal, workplace.root, name, number)
        except DagsordenError as exc:
            return await meeting_page(
                workplace, request, "moede.html", 422, errors={"punkter": str(exc)}, typed=fields
            )
        return await meeting_page(workplace, request, "moede.html", confirm=planned, item=number)

    async def shown(request: Request) -> Response:
        form = await request.form()
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        return await meeting_page(
            workplace,
            request,
            "optag.html",
            item=request.path_params["number"],
            typed=fields,
            preview=preview(fields.get("tekst", "")),
        )

    return [
        Route("/moede/{name}/optag", live),
        Route("/moede/{name}/punkt/{number:int}/forhaandsvis", shown, methods=["POST"]),
        Route("/moede/{name}/aendret", changed),
        Route("/moede/{name}/punkt/{number:int}/fjern", withdraw, methods=["POST"]),
        *(
            Route(path, submit(workplace, action, anchor), methods=["POST"])
            for path, action, anchor in posts
        ),
    ]


def _item(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("punkt", "1")))
    except ValueError:
        return 1


def _number(text: str) -> int:
    return int(text) if text.isdigit() and int(text) > 0 else 1


def submit(
    workplace: Workplace,
    action: Action,
    anchor: str,
    keyer: Callable[[FieldPath], str | None] | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint for one form: refuse a form made from an older file, run the action, then
    303 back to the page (or, for htmx, the page itself); a refusal is 422 with the message
    at the form and the fields as typed. With `keyer` (the page's place of a field of the
    meeting file), each error of a refused change is shown at the field it concerns."""

    async def endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        number = request.path_params.get("number")
        form = await request.form()
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        template = PAGES.get(fields.get("side", ""), "moede.html")
        item = number or _number(fields.get("punkt", ""))
        path = workplace.root / "agenda" / f"{name}.yaml"
        shown = {"item": item, "typed": fields}
        if fields.get("digest") and file_digest(path) != fields["digest"]:
            return await meeting_page(
                workplace, request, template, 409, changed=True, errors={anchor: CHANGED}, **shown
            )
        try:
            said = await run_in_threadpool(action, workplace.root, name, number, fields)
            if workplace.commit:
                await run_in_threadpool(
                    commit, workplace.root, [f"agenda/{name}.yaml"], f"{name}: {said}"
                )
        except DagsordenError as exc:
            errors = refused_at(exc, anchor, keyer) if keyer else {anchor: str(exc)}
            return await meeting_page(workplace, request, template, 422, errors=errors, **shown)
        if request.headers.get("hx-request"):
            return await meeting_page(workplace, request, template, message=said, item=item)
        where = "optag" if template == "optag.html" else ""
        url = f"/moede/{quote(name)}" + (f"/{where}" if where else "")
        url += f"?punkt={item}&gjort={quote(said)}#{anchor}"
        return RedirectResponse(url, status_code=303)

    return endpoint


def _said(done: record.Recorded, text: str) -> str:
    warnings = "".join(f" Advarsel: {p.message}." for p in done.warnings)
    replaced = f"; erstattede: {done.previous}" if done.previous else ""
    return f"{text}{replaced}.{warnings}"


def _removing(fields: Fields) -> bool:
    return fields.get("handling") == "fjern"


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _absent(root: Path, name: str, number: int | None, fields: Fields) -> str:
    person = fields.get("navn", "")
    if _removing(fields):
        done = record.withdraw_absence(root, name, person)
        extra = f" og stedfortræderen {done.previous}" if done.previous else ""
        return f"Afbud fjernet: {person}{extra}."
    substitute = fields.get("stedfortraeder", "").strip() or None
    done = record.absent(root, name, person, substitute=substitute)
    return _said(
        done, f"Afbud skrevet: {person}" + (f" (stedfortræder {substitute})" if substitute else "")
    )


def _partial(root: Path, name: str, number: int | None, fields: Fields) -> str:
    person = fields.get("navn", "")
    if _removing(fields):
        done = record.withdraw_partial(root, name, person)
        return f"Delvis fremmøde fjernet: {person} ({done.previous})."
    done = record.partial(
        root,
        name,
        person,
        arrived=fields.get("ankom", "").strip() or None,
        left=fields.get("gik", "").strip() or None,
        items=_names(fields.get("punkter", "")),
    )
    return _said(done, f"Delvis fremmøde skrevet: {person}, ikke med til {done.item}")


def _decide(root: Path, name: str, number: int | None, fields: Fields) -> str:
    assert number is not None
    public = fields.get("offentlig") == "ja"
    what = "offentlig beslutning" if public else "beslutning"
    if _removing(fields):
        done = record.withdraw_decision(root, name, number, public=public)
        return f"{what.capitalize()} fjernet ved {done.item}: {done.previous}."
    standard = fields.get("standard", "")
    if standard:
        if standard not in STANDARD_DECISIONS:
            raise RecordError(f"ukendt standardbeslutning '{standard}'")
        text = STANDARD_DECISIONS[standard]
    else:
        text = fields.get("tekst", "")
    done = record.decide(root, name, number, text, public=public)
    return _said(done, f"{what.capitalize()} skrevet ved {done.item}")


def _away(root: Path, name: str, number: int | None, fields: Fields) -> str:
    assert number is not None
    person = fields.get("navn", "")
    if _removing(fields):
        done = record.withdraw_non_participation(root, name, number, person)
        return f"{person} deltog alligevel i {done.item}."
    reason = fields.get("aarsag", "").strip() or None
    done = record.not_taking_part(root, name, number, person, reason=reason)
    return _said(done, f"{person} deltog ikke i {done.item}" + (f" ({reason})" if reason else ""))


def _vote(root: Path, name: str, number: int | None, fields: Fields) -> str:
    assert number is not None
    if _removing(fields):
        done = record.withdraw_vote(root, name, number)
        return f"Afstemningen ved {done.item} er fjernet: {done.previous}."
    sides: dict[str, list[str]] = {"for": [], "imod": [], "undlod": []}
    for key, value in fields.items():
        if key.startswith("stemme:") and value in sides:
            sides[value].append(key.removeprefix("stemme:"))
    done = record.vote(
        root, name, number, for_=sides["for"], against=sides["imod"], abstained=sides["undlod"]
    )
    return _said(done, f"Afstemning skrevet ved {done.item}")


def _note(root: Path, name: str, number: int | None, fields: Fields) -> str:
    assert number is not None
    if _removing(fields):
        try:
            position = int(fields.get("nummer", ""))
        except ValueError:
            raise RecordError("vælg bemærkningen, der skal fjernes") from None
        done = record.withdraw_note(root, name, number, position)
        return f"Protokolbemærkning fjernet ved {done.item}: {done.previous}."
    person = fields.get("navn", "").strip() or None
    done = record.note(root, name, number, fields.get("tekst", ""), person=person)
    return _said(done, f"Protokolbemærkning skrevet ved {done.item}")


def _add(root: Path, name: str, number: int | None, fields: Fields) -> str:
    case = fields.get("sag", "").strip() or None
    title = fields.get("titel", "").strip() or None
    position, done = record.add_item(root, name, case=case, title=title)
    what = f"sag {case}" if case else title
    return _said(record.Recorded(done), f"Punkt {position} sat på: {what}")


def _move(root: Path, name: str, number: int | None, fields: Fields) -> str:
    assert number is not None
    to = _number(fields.get("til", ""))
    done = record.move_item(root, name, number, to)
    return _said(record.Recorded(done), f"Punkt {number} flyttet til punkt {to}")


def _access(root: Path, name: str, number: int | None, fields: Fields) -> str:
    assert number is not None
    access = fields.get("adgang", "")
    done = record.set_item_access(root, name, number, access)
    return _said(record.Recorded(done), f"Punkt {number} er nu {access.lower()}")


def _remove(root: Path, name: str, number: int | None, fields: Fields) -> str:
    assert number is not None
    done = record.remove_item(root, name, number)
    return _said(
        record.Recorded(list(done.warnings)),
        f"{done.item.capitalize()} er taget af dagsordenen. {done.consequence.removesuffix('.')}",
    )


def _correct(root: Path, name: str, number: int | None, fields: Fields) -> str:
    item = fields.get("rettelse_punkt", "").strip()
    done = record.correct(
        root, name, fields.get("tekst", ""), number=int(item) if item.isdigit() else None
    )
    where = f" ved punkt {item}" if item.isdigit() else ""
    return _said(record.Recorded(done), f"Rettelse skrevet{where}")
