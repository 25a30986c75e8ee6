"""The only Streamlit-aware code: session helpers, cached loaders, shared widgets.

The casework screens have their helpers in ``workbench.ui.casework``.
"""

from __future__ import annotations

import datetime as dt
import logging

import altair as alt
import pandas as pd
import streamlit as st

from workbench import access, auth, config, environment, i18n, overview, places
from workbench.db import opened
from workbench.errors import UserError

log = logging.getLogger("workbench")

SESSION_USER = "auth_user_id"
LANG_KEY = "ui_lang"  # the chosen language: plain state, kept across sign-in and pages
_LANG_SWITCH = "ui_lang_switch"
CACHE_TTL_S = 60


# -- language and formatting -------------------------------------------------
def lang() -> str:
    return st.session_state.get(LANG_KEY) or config.get("language")


def t(key: str, **params: object) -> str:
    return i18n.translate(key, lang(), **params)


def fmt_date(day) -> str:
    return i18n.format_date(day, lang())


def _remember_language() -> None:
    st.session_state[LANG_KEY] = st.session_state[_LANG_SWITCH]


def language_switch() -> None:
    # Streamlit forgets a widget's value when the widget moves (the switch sits
    # elsewhere after sign-in), so the choice itself lives under LANG_KEY.
    st.sidebar.segmented_control(
        t("app.language"), i18n.LANGUAGES, key=_LANG_SWITCH, required=True, default=lang(),
        on_change=_remember_language, format_func={"sl": "Slovenščina", "en": "English"}.get)


def show_user_error(err: UserError) -> None:
    st.error(t(err.key, **err.params))


# -- who is signed in ----------------------------------------------------------
def current_user() -> auth.User | None:
    """The signed-in user, re-read each run so a deactivated account is out at once."""
    user_id = st.session_state.get(SESSION_USER)
    if user_id is None:
        return None
    with opened() as db:
        user = auth.get_user(db, user_id)
    if user is None or not user.active:
        st.session_state.pop(SESSION_USER, None)
        return None
    return user


def require_user(page: str) -> auth.User:
    """Stop the page unless someone is signed in whose role may open it."""
    user = current_user()
    if user is None:
        st.info(t("login.empty"))
        st.stop()
    if not access.can_open(user.role, page, is_training()):
        st.error(t("app.forbidden"))
        st.stop()
    return user


