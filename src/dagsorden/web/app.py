"""The web app: Starlette over the library, pages rendered on the server, htmx for partial
updates. Every page is Danish; every form works without JavaScript (POST, then 303)."""

from __future__ import annotations

import gc
import secrets
import threading
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import __version__
from ..changes import in_git
from ..errors import DagsordenError
from ..scope import one_look
from ._jobs import Jobs
from ._safety import SafetyMiddleware
from ._state import Loaded

__all__ = ["Workplace", "create_app", "serve"]

STATIC = Path(__file__).parent / "static"


@dataclass
class Workplace:
    """What the app holds between requests: the project, its settings and running builds."""

    root: Path
    token: str
    commit: bool
    loaded: Loaded
    jobs: Jobs = field(default_factory=Jobs)
    environment: Environment = field(
        default_factory=lambda: Environment(
            loader=PackageLoader("dagsorden.web", "templates"),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    )

    def page(
        self, request: Request, template: str, status: int = 200, **values: Any
    ) -> HTMLResponse:
        """A page, or, for htmx, the same page (htmx picks the part it swaps)."""
        values.setdefault("message", request.query_params.get("gjort"))
        html = self.environment.get_template(template).render(
            version=__version__, project=self.root.resolve().name, **values
        )
        return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


class OneLook:
    """Each request looks at the data folders once (`scope.one_look`): the page's project and
    its narrow check share the listing, and a write of the request's own is still seen."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with one_look():
            await self.app(scope, receive, send)
        _collector.after_request()


class _Collector:
    """Python's full garbage collection walks every object the app holds (a 1,000-meeting
    project is millions): about half a second, at a moment no one chooses, measured as the
    slowest click in twenty. After each request the objects still alive are frozen out of
    the collector's walks (`gc.freeze`), so a collection walks only the young ones; every
    `EVERY`th request, after its answer is sent, they are collected once in full, which frees
    what has died in cycles since."""

    EVERY = 200

    def __init__(self) -> None:
        self.requests = 0

    def after_request(self) -> None:
        self.requests += 1
        if self.requests % self.EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()


_collector = _Collector()


def create_app(root: Path, *, token: str | None = None, commit: bool | None = None) -> Starlette:
    """The app for the data project at `root`. `token` is the per-start secret (a new one when
    not given); `commit` commits every change in git (default: when the project is in git)."""
    from . import cases, documents, live, pages, planning

    workplace = Workplace(
        root,
        token or secrets.token_urlsafe(24),
        in_git(root) if commit is None else commit,
        Loaded(root),
    )
    routes = [
        *pages.routes(workplace),
        *live.routes(workplace),
        *planning.routes(workplace),
        *documents.routes(workplace),
        *cases.routes(workplace),
        Mount("/statisk", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SafetyMiddleware, token=workplace.token),
            Middleware(OneLook),
        ],
    )
    app.state.workplace = workplace
    return app


def serve(
    root: Path,
    port: int,
    *,
    open_browser: bool = True,
    commit: bool | None = None,
    announce: Any = print,
) -> None:
    """Run the app on 127.0.0.1:`port` until interrupted; print the address with the token.
    `commit` as for `create_app`."""
    import socket

    import uvicorn

    with socket.socket() as probe:  # uvicorn would say it in English, and exit
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise DagsordenError(
                f"porten {port} på 127.0.0.1 er optaget; vælg en anden med --port N"
            ) from exc
    app = create_app(root, commit=commit)
    token = app.state.workplace.token
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    address = f"http://127.0.0.1:{port}/?token={token}"
    announce(f"dagsorden kører på {address}\nStop med Ctrl+C.")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    server.run()
