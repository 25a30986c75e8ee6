"""Driving the app with AppTest: sign in, open a page, read what is shown, find widgets.

AppTest runs ``app.py`` (the shell) on every run, so navigation, the banner and
sign-in are active; the tables, people lists and the board are a custom
component, whose HTML is read here from its data.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from streamlit.testing.v1 import AppTest

import seed
from tests.conftest import ROOT
from workbench import auth, sessions
from workbench.db import open_db
from workbench.i18n import SL
from workbench.ui.session import SESSION_ID

TIMEOUT = 60


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def sign_in(username: str, password: str = seed.DEMO_PASSWORD,
            at: AppTest | None = None) -> AppTest:
    """Through the sign-in form (of ``at``, already on it, or of a new run)."""
    at = at or app().run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    return at


def user_id(db_path, username: str) -> int:
    db = open_db(db_path)
    try:
        return next(u.id for u in auth.list_users(db) if u.username == username)
    finally:
        db.close()


def session_for(db_path, username: str) -> int:
    """A live server-side session of ``username``, as a sign-in starts one."""
    db = open_db(db_path)
    try:
        return sessions.start(db, auth.get_user_by_name(db, username))[0]
    finally:
        db.close()


def open_page(db_path, username: str, page: str, person: int | None = None,
              **params: str) -> AppTest:
    """Signed in as ``username``, on ``page`` (with ``?person=`` and other parameters)."""
    at = app()
    at.session_state[SESSION_ID] = session_for(db_path, username)
    at.run()
    if person is not None:
        at.query_params["person"] = str(person)
    for name, value in params.items():
        at.query_params[name] = value
    return at.switch_page(f"pages/{page}.py").run()


def components(at) -> list[str]:
    """The HTML of every people list / board on the page."""
    return [json.loads(e.proto.json) for e in at.main
            if type(e).__name__ == "UnknownElement" and e.type == "bidi_component"]


def component_text(at) -> str:
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)) for markup in components(at))


def linked_people(at, within: str | None = None) -> list[int]:
    """The person ids the page links to, in order (only in the lists that show
    ``within``, e.g. a column heading, when given)."""
    return [int(i) for markup in components(at) if within is None or within in markup
            for i in re.findall(r'data-person="(\d+)"', markup)]


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables(at) -> list[list[dict[str, str]]]:
    """Every table on the page (widgets.table), as rows of {header: text as shown}."""
    parser = _Tables()
    for markup in components(at):
        parser.feed(markup)
    return [[dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
            for rows in parser.tables if rows]


def column(rows: list[dict[str, str]], header: str) -> list[str]:
    return [row[header] for row in rows]


def texts(at) -> str:
    parts = [e.value for kind in ("title", "subheader", "caption", "markdown", "warning",
                                  "error", "info", "success") for e in getattr(at, kind)]
    parts.append(component_text(at))
    return "\n".join(str(p) for p in parts)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def widget(at, kind: str, suffix: str):
    """The widget of ``kind`` whose key ends with ``suffix``, a regular expression (form
    keys carry a generation: ``rec_6_move_g0_to``, so ``move_g\\d+_to`` or ``_to``)."""
    found = [w for w in getattr(at, kind) if w.key and re.search(f"(?:{suffix})$", w.key)]
    assert len(found) == 1, (suffix, [w.key for w in getattr(at, kind)])
    return found[0]


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def signed_in_as(at) -> str | None:
    """Whom the sidebar names as signed in (a display name), or None: nobody is."""
    prefix = SL["app.signed_in_as"].split("{")[0]
    return next((c.value[len(prefix):].rsplit(" (", 1)[0] for c in at.sidebar.caption
                 if c.value.startswith(prefix)), None)


def assert_drawn(at, db_path, username: str, shown: str) -> None:
    """The page ran for ``username``: no exception, she is signed in, and ``shown`` (the
    page's title, or the message it answers with: not found, forbidden) is on screen.
    Check this before any absence, or a page that never ran passes as harmless."""
    assert not at.exception, at.exception
    db = open_db(db_path)
    try:
        name = auth.get_user_by_name(db, username).display_name
    finally:
        db.close()
    assert signed_in_as(at) == name, (username, [c.value for c in at.sidebar.caption])
    on_screen = [e.value for kind in ("title", "error", "warning", "info")
                 for e in getattr(at, kind)]
    assert shown in on_screen, (shown, on_screen)
