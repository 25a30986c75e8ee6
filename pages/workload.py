"""Obremenjenost: the area's coordinators side by side (counts only, no names of people)."""

import streamlit as st

from workbench import ui
from workbench.ui import casework as cw

user = ui.require_user("workload")
st.title(ui.t("workload.title"))
st.caption(ui.t("workload.caption"))
cw.workload_view(cw.load_workload(user.area_code or "gorenjska"))
