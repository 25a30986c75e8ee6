"""Programi: the area's programme catalogue, and a programme's page (``?programme=ID``):
details and modules, calendar, people and waiting list, attendance, the monthly list and
the payment sheet.

The programme and the open tab are named in the address, so a save, a reload or a
bookmark comes back to the same place.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import streamlit as st

from workbench import (
    attendance,
    audit,
    enrolment,
    i18n,
    participants,
    pipeline,
    programmes,
    schedule,
    sheets,
    text,
)
from workbench.auth import User
from workbench.errors import UserError
from workbench.programmes import Module, Programme, ProgrammeInput
from workbench.rules import rule_value
from workbench.ui import (
    address,
    agenda,
    attendance_form,
    components,
    downloads,
    interpreting,
    widgets,
)
from workbench.ui.components import esc
from workbench.ui.lang import fmt_date, lang, t, t_for, translated
from workbench.ui.loaders import (
    load_catalogue,
    load_month_sheet,
    load_municipalities,
    load_payment_sheet,
    load_person,
    load_providers,
    load_region_payments,
    load_units,
    read,
    today,
)
from workbench.ui.widgets import choose, date_field, md, month_label, save, tx

TABS = ("details", "calendar", "people", "attendance", "month", "payments")
TAB_KEY = "zavihek"
MONTH_KEY = "mesec"  # the chosen month of the monthly list and the payment sheet
WEEKDAYS = tuple(range(7))


def show(user: User) -> None:
    chosen = st.query_params.get("programme")
    if chosen == "new":
        _new(user)
        return
    if chosen is None:
        widgets.settle_offers()
        _catalogue(user)
        return
    programme_id = text.parse_id(chosen)
    try:
        if programme_id is None:
            raise UserError("error.programme_missing")
        widgets.settle_offers(programme_id)
        programme = read(programmes.get, user, programme_id)
    except UserError:
        st.error(t("programme.not_found"))
        _back()
        return
    _page(user, programme)


def _back() -> None:
    if st.button(t("programme.back"), key="prog_back", icon=":material/arrow_back:",
                 type="tertiary"):
        st.query_params.clear()
        st.rerun()


# -- the catalogue ----------------------------------------------------------------------------
def _catalogue(user: User) -> None:
    st.title(t("programme.title"), anchor=False)
    widgets.show_flash()
    listing, payments = address.tabs(("list", "payments"), {
        "list": "programme.list_tab", "payments": "programme.region_payments"}.get,
        key="prog_catalogue_tab", name=TAB_KEY)
    if listing.open is not False:
        with listing:
            _listing(user)
    if payments.open is not False:
        with payments:
            _region_payments(user)


def _region_payments(user: User) -> None:
    """The month's payment sheets of every programme of her area, for the finance office."""
    last_month = today().replace(day=1) - dt.timedelta(days=1)
    months = [f"{(last_month.replace(day=1) - dt.timedelta(days=31 * n)):%Y-%m}"
              for n in range(24)]
    months = list(dict.fromkeys([f"{today():%Y-%m}", *months]))
    named = st.query_params.get(MONTH_KEY)
    month = st.selectbox(t("field.month"), months, key="prog_region_month",
                         index=months.index(named) if named in months else 1,
                         format_func=month_label)
    if month and named != month:
        st.query_params[MONTH_KEY] = month
    found = load_region_payments(user, user.area_code, month)
    if not found:
        st.info(t("payments.none"))
        return

    def money(value) -> str:
        return esc(i18n.format_number(float(value), lang(), 2) + " €")

    rows = [(components.page_link("programmes", {
        "programme": s.programme_id, TAB_KEY: "payments", MONTH_KEY: month}, s.programme),
        esc(len(s.rows)),
        esc(i18n.format_number(s.total("hours"), lang(), 1, True)), money(s.total("reward")),
        money(s.total("food")), money(s.total("travel")), money(s.total("total")))
        for s in found]
    grand = sum((s.total("total") for s in found), start=Decimal(0))
    rows.append((f"<b>{esc(t('col.total'))}</b>", esc(sum(len(s.rows) for s in found)),
                 esc(i18n.format_number(sum(s.total("hours") for s in found), lang(), 1, True)),
                 "", "", "", f"<b>{money(grand)}</b>"))
    markup = components.table(
        [t("col.programme"), t("col.people"), t("col.hours"), t("col.reward"), t("col.food"),
         t("col.travel"), t("col.total")], rows, numeric=range(1, 7))
    components.open_clicked(components.show(markup, key="prog_region_pay"))
    st.caption(t("sheet.dsp_note"))
    language = lang()  # the file is made on the click, outside this run
    downloads.download(t("payments.download_region"),
                     lambda: sheets.region_payment_xlsx(found, language),
                     file_name=f"izplacila-{user.area_code}-{month}.xlsx", mime=XLSX,
                     icon=":material/download:", key="prog_region_xl",
                     export=audit.Export("payment_region", {"area": user.area_code,
                                                            "month": month},
                                         len({r.participant_id for s in found for r in s.rows})))


