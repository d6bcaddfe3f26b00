"""Planning in the browser: a new meeting from the overview, the front page facts of a
meeting, and an item's own text and recommendation, through the library (`plan.new_meeting`,
`plan_text`): check before write, lock, atomic write, comments kept. A refusal shows the
library's (or `tjek`'s) Danish sentence at the field, with what was typed kept."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import plan, plan_text
from ..changes import commit
from ..errors import DagsordenError, Problem
from ._fields import FieldPath
from .live import Fields, submit
from .pages import overview_page

if TYPE_CHECKING:
    from pathlib import Path

    from .app import Workplace

__all__ = ["routes"]

FACTS = ("start", "slut", "sted")
ITEM_TEXTS = ("tekst", "indstilling")


def routes(workplace: Workplace) -> list[Route]:
    async def new(request: Request) -> Response:
        form = await request.form()
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        root = workplace.root
        try:
            file, warnings = await run_in_threadpool(
                lambda: plan.new_meeting(
                    root,
                    fields.get("udvalg", ""),
                    fields.get("dato", "").strip(),
                    start=fields.get("start", "").strip() or None,
                    place=fields.get("sted", "").strip() or None,
                )
            )
        except DagsordenError as exc:
            return await overview_page(workplace, request, 422, {"nyt-moede": str(exc)}, fields)
        name = file.removeprefix("agenda/").removesuffix(".yaml")
        shown = await run_in_threadpool(plan.item_overview, root, name)
        said = _with_warnings(f"Mødet er oprettet: {shown.heading}", warnings)
        if workplace.commit:
            await run_in_threadpool(commit, root, [file], f"{name}: {said}")
        return RedirectResponse(f"/moede/{quote(name)}?gjort={quote(said)}", status_code=303)

    return [
        Route("/moeder", new, methods=["POST"]),
        Route(
            "/moede/{name}/forside",
            submit(workplace, _facts, "forside", _fact_key),
            methods=["POST"],
        ),
        Route(
            "/moede/{name}/punkt/{number:int}/tekst",
            submit(workplace, _item_text, "punkt-tekst", _item_text_key),
            methods=["POST"],
        ),
    ]


def _fact_key(path: FieldPath) -> str | None:
    return f"forside:{path[0]}" if path[0] in FACTS else None


def _item_text_key(path: FieldPath) -> str | None:
    if len(path) > 2 and path[0] == "punkter" and path[2] in ITEM_TEXTS:
        return f"punkt-tekst:{path[2]}"
    return None


def _facts(root: Path, name: str, number: int | None, fields: Fields) -> str:
    warnings = plan_text.set_meeting_facts(
        root,
        name,
        start=fields.get("start", ""),
        end=fields.get("slut", ""),
        place=fields.get("sted", ""),
    )
    return _with_warnings("Forsidens oplysninger er gemt", warnings)


def _item_text(root: Path, name: str, number: int | None, fields: Fields) -> str:
    assert number is not None
    warnings = plan_text.set_item_text(
        root, name, number, text=fields.get("tekst"), recommendation=fields.get("indstilling")
    )
    return _with_warnings(f"Punkt {number}: teksten og indstillingen er gemt", warnings)


def _with_warnings(text: str, warnings: list[Problem]) -> str:
    return f"{text}." + "".join(f" Advarsel: {p.message}." for p in warnings)
