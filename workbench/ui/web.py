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

import asyncio
import threading
import time
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workbench import config, sessions
from workbench.db import DatabaseUnavailable, opened

PATH = "/api/session"
CODE_HEADER = "X-Workbench-Code"
MEDIA = "/media/"
# A file made on a download's click is fetched by the browser at once: after this many
# seconds nobody gets it, its maker neither (it is made anew on the next click).
FILE_SECONDS = 30


class Refused(Exception):
    """A download refused at the click (the session has ended): the message is the user's."""


# Files made on a download's click: Streamlit's media id -> (who made it, until when).
_FILES: dict[str, tuple[str, float]] = {}
_FILES_LOCK = threading.Lock()


def file_made(file_id: str, owner: str, seconds: float = FILE_SECONDS) -> None:
    """``owner`` (``session:<id>`` or ``sso:<name>``) alone may fetch the file, briefly."""
    now = time.monotonic()
    with _FILES_LOCK:
        for old in [k for k, (_, until) in _FILES.items() if until <= now]:
            del _FILES[old]
        _FILES[file_id] = (owner, now + seconds)


def may_fetch(file_id: str, owner: str | None) -> bool:
    with _FILES_LOCK:
        made = _FILES.get(file_id)
    return (made is not None and owner is not None and made[0] == owner
            and made[1] > time.monotonic())


def requester(scope) -> str | None:
    """Who asks, as ``file_made`` names a maker: the live session of the request's cookie,
    or the single sign-on name on a connection from the trusted proxy."""
    request = Request(scope)
    header = config.get("trusted_user_header")
    client = scope.get("client")
    if header and client and client[0] in config.trusted_proxies():
        name = (request.headers.get(header) or "").strip().lower()
        if name:
            return f"sso:{name}"
    token = request.cookies.get(sessions.COOKIE)
    if not token:
        return None
    try:
        with opened() as db:
            session_id = sessions.resume(db, token)
    except DatabaseUnavailable:
        return None
    return f"session:{session_id}" if session_id is not None else None


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
    a websocket from another origin refused before it is accepted (HTTP 403), and a file
    under /media/ served only to the session that made it on a click, within
    ``FILE_SECONDS`` (Streamlit alone serves it to any request that names it)."""

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

        path = scope.get("path", "")
        if path.startswith(MEDIA):
            file_id = path[len(MEDIA):].split("/")[-1].split(".")[0]
            asker = await asyncio.to_thread(requester, scope)
            if not may_fetch(file_id, asker):
                await Response(status_code=403, headers={"Cache-Control": "no-store"})(
                    scope, receive, with_headers)
                return
        await self.app(scope, receive, with_headers)