def _listing(user: User) -> None:
    area = user.area_code
    if st.button(t("programme.new"), icon=":material/add:", key="prog_new"):
        st.query_params["programme"] = "new"
        st.rerun()
    cols = st.columns([2, 2, 2, 2, 2])
    units = load_units(area)
    unit = choose(t("field.unit"), units, key="prog_f_unit", format_func=units.get,
                  container=cols[0])
    municipalities = {mid: name for mid, (name, u) in load_municipalities(area).items()
                      if unit is None or u == unit}
    municipality = choose(t("col.municipality"), municipalities, key="prog_f_muni",
                          format_func=municipalities.get, container=cols[1])
    ptype = choose(t("field.programme_type"), programmes.TYPES, key="prog_f_type",
                   format_func=lambda v: t(f"programme_type.{v}"), container=cols[2])
    status = choose(t("field.programme_status"), programmes.STATUSES, key="prog_f_status",
                    format_func=lambda v: t(f"programme_status.{v}"), container=cols[3])
    with cols[4]:
        st.space("small")
        free_only = st.toggle(t("programme.free_only"), key="prog_f_free")
    found = load_catalogue(user, area, programmes.ListFilters(
        unit, municipality, ptype, status, free_only))
    if not found:
        st.info(t("programme.none"))
        return
    st.caption(t("programme.count", n=len(found)))
    markup = components.table(
        [t("col.programme"), t("field.programme_type"), t("field.provider"),
         t("col.municipality"), t("col.period"), t("field.programme_status"),
         t("col.places"), t("col.waiting")],
        [(components.page_link("programmes", {"programme": p.id}, p.name),
          esc(_type_label(p)), esc(p.provider), esc(p.municipality or ""),
          esc(f"{fmt_date(p.start_date)} – {fmt_date(p.end_date)}"),
          esc(t(f"programme_status.{p.status}")),
          esc(t("programme.places", taken=p.enrolled, capacity=p.capacity)),
          esc(p.waiting or ""))
         for p in found], numeric=(6, 7), scroll=len(found) > 15)
    components.open_clicked(components.show(markup, key="prog_list"))


def _type_label(p: Programme) -> str:
    label = t(f"programme_type.{p.type}")
    return label if p.variant == "standard" else f"{label} ({t(f'variant.{p.variant}')})"


