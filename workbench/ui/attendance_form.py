"""One session's attendance as a form: a row per person expected, "all present", one save.

Used by a programme's page and by the calendar (a coordinator's own meetings).
"""

from __future__ import annotations

import streamlit as st

from workbench import attendance
from workbench.auth import User
from workbench.ui import widgets
from workbench.ui.lang import t, translated
from workbench.ui.loaders import read, today
from workbench.ui.widgets import md, save


def sheet(user: User, session_id: int, prefix: str) -> None:
    """One session's attendance: a row per person, one save."""
    data = read(attendance.sheet, user, session_id)
    if data.locked:
        st.warning(t("attendance.locked"), icon=":material/lock:")
    if not data.rows:
        st.info(t("attendance.nobody"))
        return
    form = f"{prefix}_{session_id}"
    # The version she started from, kept until her save or a reload: a colleague's save
    # in between makes hers a refused conflict, never a silently dropped form.
    seen_key = f"{form}_seen"
    seen = st.session_state.setdefault(seen_key, data.version)
    key = widgets.form_key(form)
    if seen != data.version:
        st.warning(t("attendance.changed_meanwhile"), icon=":material/sync_problem:")
        if st.button(t("record.reload"), key=f"{key}_reload", icon=":material/refresh:"):
            st.session_state[seen_key] = data.version
            widgets.reset_form(form)
            st.rerun()
    elif not data.locked:
        st.caption(t("attendance.recorded") if data.recorded else t(
            "attendance.not_recorded", hours=data.hours))
    if not data.locked and st.button(t("attendance.all_present"), key=f"{key}_all",
                                      icon=":material/done_all:"):
        for row in data.rows:
            st.session_state[f"{key}_{row.participant_id}_status"] = "present"
            st.session_state[f"{key}_{row.participant_id}_hours"] = float(data.hours)
    with st.form(key):
        entries: dict[int, tuple[str, float | None]] = {}
        for row in data.rows:
            name_col, status_col, hours_col = st.columns([3, 4, 2], vertical_alignment="center")
            name_col.markdown(md(row.name))
            status = status_col.radio(
                t("attendance.status_of", name=row.name), attendance.STATUSES,
                index=attendance.STATUSES.index(row.status) if row.status else 0,
                horizontal=True, label_visibility="collapsed",
                format_func=lambda s: t(f"attendance_status.{s}"),
                key=translated(f"{key}_{row.participant_id}_status"), disabled=data.locked)
            # An absent or excused row has no hours ("—"); "present" left at "—" is present
            # for the whole session.
            choices = [0.0, *widgets.half_hours(data.hours)]
            shown = (float(row.hours) if row.status == "present"
                     else 0.0 if row.status else float(data.hours))
            hours = hours_col.selectbox(
                t("attendance.hours_of", name=row.name), choices,
                index=choices.index(shown) if shown in choices else len(choices) - 1,
                format_func=lambda h: widgets.hours_label(h) if h else "—",
                label_visibility="collapsed",
                key=f"{key}_{row.participant_id}_hours", disabled=data.locked)
            if status == "present" and not hours:
                hours = float(data.hours)
            entries[row.participant_id] = (status, None if status != "present" else hours)
        submitted = st.form_submit_button(t("attendance.save"), type="primary",
                                          disabled=data.locked)
    if submitted:
        def record(db, _) -> None:
            st.session_state[seen_key] = attendance.record(db, user, session_id, seen,
                                                           entries, today=today())
        save(record, t("attendance.saved", n=len(entries)), form=form)
