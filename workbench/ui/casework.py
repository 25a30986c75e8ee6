"""Streamlit helpers of the casework screens: loaders, the board's cards, forms of a record.

Pages call these; the rules live in the library modules they call.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from workbench import (
    access,
    audit,
    board,
    casework,
    config,
    eligibility,
    participants,
    places,
    stages,
    submissions,
    vocab,
)
from workbench.auth import User
from workbench.db import opened
from workbench.errors import ConflictError, UserError
from workbench.ui import (
    CACHE_TTL_S,
    after_write,
    fmt_date,
    is_training,
    load_coordinators,
    load_units,
    t,
    today,
)

RECORD_PAGE = "pages/record.py"
INTAKE_PAGE = "pages/intake.py"
MIN_BIRTH_DATE = dt.date(1900, 1, 1)
DATE_FORMAT = "DD.MM.YYYY"


# -- loaders --------------------------------------------------------------------------
@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _board(db_path: str, coordinator_id: int, on: dt.date, filters: board.Filters):
    with opened(db_path) as db:
        return board.caseload_board(db, coordinator_id, on, filters)


def load_board(coordinator_id: int, filters: board.Filters) -> board.Board:
    return _board(config.db_path(), coordinator_id, today(), filters)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _workload(db_path: str, area: str, on: dt.date):
    with opened(db_path) as db:
        return board.workload(db, area, on)


def load_workload(area: str) -> list[board.Workload]:
    return _workload(config.db_path(), area, today())


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _municipalities(db_path: str, area: str):
    with opened(db_path) as db:
        return places.municipalities(db, area)


def load_municipalities(area: str) -> dict[int, tuple[str, str]]:
    return _municipalities(config.db_path(), area)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _programmes(db_path: str, area: str, on: dt.date):
    with opened(db_path) as db:
        return stages.open_programmes(db, area, on)


def load_programmes(area: str) -> dict[int, str]:
    return _programmes(config.db_path(), area, today())


def area_coordinators(area: str | None) -> list[User]:
    return [u for u in load_coordinators() if u.area_code == area]


def visible_person(user: User, participant_id: int) -> participants.Person | None:
    """The person, read fresh (never cached: her version decides whether a save is safe)."""
    with opened() as db:
        person = participants.get_person(db, participant_id)
    if person is None or not access.can_see_person(user.role, user.area_code, person.area_code,
                                                   is_training()):
        return None
    return person


def load_record(participant_id: int) -> casework.CaseRecord:
    """Read fresh on every run: the record is what a coordinator is editing."""
    with opened() as db:
        return casework.case_record(db, participant_id)


def log_open_once(user: User, participant_id: int) -> None:
    """Opening a record is audited once per visit, not on every rerun of the page."""
    if st.session_state.get("record_logged") != participant_id:
        with opened() as db:
            audit.log_open(db, user.id, participant_id)
        st.session_state["record_logged"] = participant_id


# -- messages ---------------------------------------------------------------------------
def label(field: str, value: object) -> str:
    """A stored value as a coordinator reads it."""
    if value in (None, ""):
        return t("common.none")
    prefixes = {"stage": "stage", "target_group": "target_group", "sex": "sex",
                "labour_status": "labour_status", "referral_source": "referral_source",
                "language": "person_language", "migrant": "answer", "disability": "answer",
                "other_disadvantage": "answer", "exit_destination": "exit_destination",
                "isced": "isced"}
    if field in prefixes:
        return t(f"{prefixes[field]}.{value}")
    if field in ("homeless", "interpreter_needed", "residence_ok"):
        return t("common.yes") if str(value) == "1" else t("common.no")
    if field == "coordinator_id":
        names = {str(u.id): u.display_name for u in load_coordinators()}
        return names.get(str(value), str(value))
    return str(value)


def show_error(err: UserError) -> None:
    st.error(t(err.key, **err.params))
    if isinstance(err, ConflictError) and err.changes:
        st.markdown("\n".join(
            "- " + t("conflict.change", field=t(f"field.{c.field}"), old=label(c.field, c.old),
                     new=label(c.field, c.new)) for c in err.changes if c.field))


def form_token(key: str) -> str:
    """The idempotency token of a form, kept until the form is started afresh."""
    name = f"token_{key}"
    if name not in st.session_state:
        st.session_state[name] = submissions.new_token()
    return st.session_state[name]


def renew_token(key: str) -> None:
    st.session_state.pop(f"token_{key}", None)


def eligibility_view(result: eligibility.Eligibility) -> None:
    yes, no = t("common.yes"), t("common.no")
    st.markdown(f"**{t('elig.eligible', answer=yes if result.eligible else no)}** · "
                f"**{t('elig.long', answer=yes if result.long_programme else no)}**")
    st.markdown("\n".join(
        f"- {':green[✓]' if c.ok else ':red[✗]'} "
        f"{t(f'elig.{c.key}.' + ('yes' if c.ok else 'no'), **c.params)}"
        for c in result.checks + result.long_checks))


def evaluate_eligibility(form: participants.PersonInput) -> eligibility.Eligibility:
    with opened() as db:
        return eligibility.evaluate(db, target_group=form.target_group,
                                    residence_ok=form.residence_ok, birth_date=form.birth_date,
                                    dsp_payments_24m=form.dsp_payments_24m, on=today())


# -- the board ---------------------------------------------------------------------------
def board_filters(area: str) -> board.Filters:
    units = load_units(area)
    munis = load_municipalities(area)
    programmes = load_programmes(area)
    top = st.columns([3, 2, 2])
    search = top[0].text_input(t("board.search"), key="board_search", max_chars=100)
    overdue = top[1].toggle(t("board.overdue_only"), key="board_overdue")
    finished = top[2].toggle(t("board.include_finished"), key="board_finished")
    row = st.columns(4)
    unit = row[0].selectbox(t("col.unit"), [None, *units], key="board_unit",
                            format_func=lambda c: units.get(c, t("common.all")))
    muni_ids = [i for i, (_, u) in munis.items() if unit is None or u == unit]
    municipality = row[1].selectbox(
        t("col.municipality"), [None, *muni_ids], key="board_municipality",
        format_func=lambda i: munis[i][0] if i else t("common.all"))
    group = row[2].selectbox(t("col.target_group"), [None, *vocab.TARGET_GROUPS],
                             key="board_group",
                             format_func=lambda g: t(f"target_group.{g}") if g else t("common.all"))
    programme = row[3].selectbox(t("col.programme"), [None, *programmes], key="board_programme",
                                 format_func=lambda p: programmes.get(p, t("common.all")))
    return board.Filters(unit=unit, municipality_id=municipality, target_group=group,
                         programme_id=programme, overdue_only=overdue, search=search or "",
                         include_finished=finished)


def board_view(b: board.Board, limit: int) -> bool:
    """Columns of cards; returns True when some column has more cards than shown."""
    more = False
    for column, stage in zip(st.columns(len(b.stages)), b.stages, strict=True):
        cards = b.columns[stage]
        with column:
            st.markdown(f"**{t('board.column', stage=t(f'stage.{stage}'), n=len(cards))}**")
            if not cards:
                st.caption(t("board.empty"))
            for card in cards[:limit]:
                with st.container(border=True):
                    st.markdown(f"**{card.name}**")
                    st.page_link(RECORD_PAGE, label=t("board.open"), icon=":material/person:",
                                 query_params={"person": str(card.id)}, help=card.name)
                    due = (t("board.next_due", date=fmt_date(card.next_due)) if card.next_due
                           else t("board.no_task"))
                    overdue = f"  \n:red[**⚠ {t('board.overdue')}**]" if card.overdue else ""
                    st.caption(f"{card.municipality} · {t('board.days', days=card.days_in_stage)}"
                               f"  \n{due}{overdue}")
            if len(cards) > limit:
                more = True
                st.caption(t("board.more", n=len(cards) - limit))
    return more


def workload_view(rows: list[board.Workload]) -> None:
    frame = pd.DataFrame([{
        t("col.coordinator"): r.coordinator, t("col.active_cases"): r.active_cases,
        t("col.overdue"): r.overdue_tasks, t("col.new_referrals"): r.new_referrals}
        for r in rows])
    st.dataframe(frame, hide_index=True)
    if rows:
        long = frame.melt(id_vars=[t("col.coordinator")], var_name="measure", value_name="n")
        chart = alt.Chart(long).mark_bar().encode(
            x=alt.X("n:Q", title=t("col.count")),
            y=alt.Y(f"{t('col.coordinator')}:N", title=None),
            color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom")),
            yOffset="measure:N",
            tooltip=[t("col.coordinator"), "measure", "n"])
        st.altair_chart(chart, width="stretch")


# -- a person's form (intake and edit share it) ------------------------------------------------
def person_fields(prefix: str, area: str, initial: participants.PersonInput,
                  with_referral: bool = True) -> participants.PersonInput:
    """The e-MA fields of a person as widgets keyed ``<prefix>_<field>``."""
    munis = load_municipalities(area)
    form = participants.PersonInput()
    form.first_name = st.text_input(t("field.first_name"), initial.first_name,
                                    key=f"{prefix}_first_name", max_chars=100)
    form.last_name = st.text_input(t("field.last_name"), initial.last_name,
                                   key=f"{prefix}_last_name", max_chars=100)
    left, right = st.columns(2)
    form.birth_date = left.date_input(t("field.birth_date"), initial.birth_date,
                                      min_value=MIN_BIRTH_DATE, max_value=today(),
                                      format=DATE_FORMAT, key=f"{prefix}_birth_date")
    form.sex = right.radio(t("field.sex"), vocab.SEXES, horizontal=True,
                           index=vocab.SEXES.index(initial.sex), key=f"{prefix}_sex",
                           format_func=lambda s: t(f"sex.{s}"))
    form.emso = st.text_input(t("field.emso"), initial.emso or "", key=f"{prefix}_emso",
                              max_chars=20, help=t("intake.emso_help"))
    ids = list(munis)
    form.municipality_id = st.selectbox(
        t("field.municipality_id"), ids, key=f"{prefix}_municipality_id",
        index=ids.index(initial.municipality_id) if initial.municipality_id in ids else None,
        format_func=lambda i: munis[i][0])
    form.address = st.text_input(t("field.address"), initial.address or "",
                                 key=f"{prefix}_address", max_chars=200)
    left, right = st.columns(2)
    form.phone = left.text_input(t("field.phone"), initial.phone or "", key=f"{prefix}_phone",
                                 max_chars=40)
    form.email = right.text_input(t("field.email"), initial.email or "", key=f"{prefix}_email",
                                  max_chars=200)
    st.markdown(f"**{t('intake.ema')}**")
    form.target_group = st.selectbox(
        t("field.target_group"), vocab.TARGET_GROUPS, key=f"{prefix}_target_group",
        index=vocab.TARGET_GROUPS.index(initial.target_group)
        if initial.target_group in vocab.TARGET_GROUPS else None,
        format_func=lambda g: t(f"target_group.{g}"))
    form.labour_status = st.radio(
        t("field.labour_status"), vocab.LABOUR_STATUSES, key=f"{prefix}_labour_status",
        index=vocab.LABOUR_STATUSES.index(initial.labour_status)
        if initial.labour_status in vocab.LABOUR_STATUSES else None,
        format_func=lambda s: t(f"labour_status.{s}"))
    isced_options = [None, *vocab.ISCED_LEVELS]
    form.isced = st.selectbox(t("field.isced"), isced_options, key=f"{prefix}_isced",
                              index=isced_options.index(initial.isced),
                              format_func=lambda i: t(f"isced.{'unknown' if i is None else i}"))
    cols = st.columns(3)
    for col, name in zip(cols, ("migrant", "disability", "other_disadvantage"), strict=True):
        value = getattr(initial, name)
        setattr(form, name, col.selectbox(
            t(f"field.{name}"), vocab.SENSITIVE_ANSWERS, key=f"{prefix}_{name}",
            index=vocab.SENSITIVE_ANSWERS.index(value) if value in vocab.SENSITIVE_ANSWERS else 1,
            format_func=lambda a: t(f"answer.{a}")))
    if form.isced == 0:
        st.caption(t("intake.isced0"))
    cols = st.columns(3)
    form.homeless = cols[0].checkbox(t("field.homeless"), initial.homeless,
                                     key=f"{prefix}_homeless")
    form.residence_ok = cols[1].checkbox(t("field.residence_ok"), initial.residence_ok,
                                         key=f"{prefix}_residence_ok")
    form.dsp_payments_24m = cols[2].number_input(
        t("field.dsp_payments_24m"), min_value=0, max_value=24, step=1,
        value=initial.dsp_payments_24m, key=f"{prefix}_dsp_payments_24m")
    left, right = st.columns(2)
    form.language = left.selectbox(
        t("field.language"), vocab.PERSON_LANGUAGES, key=f"{prefix}_language",
        index=vocab.PERSON_LANGUAGES.index(initial.language)
        if initial.language in vocab.PERSON_LANGUAGES else 0,
        format_func=lambda code: t(f"person_language.{code}"))
    form.interpreter_needed = right.checkbox(t("field.interpreter_needed"),
                                             initial.interpreter_needed,
                                             key=f"{prefix}_interpreter_needed")
    form.referral_source, form.referral_person, form.referral_date = (
        initial.referral_source, initial.referral_person, initial.referral_date)
    if with_referral:
        st.markdown(f"**{t('intake.referral')}**")
        cols = st.columns(3)
        form.referral_source = cols[0].selectbox(
            t("field.referral_source"), vocab.REFERRAL_SOURCES, key=f"{prefix}_referral_source",
            index=vocab.REFERRAL_SOURCES.index(initial.referral_source)
            if initial.referral_source in vocab.REFERRAL_SOURCES else None,
            format_func=lambda s: t(f"referral_source.{s}"))
        form.referral_person = cols[1].text_input(
            t("field.referral_person"), initial.referral_person or "",
            key=f"{prefix}_referral_person", max_chars=200)
        form.referral_date = cols[2].date_input(
            t("field.referral_date"), initial.referral_date or today(), max_value=today(),
            min_value=MIN_BIRTH_DATE, format=DATE_FORMAT, key=f"{prefix}_referral_date")
    return form


def clear_keys(prefix: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


# -- intake --------------------------------------------------------------------------------
def likely_matches(area: str, form: participants.PersonInput) -> list[participants.Match]:
    with opened() as db:
        return participants.find_matches(db, area, form.first_name, form.last_name,
                                         form.birth_date, form.emso)


def matches_view(matches: list[participants.Match]) -> None:
    st.warning(t("intake.matches", n=len(matches)))
    for m in matches:
        reasons = ", ".join(t(f"match.{r}") for r in m.reasons)
        st.markdown(t("intake.match_line", name=m.name, born=fmt_date(m.birth_date),
                      municipality=m.municipality, coordinator=m.coordinator,
                      stage=t(f"stage.{m.stage}"), reasons=reasons))
        st.page_link(RECORD_PAGE, label=t("intake.open_record"), icon=":material/person:",
                     query_params={"person": str(m.id)})


def create_person(form: participants.PersonInput, area: str, coordinator_id: int, user: User,
                  different_person: bool, token: str) -> tuple[int, bool]:
    with opened() as db:
        result = participants.create_person(
            db, form, area=area, coordinator_id=coordinator_id, user_id=user.id, today=today(),
            different_person=different_person, token=token)
    after_write()
    return result


def search_people(area: str, query: str) -> list[participants.Match]:
    with opened() as db:
        return participants.search(db, area, query)
