"""Pregled: a coordinator's day, or the region's totals without names."""

from __future__ import annotations

import streamlit as st

from workbench import access, charts, i18n, overview
from workbench.auth import User
from workbench.ui import components, widgets
from workbench.ui.components import esc
from workbench.ui.lang import fmt_date, lang, t
from workbench.ui.loaders import (
    is_training,
    load_calendar,
    load_coordinator_overview,
    load_coordinators,
    load_ema_reminder,
    load_falling_attendance,
    load_region_overview,
    today,
)
from workbench.ui.nav import page_ref


def show(user: User) -> None:
    st.title(t("home.title"), anchor=False)
    _ema_reminder(user)
    view = access.home_view(user.role, is_training())
    if view == "region":
        if user.role == "trainer":
            st.caption(t("home.trainer_production"))
        _region(load_region_overview(user, today(), user.area_code or "gorenjska"))
        return
    coordinator = user
    if view == "pick":
        coordinator = st.selectbox(t("home.view_as"), load_coordinators(),
                                   format_func=lambda u: u.display_name, key="home_coordinator")
    st.subheader(t("home.my_caseload") if view == "own" else coordinator.display_name,
                 anchor=False)
    _today(user, coordinator.id)
    _coordinator(load_coordinator_overview(user, coordinator.id, today()))
    _falling(user, coordinator.id)


def _ema_reminder(user: User) -> None:
    """From 1 December until the year's e-MA export is marked as submitted."""
    due = load_ema_reminder(user, today())
    if due is None:
        return
    text = t("reporting.reminder_late" if due.overdue else "reporting.reminder",
             year=due.year, due=fmt_date(due.due))
    with st.container(horizontal=True, vertical_alignment="center"):
        (st.error if due.overdue else st.warning)(text, icon=":material/event_upcoming:")
        st.page_link(page_ref("reporting"), label=t("reporting.open"),
                     icon=":material/summarize:", query_params={"zavihek": "ema"})


def _today(user: User, coordinator_id: int) -> None:
    """Today's agenda: her meetings and visits, in order."""
    entries = load_calendar(user, "coordinator", coordinator_id, today(), today())
    st.markdown(f"**{t('home.today', date=fmt_date(today()))}**")
    if not entries:
        st.caption(t("home.today_free"))
        return
    markup = components.table(
        [t("col.time"), t("col.kind"), t("col.title"), t("col.location")],
        [(esc(f"{e.start_time}–{e.end_time}"), esc(t(f"session_kind.{e.kind}")),
          components.person_link(e.participant_id, e.person) if e.person else esc(e.title),
          esc(e.location or e.municipality or "")) for e in entries])
    components.open_clicked(components.show(markup, key="home_today"))


def _falling(user: User, coordinator_id: int) -> None:
    """People whose attendance fell in the last four weeks: before they drop out."""
    falling = load_falling_attendance(user, coordinator_id, today())
    st.subheader(t("home.falling_title"), anchor=False)
    if not falling:
        st.caption(t("home.falling_none"))
        return
    st.caption(t("home.falling_caption"))
    markup = components.table(
        [t("col.person"), t("col.programme"), t("col.hours"), t("col.planned_hours"),
         t("col.rate")],
        [(components.person_link(f.participant_id, f.name), esc(f.programme),
          esc(i18n.format_number(f.present, lang(), 1, True)),
          esc(i18n.format_number(f.planned, lang(), 1, True)),
          esc(f"{i18n.format_number(f.ratio * 100, lang())} %")) for f in falling],
        numeric=(2, 3, 4))
    components.open_clicked(components.show(markup, key="home_falling"))


def _coordinator(ov: overview.CoordinatorOverview) -> None:
    left, middle, right = st.columns(3)
    left.metric(t("home.active_cases"), ov.active_cases)
    middle.metric(t("home.sessions_this_week"), len(ov.week_sessions))
    right.metric(t("home.overdue_followups"), len(ov.overdue))
    st.subheader(t("home.overdue_title"), anchor=False)
    if ov.overdue:
        markup = components.table(
            [t("col.person"), t("col.kind"), t("col.due"), t("col.days_overdue"),
             t("col.municipality")],
            [(components.person_link(task.participant_id, task.participant),
              esc(task.title or t(f"task_kind.{task.kind}")), esc(fmt_date(task.due_date)),
              esc(t("home.days_late", n=task.days_overdue)), esc(task.municipality))
             for task in ov.overdue])
        components.open_clicked(components.show(markup, key="home_overdue"))
    else:
        st.success(t("home.no_overdue"))
    st.subheader(t("home.week_sessions", start=fmt_date(ov.week_start),
                   end=fmt_date(ov.week_end)), anchor=False)
    if ov.week_sessions:
        widgets.table([{
            t("col.date"): f"{i18n.weekday_name(s.date, lang())} {fmt_date(s.date)}",
            t("col.time"): s.start_time,
            t("col.kind"): t(f"session_kind.{s.kind}"),
            t("col.title"): s.title + (f" — {s.participant}" if s.participant else ""),
            t("col.location"): s.location or s.municipality,
            t("col.hours"): s.hours,
        } for s in ov.week_sessions], key="home_week")
    else:
        st.info(t("home.no_sessions"))
    st.subheader(t("home.by_stage"), anchor=False)
    widgets.chart(charts.stage_counts(ov.stage_counts, lang()))


def _region(ov: overview.RegionOverview) -> None:
    st.subheader(t("home.region_title"), anchor=False)
    st.caption(t("home.region_caption"))
    cols = st.columns(5)
    cols[0].metric(t("home.active_cases"), ov.active_cases)
    cols[1].metric(t("home.participants_total"), ov.participants_total)
    cols[2].metric(t("home.included_this_year", year=ov.year), ov.included_this_year)
    cols[3].metric(t("home.overdue_followups"), ov.overdue_tasks)
    cols[4].metric(t("home.hours_this_month"), i18n.format_number(ov.hours_this_month, lang()))
    st.caption(t("home.small_counts"))
    left, middle, right = st.columns(3)
    with middle:
        # A table, not a chart: a small count shows as "<5", which no bar can draw.
        st.subheader(t("home.by_stage"), anchor=False)
        widgets.table([{t("col.stage"): t(f"stage.{k}"), t("col.count"): n}
                       for k, n in ov.stage_counts.items()], key="home_stages")
    with left:
        st.subheader(t("home.by_unit"), anchor=False)
        widgets.table([{t("col.unit"): unit, t("col.count"): n}
                       for unit, n in ov.unit_counts.items()], key="home_units")
    with right:
        st.subheader(t("home.by_target_group"), anchor=False)
        widgets.table([{t("col.target_group"): t(f"target_group.{k}"), t("col.count"): n}
                       for k, n in ov.target_group_counts.items()], key="home_groups")
