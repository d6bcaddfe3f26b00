"""The case page: title, numbers, access and sagsgang with a form, treatments, each section's
text with an editor and a preview that reads as the documents will, and the bilag with
upload, their title, numbers, access and order. Writes go through `casework` (check before
write, lock, atomic write, comments kept); the check's problems in the case's file are shown
at the field they concern, a refused change's errors too, with what was typed kept."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import casework
from ..casework import UPLOAD_TYPES, add_attachment, set_section
from ..errors import DagsordenError
from ._state import file_digest
from ._views import case_key, case_places, html_blocks, preview, refused_at

if TYPE_CHECKING:
    from .app import Workplace

__all__ = ["routes"]

MAX_UPLOAD = 50 * 1024 * 1024


def routes(workplace: Workplace) -> list[Route]:
    root = workplace.root

    async def page(
        request: Request,
        status: int = 200,
        errors: dict[str, str] | None = None,
        typed: dict[str, str] | None = None,
        previews: dict[str, Any] | None = None,
        message: str | None = None,
    ) -> Response:
        number = request.path_params["number"].replace("-", "/")
        project = await run_in_threadpool(workplace.loaded.project)
        found = project.cases.get(number)
        if found is None:
            return workplace.page(
                request, "fejl.html", 404, title="Ukendt sag", text=f"Sagen {number} findes ikke."
            )
        treated = [
            m
            for m in sorted(project.meetings.values(), key=lambda m: m.sort_key)
            if any(i.case is not None and i.case.name == number for i in m.items)
        ]
        org = project.organisation
        headings = list(org.sections_for(treated[-1].body.name) if org and treated else ())
        own = [s.heading for s in found.sections]
        problems = await run_in_threadpool(casework.case_problems, root, number)
        places = case_places(root, found.location.file, problems)
        values = {
            "places": places,
            "case": found,
            "slug": request.path_params["number"],
            "sections": [
                (s.heading, s.text.source.strip(), html_blocks(s.text)) for s in found.sections
            ],
            "missing": [h for h in headings if h not in own],
            "recommendation": html_blocks(found.recommendation),
            "treated": treated,
            "digest": file_digest(root / found.location.file),
            "errors": errors or {},
            "typed": typed or {},
            "previews": previews or {},
            "types": ", ".join(UPLOAD_TYPES),
        }
        if message is not None:
            values["message"] = message
        return workplace.page(request, "sag.html", status, **values)

    async def show(request: Request) -> Response:
        return await page(request)

    async def section(request: Request) -> Response:
        form = await request.form()
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        heading = fields.get("overskrift", "")
        key = f"afsnit:{heading}"
        if fields.get("handling") == "forhaandsvis":
            return await page(
                request, typed=fields, previews={heading: preview(fields.get("tekst", ""))}
            )
        return await write(
            request,
            key,
            lambda number, f: set_section(root, number, heading, f.get("tekst", "")),
            lambda f: f"Afsnittet '{heading}' er gemt.",
        )

    async def write(request: Request, key: str, action: Any, said: Any) -> Response:
        """One form's write: refuse a form made from an older file, run `action(fields)`, and
        show a refusal's errors at their fields with what was typed."""
        form = await request.form()
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        number = request.path_params["number"].replace("-", "/")
        stale = await _stale(workplace, number, fields.get("digest", ""))
        if stale:
            return await page(request, 409, {key: stale}, fields)
        try:
            warnings = await run_in_threadpool(action, number, fields)
        except DagsordenError as exc:
            return await page(request, 422, refused_at(exc, key, case_key), fields)
        done = said(fields) + "".join(f" Advarsel: {p.message}." for p in warnings)
        return await _done(workplace, request, number, done)

    async def facts(request: Request) -> Response:
        return await write(
            request,
            "oplysninger",
            lambda number, f: casework.set_facts(
                root,
                number,
                title=f.get("titel", ""),
                kle=f.get("kle", ""),
                access=f.get("adgang", ""),
                route=f.get("sagsgang", ""),
                # Both are on the form; a post without them leaves them as they are.
                public_title=f.get("offentlig_titel"),
                sensitive=(f.get("titel_foelsom") == "ja") if "offentlig_titel" in f else None,
            ),
            lambda f: "Sagens oplysninger er gemt.",
        )

    async def attachment_facts(request: Request) -> Response:
        position = request.path_params["position"]
        return await write(
            request,
            f"bilag:{position}",
            lambda number, f: casework.set_attachment(
                root,
                number,
                position,
                title=f.get("titel", ""),
                system_id=f.get("id", ""),
                doc_number=f.get("dokumentnr", ""),
                access=f.get("adgang", ""),
            ),
            lambda f: f"Bilag {position} er gemt.",
        )

    async def attachment_move(request: Request) -> Response:
        position = request.path_params["position"]
        return await write(
            request,
            f"bilag:{position}",
            lambda number, f: casework.move_attachment(
                root, number, position, _int(f.get("til", ""))
            ),
            lambda f: f"Bilag {position} er flyttet til bilag {_int(f.get('til', ''))}.",
        )

    async def attachment(request: Request) -> Response:
        number = request.path_params["number"].replace("-", "/")
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("fil")
            fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
            filename = upload.filename if isinstance(upload, UploadFile) else None
            data = await upload.read(MAX_UPLOAD + 1) if isinstance(upload, UploadFile) else b""
        if not filename:
            return await page(request, 422, {"bilag": "vælg filen, der skal på som bilag"}, fields)
        if len(data) > MAX_UPLOAD:
            return await page(request, 422, {"bilag": "filen er større end 50 MB"}, fields)
        try:
            target, warnings = await run_in_threadpool(
                lambda: add_attachment(
                    root,
                    number,
                    system_id=fields.get("id", ""),
                    title=fields.get("titel", ""),
                    filename=filename,
                    data=data,
                    access=fields.get("adgang", "Åben"),
                )
            )
        except DagsordenError as exc:
            return await page(request, 422, {"bilag": str(exc)}, fields)
        said = f"Bilaget er gemt som {target}." + "".join(
            f" Advarsel: {p.message}." for p in warnings
        )
        return await _done(workplace, request, number, said, files=[target])

    return [
        Route("/sag/{number}", show),
        Route("/sag/{number}/afsnit", section, methods=["POST"]),
        Route("/sag/{number}/bilag", attachment, methods=["POST"]),
        Route("/sag/{number}/oplysninger", facts, methods=["POST"]),
        Route("/sag/{number}/bilag/{position:int}", attachment_facts, methods=["POST"]),
        Route("/sag/{number}/bilag/{position:int}/flyt", attachment_move, methods=["POST"]),
    ]


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0


async def _stale(workplace: Workplace, number: str, digest: str) -> str | None:
    project = await run_in_threadpool(workplace.loaded.project)
    case = project.cases.get(number)
    if case is None or not digest:
        return None
    if file_digest(workplace.root / case.location.file) == digest:
        return None
    return (
        "Sagens fil er ændret i mellemtiden (i en editor eller et andet vindue); siden viser den"
        " nu, som den er. Det, du skrev, står stadig i feltet: gem igen, hvis det skal med."
    )


async def _done(
    workplace: Workplace,
    request: Request,
    number: str,
    said: str,
    files: list[str] | None = None,
) -> Response:
    if workplace.commit:
        from ..casework import case_file
        from ..changes import commit

        file = await run_in_threadpool(case_file, workplace.root, number)
        await run_in_threadpool(
            commit, workplace.root, [file, *(files or [])], f"Sag {number}: {said}"
        )
    slug = request.path_params["number"]
    return RedirectResponse(f"/sag/{quote(slug)}?gjort={quote(said)}", status_code=303)
