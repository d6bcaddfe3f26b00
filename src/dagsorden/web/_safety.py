"""Who may use the workplace: only this machine's user, only from the app's own pages.

Three guards, as ../shared/docs/web-and-open-data.md §1 measured them:

- the host name must be 127.0.0.1 or localhost (as Starlette's TrustedHostMiddleware does,
  with a Danish answer), so a page on another name that resolves here (DNS rebinding) is
  refused;
- a per-start secret: the address `dagsorden web` prints carries `?token=…`; the first visit
  trades it for an HttpOnly, SameSite=Strict cookie, and every request without the cookie is
  refused, so another user of a shared machine cannot use the port;
- every state-changing request must come from the app's own pages: `Sec-Fetch-Site:
  same-origin`, or, where a browser does not send it, an `Origin` equal to the app's own. A
  page on another port of 127.0.0.1 is same-site, not same-origin, and is refused.
"""

from __future__ import annotations

import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["COOKIE", "HOSTS", "SafetyMiddleware"]

COOKIE = "dagsorden_adgang"
HOSTS = frozenset({"127.0.0.1", "localhost"})
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

_REFUSED = """<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Adgang nægtet</title></head>
<body><main><h1>Adgang nægtet</h1><p>{why}</p></main></body></html>
"""


class SafetyMiddleware:
    """The host, token and same-origin guards."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        given_host = headers.get("host", "")
        host = given_host.rpartition(":")[0] or given_host
        if host not in HOSTS:
            await _refuse(
                send,
                400,
                "dagsorden svarer kun på adressen 127.0.0.1 eller localhost på denne maskine.",
            )
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.get("token")
        if given is not None and scope["method"] in _SAFE:
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                await _refuse(send, 403, _wrong_token())
                return
            # Trade the token in the address for the cookie, and drop it from the address
            # (it would otherwise stay in the history and in every link copied).
            rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
            location = scope["path"] + (f"?{rest}" if rest else "")
            cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [
                        (b"location", location.encode("latin-1")),
                        (b"set-cookie", cookie.encode("latin-1")),
                        (b"cache-control", b"no-store"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if not self._has_cookie(headers.get("cookie", "")):
            await _refuse(send, 403, _wrong_token())
            return
        if scope["method"] not in _SAFE and not _same_origin(headers):
            await _refuse(
                send,
                403,
                "Ændringer skal komme fra dagsordens egne sider. Forespørgslen kom fra en"
                " anden side og er afvist; intet er skrevet.",
            )
            return
        await self.app(scope, receive, send)

    def _has_cookie(self, header: str) -> bool:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except Exception:  # a malformed cookie header is no cookie
            return False
        morsel = jar.get(COOKIE)
        return morsel is not None and hmac.compare_digest(
            morsel.value.encode(), self.token.encode()
        )


def _same_origin(headers: dict[str, str]) -> bool:
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = headers.get("origin")
    host = headers.get("host")
    return origin is not None and host is not None and origin == f"http://{host}"


def _wrong_token() -> str:
    return (
        "Åbn adressen med adgangsnøglen, som kommandoen 'dagsorden web' skrev i terminalen"
        " (http://127.0.0.1:PORT/?token=…)."
    )


async def _refuse(send: Send, status: int, why: str) -> None:
    body = _REFUSED.format(why=why).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
