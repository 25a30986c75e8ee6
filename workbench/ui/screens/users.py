"""Uporabniki: the administrator creates accounts, changes them, resets passwords and switches
them on and off (a coordinator's people are handed over in the same step)."""

from __future__ import annotations

import streamlit as st

from workbench import accounts, attendance, auth, config, text, vocab
from workbench.auth import User
from workbench.errors import UserError
from workbench.i18n import format_datetime
from workbench.ui import address, components, widgets
from workbench.ui.components import esc
from workbench.ui.lang import lang, t, t_for, translated
from workbench.ui.loaders import load_municipalities, load_units, read, today
from workbench.ui.widgets import choose, md, month_label, save, tx

NEW = "users_new"


def show(admin: User) -> None:
    st.title(t("users.title"), anchor=False)
    widgets.show_flash()
    users = read(accounts.list_accounts, admin)
    units = load_units(None)
    components.show(components.table(
        [t("col.username"), t("col.display_name"), t("col.role"), t("col.unit"),
         t("col.active")],
        [[esc(u.username), esc(u.display_name), esc(t_for(f"role.{u.role}", u.sex)),
          esc(units.get(u.unit_code, "") if u.unit_code else ""),
          esc(t("common.yes") if u.active else t("common.no"))] for u in users]),
        key="users_list")
    # The open tab is in the address: a save (or F5) stays on it.
    create, change, locks, sign_in_locks = address.tabs(
        ("new", "change", "locks", "sign_in_locks"), {
            "new": "users.new", "change": "users.change", "locks": "locks.tab",
            "sign_in_locks": "signin_locks.tab"}.get, key="users_tab")
    if create.open is not False:
        with create:
            _create(admin, units)
    if change.open is not False:
        with change:
            _change(admin, users, units)
    if locks.open is not False:
        with locks:
            _unlock(admin)
    if sign_in_locks.open is not False:
        with sign_in_locks:
            _sign_in_locks(admin, {u.username for u in users})


def _sign_in_locks(admin: User, usernames: set[str]) -> None:
    """Usernames locked after failed sign-ins; one click lifts a lock (audited)."""
    st.caption(t("signin_locks.intro", n=config.integer("sign_in_lock_after"),
                 minutes=config.integer("sign_in_lock_minutes")))
    locked = read(accounts.locks, admin)
    if not locked:
        st.info(t("signin_locks.none"))
        return
    for name, until in locked:
        left, right = st.columns([4, 1], vertical_alignment="center")
        known = "" if name in usernames else f" {t('signin_locks.unknown')}"
        left.markdown(f"**{md(name)}**{known} · "
                      f"{t('signin_locks.until', until=format_datetime(until, lang()))}")
        if right.button(t("signin_locks.unlock"), key=f"users_signin_unlock_{name}"):
            save(lambda db, _, name=name: accounts.unlock(db, admin, name),
                 tx("signin_locks.unlocked", username=name))


def _unlock(admin: User) -> None:
    """Reopen a month approved for payment, with a reason (kept in the audit log)."""
    locked = read(attendance.locked_months, admin)
    if not locked:
        st.info(t("locks.none"))
        return
    options = {(pid, month): f"{name} · {month_label(month)}" for pid, name, month in locked}
    key = widgets.form_key("users_unlock")
    with st.form(key):
        chosen = choose(t("locks.month"), options, key=f"{key}_month", format_func=options.get)
        reason = st.text_input(t("field.reason"), max_chars=text.SHORT_TEXT_MAX,
                               key=f"{key}_reason", help=t("reason.personal_data_help"))
        submitted = st.form_submit_button(t("locks.unlock"), type="primary")
    if submitted:
        def unlock(db, _) -> None:
            if chosen is None:
                raise UserError("error.month_required", field="month")
            attendance.unlock_month(db, admin, chosen[0], chosen[1], reason)
        save(unlock, tx("locks.unlocked", what=options.get(chosen, "")), form="users_unlock")


