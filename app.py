"""Entry point: page config, sign-in gate, the training banner and role-based navigation."""

import logging

import streamlit as st

from workbench import access, ui
from workbench.db import NetworkFileSystemError

# Page id -> (file, title key, icon). Registered explicitly; no pages/ auto-discovery.
PAGES = {
    "home": ("pages/home.py", "nav.home", ":material/dashboard:"),
    "board": ("pages/board.py", "nav.board", ":material/view_kanban:"),
    "record": ("pages/record.py", "nav.record", ":material/person:"),
    "intake": ("pages/intake.py", "nav.intake", ":material/person_add:"),
    "workload": ("pages/workload.py", "nav.workload", ":material/groups:"),
    "users": ("pages/users.py", "nav.users", ":material/manage_accounts:"),
}

st.set_page_config(page_title="Socialna aktivacija", page_icon=":material/diversity_3:",
                   layout="wide")

try:
    training = ui.is_training()
    user = ui.current_user()
except NetworkFileSystemError as err:
    st.error(str(err))
    st.stop()

if training:
    st.warning(ui.t("app.training_banner"), icon=":material/school:")

if user is None:
    ui.language_switch()
    ui.sign_in_form()
    st.stop()

page = st.navigation([
    st.Page(PAGES[pid][0], title=ui.t(PAGES[pid][1]), icon=PAGES[pid][2], default=i == 0)
    for i, pid in enumerate(access.pages_for(user.role, training))
])
# After st.navigation on purpose: created before it, the switch ignored clicks
# once signed in (tests/test_browser.py shows it).
ui.language_switch()
ui.sign_out_button(user)
try:
    page.run()
except Exception:  # Streamlit's stop/rerun are BaseExceptions and pass through
    logging.getLogger("workbench").exception("page %s failed", page.title)
    st.error(ui.t("app.unexpected_error"))