def sign_in_form() -> None:
    st.title(t("app.title"))
    st.subheader(t("login.title"))
    with st.form("login_form"):
        username = st.text_input(t("login.username"), key="login_username")
        password = st.text_input(t("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        if not username.strip() or not password:
            st.error(t("login.empty"))
        else:
            with opened() as db:
                user = auth.authenticate(db, username, password)
            if user is None:
                st.error(t("login.failed"))
            else:
                st.session_state[SESSION_USER] = user.id
                st.rerun()
    demo = load_demo_accounts()
    if demo is not None:
        accounts, password = demo
        st.subheader(t("login.demo_accounts"))
        st.dataframe(pd.DataFrame(
            [{t("col.username"): u, t("col.display_name"): n, t("col.role"): t(f"role.{r}")}
             for u, n, r in accounts]), hide_index=True)
        st.caption(t("login.demo_password", password=password))


def sign_out_button(user: auth.User) -> None:
    st.sidebar.caption(t("app.signed_in_as", name=user.display_name, role=t(f"role.{user.role}")))
    if st.sidebar.button(t("app.sign_out"), key="app_sign_out"):
        st.session_state.pop(SESSION_USER, None)
        st.rerun()


# -- cached loaders (filters are arguments; cleared after every write) ---------
def today() -> dt.date:
    return config.today()


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def load_is_training(db_path: str) -> bool:
    with opened(db_path) as db:
        return environment.is_training(db)


def is_training() -> bool:
    return load_is_training(config.db_path())


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _demo_accounts(db_path: str):
    with opened(db_path) as db:
        if not environment.is_training(db):
            return None
        row = db.execute("SELECT value FROM meta WHERE key = 'demo_password'").fetchone()
        accounts = [(u.username, u.display_name, u.role) for u in auth.list_users(db)
                    if u.area_code == "gorenjska" and u.active]
    return accounts, (row[0] if row else "")


def load_demo_accounts():
    return _demo_accounts(config.db_path())


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _coordinator_overview(db_path: str, coordinator_id: int, today: dt.date):
    with opened(db_path) as db:
        return overview.coordinator_overview(db, coordinator_id, today)


def load_coordinator_overview(coordinator_id: int) -> overview.CoordinatorOverview:
    return _coordinator_overview(config.db_path(), coordinator_id, today())


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _region_overview(db_path: str, today: dt.date, area: str):
    with opened(db_path) as db:
        return overview.region_overview(db, today, area)


def load_region_overview(area: str) -> overview.RegionOverview:
    return _region_overview(config.db_path(), today(), area)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _coordinators(db_path: str):
    with opened(db_path) as db:
        return [u for u in auth.list_users(db, "coordinator") if u.active]


def load_coordinators() -> list[auth.User]:
    return _coordinators(config.db_path())


def load_users() -> list[auth.User]:
    with opened() as db:
        return auth.list_users(db)


def after_write() -> None:
    """Cached reads may now be stale for everyone: drop them."""
    st.cache_data.clear()


# -- shared widgets ---------------------------------------------------------------
def bar_chart(counts: dict[str, int], label_prefix: str, axis_title: str) -> None:
    frame = pd.DataFrame({"label": [t(f"{label_prefix}.{k}") for k in counts],
                          "count": list(counts.values())})
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("count:Q", title=t("col.count")),
        y=alt.Y("label:N", title=axis_title, sort=None, axis=alt.Axis(labelLimit=320)),
        tooltip=[alt.Tooltip("label:N", title=axis_title),
                 alt.Tooltip("count:Q", title=t("col.count"))])
    st.altair_chart(chart, width="stretch")


def coordinator_overview_view(ov: overview.CoordinatorOverview) -> None:
    left, middle, right = st.columns(3)
    left.metric(t("home.active_cases"), ov.active_cases)
    middle.metric(t("home.sessions_this_week"), len(ov.week_sessions))
    right.metric(t("home.overdue_followups"), len(ov.overdue))
    st.subheader(t("home.by_stage"))
    bar_chart(ov.stage_counts, "stage", t("col.stage"))
    st.subheader(t("home.overdue_title"))
    if ov.overdue:
        st.dataframe(pd.DataFrame([{
            t("col.due"): fmt_date(task.due_date),
            t("col.days_overdue"): task.days_overdue,
            t("col.kind"): task.title or t(f"task_kind.{task.kind}"),
            t("col.person"): task.participant,
            t("col.municipality"): task.municipality,
        } for task in ov.overdue]), hide_index=True)
    else:
        st.success(t("home.no_overdue"))
    st.subheader(t("home.week_sessions", start=fmt_date(ov.week_start),
                   end=fmt_date(ov.week_end)))
    if ov.week_sessions:
        st.dataframe(pd.DataFrame([{
            t("col.date"): fmt_date(s.date),
            t("col.day"): i18n.weekday_name(s.date, lang()),
            t("col.time"): s.start_time,
            t("col.kind"): t(f"session_kind.{s.kind}"),
            t("col.title"): s.title + (f" — {s.participant}" if s.participant else ""),
            t("col.location"): s.location or s.municipality or "",
            t("col.hours"): s.hours,
        } for s in ov.week_sessions]), hide_index=True)
    else:
        st.info(t("home.no_sessions"))


def region_overview_view(ov: overview.RegionOverview) -> None:
    st.subheader(t("home.region_title"))
    st.caption(t("home.region_caption"))
    cols = st.columns(5)
    cols[0].metric(t("home.active_cases"), ov.active_cases)
    cols[1].metric(t("home.participants_total"), ov.participants_total)
    cols[2].metric(t("home.included_this_year", year=ov.year), ov.included_this_year)
    cols[3].metric(t("home.overdue_followups"), ov.overdue_tasks)
    cols[4].metric(t("home.hours_this_month"), f"{ov.hours_this_month:,.0f}".replace(",", " "))
    st.subheader(t("home.by_stage"))
    bar_chart(ov.stage_counts, "stage", t("col.stage"))
    left, right = st.columns(2)
    with left:
        st.subheader(t("home.by_unit"))
        st.dataframe(pd.DataFrame({t("col.unit"): list(ov.unit_counts),
                                   t("col.count"): list(ov.unit_counts.values())}),
                     hide_index=True)
    with right:
        st.subheader(t("home.by_target_group"))
        st.dataframe(pd.DataFrame({
            t("col.target_group"): [t(f"target_group.{k}") for k in ov.target_group_counts],
            t("col.count"): list(ov.target_group_counts.values())}), hide_index=True)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _units(db_path: str, area: str | None) -> dict[str, str]:
    with opened(db_path) as db:
        return places.unit_names(db, area)


def load_units(area: str | None = None) -> dict[str, str]:
    """CSD units by code, of one area when given."""
    return _units(config.db_path(), area)


# -- writes from pages (each clears the cached reads) -------------------------------
def create_user(username: str, display_name: str, role: str, password: str,
                unit: str | None) -> auth.User:
    with opened() as db:
        user = auth.create_user(db, username, display_name, role, password, unit_code=unit)
    after_write()
    return user


def set_user_active(user_id: int, active: bool, acting_user_id: int) -> None:
    with opened() as db:
        auth.set_active(db, user_id, active, acting_user_id)
    after_write()
