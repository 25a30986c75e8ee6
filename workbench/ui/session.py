"""Who is signed in: the sign-in form, the user re-read on every run, sign-out.

While signed out, every address shows the sign-in form in place of its page, so
a bookmarked record or a refreshed page opens where it was once she is in.
"""

from __future__ import annotations

import streamlit as st

from workbench import auth
from workbench.ui import widgets
from workbench.ui.lang import LANG_KEY, t
from workbench.ui.loaders import connection, load_demo_accounts
from workbench.ui.widgets import tx

SESSION_USER = "auth_user_id"

# Streamlit's own hints ("Press Enter to apply", "Press Enter to submit form") are
# English whatever the page's language; the fields say what they need anyway.
_PAGE_CSS = "<style>[data-testid='InputInstructions'] { display: none; }</style>"


def page_style() -> None:
    st.html(_PAGE_CSS)


def note_page(url_path: str) -> None:
    """Count arrivals on a page: a record opened again after another page is a new visit."""
    if st.session_state.get("ui_page") != url_path:
        st.session_state["ui_page"] = url_path
        st.session_state["ui_page_entry"] = st.session_state.get("ui_page_entry", 0) + 1


def current_user() -> auth.User | None:
    """The signed-in user, re-read each run so a deactivated account is out at once."""
    user_id = st.session_state.get(SESSION_USER)
    if user_id is None:
        return None
    user = auth.get_user(connection(), user_id)
    if user is None or not user.active:
        sign_out()
        return None
    return user


def sign_in_form() -> None:
    st.title(t("app.title"), anchor=False)
    st.subheader(t("login.title"), anchor=False)
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
            user = auth.authenticate(connection(), username, password)
            if user is None:
                st.error(t("login.failed"))
            else:
                st.session_state[SESSION_USER] = user.id
                st.rerun()  # the same address: the page (and person) the link named
    demo = load_demo_accounts()
    if demo is not None:
        accounts, password = demo
        st.subheader(t("login.demo_accounts"), anchor=False)
        widgets.table([{t("col.username"): u, t("col.display_name"): n,
                        t("col.role"): t(f"role.{r}")} for u, n, r in accounts],
                      key="demo_accounts")
        st.caption(t("login.demo_password", password=password))


def sign_out() -> None:
    """Forget everything of the session but the chosen language: the next person to
    sign in at this browser inherits nothing (not even "record already opened")."""
    for key in list(st.session_state):
        if key != LANG_KEY:
            del st.session_state[key]


def sign_out_button(user: auth.User) -> None:
    st.sidebar.caption(tx("app.signed_in_as", name=user.display_name,
                          role=t(f"role.{user.role}")))
    st.sidebar.button(t("app.sign_out"), key="app_sign_out", on_click=sign_out)