# -- the details form (new and existing) ------------------------------------------------------
def _details_fields(key: str, user: User, current: Programme | None) -> ProgrammeInput:
    providers = load_providers()
    area = user.area_code
    municipalities = {mid: name for mid, (name, _) in load_municipalities(area).items()}
    left, middle, right = st.columns(3)
    name = left.text_input(t("field.name"), value=current.name if current else "",
                           max_chars=text.SHORT_TEXT_MAX, key=f"{key}_name")
    provider = choose(t("field.provider"), providers, key=f"{key}_provider",
                      value=current.provider_id if current else None,
                      format_func=providers.get, container=middle)
    contact = right.text_input(t("field.contact_person"),
                               value=(current.contact_person or "") if current else "",
                               max_chars=text.SHORT_TEXT_MAX, key=f"{key}_contact")
    ptype = choose(t("field.programme_type"), programmes.TYPES, key=f"{key}_type",
                   value=current.type if current else None,
                   format_func=lambda v: t(f"programme_type.{v}"), container=left)
    variant = middle.selectbox(t("field.variant"), programmes.VARIANTS,
                               index=programmes.VARIANTS.index(current.variant) if current else 0,
                               format_func=lambda v: t(f"variant.{v}"),
                               key=translated(f"{key}_variant"))
    status = right.selectbox(
        t("field.programme_status"), programmes.STATUSES,
        index=programmes.STATUSES.index(current.status) if current else 0,
        format_func=lambda v: t(f"programme_status.{v}"), key=translated(f"{key}_status"))
    contract = left.text_input(t("field.contract_number"),
                               value=(current.contract_number or "") if current else "",
                               max_chars=text.NAME_MAX, key=f"{key}_contract",
                               help=t("programme.operation_help"))
    municipality = choose(t("field.municipality"), municipalities, key=f"{key}_muni",
                          value=current.municipality_id if current else None,
                          format_func=municipalities.get, container=middle)
    address = right.text_input(t("field.address"),
                               value=(current.address or "") if current else "",
                               max_chars=text.SHORT_TEXT_MAX, key=f"{key}_address")
    start = date_field(t("field.start_date"), key=f"{key}_start",
                       value=dt.date.fromisoformat(current.start_date) if current else None,
                       container=left)
    end = date_field(t("field.end_date"), key=f"{key}_end",
                     value=dt.date.fromisoformat(current.end_date) if current else None,
                     container=middle)
    start_time = right.text_input(t("field.start_time"),
                                  value=current.start_time if current else "09:00",
                                  max_chars=5, key=f"{key}_time")
    capacity = left.number_input(t("field.capacity"), min_value=1, max_value=60, step=1,
                                 value=current.capacity if current else None,
                                 placeholder=t("programme.capacity_default", n=int(read(
                                     rule_value, "group_size", today()))),
                                 key=f"{key}_capacity")
    languages = middle.multiselect(
        t("field.languages"), programmes.LANGUAGES,
        default=list(current.language_codes) if current else ["sl"],
        format_func=lambda c: t(f"person_language.{c}"), key=translated(f"{key}_languages"),
        placeholder=t("common.choose"), select_all=False)
    interpreter = right.checkbox(t("field.interpreter"),
                                 value=bool(current.interpreter) if current else False,
                                 key=f"{key}_interpreter")
    return ProgrammeInput(
        name=name, provider_id=provider, type=ptype, variant=variant,
        contract_number=contract, municipality_id=municipality, address=address,
        capacity=int(capacity) if capacity is not None else None, start_date=start,
        end_date=end, start_time=start_time, contact_person=contact, status=status,
        languages=tuple(languages), interpreter=interpreter,
        coordinator_id=current.coordinator_id if current else None)


def _modules_editor(key: str, modules: tuple[Module, ...]) -> list[dict]:
    """The modules in order, as an editable table (rows can be added and removed)."""
    rows = [{"name": m.name, "length": m.length, "unit": m.unit,
             "hours_per_day": m.hours_per_day, "weekdays": [str(d) for d in m.weekdays]}
            for m in modules]
    edited = st.data_editor(
        rows, key=key, num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "name": st.column_config.TextColumn(t("module.name"), max_chars=100, width="medium"),
            "length": st.column_config.NumberColumn(t("module.length"), min_value=1,
                                                    max_value=24, step=1, width="small"),
            "unit": st.column_config.SelectboxColumn(
                t("module.unit"), options=list(programmes.MODULE_UNITS),
                format_func=lambda u: t(f"module_unit.{u}"), width="small"),
            "hours_per_day": st.column_config.NumberColumn(
                t("module.hours"), min_value=0.5, max_value=schedule.MAX_SESSION_HOURS,
                step=0.5, format="localized", width="small"),
            "weekdays": st.column_config.MultiselectColumn(
                t("module.weekdays"), options=[str(d) for d in WEEKDAYS],
                format_func=lambda d: i18n.weekday_short(int(d), lang()), width="large"),
        })
    return list(edited)


def _totals(programme_type: str | None, start, end, modules: tuple[Module, ...]) -> None:
    if not (programme_type and isinstance(start, dt.date) and isinstance(end, dt.date)
            and modules and end >= start):
        return
    totals = read(programmes.totals, programme_type, start, end, modules)
    st.markdown(tx("programme.totals", hours=i18n.format_number(totals.hours, lang(), 1, True),
                   days=totals.days, months=i18n.format_number(totals.months, lang(), 1, True)))
    for key, params in totals.warnings:
        shown = {k: i18n.format_number(v, lang(), 1, True)
                 if isinstance(v, float) and k != "n" else v for k, v in params.items()}
        st.warning(t(key, **shown), icon=":material/warning:")


def _checked_modules(rows: list[dict]) -> tuple[Module, ...] | None:
    try:
        return programmes.clean_modules(rows)
    except UserError as err:
        widgets.show_error(err)
        return None


