"""A meeting's state and documents: status steps, approval with a confirmation, the build with
its progress, the documents for download, and undoing the last change (git)."""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import record
from ..build import build
from ..changes import commit, undo_last
from ..errors import DagsordenError
from ._jobs import Job
from .pages import history_page, meeting_page, output_files

if TYPE_CHECKING:
    from .app import Workplace

__all__ = ["routes"]


def routes(workplace: Workplace) -> list[Route]:
    root = workplace.root

    def start(name: str, what: str, work: Callable[[Job], list[str]]) -> Job:
        """Run `work` as a job, and commit what it wrote when the project is in git."""

        def run(job: Job) -> list[str]:
            lines = work(job)
            if workplace.commit:
                commit(root, [f"agenda/{name}.yaml", f"arkiv/{name}"], f"{name}: {what.lower()}")
            return lines

        return workplace.jobs.start(name, what, run)

    async def status(request: Request) -> Response:
        name = request.path_params["name"]
        form = await request.form()
        wanted = str(form.get("status", ""))
        pdf = form.get("uden_pdf") != "ja"

        def work(job: Job) -> list[str]:
            warnings = record.set_status(root, name, wanted, pdf=pdf, progress=job.progress)
            return [f"Status er nu {wanted}.", *(str(p) for p in warnings)]

        return _to_job(name, start(name, f"Status {wanted}", work))

    async def approve(request: Request) -> Response:
        name = request.path_params["name"]
        form = await request.form()
        if form.get("bekraeft") != "ja":
            return await meeting_page(
                workplace,
                request,
                "moede.html",
                422,
                errors={"godkend": "sæt kryds ved, at protokollen er godkendt på mødet"},
            )
        day_text = str(form.get("dato", "")).strip()
        try:
            day = dt.date.fromisoformat(day_text) if day_text else None
        except ValueError:
            return await meeting_page(
                workplace,
                request,
                "moede.html",
                422,
                errors={"godkend": f"'{day_text}' er ikke en dato på formen ÅÅÅÅ-MM-DD"},
            )
        pdf = form.get("uden_pdf") != "ja"

        def work(job: Job) -> list[str]:
            warnings = record.approve(root, name, on=day, pdf=pdf, progress=job.progress)
            return ["Protokollen er godkendt og frosset.", *(str(p) for p in warnings)]

        return _to_job(name, start(name, "Godkendelse", work))

    async def make(request: Request) -> Response:
        name = request.path_params["name"]
        form = await request.form()
        pdf = form.get("uden_pdf") != "ja"

        def work(job: Job) -> list[str]:
            built, warnings = build(root, [name], pdf=pdf, progress=job.progress)
            written = sum(b.written for b in built)
            return [
                f"{len(built)} dokumenter, {written} skrevet nu.",
                *(str(p) for p in warnings),
            ]

        job = workplace.jobs.start(name, "Byg", work)
        return _to_job(name, job)

    async def job_page(request: Request) -> Response:
        job = workplace.jobs.get(request.path_params["job"])
        if job is None:
            return workplace.page(
                request, "fejl.html", 404, title="Ukendt arbejde", text="Arbejdet findes ikke."
            )
        return workplace.page(
            request, "arbejde.html", job=job, files=output_files(root, job.meeting)
        )

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        file = request.path_params["file"]
        if file not in output_files(root, name):
            return workplace.page(
                request, "fejl.html", 404, title="Ukendt fil", text=f"{file} findes ikke."
            )
        kind = mimetypes.guess_type(file)[0] or "application/octet-stream"
        inline = "inline" if file.endswith(".pdf") else "attachment"
        return FileResponse(
            root / "out" / name / file,
            media_type=kind,
            content_disposition_type=inline,
            filename=file,
        )

    async def undo(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            done = await run_in_threadpool(undo_last, root, f"agenda/{name}.yaml", name)
        except DagsordenError as exc:
            return await history_page(workplace, request, 422, {"historik": str(exc)})
        said = f"Fortrudt: {done.message}"
        return RedirectResponse(
            f"/moede/{quote(name)}/historik?gjort={quote(said)}", status_code=303
        )

    return [
        Route("/moede/{name}/status", status, methods=["POST"]),
        Route("/moede/{name}/godkend", approve, methods=["POST"]),
        Route("/moede/{name}/byg", make, methods=["POST"]),
        Route("/moede/{name}/fortryd", undo, methods=["POST"]),
        Route("/arbejde/{job}", job_page),
        Route("/moede/{name}/filer/{file}", download),
    ]


def _to_job(name: str, job: Job) -> Response:
    return RedirectResponse(f"/arbejde/{job.id}", status_code=303)
