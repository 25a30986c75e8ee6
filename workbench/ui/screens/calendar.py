"""Koledar: the week or month of a coordinator, a programme or a municipality; a new entry
(an individual meeting, a mobile-unit visit, a group session) with its conflicts shown
before it is saved; the coordinator's schedule as an .ics file.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from workbench import audit, dates, ics, participants, schedule, text
from workbench.auth import User
from workbench.db import open_db
from workbench.errors import UserError
from workbench.ui import address, agenda, attendance_form, downloads, interpreting, widgets
from workbench.ui.lang import fmt_date, lang, t
from workbench.ui.loaders import (
    area_coordinators,
    load_calendar,
    load_caseload_names,
    load_catalogue,
    load_municipalities,
    read,
    today,
)
from workbench.ui.widgets import choose, date_field, md, save, tx

VIEWS = ("week", "month")
SCOPES = ("coordinator", "programme", "municipality")
# What the address keeps (F5, Back, a link): the view, the day shown, the scope and its choice.
ADDRESS = {"view": "pogled", "day": "datum", "scope": "obseg", "programme": "program",
           "municipality": "obcina", "coordinator": "koordinator"}
ENTRY_KINDS = ("individual", "mobile_unit", "group")


def show(user: User) -> None:
    st.title(t("calendar.title"), anchor=False)
    widgets.show_flash()
    chosen = st.query_params.get(agenda.CHANGE_PARAM)
    if chosen is not None:
        _change(user, text.parse_id(chosen))
    scope, scope_id = _scope(user)
    left, middle, right = st.columns([2, 4, 2], vertical_alignment="bottom")
    address.start("cal_view", ADDRESS["view"], VIEWS, default="week")
    st.session_state.setdefault("cal_view", "week")
    view = left.segmented_control(t("calendar.view"), VIEWS, key="cal_view",
                                  default=widgets.held("cal_view", VIEWS, "week"),
                                  format_func=lambda v: t(f"calendar.view_{v}"),
                                  required=True) or "week"
    address.put(ADDRESS["view"], None if view == "week" else view)
    at = _navigate(middle, view)
    if view == "week":
        monday, sunday = schedule.week_of(at)
        right.markdown(f"**{fmt_date(monday)} – {fmt_date(sunday)}**")
        agenda.show_week(user, scope, scope_id, monday, key="cal_week")
    else:
        right.markdown(f"**{widgets.month_label(f'{at:%Y-%m}')}**")
        agenda.show_month(user, scope, scope_id, at, key="cal_month")
    if view == "week":
        _pick_change(user, scope, scope_id, monday)
    if scope == "coordinator" and scope_id == user.id:
        _attendance_today(user)
        _new_entry(user)
        _download(user)


def _scope(user: User) -> tuple[str, int]:
    cols = st.columns([2, 3])
    address.start("cal_scope", ADDRESS["scope"], SCOPES, default="coordinator")
    kind = cols[0].radio(t("calendar.scope"), SCOPES, horizontal=True, key="cal_scope",
                         index=widgets.held_index("cal_scope", SCOPES, 0),
                         format_func=lambda k: t(f"calendar.scope_{k}"))
    address.put(ADDRESS["scope"], None if kind == "coordinator" else kind)
    for other in SCOPES:
        if other != kind:
            address.put(ADDRESS[other], None)
    if kind == "programme":
        found = {p.id: p.name for p in load_catalogue(user, user.area_code)}
        address.start("cal_programme", ADDRESS["programme"], found)
        chosen = choose(t("col.programme"), found, key="cal_programme", format_func=found.get,
                        container=cols[1])
        address.put(ADDRESS["programme"], chosen)
        return ("programme", chosen) if chosen else ("coordinator", user.id)
    if kind == "municipality":
        found = {mid: name for mid, (name, _) in load_municipalities(user.area_code).items()}
        address.start("cal_municipality", ADDRESS["municipality"], found)
        chosen = choose(t("col.municipality"), found, key="cal_municipality",
                        format_func=found.get, container=cols[1])
        address.put(ADDRESS["municipality"], chosen)
        return ("municipality", chosen) if chosen else ("coordinator", user.id)
    colleagues = {u.id: u.display_name for u in area_coordinators(user.area_code)}
    address.start("cal_coordinator", ADDRESS["coordinator"], colleagues)
    if st.session_state.get("cal_coordinator") not in colleagues:
        st.session_state["cal_coordinator"] = user.id if user.id in colleagues else next(
            iter(colleagues), None)
    chosen = cols[1].selectbox(t("calendar.whose"), list(colleagues), key="cal_coordinator",
                               index=widgets.held_index("cal_coordinator", colleagues),
                               format_func=colleagues.get)
    address.put(ADDRESS["coordinator"], None if chosen in (None, user.id) else chosen)
    return "coordinator", chosen or user.id


def _navigate(container, view: str) -> dt.date:
    state = "cal_at"
    if state not in st.session_state or address.moved(ADDRESS["day"]):
        # F5, Back (from another page or to an earlier week) or a link: the day the address
        # names (none: today)
        try:
            st.session_state[state] = dates.parse(st.query_params.get(ADDRESS["day"])) \
                or today()
        except UserError:
            st.session_state[state] = today()
    at: dt.date = st.session_state[state]
    step = dt.timedelta(days=7)
    prev, now, nxt = container.columns(3)
    if prev.button(t("calendar.previous"), key="cal_prev", icon=":material/chevron_left:",
                   width="stretch"):
        at = at - step if view == "week" else (at.replace(day=1) - dt.timedelta(days=1))
    if now.button(t("calendar.today"), key="cal_today", width="stretch"):
        at = today()
    if nxt.button(t("calendar.next"), key="cal_next", icon=":material/chevron_right:",
                  width="stretch"):
        at = at + step if view == "week" else (at.replace(day=28) + dt.timedelta(days=4))
    st.session_state[state] = at
    address.put(ADDRESS["day"], None if at == today() else at.isoformat())
    return at


def _attendance_today(user: User) -> None:
    """Her own meetings of the last days, to record whether the person came."""
    mine = [e for e in read(schedule.view, user, "coordinator", user.id,
                            today() - dt.timedelta(days=14), today())
            if e.kind == "individual" and not e.cancelled]
    if not mine:
        return
    with st.expander(t("calendar.record_meetings")):
        options = {e.id: e for e in reversed(mine)}
        chosen = st.selectbox(t("attendance.session"), list(options), key="cal_meeting",
                              format_func=lambda sid: f"{fmt_date(options[sid].day)} "
                              f"{options[sid].start_time} · {options[sid].person or ''}")
        attendance_form.sheet(user, chosen, "cal_att")


def _new_entry(user: User) -> None:
    st.subheader(t("entry.title"), anchor=False)
    form = "cal_entry"
    key = widgets.form_key(form)
    kind = st.segmented_control(t("field.session_kind"), ENTRY_KINDS, key=f"{key}_kind",
                                format_func=lambda k: t(f"session_kind.{k}"))
    if kind is None:
        st.caption(t("entry.pick_kind"))
        return
    people = load_caseload_names(user)
    cols = st.columns(4)
    day = date_field(t("field.date"), key=f"{key}_day", value=today(), container=cols[0])
    start = cols[1].text_input(t("field.start_time"), value="10:00", max_chars=5,
                               key=f"{key}_start")
    choices = widgets.half_hours(8)
    hours = cols[2].selectbox(t("field.hours"), choices, key=f"{key}_hours",
                              index=choices.index(1.0 if kind == "individual" else 3.0),
                              format_func=widgets.hours_label)
    location = cols[3].text_input(t("field.location"), max_chars=text.SHORT_TEXT_MAX,
                                  key=f"{key}_location",
                                  value=t("entry.office") if kind == "individual" else "")
    person = municipality = programme = None
    met: list[int] = []
    title = t("session_kind.individual") if kind == "individual" else ""
    if kind == "individual":
        person = choose(t("col.person"), people, key=f"{key}_person", format_func=people.get)
    if kind == "mobile_unit":
        found = {mid: name for mid, (name, _) in load_municipalities(user.area_code).items()}
        municipality = choose(t("field.municipality"), found, key=f"{key}_muni",
                              format_func=found.get)
        title = t("entry.visit_title", place=found.get(municipality, "")) if municipality \
            else ""
    if kind in ("mobile_unit", "group"):
        met = st.multiselect(t("entry.people"), list(people), format_func=people.get,
                             key=f"{key}_people", placeholder=t("common.choose"),
                             select_all=False)  # Streamlit's "Select all" is English only
    if kind == "group":
        found = {p.id: p.name for p in load_catalogue(user, user.area_code)}
        programme = choose(t("entry.programme"), found, key=f"{key}_programme",
                           format_func=found.get)
        title = st.text_input(t("field.title"), max_chars=text.SHORT_TEXT_MAX,
                              key=f"{key}_title")
    entry = schedule.Entry(kind, day, start, hours, title, location, user.id, programme, person,
                           municipality, tuple(met))
    reason = ""
    checked = None
    # Conflicts are shown as soon as the entry names whom it books; what is still missing
    # is said when she saves.
    if (kind != "individual" or person) and (kind != "mobile_unit" or municipality):
        try:
            checked = read(schedule.check_entry, user, entry, today())
        except UserError as err:
            st.caption(f":red[{widgets.message(err)}]")
    if checked:
        for conflict in checked.conflicts:
            (st.error if conflict.blocking else st.warning)(_conflict_text(conflict))
        if any(not c.blocking for c in checked.conflicts):
            reason = st.text_input(t("field.holiday_reason"), max_chars=text.SHORT_TEXT_MAX,
                                   key=f"{key}_holiday")
    entry = schedule.Entry(kind, day, start, hours, title, location, user.id, programme, person,
                           municipality, tuple(met), reason)
    interpreter_ok = interpreting.confirmed(read(participants.booking_warnings, user, entry),
                                            "programme" if programme else "meeting",
                                            f"{key}_interpreter")
    if st.button(t("entry.save"), type="primary", key=f"{key}_save"):
        if not interpreter_ok:
            widgets.show_error(UserError("error.interpreter_unconfirmed"))
            return
        save(lambda db, token: schedule.add_entry(db, user, entry, today=today(), token=token),
             t("entry.saved"), form=form)


# -- a meeting or a visit: move, cancel, record who was met ----------------------------------
def _pick_change(user: User, scope: str, scope_id: int, monday: dt.date) -> None:
    """The week's meetings and visits, to open one's change panel (also a link in the
    week: its time)."""
    found = [e for e in load_calendar(user, scope, scope_id, monday,
                                      monday + dt.timedelta(days=6))
             if e.kind in schedule.CORRECTABLE_KINDS and not e.cancelled]
    if not found:
        return
    options = {e.id: e for e in found}
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    chosen = left.selectbox(t("change.pick"), list(options), key="cal_change_pick",
                            index=None, placeholder=t("common.choose"),
                            format_func=lambda sid: _summary(options[sid]))
    if right.button(t("change.open"), key="cal_change_open", disabled=chosen is None):
        st.query_params[agenda.CHANGE_PARAM] = str(chosen)
        st.rerun()


def _summary(e: schedule.CalendarEntry) -> str:
    what = t(f"session_kind.{e.kind}") + (f" · {e.person}" if e.person else "") + \
        (f" · {e.municipality}" if e.kind == "mobile_unit" and e.municipality else "")
    return t("change.summary", kind=what, date=fmt_date(e.day), time=e.start_time,
             end=e.end_time)


def _close_change(form: str | None = None) -> None:
    if form:  # reopened, the panel starts from the stored entry again
        widgets.reset_form(form)
    st.query_params.pop(agenda.CHANGE_PARAM, None)
    st.rerun()


def _change(user: User, sid: int | None) -> None:
    """The change panel of one entry (``?vnos=ID``: from the week, her record or a link)."""
    try:
        if sid is None:
            raise UserError("error.session_missing")
        e = read(schedule.entry, user, sid)
    except UserError:  # missing or not hers to see: one message
        st.error(t("error.session_missing"))
        if st.button(t("change.back"), key="cal_change_back_missing"):
            _close_change()
        return
    form = f"cal_change_{sid}"
    key = widgets.form_key(form)
    seen = f"{key}_seen"  # the version her form started from, kept until it is saved
    if seen not in st.session_state:
        st.session_state[seen] = e.version
        st.session_state["cal_at"] = e.day  # the week below is the entry's week
    with st.container(border=True):
        head, back = st.columns([5, 1], vertical_alignment="center")
        head.markdown(f"**{md(t('change.title'))}:** {md(_summary(e))}")
        if back.button(t("change.back"), key="cal_change_back", icon=":material/close:"):
            _close_change(form)
        if e.cancelled:
            st.info(tx("change.cancelled_info", reason=e.cancel_reason or ""))
            return
        if e.kind not in schedule.CORRECTABLE_KINDS:
            st.caption(t("change.not_correctable"))
            return
        # Who was met is recorded on the visit's day or later; before it, it is planned.
        happened = e.kind == "mobile_unit" and e.day <= today()
        if e.kind == "mobile_unit" and not happened:
            st.caption(t("change.visit_planned", date=fmt_date(e.day)))
        actions = ["move", "cancel"] + (["visit"] if happened else [])
        default = "visit" if happened else "move"
        action = st.segmented_control(t("change.title"), actions, default=default,
                                      key=f"{key}_action", label_visibility="collapsed",
                                      format_func=lambda a: t(f"change.{a}"),
                                      required=True) or default
        version = st.session_state[seen]
        if version != e.version:  # a colleague saved it meanwhile: hers would be refused
            st.warning(t("change.changed_meanwhile"), icon=":material/sync_problem:")
            if st.button(t("record.reload"), key=f"{key}_reload", icon=":material/refresh:"):
                widgets.reset_form(form)  # the next generation starts from the stored entry
                widgets.flash(t("record.reloaded"), "info")
                st.rerun()
        if action == "visit":
            _record_visit(user, e, form, key, version)
        elif e.recorded:
            st.caption(t("error.visit_recorded"))
        elif action == "move":
            _move(user, e, form, key, version)
        else:
            _cancel(user, e, form, key, version)


def _move(user: User, e: schedule.CalendarEntry, form: str, key: str, version: int) -> None:
    cols = st.columns(4)
    day = date_field(t("field.date"), key=f"{key}_day", value=e.day, container=cols[0])
    start = cols[1].text_input(t("field.start_time"), value=e.start_time, max_chars=5,
                               key=f"{key}_start")
    choices = widgets.half_hours(8)
    hours = cols[2].selectbox(t("field.hours"), choices, key=f"{key}_hours",
                              index=choices.index(e.hours) if e.hours in choices else 1,
                              format_func=widgets.hours_label)
    reason = cols[3].text_input(t("field.move_reason"), max_chars=text.SHORT_TEXT_MAX,
                                key=f"{key}_reason", help=t("reason.personal_data_help"))
    holiday_reason = ""
    try:
        checked = read(schedule.moved, user, e.id, day, start, hours, today())
    except UserError as err:
        st.caption(f":red[{widgets.message(err)}]")
        checked = None
    if checked:
        for conflict in checked.conflicts:
            (st.error if conflict.blocking else st.warning)(_conflict_text(conflict))
        if any(not c.blocking for c in checked.conflicts):
            holiday_reason = st.text_input(t("field.holiday_reason"),
                                           max_chars=text.SHORT_TEXT_MAX, key=f"{key}_holiday")
    if st.button(t("change.move_save"), type="primary", key=f"{key}_move"):
        save(lambda db, token: schedule.move_entry(
            db, user, e.id, version, day, start, hours, today=today(), reason=reason,
            holiday_reason=holiday_reason, token=token), t("change.moved"), form=form,
            label=_label)


def _cancel(user: User, e: schedule.CalendarEntry, form: str, key: str, version: int) -> None:
    reason = st.text_input(t("field.cancel_reason"), max_chars=text.SHORT_TEXT_MAX,
                           key=f"{key}_cancel_reason", help=t("reason.personal_data_help"))
    if st.button(t("change.cancel_save"), type="primary", key=f"{key}_cancel"):
        save(lambda db, token: schedule.cancel_entry(db, user, e.id, version, reason,
                                                     today=today(), token=token),
             t("change.cancelled"), form=form, label=_label)


def _record_visit(user: User, e: schedule.CalendarEntry, form: str, key: str,
                  version: int) -> None:
    """After the visit: who was met, each with a contact on her record."""
    found = read(schedule.visit, user, e.id)
    if not found.may_record(today()):
        st.info(t("change.visit_planned", date=fmt_date(found.day)))
        return
    if found.met:
        st.caption(tx("change.visit_met_before",
                      names=", ".join(found.names[p] for p in found.met)))
    booked = {p: found.names[p] for p in found.booked}
    cols = st.columns(2)
    met = cols[0].multiselect(t("change.visit_booked"), list(booked), format_func=booked.get,
                              default=[p for p in found.booked if p not in found.met],
                              key=f"{key}_booked", placeholder=t("common.choose"),
                              select_all=False)
    others = {p: n for p, n in load_caseload_names(user).items() if p not in booked}
    more = cols[1].multiselect(t("change.visit_others"), list(others), format_func=others.get,
                               key=f"{key}_others", placeholder=t("common.choose"),
                               select_all=False)
    note = st.text_input(t("field.visit_note"), max_chars=text.SHORT_TEXT_MAX,
                         key=f"{key}_note", value=t("change.visit_default"))

    def record(db, token) -> widgets.Said:
        added = schedule.record_visit(db, user, e.id, version, [*met, *more], note,
                                      today=today(), token=token)
        return widgets.Said(tx("change.visit_saved", n=added))
    if st.button(t("change.visit_save"), type="primary", key=f"{key}_visit"):
        save(record, "", form=form, label=_label)


def _label(field: str, value: object) -> str:
    """A value a colleague saved meanwhile, as a conflict lists it (a day the Slovenian way,
    a colleague by her name)."""
    return widgets.stored_value(field, value, "sessions")


def _conflict_text(conflict: schedule.Conflict) -> str:
    params = {k: fmt_date(v) if isinstance(v, dt.date) else v
              for k, v in conflict.params.items()}
    return tx(conflict.key, **params)


def _download(user: User) -> None:
    st.subheader(t("ics.title"), anchor=False)
    monday, _ = schedule.week_of(today())
    cols = st.columns([2, 2, 3], vertical_alignment="bottom")
    start = date_field(t("ics.from"), key="ics_from", value=monday, container=cols[0])
    end = date_field(t("ics.to"), key="ics_to", value=monday + dt.timedelta(days=27),
                     container=cols[1])
    if not (isinstance(start, dt.date) and isinstance(end, dt.date)):
        return
    if end < start or (end - start).days > 366:
        cols[2].caption(f":red[{t('ics.period_invalid')}]")
        return
    language = lang()

    def schedule_file() -> bytes:  # made on the click, outside the run: its own connection
        db = open_db()
        try:
            return ics.schedule_ics(db, user, user.id, start, end, language=language)
        finally:
            db.close()
    downloads.download(t("ics.download"), schedule_file, file_name=(
        f"urnik-{user.username}-{start.isoformat()}-{end.isoformat()}.ics"),
        mime="text/calendar", icon=":material/event:", key="ics_download", container=cols[2],
        export=audit.Export("ics", {"coordinator": user.id, "start": start.isoformat(),
                                    "end": end.isoformat()}, None))
    st.caption(t("ics.help"))
