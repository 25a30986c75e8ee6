"""The frame of every page: page config, sign-in, the training banner, role-based navigation.

``st.navigation`` runs on every run. While signed out every page is registered
but hidden and the sign-in form stands in for it, so a refresh, a new tab or a
bookmarked ``/record?person=6`` shows the sign-in form and, once she is in,
the page and person the address names.
"""

from __future__ import annotations

import contextvars
import gc
import logging

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from workbench import access, auth, config
from workbench.config import DatabaseNotConfigured
from workbench.db import DatabaseUnavailable
from workbench.i18n import translate
from workbench.ui import lang, loaders, serve, session, widgets
from workbench.ui.chrome import translate_chrome
from workbench.ui.lang import t
from workbench.ui.loaders import is_training
from workbench.ui.nav import page_ref

_IN_SHELL = contextvars.ContextVar("workbench_shell", default=False)
_SETTLED: set[str] = set()  # pages whose first run in this process is behind us


def running() -> bool:
    """True inside ``main()``: a page file is being run by the shell, not on its own."""
    return _IN_SHELL.get()


def main() -> None:
    with loaders.run_connection(), lang.run_language():
        page_id = _frame()
    _settle(page_id)


def _settle(page_id: str) -> None:
    """After a page's first run in this process, freeze what that run left alive.

    Streamlit collects garbage after every run (runner.postScriptGC), and a full
    collection traverses every object not frozen: pandas, altair and their schema
    validators, imported and built by a page's first run, made each home rerun spend
    30 ms in it. Frozen once per page (the modules at the end of this file), later
    collections see only what the runs make. What a first run froze is still freed
    when its last reference goes; only a cycle among them would outlive its session.
    """
    if page_id in _SETTLED:
        return
    _SETTLED.add(page_id)
    gc.collect()
    gc.freeze()


def _frame() -> str:
    # On the first run after a server start Streamlit still treats pages/ as
    # auto-discovered pages: a deep link would run pages/<name>.py on its own
    # (raw file names, no sign-in). From now on every run starts in app.py;
    # a page file run on its own calls main() itself (session.require_user).
    PagesManager.uses_pages_directory = False
    st.set_page_config(page_title="Socialna aktivacija", page_icon=":material/diversity_3:",
                       layout="wide")
    session.page_style()
    problems = config.problems()
    if problems:
        st.error(t("app.settings_invalid", problems="; ".join(problems)))
        st.stop()
    try:
        training = is_training()
        user = session.current_user()
    except DatabaseNotConfigured:
        st.error(t("app.db_not_configured"))
        st.stop()
    except DatabaseUnavailable as err:
        st.error(translate(err.key, lang.lang(), **err.params))
        st.stop()

    if training:
        st.warning(t("app.training_banner"), icon=":material/school:")
    # Before a forced password change no page is offered: the form is all there is.
    allowed = (access.pages_for(user.role, training)
               if user and not user.must_change_password else ())
    page = st.navigation([page_ref(p.id, visible=p.id in allowed) for p in access.PAGES],
                         position="sidebar" if user else "hidden")
    session.cookie_exchange()
    if user is None:
        lang.language_switch()
        translate_chrome()
        session.sign_in_form()
        return ""

    session.note_page(page.url_path)
    # After st.navigation on purpose: created before it, the switch ignored clicks
    # once signed in (tests/test_browser.py shows it).
    lang.language_switch()
    session.sign_out_button(user)
    translate_chrome()
    if user.must_change_password:
        session.password_change_form(user)
        return "password"
    token = _IN_SHELL.set(True)
    try:
        page.run()
    except DatabaseUnavailable as err:
        st.error(translate(err.key, lang.lang(), **err.params))
    except Exception as err:  # Streamlit's stop/rerun are BaseExceptions and pass through
        if widgets.db_busy(err):  # a moment of heavy writing: say so, lose nothing
            logging.getLogger("workbench").warning("page %s: database busy", page.title)
            st.warning(t("app.busy"))
        elif widgets.disk_full(err):  # no path, no trace: what to do
            logging.getLogger("workbench").error("page %s: the disk is full", page.title)
            st.error(t("app.disk_full_now"))
        else:
            logging.getLogger("workbench").exception("page %s failed", page.title)
            st.error(t("app.unexpected_error"))
    finally:
        _IN_SHELL.reset(token)
    return page.url_path


def require_user(page: str) -> auth.User:
    """Stop the page unless someone is signed in whose role may open it.

    A page file run on its own (Streamlit's first run after a server start, or a
    test) hands over to the shell, which signs in and runs the page itself.
    """
    if not running():
        main()
        st.stop()
    user = session.current_user()
    if user is None:
        st.info(t("login.empty"))
        st.stop()
    if not access.can_open(user.role, page, is_training()):
        st.error(t("app.forbidden"))
        st.stop()
    return user


# Started by plain `streamlit run app.py`: the connections after this first run too.
serve.no_nagle()
# Streamlit collects garbage after every run (runner.postScriptGC): a full collection of
# every object not frozen, 50-90 ms each time on this machine with Streamlit's own
# modules alone. What is imported so far lives as long as the server (and see _settle).
gc.freeze()
