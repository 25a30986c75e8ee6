"""Uporabniki: the administrator creates accounts and switches them on and off."""

import pandas as pd
import streamlit as st

from workbench import ui, vocab
from workbench.errors import UserError

admin = ui.require_user("users")
st.title(ui.t("users.title"))

users = ui.load_users()
st.dataframe(pd.DataFrame([{
    ui.t("col.username"): u.username,
    ui.t("col.display_name"): u.display_name,
    ui.t("col.role"): ui.t(f"role.{u.role}"),
    ui.t("col.unit"): u.unit_code or "",
    ui.t("col.active"): ui.t("common.yes") if u.active else ui.t("common.no"),
} for u in users]), hide_index=True)

st.subheader(ui.t("users.new"))
with st.form("users_new", clear_on_submit=False):
    username = st.text_input(ui.t("col.username"), key="users_username", max_chars=40)
    display_name = st.text_input(ui.t("col.display_name"), key="users_display_name",
                                 max_chars=100)
    role = st.selectbox(ui.t("col.role"), vocab.ROLES, key="users_role",
                        format_func=lambda r: ui.t(f"role.{r}"))
    units = ui.load_units()
    unit = st.selectbox(ui.t("users.unit"), [None, *units], key="users_unit",
                        format_func=lambda c: units.get(c, ui.t("users.no_unit")))
    password = st.text_input(ui.t("users.password"), type="password", key="users_password")
    create = st.form_submit_button(ui.t("users.create"), type="primary")
if create:
    try:
        created = ui.create_user(username, display_name, role, password, unit)
    except UserError as err:
        ui.show_user_error(err)
    else:
        st.success(ui.t("users.created", username=created.username))

st.subheader(ui.t("users.toggle"))
by_id = {u.id: u for u in users}
chosen = st.selectbox(ui.t("users.select"), list(by_id), key="users_toggle_user",
                      format_func=lambda i: f"{by_id[i].display_name} ({by_id[i].username})")
if st.button(ui.t("users.toggle"), key="users_toggle"):
    try:
        ui.set_user_active(chosen, not by_id[chosen].active, admin.id)
    except UserError as err:
        ui.show_user_error(err)
    else:
        st.success(ui.t("users.toggled", username=by_id[chosen].username))
        st.rerun()
