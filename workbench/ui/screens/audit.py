"""Revizijska sled: the audit log for the administrator and the DPO, filtered, a page at a
time, with a CSV of what the filters select and the state of the hash chain.

Every filter and the page are in the address, so that F5, a bookmark or a link a
colleague sends keep them; what the address says that is no valid filter is named in a
message and left out, never shown back.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from workbench import audit, audit_view, config, dates, i18n, text
from workbench.audit_view import Entry, Filters
from workbench.auth import User
from workbench.db import opened
from workbench.errors import UserError
from workbench.ui import address, components, downloads, widgets
from workbench.ui.components import esc
from workbench.ui.lang import fmt_date, fmt_datetime, lang, t, translated
from workbench.ui.loaders import read, today

# Widget key -> its name in the address.
ADDRESS = {"audit_user": "uporabnik", "audit_person": "oseba", "audit_action": "dejanje",
           "audit_table": "tabela", "audit_from": "od", "audit_to": "do"}
PAGE = "stran"
_LABELS = {"audit_user": "auditlog.user", "audit_person": "auditlog.person",
           "audit_action": "auditlog.action", "audit_table": "auditlog.table",
           "audit_from": "auditlog.from", "audit_to": "auditlog.to"}
_LAST = "audit_last_filters"  # the filters the page number belongs to
_CHECKED = "audit_chain_checked"
_PENDING_PERSON = "audit_pending_person"  # a person number clicked in the table


def show(user: User) -> None:
    st.title(t("auditlog.title"), anchor=False)
    st.caption(t("auditlog.caption"))
    refused: list[str] = []
    chosen = _filters(user, refused)
    for key in refused:
        st.warning(t("auditlog.bad_param", name=t(_LABELS[key])), icon=":material/warning:")
    try:
        chosen.check()
    except UserError as err:
        st.warning(t(err.key), icon=":material/warning:")
        chosen = Filters(chosen.user, chosen.person, chosen.action, chosen.table)
    page = read(audit_view.entries, user, chosen, _page_number(chosen))
    if page.asked != page.page:
        st.info(t("auditlog.page_clamped", asked=page.asked, page=page.page))
    address.put(PAGE, None if page.page == 1 else page.page)
    _chain(user)
    if not page.entries:
        st.info(t("auditlog.none"))
        return
    clicked = components.show(_table(page.entries), key="audit_table_view")
    _pager(user, page, chosen)
    if clicked.go:  # a person's number: her entries
        _, _, query = clicked.go.partition("=")
        person = text.parse_id(query)
        if person is not None and person != chosen.person:
            st.session_state[_PENDING_PERSON] = person
            st.rerun()


# -- filters --------------------------------------------------------------------------------
def _select(label: str, options: dict, key: str, placeholder: str, container,
            refused: list[str]):
    """A select box that starts as the address says, and can be emptied ("all").

    Its choice is put into the session state on every run, not only the first: after a
    sign-in's quick reruns the browser may build the box anew, and it would then show it
    empty while the page filtered by the address."""
    name = ADDRESS[key]
    keys = list(options)
    if key in st.session_state and not address.moved(name):
        current = st.session_state[key]
    else:
        current = address.named(name, keys)
        if name in st.query_params and current is None:
            refused.append(key)
            st.query_params.pop(name, None)
    st.session_state[key] = current if current in keys else None
    chosen = container.selectbox(label, keys, index=None, format_func=options.get,
                                 key=translated(key), placeholder=placeholder)
    address.put(name, chosen)
    return chosen


def _typed(key: str, container, label: str, refused: list[str], parse, shown,
           placeholder: str | None = None):
    """A text filter (a person's number, a day), its default from the address; what cannot
    be read is named above the table and not applied."""
    name = ADDRESS[key]
    try:
        value = parse(st.query_params.get(name, ""))
    except UserError:
        refused.append(key)
        st.query_params.pop(name, None)
        value = None
    typed = container.text_input(label, value="" if value is None else shown(value), key=key,
                                 max_chars=30, placeholder=placeholder)
    try:
        value = parse(typed)
    except UserError:
        if key not in refused:
            refused.append(key)
        value = None
    address.put(name, value.isoformat() if isinstance(value, dt.date) else value)
    return value


def _clear() -> None:
    for key in (*ADDRESS, _LAST):
        st.session_state.pop(key, None)
    for name in (*ADDRESS.values(), PAGE):
        st.query_params.pop(name, None)


def _person(value: str | None) -> int | None:
    value = (value or "").strip().lstrip("#")
    if not value:
        return None
    number = text.parse_id(value)
    if number is None:
        raise UserError("auditlog.bad_param")
    return number


def _day(value: str | None) -> dt.date | None:
    day = dates.parse(value)
    if day is not None and not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise UserError("auditlog.bad_param")
    return day


def _filters(user: User, refused: list[str]) -> Filters:
    accounts = read(audit_view.accounts, user)
    users = {u.id: f"{u.display_name} ({u.username})" for u in accounts}
    actions = {a: _action_label(a) for a in audit.ACTIONS}
    tables = {name: _table_label(name) for name in read(audit_view.tables, user)}
    pending = st.session_state.pop(_PENDING_PERSON, None)
    if pending is not None:  # the field takes it from the address
        st.session_state.pop("audit_person", None)
        st.query_params[ADDRESS["audit_person"]] = str(pending)
    top = st.columns([3, 1.4, 2, 2], vertical_alignment="bottom")
    who = _select(t("auditlog.user"), users, "audit_user", t("auditlog.all_users"), top[0],
                  refused)
    person = _typed("audit_person", top[1], t("auditlog.person"), refused, _person, str)
    action = _select(t("auditlog.action"), actions, "audit_action", t("auditlog.all_actions"),
                     top[2], refused)
    table = _select(t("auditlog.table"), tables, "audit_table", t("auditlog.all_tables"),
                    top[3], refused)
    below = st.columns([1.2, 1.2, 1.2, 3.4], vertical_alignment="bottom")
    start = _typed("audit_from", below[0], t("auditlog.from"), refused, _day, fmt_date,
                   t("common.date_placeholder"))
    end = _typed("audit_to", below[1], t("auditlog.to"), refused, _day, fmt_date,
                 t("common.date_placeholder"))
    below[2].button(t("auditlog.clear"), key="audit_clear", on_click=_clear,
                    icon=":material/filter_alt_off:")
    return Filters(user=who, person=person, action=action, table=table, start=start, end=end)


def _page_number(chosen: Filters) -> int:
    """The page the address names; back to the first when the filters changed."""
    if st.session_state.get(_LAST, chosen) != chosen:
        st.session_state[_LAST] = chosen
        return 1
    st.session_state[_LAST] = chosen
    typed = st.query_params.get(PAGE)
    if typed is None:
        return 1
    number = text.parse_id(typed)
    if number is None:
        st.warning(t("auditlog.bad_param", name=t("auditlog.page_name")),
                   icon=":material/warning:")
        return 1
    return number


# -- the log ---------------------------------------------------------------------------------
def _action_label(code: str) -> str:
    key = f"auditlog.action_{code}"
    return t(key) if key in i18n.SL else code


def _table_label(name: str) -> str:
    key = i18n.table_key(name, log=True)
    return t(key) if key else name


def _field_label(name: str | None) -> str:
    if not name:
        return ""
    key = i18n.field_key(name)
    return t(key) if key else name


def _reason(code: str | None) -> str:
    if code is None:
        return ""
    key = f"auditlog.reason_{code}"
    return t(key) if key in i18n.SL else code


def _value(e: Entry, value: str | None, names: dict[tuple[str, str], str]) -> str:
    """A shown value as its reader reads it: a code by its label, an id by its name, a
    number in her language (widgets.value_text, as the record's history)."""
    if value is None:
        return "—"
    if e.field and (e.field, value) in names:
        return names[(e.field, value)]
    return widgets.value_text(e.field or "", value, e.table) if e.field else value


def _user(e: Entry) -> str:
    if e.user_id is None:
        return t("auditlog.unknown_user") if e.action == "sign_in_failed" else t("audit.system")
    return f"{e.user_name} ({e.username})" if e.username else f"#{e.user_id}"


def _export(e: Entry, names: dict[tuple[str, str], str]) -> str:
    """An export's parameters in her language: "leto: 2025; oseb: 126"; dates as dates,
    a programme and a coordinator by name."""
    def shown(name: str, value: object) -> str:
        if name in ("start", "end"):
            return fmt_date(str(value))
        field = audit_view.EXPORT_IDS.get(name)
        if field and (field, str(value)) in names:
            return names[(field, str(value))]
        return i18n.format_number(value, lang()) if isinstance(value, int) and name in (
            "people",) else str(value)
    return "; ".join(f"{t(f'auditlog.export_{name}')}: {shown(name, value)}"
                     for name, value in audit_view.export_params(e.new))


def _change(e: Entry, names: dict[tuple[str, str], str]) -> str:
    if e.table == audit.EXPORTS and not (e.redacted or e.withheld):
        return esc(_export(e, names))
    if e.redacted:
        return f'<span class="meta">{esc(t("auditlog.redacted"))}</span>'
    if e.withheld:
        return f'<span class="meta">{esc(t("auditlog.withheld"))}</span>' if e.field else ""
    if e.old is None and e.new is None:
        return ""
    if e.old is None:
        return esc(_value(e, e.new, names))
    return f"{esc(_value(e, e.old, names))} → {esc(_value(e, e.new, names))}"


def _table(entries: list[Entry]) -> str:
    rows = []
    names = read(audit_view.id_names, [(e.field, v) for e in entries for v in (e.old, e.new)]
                 + [(audit_view.EXPORT_IDS[k], v) for e in entries if e.table == audit.EXPORTS
                    for k, v in audit_view.export_params(e.new) if k in audit_view.EXPORT_IDS])
    for e in entries:
        person = "" if e.person is None else components.page_link(
            "audit", {ADDRESS["audit_person"]: e.person}, f"#{e.person}")
        rows.append([esc(fmt_datetime(e.at)), esc(_user(e)), esc(_action_label(e.action)),
                     esc(_table_label(e.table)),
                     "" if e.record_id is None else esc(f"#{e.record_id}"), person,
                     esc(_field_label(e.field)), _change(e, names), esc(_reason(e.reason))])
    return components.table(
        [t("auditlog.col_at"), t("auditlog.col_user"), t("auditlog.col_action"),
         t("auditlog.col_table"), t("auditlog.col_record"), t("auditlog.col_person"),
         t("auditlog.col_field"), t("auditlog.col_change"), t("auditlog.col_reason")],
        rows, numeric=(4, 5))


def _go(page: int) -> None:
    st.query_params[PAGE] = str(page)


def _pager(user: User, page: audit_view.Page, chosen: Filters) -> None:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(t("auditlog.prev"), key="audit_prev", disabled=page.page <= 1,
                  on_click=_go, args=(page.page - 1,), icon=":material/chevron_left:")
        count = (t("auditlog.count_more", n=i18n.format_number(audit_view.COUNT_CAP, lang()))
                 if page.more else t("auditlog.count", n=page.total))
        st.markdown(f"{t('auditlog.page', page=page.page, pages=page.pages)} · {count}",
                    width="content")
        st.button(t("auditlog.next"), key="audit_next", disabled=page.page >= page.pages,
                  on_click=_go, args=(page.page + 1,), icon=":material/chevron_right:")
        downloads.download(t("auditlog.download"), _csv(user, chosen),
                         file_name=f"revizijska-sled-{today().isoformat()}.csv",
                         mime="text/csv", icon=":material/download:", key="audit_csv",
                         export=None)  # audit_view.entries_csv logs it


def _csv(user: User, chosen: Filters):
    """The download's contents, made when it is clicked, on a thread of its own (so with
    its own connection, and labels in the language of this run)."""
    language = lang()
    header = {c: i18n.translate(f"auditlog.csv_{c}", language) for c in audit_view.CSV_COLUMNS}
    labels = {("action", a): _action_label(a) for a in audit.ACTIONS}
    labels |= {("table", k[len("auditlog.table_"):]): t(k) for k in i18n.SL
               if k.startswith("auditlog.table_")}
    labels |= {("export", name): t(f"auditlog.export_{name}")
               for name in audit_view.EXPORT_PARAMS}
    labels |= {("hidden", "withheld"): t("auditlog.withheld"),
               ("hidden", "redacted"): t("auditlog.redacted")}
    path = config.db_path()

    def label(kind: str, code: str) -> str:
        key = (i18n.field_key(code) if kind == "field" else
               f"auditlog.reason_{code}" if kind == "reason" else None)
        if key is not None:
            return i18n.translate(key, language) if key in i18n.SL else code
        return labels.get((kind, code), code)

    def make() -> bytes:
        with opened(path) as db:
            return audit_view.entries_csv(db, user, chosen, header.get, label)
    return make


# -- the chain -------------------------------------------------------------------------------
def _chain(user: User) -> None:
    forced = st.session_state.pop(_CHECKED, False)
    status = read(audit_view.chain_status, user, forced)
    if not status.checked:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(t("auditlog.chain_unchecked",
                         n=i18n.format_number(status.entries, lang())))
            st.button(t("auditlog.chain_check"), key="audit_chain_check",
                      icon=":material/verified:",
                      on_click=lambda: st.session_state.__setitem__(_CHECKED, True))
        return
    if status.broken is None:
        st.success(t("auditlog.chain_ok", n=i18n.format_number(status.entries, lang()),
                     seconds=i18n.format_number(status.seconds, lang(), digits=2)),
                   icon=":material/verified:")
        return
    b = status.broken
    st.error(f"{t('auditlog.chain_broken')} "
             f"{t(f'auditlog.break_{b.kind}', id=b.id, first=(b.after or 0) + 1, last=b.id - 1)}",
             icon=":material/gpp_bad:")
