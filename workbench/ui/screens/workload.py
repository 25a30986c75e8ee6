"""Obremenjenost: the area's coordinators side by side (counts only, no names of people)."""

from __future__ import annotations

import streamlit as st

from workbench import charts
from workbench.auth import User
from workbench.ui import widgets
from workbench.ui.lang import lang, t
from workbench.ui.loaders import load_workload, today


def show(user: User) -> None:
    st.title(t("workload.title"), anchor=False)
    st.caption(t("workload.caption"))
    table_and_chart(load_workload(user, user.area_code or "gorenjska", today()), "workload")


def table_and_chart(rows: list, key: str) -> None:
    """The coordinators side by side, as a table and as grouped bars."""
    measures = ("col.active_cases", "col.overdue", "col.new_referrals")
    table = [{"col.coordinator": r.coordinator, "col.active_cases": r.active_cases,
              "col.overdue": r.overdue_tasks, "col.new_referrals": r.new_referrals}
             for r in rows]
    widgets.table([{t(k): v for k, v in row.items()} for row in table], key=key)
    if rows:
        widgets.chart(charts.grouped_bars(table, "col.coordinator", measures, lang()))
