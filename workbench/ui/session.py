"""Who is signed in: the sign-in form, the server-side session re-read on every run,
the session cookie, the forced password change, sign-out.

A signed-in tab keeps its session's id in ``st.session_state``; a refresh, a new tab
or a bookmarked link starts a new Streamlit session, which finds the session again
through the HttpOnly cookie (``workbench.sessions``, ``workbench.ui.web``). While signed
out, every address shows the sign-in form in place of its page, so a bookmarked record
opens where it was once she is in.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.runtime.memory_media_file_storage import _calculate_file_id

from workbench import audit, auth, config, i18n, sessions
from workbench.db import opened
from workbench.i18n import format_datetime
from workbench.ui import address, web, widgets
from workbench.ui.lang import LANG_KEY, lang, t
from workbench.ui.loaders import connection, load_demo_accounts
from workbench.ui.web import CODE_HEADER
from workbench.ui.web import PATH as COOKIE_PATH
from workbench.ui.widgets import tx

SESSION_ID = "auth_session_id"
_HANDOFF = "auth_cookie_code"     # a one-time code the browser has yet to exchange
_FORGET = "auth_cookie_forget"    # the browser holds a dead session's cookie
_ENDED = "auth_ended"             # why the last session ended (told on the sign-in form)
_SSO = "auth_sso"                 # a name the intranet's proxy gave that has no account
_SSO_SIGNED = "auth_sso_user"     # signed in by the intranet's proxy, not by a password
_DRAWN = "auth_drawn_user"        # the user this run draws the page for
_UNRECORDED = "auth_unrecorded"   # a sign-out the full disk kept from being written

# Streamlit's own hints ("Press Enter to apply", "Press Enter to submit form") are
# English whatever the page's language; the fields say what they need anyway.
_PAGE_CSS = "<style>[data-testid='InputInstructions'] { display: none; }</style>"

# Sends the sign-in's one-time code (or the sign-out) to workbench.ui.web, whose answer
# sets (or clears) the HttpOnly cookie; nothing of it is shown.
_COOKIE_JS = """
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  const request = JSON.stringify(data);
  if (!data || parentElement.workbenchSent === request) { return; }
  parentElement.workbenchSent = request;
  const headers = {};
  if (data.code) { headers[data.header] = data.code; }
  fetch(data.url, { method: data.method, headers: headers, credentials: 'same-origin' })
    .then((response) => setTriggerValue('done', response.ok))
    .catch(() => setTriggerValue('done', false));
}
"""
_COOKIE = st.components.v2.component("workbench_session_cookie", js=_COOKIE_JS)


def page_style() -> None:
    st.html(_PAGE_CSS)


def note_page(url_path: str) -> None:
    """Count arrivals on a page: a record opened again after another page is a new visit."""
    if st.session_state.get("ui_page") != url_path:
        st.session_state["ui_page"] = url_path
        st.session_state["ui_page_entry"] = st.session_state.get("ui_page_entry", 0) + 1
        address.page_entered()


def current_user() -> auth.User | None:
    """The signed-in user, re-read each run: a session that ended (sign-out in another
    tab, idle, deactivation) is out at once."""
    user = _signed_in_user()
    st.session_state[_DRAWN] = user
    return user


def _signed_in_user() -> auth.User | None:
    sso = _proxy_user()
    if sso is not None:
        return sso
    db = connection()
    session_id = st.session_state.get(SESSION_ID)
    if session_id is None:
        token = st.context.cookies.get(sessions.COOKIE)
        token = token if isinstance(token, str) else None  # AppTest has no cookies
        session_id = sessions.resume(db, token)
        if session_id is None:
            if token and not st.session_state.get(_FORGET):
                st.session_state[_FORGET] = True
                st.session_state.setdefault(_ENDED, sessions.why_ended(db, token))
            return None
        st.session_state[SESSION_ID] = session_id
    user = sessions.user(db, session_id)
    if user is None:
        ended = sessions.ended_reason(db, session_id)
        _forget_session()
        st.session_state[_ENDED] = ended
        st.session_state[_FORGET] = True
    return user


def _proxy_user() -> auth.User | None:
    """Single sign-on: the user an authenticating reverse proxy names in the trusted
    header, believed only on a connection from the trusted proxy's address."""
    header = config.get("trusted_user_header")
    if not header or _peer_address() not in config.trusted_proxies():
        return None
    name = (st.context.headers.get(header) or "").strip()
    if not name:
        return None
    # The proxy's sign-in is written to the audit log once per browser session; later runs
    # re-read the account (a deactivation ends it at once).
    if st.session_state.get(_SSO_SIGNED) == name:
        user = auth.get_user_by_name(connection(), name)
        if user is not None and user.active:
            return user
        st.session_state.pop(_SSO_SIGNED, None)
    if st.session_state.get(_SSO) == name:
        return None  # refused before, and logged then
    user = auth.proxy_sign_in(connection(), name)
    if user is None:
        st.session_state[_SSO] = name
        return None
    st.session_state.pop(_SSO, None)
    st.session_state[_SSO_SIGNED] = name
    return user