def _create(admin: User, units: dict[str, str]) -> None:
    key = widgets.form_key(NEW)
    with st.form(key):
        left, right = st.columns(2)
        username = left.text_input(t("col.username"), key=f"{key}_username",
                                   max_chars=auth.USERNAME_MAX)
        display_name = right.text_input(t("col.display_name"), key=f"{key}_display_name",
                                        max_chars=text.NAME_MAX)
        left, right = st.columns(2)
        role = choose(t("col.role"), vocab.ROLES, key=translated(f"{key}_role"),
                      format_func=lambda r: t(f"role.{r}"), container=left)
        unit = choose(t("users.unit"), units, key=f"{key}_unit", format_func=units.get,
                      container=right, help=t("users.unit_help"))
        left, right = st.columns(2)
        sex = _sex_choice(f"{key}_sex", None, left)
        password = right.text_input(t("users.password"), type="password",
                                    key=f"{key}_password", max_chars=auth.MAX_PASSWORD_LENGTH)
        submitted = st.form_submit_button(t("users.create"), type="primary")
    if submitted:
        save(lambda db, _: accounts.create_account(db, admin, username, display_name, role,
                                                   password, unit, sex=sex),
             tx("users.created", username=(username or "").strip().lower()), form=NEW)


_SEX_CHOICES = ("F", "M", "")  # "": not said, the words stay neutral


def _sex_choice(key: str, sex: str | None, container) -> str | None:
    """How the app speaks of the account's holder: "koordinatorka", "koordinator" or
    the neutral "koordinator(ka)"."""
    chosen = container.radio(
        t("users.sex"), _SEX_CHOICES, index=_SEX_CHOICES.index(sex or ""), horizontal=True,
        key=translated(key), help=t("users.sex_help"),
        format_func=lambda s: t(f"users.sex.{s or 'none'}"))
    return chosen or None


def _change(admin: User, users: list[User], units: dict[str, str]) -> None:
    by_id = {u.id: u for u in users}
    chosen = choose(t("users.select"), by_id, key="users_pick",
                    format_func=lambda i: f"{by_id[i].display_name} ({by_id[i].username})"
                    + ("" if by_id[i].active else f" — {t('users.inactive')}"))
    if chosen is None:
        return
    user = by_id[chosen]
    form = f"users_edit_{user.id}"
    key = widgets.form_key(form)
    with st.form(key):
        st.markdown(f"**{t('users.edit_title')}**")
        left, middle, right = st.columns(3)
        display_name = left.text_input(t("col.display_name"), user.display_name,
                                       key=f"{key}_name", max_chars=text.NAME_MAX)
        role = middle.selectbox(t("col.role"), vocab.ROLES, index=vocab.ROLES.index(user.role),
                                key=translated(f"{key}_role"),
                                format_func=lambda r: t_for(f"role.{r}", user.sex))
        unit_ids = [None, *units]
        unit = right.selectbox(t("users.unit"), unit_ids,
                               index=unit_ids.index(user.unit_code) if user.unit_code in units
                               else 0, key=translated(f"{key}_unit"),
                               format_func=lambda c: units.get(c, t("users.no_unit")))
        sex = _sex_choice(f"{key}_sex", user.sex, st)
        submitted = st.form_submit_button(t("users.save"))
    if submitted:
        def action(db, _) -> None:
            if not accounts.update_user(db, admin, user.id, role=role, unit_code=unit,
                                        display_name=display_name, sex=sex):
                raise widgets.NothingChanged
        save(action, tx("users.saved", username=user.username), form=form)

    if user.role == "coordinator" and user.active:
        _coverage(admin, user)

    form = f"users_password_{user.id}"
    key = widgets.form_key(form)
    with st.form(key):
        st.markdown(f"**{t('users.reset_title')}**")
        left, right = st.columns(2)
        first = left.text_input(t("users.new_password"), type="password", key=f"{key}_first",
                                max_chars=auth.MAX_PASSWORD_LENGTH)
        second = right.text_input(t("users.repeat_password"), type="password",
                                  key=f"{key}_second", max_chars=auth.MAX_PASSWORD_LENGTH)
        submitted = st.form_submit_button(t("users.reset"))
    if submitted:
        def reset(db, _) -> None:
            if first != second:
                raise UserError("error.password_mismatch", field="password")
            accounts.reset_password(db, admin, user.id, first)
        save(reset, tx("users.password_reset", username=user.username), form=form)

    if user.active:
        _deactivate(admin, user)
    else:
        _activate(admin, user)


