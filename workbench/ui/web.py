"""HTTP routes served next to Streamlit's (``st.App``): the session cookie is set here.

Streamlit talks to the browser over a websocket, which cannot set a cookie. After a
sign-in the page posts its one-time code to ``/api/session`` (``workbench.sessions``
explains the exchange); the answer sets the cookie HttpOnly (no script on the page
can read it), SameSite=Strict, and Secure when the request came over HTTPS (a
TLS-terminating proxy says so in X-Forwarded-Proto). ``DELETE`` clears it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workbench import sessions
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