def _peer_address() -> str | None:
    """The address the connection came from (``st.context.ip_address`` hides loopback)."""
    try:
        from streamlit.runtime.context import _get_client_context

        client = _get_client_context()
        return client.remote_ip if client is not None else None
    except (ImportError, AttributeError):  # Streamlit changed its internals
        logging.getLogger("workbench").warning("single sign-on: client address unavailable")
        return None


def at_the_click(make: Callable[[], Any], *, file_name: str, mime: str,
                 export: audit.Export | None) -> Callable[[], Any]:
    """``make`` (a download's file) wrapped to run at the click only if whoever the page
    was drawn for is still signed in then, as the same account with the same rights: a
    session ended meanwhile (signed out in another tab, idle, deactivated, the role
    changed) gets a refusal in her language, not the file. The file made is served only
    to this session, for ``web.FILE_SECONDS`` (``web.Guard``), and ``export`` says in the
    audit log what it held (None: the library that made it logs it itself)."""
    drawn = st.session_state.get(_DRAWN)
    session_id = st.session_state.get(SESSION_ID)
    sso = st.session_state.get(_SSO_SIGNED)
    language = lang()

    def guarded() -> Any:
        owner = _still_signed_in(drawn, session_id, sso)
        if owner is None:
            raise web.Refused(i18n.translate("download.session_ended", language))
        data = make()
        if export is not None:
            with opened() as db:
                audit.log_export(db, drawn.id, export, "page")
        raw = data.encode("utf-8") if isinstance(data, str) else data
        web.file_made(_calculate_file_id(raw, mime, file_name), owner)
        return data

    return guarded


def _still_signed_in(drawn: auth.User | None, session_id: int | None,
                     sso: str | None) -> str | None:
    """``session:<id>`` / ``sso:<name>`` when the drawn user is who is signed in now."""
    if drawn is None:
        return None
    with opened() as db:
        if session_id is not None:
            return f"session:{session_id}" if sessions.user(db, session_id) == drawn else None
        if sso is not None and auth.get_user_by_name(db, sso) == drawn and drawn.active:
            return f"sso:{sso.strip().lower()}"
    return None


def cookie_exchange() -> None:
    """Hand the browser its cookie after a sign-in, or take a dead one back."""
    code = st.session_state.get(_HANDOFF)
    if code:
        request = {"url": COOKIE_PATH, "method": "POST", "code": code, "header": CODE_HEADER}
    elif st.session_state.get(_FORGET):
        request = {"url": COOKIE_PATH, "method": "DELETE"}
    else:
        return
    with st.sidebar:
        _COOKIE(data=request, key="session_cookie", on_done_change=_exchanged)


def _exchanged() -> None:
    st.session_state.pop(_HANDOFF, None)
    st.session_state.pop(_FORGET, None)


