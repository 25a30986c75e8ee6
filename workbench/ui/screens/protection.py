"""Varstvo podatkov: access requests, the retention preview and anonymisation, erasure.

For the administrator and the data-protection officer (only the administrator
anonymises and erases). Every action here is written to the audit log by the library.
"""

from __future__ import annotations

import streamlit as st

from workbench import i18n, text, vocab
from workbench.auth import User
from workbench.db import opened
from workbench.errors import UserError
from workbench.protection import retention, subject_access
from workbench.rules import rule_value
from workbench.ui import address, components, downloads, widgets
from workbench.ui.components import esc
from workbench.ui.lang import fmt_date, lang, t
from workbench.ui.loaders import read, today
from workbench.ui.widgets import save, tx

TAB_KEY = "zavihek"
TABS = ("request", "retention", "erasure")
_FOUND = "prot_{}_person"  # the record found for a tab (never in the address: an EMŠO)


def show(user: User) -> None:
    st.title(t("protection.title"), anchor=False)
    widgets.show_flash()
    shown = TABS if user.role == "admin" else ("request",)
    tabs = address.tabs(shown, lambda name: f"protection.tab.{name}", key="prot_tab",
                        name=TAB_KEY)
    panels = {"request": _request, "retention": _retention, "erasure": _erasure}
    for name, tab in zip(shown, tabs, strict=True):
        if tab.open is not False:
            with tab:
                panels[name](user)


def _find(user: User, purpose: str) -> tuple[int, str] | None:
    """The person an EMŠO or record number names, kept for this tab until another search."""
    with st.form(f"prot_{purpose}_find"):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        typed = left.text_input(t("protection.person"), key=f"prot_{purpose}_typed",
                                max_chars=20)
        submitted = right.form_submit_button(t("protection.find"))
    key = _FOUND.format(purpose)
    if submitted:
        st.session_state.pop(key, None)
        try:
            pid = read(subject_access.find, user, typed)
        except UserError as err:
            widgets.show_error(err)
            return None
        st.session_state[key] = (pid, read(_name, pid))
    return st.session_state.get(key)


def _name(db, pid: int) -> str:
    row = db.execute("SELECT first_name || ' ' || last_name FROM participants WHERE id = ?",
                     [pid]).fetchone()
    return row[0] if row else ""


def _labels() -> dict[str, str]:
    """The export's headings and field names in the UI language."""
    language = lang()
    labels = {k: i18n.translate(k, language) for k in i18n.CATALOGUES[language]
              if k.startswith("field.")}
    labels.update({"title": t("export.title"), "made": t("export.made"),
                   "none": t("export.none")})
    labels.update({key: t(f"export.{key}") for key, _ in subject_access.SECTIONS})
    return labels


def _person_for(user: User, purpose: str) -> int | None:
    """The tab's introduction, the search, and the person found (named, to be sure)."""
    st.caption(t(f"protection.{purpose}_intro"))
    found = _find(user, purpose)
    if found is None:
        return None
    pid, name = found
    st.markdown(tx("protection.found", id=pid, name=name))
    return pid


_MOMENTS = frozenset({"made_at", "at", "changed_at", "recorded_at", "created_at",
                      "updated_at"})


def _values(language: str):
    """How the export writes a value, in the page's language (the file is made on the
    click, outside the page's run)."""
    def value(section: str, column: str, raw: object) -> str:
        if raw in (None, ""):
            return ""
        if column in _MOMENTS:
            return i18n.format_datetime(str(raw), language)
        if section == "stage_history" and column == "reason":  # a code of its move's list
            listed = vocab.stage_reason_list(str(raw))
            return i18n.translate(f"{listed}.{raw}", language) if listed else str(raw)
        return widgets.value_text(column, raw, subject_access.TABLE_OF.get(section, section),
                                  language)
    return value


def _request(user: User) -> None:
    pid = _person_for(user, "request")
    if pid is None:
        return
    labels, value = _labels(), _values(lang())

    def archive() -> bytes:  # made (and audited) on the click, with a connection of its own
        with opened() as db:
            return subject_access.as_zip(subject_access.export(db, user, pid), labels,
                                         value)

    downloads.download(t("protection.download"), archive, mime="application/zip",
                     file_name=f"zahteva-za-dostop-{pid}.zip", type="primary",
                     icon=":material/download:", key=f"prot_export_{pid}",
                     export=None)  # subject_access.export logs it


def _retention(user: User) -> None:
    now = today()
    years = {name: t("protection.years", n=int(read(rule_value, f"retention_years_after_{name}",
                                                    now))) for name in ("exit", "closure")}
    st.caption(t("protection.retention_intro", **years))
    due = read(retention.due, user, now)
    if not due:
        st.info(t("protection.due_none"))
        return
    st.markdown(t("protection.due_count", n=len(due)))
    components.show(components.table(
        [t("col.record"), t("col.stage"), t("col.basis"), t("col.since"), t("col.due_on")],
        [[esc(d.participant_id), esc(t(f"stage.{d.stage}")),
          esc(t(f"retention.basis.{d.basis}")), esc(fmt_date(d.since)),
          esc(fmt_date(d.due_on))] for d in due], numeric=(0,), scroll=True),
        key="prot_due")
    form = "prot_anonymise"
    key = widgets.form_key(form)
    with st.form(key):
        sure = st.checkbox(t("protection.anonymise_confirm"), key=f"{key}_sure")
        submitted = st.form_submit_button(t("protection.anonymise"), type="primary")
    if submitted:
        ids = [d.participant_id for d in due]

        def action(db, _) -> widgets.Said:
            if not sure:
                raise UserError("error.confirm_required", field="confirm")
            done = retention.anonymise(db, user, ids, now)
            return widgets.Said(tx("protection.anonymised", n=done), "success")
        save(action, "", form=form)


def _erasure(user: User) -> None:
    pid = _person_for(user, "erasure")
    if pid is None:
        return
    if not read(retention.erasable, user, pid):
        st.warning(t("error.erase_reported"))  # said before she fills in anything
        return
    form = f"prot_erase_{pid}"
    key = widgets.form_key(form)
    with st.form(key):
        reason = st.text_input(t("field.reason"), key=f"{key}_reason",
                               max_chars=text.SHORT_TEXT_MAX)
        st.caption(t("reason.personal_data_help"))  # the reason outlives her record
        sure = st.checkbox(t("protection.erase_confirm"), key=f"{key}_sure")
        submitted = st.form_submit_button(t("protection.erase"), type="primary")
    if submitted:
        def action(db, _) -> None:
            if not sure:
                raise UserError("error.confirm_required", field="confirm")
            retention.erase(db, user, pid, reason)
            st.session_state.pop(_FOUND.format("erasure"), None)  # she is gone
        save(action, t("protection.erased"), form=form)