def _new(user: User) -> None:
    _back()
    st.title(t("programme.new_title"), anchor=False)
    form = "prog_new"
    key = widgets.form_key(form)
    details = _details_fields(key, user, None)
    template = programmes.TEMPLATES.get(details.type or "", ())
    st.subheader(t("programme.modules"), anchor=False)
    modules: tuple[Module, ...] | None = ()
    if details.type is None:  # the type's modules are where a new programme starts
        st.info(t("programme.pick_type"))
    else:
        st.caption(t("programme.modules_help"))
        rows = _modules_editor(f"{key}_modules_{details.type}", template)
        modules = _checked_modules(rows) if rows else ()
    if modules:
        _totals(details.type, details.start_date, details.end_date, modules)
    _provider_form(user)
    if st.button(t("programme.create"), type="primary", key=f"{key}_save"):
        def create(db, token) -> None:
            if not modules:
                raise UserError("error.modules_required", field="modules")
            new_id = programmes.create(db, user, details, modules, token=token)
            st.query_params["programme"] = str(new_id)  # the rerun opens its page
        save(create, tx("programme.created", name=details.name), form=form)


def _provider_form(user: User) -> None:
    with st.expander(t("programme.provider_add")):
        form = "prog_provider"
        key = widgets.form_key(form)
        with st.form(key):
            name = st.text_input(t("programme.provider_name"), max_chars=text.SHORT_TEXT_MAX,
                                 key=f"{key}_name")
            submitted = st.form_submit_button(t("programme.provider_save"))
        if submitted:
            save(lambda db, _: programmes.save_provider(db, user, name),
                 tx("programme.provider_saved", name=name), form=form)


# -- a programme's page -------------------------------------------------------------------------
def _page(user: User, programme: Programme) -> None:
    _back()
    st.title(md(programme.name), anchor=False)
    st.caption(tx("programme.header", type=_type_label(programme), provider=programme.provider,
                  status=t(f"programme_status.{programme.status}"),
                  start=fmt_date(programme.start_date), end=fmt_date(programme.end_date)))
    cols = st.columns(4)
    cols[0].metric(t("programme.places_taken"),
                   t("programme.places", taken=programme.enrolled, capacity=programme.capacity))
    cols[1].metric(t("programme.free"), programme.free_places)
    if programme.held:  # a place held for the person offered it is not free for others
        cols[1].caption(t("programme.held_n", n=programme.held))
    cols[2].metric(t("programme.waiting"), programme.waiting)
    cols[3].metric(t("programme.languages"), ", ".join(
        t(f"person_language.{c}") for c in programme.language_codes)
        + (f" · {t('programme.interpreter')}" if programme.interpreter else ""))
    if programme.held:  # who a freed place is held for, on every tab
        for w in read(enrolment.queue, user, programme.id):
            if w.status == "offered":
                st.info(tx("people.held", name=w.name, until=fmt_date(w.offer_until)),
                        icon=":material/event_seat:")
    widgets.show_flash()
    tabs = address.tabs(TABS, lambda name: f"ptab.{name}", key="prog_tab", name=TAB_KEY)
    panels = {
        "details": lambda: _details_tab(user, programme),
        "calendar": lambda: _calendar_tab(user, programme),
        "people": lambda: _people_tab(user, programme),
        "attendance": lambda: _attendance_tab(user, programme),
        "month": lambda: _month_tab(user, programme),
        "payments": lambda: _payments_tab(user, programme),
    }
    for name, tab in zip(TABS, tabs, strict=True):
        if tab.open is not False:
            with tab:
                panels[name]()


def _details_tab(user: User, programme: Programme) -> None:
    form = f"prog_{programme.id}_details"
    key = widgets.form_key(f"{form}_v{programme.version}")
    details = _details_fields(key, user, programme)
    st.subheader(t("programme.modules"), anchor=False)
    rows = _modules_editor(f"{key}_modules", programme.modules)
    modules = _checked_modules(rows)
    if modules:
        _totals(details.type, dates_or_none(details.start_date),
                dates_or_none(details.end_date), modules)
    _provider_form(user)
    if st.button(t("programme.save"), type="primary", key=f"{key}_save"):
        def update(db, _) -> None:
            if modules is None:
                raise UserError("error.modules_required", field="modules")
            programmes.update(db, user, programme.id, programme.version, details, modules)
        save(update, t("programme.saved"), form=f"{form}_v{programme.version}")


