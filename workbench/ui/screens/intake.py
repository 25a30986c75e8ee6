"""Nova napotitev: take in a referred person, checking first that she is not already here."""

from __future__ import annotations

import streamlit as st

from workbench import dates, emso, i18n, participants, vocab
from workbench.auth import User
from workbench.eligibility import evaluate_form
from workbench.errors import UserError
from workbench.ui import components, widgets
from workbench.ui.components import esc
from workbench.ui.lang import fmt_date, t
from workbench.ui.loaders import area_coordinators, load_municipalities, read, today
from workbench.ui.person_form import person_fields
from workbench.ui.widgets import choose, eligibility_view, tx

FORM = "intake"


def show(user: User) -> None:
    st.title(t("intake.title"), anchor=False)
    _last_saved()
    area = user.area_code or "gorenjska"
    key = widgets.form_key(FORM)
    form_column, check_column = st.columns([3, 2], gap="large")
    with form_column:
        st.subheader(t("intake.person"), anchor=False)
        form = person_fields(key, area, participants.PersonInput(referral_date=today()))
        if user.role == "coordinator":
            coordinator_id = None  # offered next to the save button (_route)
        else:  # a trainer demonstrating: the case goes to a coordinator of her choice
            coordinators = {u.id: u.display_name for u in area_coordinators(area)}
            coordinator_id = choose(t("intake.coordinator"), coordinators,
                                    key=f"{key}_coordinator", format_func=coordinators.get)

    with check_column:
        _emso_check(user, form)
        matches = _likely_matches(user, form)
        different_person = False
        if matches:
            _matches_view(matches)
            different_person = st.checkbox(t("intake.different_person"),
                                           key=f"{key}_different_person")
        elif form.first_name or form.last_name:
            st.info(t("intake.no_matches"))
        st.subheader(t("elig.title"), anchor=False)
        eligibility_view(read(evaluate_form, form, today()), form.sex)
        if form.birth_date and not isinstance(form.birth_date, str) and form.birth_date > today():
            st.error(f"{t('field.birth_date')}: {t('error.birth_date_future')}")

        if user.role == "coordinator":
            coordinator_id = _route(user, area, key, form.municipality_id)
        if st.button(t("intake.save"), type="primary", key=f"{key}_save"):
            try:
                pid, created = read(
                    participants.create_person, user, form, coordinator_id=coordinator_id,
                    today=today(), different_person=different_person,
                    token=widgets.form_token(FORM))
            except UserError as err:
                widgets.show_error(err)
            else:
                # An empty form for the next person, the saved one named above it: a second
                # press finds nothing to save rather than the same person again.
                st.session_state[_DONE] = (pid, f"{form.first_name} {form.last_name}", created,
                                           form.sex)
                widgets.reset_form(FORM)
                st.rerun()


_DONE = "intake_done"


def _route(user: User, area: str, key: str, municipality_id: int | None) -> int:
    """A referral from a municipality another coordinator covers is offered to her (the
    first choice, with a task for her), or kept: a choice made, never a silent one."""
    responsible = read(participants.referral_coordinator, user, municipality_id) \
        if municipality_id else None
    if responsible is None or responsible == user.id:
        return user.id
    names = {u.id: u.display_name for u in area_coordinators(area)}
    municipality = load_municipalities(area)[municipality_id][0]
    options = {responsible: tx("intake.route_to", name=names.get(responsible, ""),
                               municipality=municipality),
               user.id: t("intake.route_keep")}
    chosen = st.radio(tx("intake.route_offer", name=names.get(responsible, ""),
                         municipality=municipality), list(options),
                      format_func=options.get, key=f"{key}_route_{municipality_id}")
    return chosen if chosen is not None else responsible


def _last_saved() -> None:
    """The person saved last on this page, with the way to her record."""
    done = st.session_state.get(_DONE)
    if not done:
        return
    pid, name, created, sex = done
    if created:  # "vpisana" for a woman, "vpisan" for a man
        st.success(tx(i18n.gendered_key("intake.saved", sex), name=name))
    else:  # a form saved twice (a double click): still one record
        st.info(t("intake.already_saved"))
    components.open_clicked(components.show(
        f'<p>{components.person_link(pid, t("intake.open_record"))}</p>', key="intake_open"))


def _emso_check(user: User, form: participants.PersonInput) -> None:
    code = emso.normalise(form.emso)
    if not code:
        return
    if emso.problem(code) == "error.emso_invalid":
        st.error(t("error.emso_invalid"))
        return
    try:
        read(participants.check_emso, user, code)
    except UserError as err:
        widgets.show_error(err)
        return
    try:
        born = dates.coerce(form.birth_date)
    except UserError:
        born = None
    # One verdict, the real one: never "valid" for a number the save then refuses.
    wrong = emso.problem(code, born, form.sex if form.sex in vocab.SEXES else None)
    if wrong:
        st.error(t(wrong))
        return
    st.success(t("intake.emso_ok"))


def _likely_matches(user: User, form: participants.PersonInput) -> list[participants.Match]:
    try:
        born = dates.coerce(form.birth_date)
    except UserError:
        born = None
    return read(participants.find_matches, user, form.first_name, form.last_name, born)


def _matches_view(matches: list[participants.Match]) -> None:
    st.warning(t("intake.matches", n=len(matches)))
    markup = components.table(
        [t("col.person"), t("field.birth_date"), t("col.municipality"), t("col.coordinator"),
         t("col.stage"), t("intake.match_reasons")],
        [(components.person_link(m.id, m.name), esc(fmt_date(m.birth_date)),
          components.name(m.municipality), components.name(m.coordinator),
          esc(t(f"stage.{m.stage}")),
          esc(", ".join(t(f"match.{r}") for r in m.reasons))) for m in matches])
    components.open_clicked(components.show(markup, key="intake_matches"))
