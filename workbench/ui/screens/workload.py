"""Obremenjenost: the area's coordinators side by side (counts only, no names of people)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from workbench.auth import User
from workbench.ui.lang import t
from workbench.ui.loaders import load_workload, today


def show(user: User) -> None:
    st.title(t("workload.title"), anchor=False)
    st.caption(t("workload.caption"))
    rows = load_workload(user.area_code or "gorenjska", today())
    coordinator, measure, count = t("col.coordinator"), t("col.measure"), t("col.count")
    frame = pd.DataFrame([{
        coordinator: r.coordinator, t("col.active_cases"): r.active_cases,
        t("col.overdue"): r.overdue_tasks, t("col.new_referrals"): r.new_referrals}
        for r in rows])
    st.dataframe(frame, hide_index=True)
    if rows:
        long = frame.melt(id_vars=[coordinator], var_name=measure, value_name=count)
        chart = alt.Chart(long).mark_bar().encode(
            x=alt.X(f"{count}:Q", title=count),
            y=alt.Y(f"{coordinator}:N", title=None),
            color=alt.Color(f"{measure}:N", title=None, legend=alt.Legend(orient="bottom")),
            yOffset=f"{measure}:N",
            tooltip=[coordinator, measure, count])
        st.altair_chart(chart, width="stretch")