def dates_or_none(value):
    return value if isinstance(value, dt.date) else None


# -- calendar -----------------------------------------------------------------------------------
def _calendar_tab(user: User, programme: Programme) -> None:
    preview = read(schedule.preview, user, programme.id, lang())
    st.subheader(t("calendar.generate"), anchor=False)
    st.markdown(tx("calendar.preview", create=len(preview.create), change=len(preview.change),
                   delete=len(preview.delete),
                   hours=i18n.format_number(preview.total_hours, lang(), 1, True),
                   days=preview.total_days))
    if preview.kept:
        st.info(t("calendar.kept", n=len(preview.kept), dates=", ".join(
            fmt_date(d) for _, d in preview.kept[:10])))
    if preview.holidays:
        st.caption(t("calendar.holidays_skipped") + " " + "; ".join(
            f"{fmt_date(d)} {md(n)}" for d, n in preview.holidays.items()))
    if preview.create:
        st.caption(t("calendar.first_new") + " " + ", ".join(
            fmt_date(p.day) for p in preview.create[:8]) + (" …" if len(preview.create) > 8
                                                              else ""))
    if not preview.empty and st.button(t("calendar.generate_save"), type="primary",
                                       key=f"prog_{programme.id}_generate"):
        save(lambda db, _: schedule.generate(db, user, programme.id),
             t("calendar.generated"))
    elif preview.empty:
        st.success(t("calendar.up_to_date"))
    _closures(user, programme)
    st.subheader(t("calendar.sessions"), anchor=False)
    agenda.month_browser(user, "programme", programme.id, f"prog_{programme.id}_month",
                         dt.date.fromisoformat(programme.start_date))


def _closures(user: User, programme: Programme) -> None:
    with st.expander(t("calendar.closures")):
        days = read(schedule.closures, programme.id)
        for day, reason in days.items():
            text_col, button_col = st.columns([5, 1], vertical_alignment="center")
            text_col.markdown(f"- {md(fmt_date(day))} {md(reason or '')}")
            # A second press finds no closure left and changes nothing.
            if button_col.button(t("calendar.closure_remove"), key=f"prog_{programme.id}_"
                                 f"unclose_{day.isoformat()}", icon=":material/delete:"):
                save(lambda db, _, day=day: schedule.remove_closure(db, user, programme.id, day),
                     t("calendar.closure_removed"))
        form = f"prog_{programme.id}_closure"
        key = widgets.form_key(form)
        with st.form(key):
            left, right = st.columns(2)
            day = date_field(t("field.closure_day"), key=f"{key}_day", container=left)
            reason = right.text_input(t("field.reason"), max_chars=text.SHORT_TEXT_MAX,
                                      key=f"{key}_reason")
            submitted = st.form_submit_button(t("calendar.closure_save"))
        if submitted:
            save(lambda db, _: schedule.add_closure(db, user, programme.id, day, reason),
                 t("calendar.closure_saved"), form=form)


# -- people -------------------------------------------------------------------------------------
def _people_tab(user: User, programme: Programme) -> None:
    people = read(enrolment.enrolled, user, programme.id)
    st.subheader(t("people.enrolled"), anchor=False)
    if people:
        markup = components.table(
            [t("col.person"), t("col.stage"), t("field.contract_date"), t("field.start_date"),
             t("field.end_date"), t("col.enrolment"), t("col.travel")],
            [(components.person_link(e.participant_id, e.name), esc(t(f"stage.{e.stage}")),
              esc(fmt_date(e.contract_date)), esc(fmt_date(e.start_date)),
              esc(fmt_date(e.end_date)), esc(t_for(f"enrolment_status.{e.status}", e.sex)),
              esc(_travel_label(e)))
             for e in people], scroll=len(people) > 15)
        components.open_clicked(components.show(markup, key=f"prog_{programme.id}_people"))
    else:
        st.info(t("people.none"))
    queue = read(enrolment.queue, user, programme.id)
    st.subheader(t("people.waiting"), anchor=False)
    if queue:
        markup = components.table(
            [t("col.position"), t("col.person"), t("col.stage"), t("col.waiting_since"),
             t("col.waiting_status")],
            [(esc(w.position), components.person_link(w.participant_id, w.name),
              esc(t(f"stage.{w.stage}")), esc(fmt_date(w.added_on)),
              esc(t(f"waiting_status.{w.status}")
                  + (f" {fmt_date(w.offered_on)}" if w.offered_on else "")
                  + (f" · {t('people.offer_until', until=fmt_date(w.offer_until))}"
                     if w.offer_until else "")))
             for w in queue], numeric=(0,))
        components.open_clicked(components.show(markup, key=f"prog_{programme.id}_queue"))
        _withdraw(user, programme, queue)
    else:
        st.caption(t("people.no_waiting"))
    _enrol_form(user, programme, queue)
    if people:
        _correct_terms(user, programme, people)