def _coverage(admin: User, user: User) -> None:
    """The municipalities whose new referrals the intake offers to her."""
    found = {mid: name for mid, (name, _) in load_municipalities(user.area_code).items()}
    current = [m for m in read(accounts.coverage, admin, user.id) if m in found]
    form = f"users_coverage_{user.id}"
    key = widgets.form_key(form)
    with st.form(key):
        st.markdown(f"**{t('users.coverage_title')}**")
        chosen = st.multiselect(t("users.coverage"), list(found), default=current,
                                format_func=found.get, key=f"{key}_municipalities",
                                placeholder=t("common.choose"), help=t("users.coverage_help"),
                                select_all=False)  # Streamlit's "Select all" is English only
        submitted = st.form_submit_button(t("users.coverage_save"))
    if submitted:
        def action(db, _) -> None:
            if not accounts.set_coverage(db, admin, user.id, chosen):
                raise widgets.NothingChanged
        save(action, tx("users.coverage_saved", name=user.display_name), form=form)


def _deactivate(admin: User, user: User) -> None:
    st.markdown(f"**{tx('users.deactivate_title', name=user.display_name)}**")
    held = read(accounts.holdings, admin, user.id, today=today())
    form = f"users_off_{user.id}"
    key = widgets.form_key(form)
    target = None
    if not held.empty:
        st.warning(t_for("users.holds", user.sex, cases=t("count.cases", n=held.cases),
                         active=held.active_cases,
                         tasks=t("count.open_tasks", n=held.open_tasks),
                         programmes=t("count.programmes", n=held.programmes)))
        if held.bookings:
            st.caption(t("users.holds_bookings", n=held.bookings))
        colleagues = {c.id: c.display_name
                      for c in read(accounts.handover_targets, admin, user.id)}
        options = {accounts.SPREAD: t("users.spread"), **colleagues}
        target = choose(t("users.handover_to"), options, key=f"{key}_to",
                        format_func=options.get)
    confirmed = st.checkbox(tx("users.confirm_deactivate", name=user.display_name),
                            key=f"{key}_confirm")
    if st.button(tx("users.deactivate", name=user.display_name), key=f"{key}_go",
                 disabled=not confirmed):
        def deactivate(db, _) -> widgets.Said:
            done = accounts.deactivate(db, admin, user.id, handover_to=target, today=today())
            if done.clashes or done.untasked_clashes:
                said = [tx("users.deactivated", name=user.display_name)]
                if done.clashes:
                    said.append(t("users.handover_clashes", n=done.clashes))
                if done.untasked_clashes:
                    said.append(t("users.handover_clashes_untasked", n=done.untasked_clashes))
                return widgets.Said(" ".join(said), "warning")
            return widgets.Said(tx("users.deactivated", name=user.display_name))
        save(deactivate, "", form=form)


def _activate(admin: User, user: User) -> None:
    st.markdown(f"**{tx('users.activate_title', name=user.display_name)}**")
    form = f"users_on_{user.id}"
    key = widgets.form_key(form)
    confirmed = st.checkbox(tx("users.confirm_activate", name=user.display_name),
                            key=f"{key}_confirm")
    if st.button(tx("users.activate", name=user.display_name), key=f"{key}_go",
                 disabled=not confirmed):
        save(lambda db, _: accounts.activate(db, admin, user.id),
             tx("users.activated", name=user.display_name), form=form)
