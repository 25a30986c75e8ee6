"""HTTP routes served next to Streamlit's (``st.App``): the session cookie is set here;
and the guard every request passes (``Guard``): no page in a frame, no websocket from
another origin.

Streamlit talks to the browser over a websocket, which cannot set a cookie. After a
sign-in the page posts its one-time code to ``/api/session`` (``workbench.sessions``
explains the exchange); the answer sets the cookie HttpOnly (no script on the page
can read it), SameSite=Strict, and Secure when the request came over HTTPS (a
TLS-terminating proxy says so in X-Forwarded-Proto). ``DELETE`` clears it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workbench import config, sessions
from workbench.db import DatabaseUnavailable, opened

PATH = "/api/session"
CODE_HEADER = "X-Workbench-Code"


def _secure(request: Request) -> bool:
    return (request.url.scheme == "https"
            or request.headers.get("x-forwarded-proto", "").lower() == "https")


def session_cookie(request: Request) -> Response:
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    if request.method == "DELETE":
        response.delete_cookie(sessions.COOKIE, path="/", secure=_secure(request),
                               httponly=True, samesite="strict")
        return response
    try:
        with opened() as db:
            claimed = sessions.claim(db, request.headers.get(CODE_HEADER, ""))
    except DatabaseUnavailable:
        return Response(status_code=503)
    if claimed is None:
        return Response(status_code=403)
    token, max_age = claimed
    response.set_cookie(sessions.COOKIE, token, max_age=max_age, path="/",
                        secure=_secure(request), httponly=True, samesite="strict")
    return response


# A plain (not async) endpoint: Starlette runs it in its thread pool, off the event loop.
ROUTES = [Route(PATH, session_cookie, methods=["POST", "DELETE"])]


# Sent with every HTTP answer: no other site may show the workbench in a frame (a page that
# overlays its buttons), guess a file's type, or learn its addresses from a link.
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


def origin_allowed(origin: str | None, host: str | None) -> bool:
    """A websocket may be opened by a page of the app's own address (the Origin names the
    Host the browser connected to) or of an origin in ``WORKBENCH_ALLOWED_ORIGINS``.
    Streamlit alone accepts any port of localhost and of the host's addresses: another
    local web page could drive a signed-in coordinator's session. A client that sends no
    Origin is not a browser (a browser always sends it on a websocket)."""
    if origin is None:
        return True
    parts = urlsplit(origin.strip().lower())
    if parts.scheme in ("http", "https") and host and parts.netloc == host.strip().lower():
        return True
    return f"{parts.scheme}://{parts.netloc}" in config.allowed_origins()


class Guard:
    """ASGI middleware in front of Streamlit: ``SECURITY_HEADERS`` on every HTTP answer,
    and a websocket from another origin refused before it is accepted (HTTP 403)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "websocket":
            headers = dict(scope.get("headers") or ())
            origin, host = headers.get(b"origin"), headers.get(b"host")
            if not origin_allowed(origin.decode("latin-1") if origin is not None else None,
                                  host.decode("latin-1") if host is not None else None):
                await receive()  # the handshake
                await send({"type": "websocket.close", "code": 1008})
                return
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                taken = {name.lower() for name, _ in message.get("headers", ())}
                message = {**message, "headers": [
                    *message.get("headers", ()),
                    *((n, v) for n, v in SECURITY_HEADERS if n not in taken)]}
            await send(message)

        await self.app(scope, receive, with_headers)