def _amount(value: float | None, digits: int) -> str:
    return i18n.format_number(value, lang(), digits) if value is not None else ""


def _correct_terms(user: User, programme: Programme, people) -> None:
    """The contract's planned start and travel, corrected with a reason; a locked month
    keeps what was paid (workbench.enrolment.correct_terms)."""
    with st.expander(t("terms.title"), icon=":material/edit_note:"):
        st.caption(t("terms.help"))
        contracts = {e.enrolment_id: e for e in people}
        chosen = choose(t("terms.who"), contracts, key=f"prog_{programme.id}_terms_who",
                        format_func=lambda i: f"{contracts[i].name} · "
                                              f"{fmt_date(contracts[i].contract_date)}")
        if chosen is None:
            return
        e = contracts[chosen]
        form = f"prog_{programme.id}_terms_{e.enrolment_id}_v{e.version}"
        key = widgets.form_key(form)
        with st.form(key):
            left, middle, right = st.columns(3)
            start = date_field(t("field.planned_start"), key=f"{key}_start", container=left,
                               value=dt.date.fromisoformat(e.start_date))
            ticket = middle.text_input(t("field.ticket_eur"), _amount(e.ticket_eur, 2),
                                       max_chars=12, key=f"{key}_ticket",
                                       placeholder=t("people.amount_placeholder"))
            distance = right.text_input(t("field.distance_km"), _amount(e.distance_km, 1),
                                        max_chars=12, key=f"{key}_km",
                                        placeholder=t("people.optional"))
            reason = st.text_input(t("field.reason"), max_chars=text.SHORT_TEXT_MAX,
                                   key=f"{key}_reason", help=t("reason.personal_data_help"))
            submitted = st.form_submit_button(t("terms.save"), type="primary")
        if submitted:
            def correct(db, token) -> widgets.Said:
                done = enrolment.correct_terms(
                    db, user, e.enrolment_id, e.version,
                    enrolment.Terms(start, ticket or None, distance or None), reason,
                    token=token)
                if done.travel_from:
                    return widgets.Said(tx("terms.saved_from", day=fmt_date(done.travel_from)))
                return widgets.Said(t("terms.saved"))
            save(correct, "", form=form)


def _withdraw(user: User, programme: Programme, queue) -> None:
    names = {w.participant_id: w.name for w in queue}
    form = f"prog_{programme.id}_withdraw"
    key = widgets.form_key(form)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    person = choose(t("people.withdraw_who"), names, key=f"{key}_person",
                    format_func=names.get, container=left)
    if right.button(t("people.withdraw"), key=f"{key}_save", disabled=person is None):
        save(lambda db, _: enrolment.withdraw(db, user, programme.id, person, today=today()),
             tx("people.withdrawn", name=names.get(person, "")), form=form)


def _travel_label(e: enrolment.Enrolled) -> str:
    if e.ticket_eur:
        return t("people.ticket", eur=i18n.format_number(e.ticket_eur, lang(), 2))
    if e.distance_km:
        return t("people.distance", km=i18n.format_number(e.distance_km, lang(), 1, True))
    return ""


def _enrol_form(user: User, programme: Programme, queue) -> None:
    st.subheader(t("people.enrol"), anchor=False)
    candidates = read(enrolment.candidates, user)
    for w in queue:  # whoever waits for this programme can be enrolled from here
        candidates.setdefault(w.participant_id, w.name)
    if programme.free_places == 0:
        st.info(t("people.full"))
    form = f"prog_{programme.id}_enrol"
    key = widgets.form_key(form)
    with st.form(key):
        left, middle, right = st.columns(3)
        person = choose(t("col.person"), candidates, key=f"{key}_person",
                        format_func=candidates.get, container=left)
        contract = date_field(t("field.contract_date"), value=today(), key=f"{key}_contract",
                              container=middle)
        terms = widgets.contract_terms(
            key, start=max(today(), dt.date.fromisoformat(programme.start_date)),
            at=(right, left, middle, right))
        # The person chosen is known here once the form was sent: the warning and its box
        # show then, and the save waits for the box.
        interpreter_ok = person is None or interpreting.confirmed(
            read(participants.enrolment_warnings, user, person, programme.id), "programme",
            f"{key}_interpreter")
        submitted = st.form_submit_button(t("people.enrol_save"), type="primary")
    if submitted and not interpreter_ok:
        widgets.show_error(UserError("error.interpreter_unconfirmed"))
    elif submitted:
        _enrol(user, programme, form, person, candidates, contract, terms)


