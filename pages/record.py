"""Oseba: everything about one person in one place (the single entry point)."""

import streamlit as st

from workbench import ui
from workbench.ui import casework as cw
from workbench.ui import record

user = ui.require_user("record")
area = user.area_code or "gorenjska"

chosen = st.query_params.get("person", "")
if not chosen.isdigit():
    st.title(ui.t("record.title"))
    query = st.text_input(ui.t("record.search"), key="record_search", max_chars=100)
    if query.strip():
        found = cw.search_people(area, query)
        for match in found:
            st.page_link(cw.RECORD_PAGE, label=f"{match.name} · {ui.fmt_date(match.birth_date)} "
                         f"· {match.municipality} · {ui.t(f'stage.{match.stage}')}",
                         query_params={"person": str(match.id)})
        if not found:
            st.info(ui.t("record.no_results"))
    else:
        st.info(ui.t("record.pick"))
    st.stop()

person = cw.visible_person(user, int(chosen))
if person is None:
    st.error(ui.t("record.not_found"))
    st.stop()
cw.log_open_once(user, person.id)
parts = cw.load_record(person.id)

record.header(person, parts)
record.flash()
tabs = st.tabs([ui.t(f"tab.{name}") for name in (
    "summary", "data", "problems", "plan", "contacts", "tasks", "referrals", "timeline", "audit")])
with tabs[0]:
    record.stage_panel(person, user)
    record.reassign_panel(person, user)
with tabs[1]:
    record.data_panel(person, user)
with tabs[2]:
    record.problems_panel(person, parts, user)
with tabs[3]:
    record.plan_panel(person, parts, user)
with tabs[4]:
    record.contacts_panel(person, parts, user)
with tabs[5]:
    record.tasks_panel(person, parts, user)
with tabs[6]:
    record.referrals_panel(person, parts, user)
with tabs[7]:
    record.timeline_panel(parts)
with tabs[8]:
    record.audit_panel(parts)