def sign_in_form() -> None:
    st.title(t("app.title"), anchor=False)
    st.subheader(t("login.title"), anchor=False)
    sso_name = st.session_state.get(_SSO)
    if sso_name:
        st.warning(tx("login.sso_unknown", username=sso_name))
    ended = st.session_state.get(_ENDED)
    if ended in sessions.END_REASONS:
        st.info(t(f"login.ended.{ended}",
                  minutes=t("count.idle_minutes", n=config.integer("session_idle_minutes")),
                  hours=t("count.session_hours", n=config.integer("session_hours"))))
    if st.session_state.get(_UNRECORDED):
        st.warning(t("login.sign_out_unrecorded"))
    with st.form("login_form"):
        username = st.text_input(t("login.username"), key="login_username",
                                 max_chars=auth.USERNAME_MAX)
        password = st.text_input(t("login.password"), type="password", key="login_password",
                                 max_chars=auth.MAX_PASSWORD_LENGTH)
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        if not username.strip() or not password:
            st.error(t("login.empty"))
        else:
            _sign_in(username, password)
    demo = load_demo_accounts()
    if demo is not None:
        accounts, password = demo
        st.subheader(t("login.demo_accounts"), anchor=False)
        widgets.table([{t("col.username"): u, t("col.display_name"): n,
                        t("col.role"): t(f"role.{r}")} for u, n, r in accounts],
                      key="demo_accounts")
        st.caption(t("login.demo_password", password=password))


def _sign_in(username: str, password: str) -> None:
    db = connection()
    try:
        result = auth.sign_in(db, username, password)
        started = sessions.start(db, result.user) if result.user is not None else None
    except sqlite3.OperationalError as err:
        if not widgets.disk_full(err):
            raise
        st.error(t("app.disk_full_now"))  # nobody is signed in
        return
    if result.locked_until is not None:
        st.error(t("login.locked", until=format_datetime(result.locked_until, lang())))
    elif result.wait_until is not None:
        st.warning(t("login.wait", seconds=result.wait_seconds()))
    elif started is None:
        st.error(t("login.failed"))
    else:
        for key in (_ENDED, _FORGET, _UNRECORDED, "login_password"):
            st.session_state.pop(key, None)
        st.session_state[SESSION_ID], st.session_state[_HANDOFF] = started
        st.rerun()  # the same address: the page (and person) the link named


def password_change_form(user: auth.User) -> None:
    """After an administrator's reset: her own password before any page opens."""
    st.title(t("password.title"), anchor=False)
    st.info(t("password.forced", n=auth.MIN_PASSWORD_LENGTH))
    form = "password_change"
    key = widgets.form_key(form)
    with st.form(key):
        current = st.text_input(t("password.current"), type="password", key=f"{key}_current",
                                max_chars=auth.MAX_PASSWORD_LENGTH)
        new = st.text_input(t("password.new"), type="password", key=f"{key}_new",
                            max_chars=auth.MAX_PASSWORD_LENGTH)
        repeated = st.text_input(t("password.repeat"), type="password", key=f"{key}_repeat",
                                 max_chars=auth.MAX_PASSWORD_LENGTH)
        submitted = st.form_submit_button(t("password.submit"), type="primary")
    if submitted:
        widgets.save(lambda db, _: auth.change_password(db, user, current, new, repeated),
                     t("password.changed"), form=form)


def _forget_session() -> None:
    """Forget everything of the session but the chosen language: the next person to
    sign in at this browser inherits nothing (not even "record already opened")."""
    for key in list(st.session_state):
        if key != LANG_KEY:
            del st.session_state[key]


def sign_out(user: auth.User) -> None:
    """Her sessions end in every tab and browser; this one forgets everything at once.
    On a full disk the end cannot be written: this browser forgets her all the same (its
    cookie is dropped) and the sign-in form says that other tabs stay signed in."""
    unrecorded = False
    try:
        sessions.sign_out(connection(), user)
    except sqlite3.OperationalError as err:
        if not widgets.disk_full(err):
            raise
        logging.getLogger("workbench").error("sign-out not recorded: the disk is full")
        unrecorded = True
    _forget_session()
    st.session_state[_FORGET] = True
    st.session_state[_ENDED] = "signed_out"
    if unrecorded:
        st.session_state[_UNRECORDED] = True


def sign_out_button(user: auth.User) -> None:
    st.sidebar.caption(tx("app.signed_in_as", name=user.display_name,
                          role=i18n.role_name(user.role, user.sex, lang())))
    # A proxy's single sign-on ends at the proxy: no button that could not sign her out.
    if st.session_state.get(SESSION_ID) is not None and st.sidebar.button(
            t("app.sign_out"), key="app_sign_out"):
        sign_out(user)
        st.rerun()