def _enrol(user: User, programme: Programme, form: str, person, candidates, contract,
           terms: enrolment.Terms) -> None:
    if person is None:
        widgets.show_error(UserError("error.person_required", field="participant"))
        return
    version = load_person(user, person).version
    move = pipeline.Move("contract", contract, programme_id=programme.id)

    def enrol(db, _) -> widgets.Said:
        result = enrolment.move(db, user, person, version, move, today=today(), terms=terms)
        if result.waiting:
            return widgets.Said(widgets.waiting_said(result, candidates.get(person, ""), terms),
                                "info")
        return widgets.Said(tx("people.enrolled_ok", name=candidates.get(person, "")))
    save(enrol, "", form=form)


# -- attendance ---------------------------------------------------------------------------------
def _attendance_tab(user: User, programme: Programme) -> None:
    start = dt.date.fromisoformat(programme.start_date)
    end = dt.date.fromisoformat(programme.end_date)
    last = min(today(), end)
    if last < start:
        st.info(t("attendance.not_started"))
        return
    window = max(start, last - dt.timedelta(days=schedule.VIEW_MAX_DAYS))
    sessions = [e for e in read(schedule.view, user, "programme", programme.id, window, last)]
    if not sessions:
        st.info(t("attendance.no_sessions"))
        return
    options = {e.id: e for e in reversed(sessions)}
    chosen = st.selectbox(
        t("attendance.session"), list(options), key=f"prog_{programme.id}_session",
        format_func=lambda sid: f"{i18n.weekday_name(options[sid].day, lang())} "
                                f"{fmt_date(options[sid].day)} · {options[sid].start_time}–"
                                f"{options[sid].end_time}")
    attendance_form.sheet(user, chosen, f"prog_{programme.id}_att")


# -- the monthly list ---------------------------------------------------------------------------
def _months(programme: Programme) -> list[str]:
    first = dt.date.fromisoformat(programme.start_date).replace(day=1)
    last = min(today(), dt.date.fromisoformat(programme.end_date))
    months = []
    while first <= last:
        months.append(f"{first:%Y-%m}")
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return list(reversed(months))


def _pick_month(programme: Programme, key: str, ended_first: bool = False) -> str | None:
    months = _months(programme)
    if not months:
        st.info(t("attendance.not_started"))
        return None
    named = st.query_params.get(MONTH_KEY)
    if named in months:
        first = months.index(named)
    else:
        first = 1 if ended_first and len(months) > 1 and months[0] == f"{today():%Y-%m}" else 0
    month = st.selectbox(t("field.month"), months, index=first, key=key,
                         format_func=month_label)
    # The month is in the address (?mesec=2026-10): a reload, a link or a bookmark keeps it.
    if month and named != month:
        st.query_params[MONTH_KEY] = month
    return month


