"""Pregled regije: the manager's dashboard, read in a minute (aggregates only)."""

from __future__ import annotations

import streamlit as st

from workbench import i18n
from workbench.auth import User
from workbench.ui.lang import fmt_date, lang, t
from workbench.ui.loaders import load_key_figures, load_workload, today
from workbench.ui.screens import charts as chart_screen
from workbench.ui.screens import workload

FIGURES = ("referrals", "included", "exits", "hours")


def show(user: User) -> None:
    st.title(t("region.title"), anchor=False)
    chosen = chart_screen.filters(user, narrow=False)
    if chosen is None:
        return
    before = chosen.previous()
    st.caption(t("region.caption", period=f"{fmt_date(chosen.start)} – {fmt_date(chosen.end)}",
                 previous=f"{fmt_date(before.start)} – {fmt_date(before.end)}"))
    figures = load_key_figures(user, chosen, today())
    cols = st.columns(6)
    for col, name in zip(cols, FIGURES, strict=False):
        now, then = getattr(figures, name), figures.previous[name]
        col.metric(t(f"region.{name}"), i18n.format_number(now, lang()),
                   delta=i18n.format_number(now - then, lang()) if now != then else None,
                   delta_color="normal")
    cols[4].metric(t("region.active"), i18n.format_number(figures.active, lang()))
    cols[5].metric(t("region.overdue"), i18n.format_number(figures.overdue, lang()))
    left, right = st.columns(2)
    with left:
        chart_screen.funnel_part(user, chosen)
    with right:
        _workload(user)
    left, right = st.columns(2)
    with left:
        chart_screen.inflow_part(user, chosen)
    with right:
        chart_screen.exits_part(user, chosen)
    st.subheader(t("region.progress"), anchor=False)
    chart_screen.targets(user, chosen)


def _workload(user: User) -> None:
    """Per coordinator: active cases, overdue tasks, new referrals this month."""
    st.subheader(t("region.workload"), anchor=False)
    if user.area_code is None:  # the workload exists per area only (board.workload)
        st.caption(t("region.workload_per_area"))
        return
    workload.table_and_chart(load_workload(user, user.area_code, today()), "region_workload")
