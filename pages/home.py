"""Pregled: a coordinator's day, or the region's totals without names."""

import streamlit as st

from workbench import access, ui

user = ui.require_user("home")
st.title(ui.t("home.title"))

view = access.home_view(user.role, ui.is_training())
if view == "region":
    if user.role == "trainer":
        st.caption(ui.t("home.trainer_production"))
    ui.region_overview_view(ui.load_region_overview(user.area_code or "gorenjska"))
else:
    coordinator = user
    if view == "pick":
        coordinator = st.selectbox(ui.t("home.view_as"), ui.load_coordinators(),
                                   format_func=lambda u: u.display_name, key="home_coordinator")
    st.subheader(ui.t("home.my_caseload") if view == "own" else coordinator.display_name)
    ui.coordinator_overview_view(ui.load_coordinator_overview(coordinator.id))