def _month_tab(user: User, programme: Programme) -> None:
    month = _pick_month(programme, f"prog_{programme.id}_list_month")
    if month is None:
        return
    sheet = load_month_sheet(user, programme.id, month)
    if sheet.locked:
        st.info(t("month.locked_note"), icon=":material/lock:")
    if not sheet.days:
        st.info(t("month.no_sessions"))
        return
    headers = [t("col.person")] + [f"{d.day}." for d in sheet.days] + [t("col.hours_total")]
    marks = {"absent": t("sheet.absent_mark"), "excused": t("sheet.excused_mark")}
    body = []
    for pid, name in sheet.people:
        cells = [components.person_link(pid, name)]
        for day in sheet.days:
            hours = sheet.cells.get((pid, day))
            cells.append(esc(i18n.format_number(hours, lang(), 1, True)) if hours
                         else esc(marks.get(sheet.absences.get((pid, day)), "")))
        cells.append(f"<b>{esc(i18n.format_number(sheet.person_total(pid), lang(), 1, True))}</b>")
        body.append(cells)
    recorded = {d for (_, d) in (*sheet.cells, *sheet.absences)}
    body.append([f"<b>{esc(t('col.total'))}</b>"] + [
        esc(i18n.format_number(sheet.day_total(d), lang(), 1, True)) if d in recorded else ""
        for d in sheet.days]
        + [f"<b>{esc(i18n.format_number(sheet.total, lang(), 1, True))}</b>"])
    numeric = set(range(1, len(headers)))
    markup = components.table(headers, body, numeric, scroll=len(body) > 16)
    components.open_clicked(components.show(
        f'<div class="wb-month-list">{markup}</div>', key=f"prog_{programme.id}_list"))
    st.caption(t("sheet.legend"))
    left, middle, right = st.columns(3)
    language = lang()  # the files are made on the click, outside this run
    downloads.download(t("month.download"), lambda: sheets.attendance_xlsx(sheet, language),
                     file_name=f"evidenca-prisotnosti-{programme.id}-{month}.xlsx",
                     mime=XLSX, icon=":material/download:", key=f"prog_{programme.id}_xl",
                     container=left, export=audit.Export(
                         "attendance_sheet", {"programme": programme.id, "month": month},
                         len(sheet.people)))
    downloads.download(t("month.print"), lambda: agenda.printable_month(sheet, language),
                     file_name=f"evidenca-prisotnosti-{programme.id}-{month}.html",
                     mime="text/html", icon=":material/print:",
                     key=f"prog_{programme.id}_print", container=middle, export=audit.Export(
                         "attendance_print", {"programme": programme.id, "month": month},
                         len(sheet.people)))
    ended = attendance.parse_month(month)[1] < today()
    # Only an admin can undo a lock: the button waits for her to say she has checked.
    checked = ended and not sheet.locked and right.checkbox(
        t("month.lock_confirm"), key=f"prog_{programme.id}_lock_ok")
    if ended and not sheet.locked and right.button(t("month.lock"), icon=":material/lock:",
                                                   key=f"prog_{programme.id}_lock",
                                                   disabled=not checked):
        save(lambda db, _: attendance.lock_month(db, user, programme.id, month, today()),
             t("month.locked", month=month_label(month)))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- payments -----------------------------------------------------------------------------------
def _payments_tab(user: User, programme: Programme) -> None:
    month = _pick_month(programme, f"prog_{programme.id}_pay_month", ended_first=True)
    if month is None:
        return
    sheet = load_payment_sheet(user, programme.id, month)
    if not sheet.rows:
        st.info(t("payments.none"))
        return
    def money(value) -> str:
        return esc(i18n.format_number(float(value), lang(), 2) + " €")

    def hours(value) -> str:
        return esc(i18n.format_number(value, lang(), 1, True))

    rows = [(esc(p.name), hours(p.hours), esc(p.days), esc(p.meal_days), money(p.reward),
             money(p.food), money(p.travel), money(p.total)) for p in sheet.rows]
    rows.append(tuple(f"<b>{c}</b>" for c in (
        esc(t("col.total")), hours(sheet.total("hours")), esc(sheet.total("days")),
        esc(sheet.total("meal_days")), money(sheet.total("reward")),
        money(sheet.total("food")), money(sheet.total("travel")),
        money(sheet.total("total")))))
    components.show(components.table([t(k) for k in sheets.PAYMENT_COLUMNS], rows,
                                     numeric=range(1, 8), scroll=len(rows) > 16),
                    key=f"prog_{programme.id}_pay")
    st.caption(t("sheet.rules_applied") + " " + "; ".join(
        f"{t(f'rule.{name}')}: {i18n.format_number(value, lang(), 2, True)} "
        f"({t('sheet.rule_since', date=fmt_date(start))})"
        for name, start, value in sheet.rules))
    st.caption(t("sheet.dsp_note"))
    language = lang()  # the file is made on the click, outside this run
    downloads.download(t("payments.download"), lambda: sheets.payment_xlsx(sheet, language),
                     file_name=f"izplacila-{programme.id}-{month}.xlsx", mime=XLSX,
                     icon=":material/download:", key=f"prog_{programme.id}_pay_xl",
                     export=audit.Export("payment_sheet", {"programme": programme.id,
                                                           "month": month}, len(sheet.rows)))

