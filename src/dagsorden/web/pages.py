"""The pages that show: the year's meetings, one meeting, its history, a case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..build import examine
from ..changes import file_changes
from ..errors import DagsordenError
from ..overview import next_steps, year_overview, years
from ._state import file_digest
from ._views import meeting_fields, meeting_view, problems_by_place

if TYPE_CHECKING:
    from .app import Workplace

__all__ = [
    "history_page",
    "meeting_page",
    "meeting_values",
    "output_files",
    "overview_page",
    "routes",
]


def routes(workplace: Workplace) -> list[Route]:
    async def overview(request: Request) -> Response:
        return await overview_page(workplace, request)

    async def meeting(request: Request) -> Response:
        shown = request.query_params.get("punkt", "")
        item = int(shown) if shown.isdigit() else None
        return await meeting_page(workplace, request, "moede.html", item=item)

    async def history(request: Request) -> Response:
        return await history_page(workplace, request)

    return [
        Route("/", overview),
        Route("/moede/{name}", meeting),
        Route("/moede/{name}/historik", history),
    ]


async def overview_page(
    workplace: Workplace,
    request: Request,
    status: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    """The year's meetings per body, what needs doing next, and the form for a new meeting
    (with a refusal's message and what was typed)."""
    project = await run_in_threadpool(workplace.loaded.project)
    known = years(project) or [dt.date.today().year]
    try:
        year = int(request.query_params.get("aar", ""))
    except ValueError:
        year = known[0]
    org = project.organisation
    return workplace.page(
        request,
        status=status,
        template="oversigt.html",
        year=year,
        years=known,
        bodies=year_overview(project, year),
        steps=workplace.loaded.derived(
            project, f"steps {dt.date.today()}", lambda p: next_steps(p, dt.date.today())
        ),
        municipality=org.municipality if org else "",
        committees=[(a, b.name) for a, b in org.bodies.items()] if org else [],
        errors=errors or {},
        typed=typed or {},
    )


def meeting_values(workplace: Workplace, name: str) -> dict[str, Any] | None:
    """Everything a meeting's pages show: the meeting as the narrow check read it, its
    problems by place, and the digest of its file as the page's forms were made from it."""
    project, problems = examine(workplace.root, name)
    meeting = project.meetings.get(name)
    if meeting is None or project.organisation is None:
        return None
    files = output_files(workplace.root, name)
    return {
        "m": meeting_view(project, meeting),
        "places": problems_by_place(meeting, problems),
        "digest": file_digest(workplace.root / meeting.location.file),
        "files": files,
        "supplement": any(f.startswith("tillaegsdagsorden") for f in files),
    }


def output_files(root: Path, name: str) -> list[str]:
    """The meeting's documents in out/, by name."""
    folder = root / "out" / name
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".docx", ".pdf"))


async def history_page(
    workplace: Workplace, request: Request, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    """A meeting's changes in git, newest first, with the undo of the last one."""
    name = request.path_params["name"]
    values = await run_in_threadpool(meeting_values, workplace, name)
    if values is None:
        return _unknown(workplace, request, name)
    changes = await run_in_threadpool(file_changes, workplace.root, values["m"]["file"])
    return workplace.page(
        request,
        "historik.html",
        status,
        changes=changes,
        git=workplace.commit,
        errors=errors or {},
        **values,
    )


async def meeting_page(
    workplace: Workplace,
    request: Request,
    template: str,
    status: int = 200,
    **extra: Any,
) -> Response:
    name = request.path_params["name"]
    try:
        values = await run_in_threadpool(meeting_values, workplace, name)
    except DagsordenError as exc:
        return workplace.page(
            request, "fejl.html", 500, title="Mødet kan ikke læses", text=str(exc)
        )
    if values is None:
        return _unknown(workplace, request, name)
    extra.setdefault("errors", {})
    extra.setdefault("typed", {})
    extra.setdefault("changed", False)
    extra.setdefault("preview", None)
    extra.setdefault("confirm", None)
    running = workplace.jobs.running(name)
    if template == "moede.html":  # the recording page keeps its lists per item
        values["at"] = meeting_fields(workplace.root, values["m"], values["places"])
    return workplace.page(request, template, status, job=running, **values, **extra)


def _unknown(workplace: Workplace, request: Request, name: str) -> HTMLResponse:
    return workplace.page(
        request, "fejl.html", 404, title="Ukendt møde", text=f"Mødet {name} findes ikke."
    )
