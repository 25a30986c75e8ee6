"""Nova napotitev: take in a referred person, checking first that she is not already here."""

import streamlit as st

from workbench import emso, participants, ui
from workbench.errors import UserError
from workbench.ui import casework as cw

user = ui.require_user("intake")
st.title(ui.t("intake.title"))
area = user.area_code or "gorenjska"

form_column, check_column = st.columns([3, 2], gap="large")
with form_column:
    st.subheader(ui.t("intake.person"))
    form = cw.person_fields("intake", area, participants.PersonInput(referral_date=ui.today()))
    if user.role == "coordinator":
        coordinator_id = user.id
    else:  # a trainer demonstrating: the case goes to a coordinator of her choice
        coordinators = {u.id: u.display_name for u in cw.area_coordinators(area)}
        coordinator_id = st.selectbox(ui.t("intake.coordinator"), list(coordinators),
                                      key="intake_coordinator", format_func=coordinators.get)

with check_column:
    code = participants.normalise_emso(form.emso)
    if code:
        if emso.is_valid(code):
            st.success(ui.t("intake.emso_ok"))
        else:
            st.error(ui.t("error.emso_invalid"))
    matches = cw.likely_matches(area, form)
    different_person = False
    if matches:
        cw.matches_view(matches)
        different_person = st.checkbox(ui.t("intake.different_person"),
                                       key="intake_different_person")
    elif form.first_name or form.last_name:
        st.info(ui.t("intake.no_matches"))
    st.subheader(ui.t("elig.title"))
    cw.eligibility_view(cw.evaluate_eligibility(form))

    if st.button(ui.t("intake.save"), type="primary", key="intake_save"):
        try:
            pid, created = cw.create_person(form, area, coordinator_id, user, different_person,
                                            cw.form_token("intake"))
        except UserError as err:
            cw.show_error(err)
        else:
            st.session_state["intake_done"] = (pid, f"{form.first_name} {form.last_name}",
                                               created)
    done = st.session_state.get("intake_done")
    if done:
        pid, name, created = done
        if created:
            st.success(ui.t("intake.saved", name=name))
        else:  # the same form saved twice (a double click): still one record
            st.info(ui.t("intake.already_saved"))
        st.page_link(cw.RECORD_PAGE, label=ui.t("intake.open_record"), icon=":material/person:",
                     query_params={"person": str(pid)})
        if st.button(ui.t("intake.new"), key="intake_new"):
            cw.clear_keys("intake_")
            cw.renew_token("intake")
            st.rerun()
