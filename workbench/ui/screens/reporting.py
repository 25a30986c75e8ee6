"""Poročanje: the year's ESF indicators, the data-quality check and the e-MA export."""

from __future__ import annotations

import streamlit as st

from workbench import access, audit, esf, sheets, text
from workbench.auth import User
from workbench.ui import address, components, downloads, widgets
from workbench.ui.components import esc
from workbench.ui.lang import fmt_date, lang, t, translated
from workbench.ui.loaders import (
    is_training,
    load_ema_rows,
    load_esf_report,
    load_quality,
    load_quality_counts,
    read,
    today,
)

TAB_KEY = "zavihek"
TABS = ("esf", "quality", "ema")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show(user: User) -> None:
    st.title(t("reporting.title"), anchor=False)
    widgets.show_flash()
    now = today()
    years = list(range(now.year, esf.FIRST_YEAR - 1, -1))
    # The year is in the address too: a refresh or a bookmark keeps it.
    asked = text.parse_id(st.query_params.get("leto"))
    year = st.selectbox(t("reporting.year"), years,
                        index=years.index(asked if asked in years else esf.reporting_year(now)),
                        key=translated("report_year"), width=200,
                        placeholder=t("common.choose"))
    st.query_params["leto"] = str(year)
    casework = access.may_see_names(user, is_training())
    tabs = address.tabs(TABS, lambda name: f"reporting.tab_{name}", key="report_tab",
                        name=TAB_KEY)
    for name, tab in zip(TABS, tabs, strict=True):
        if tab.open is not False:
            with tab:
                {"esf": _esf, "quality": _quality, "ema": _ema}[name](user, year, casework)


def _label(code: str) -> str:
    return t(f"esf.{code}")


def _header(column: str) -> str:
    return esf.column_label(column, lang())


def _esf(user: User, year: int, casework: bool) -> None:
    st.caption(t("reporting.esf_caption"))
    found = load_esf_report(user, year, user.area_code, today())
    problems = sum(load_quality_counts(user, year, user.area_code, today()).values())
    if problems:
        st.warning(t("reporting.quality_first" if casework else "reporting.quality_others",
                     n=problems), icon=":material/rule:")
    if found.incomplete:
        st.info(t("reporting.incomplete", n=found.incomplete))
    columns = found.columns()
    rows = [(esc(code if code in esf.INDICATORS else ""), esc(_label(code)),
             *[esc(values[c]) for c in columns]) for code, values in found.rows()]
    markup = components.table([t("col.code"), t("col.indicator"),
                               *[_header(c) for c in columns]], rows,
                              numeric=tuple(range(2, 2 + len(columns))))
    components.show(markup, key="esf_table")
    st.caption(t("reporting.refused", **found.refused))
    csv = esf.report_csv(found, _label, _header)
    downloads.download(t("reporting.download_csv"), csv, mime="text/csv",
                     file_name=f"kazalniki-ess-{user.area_code}-{year}.csv",
                     icon=":material/download:", key="esf_csv",
                     export=audit.Export("esf_csv", {"area": user.area_code, "year": year},
                                         None))


def _quality(user: User, year: int, casework: bool) -> None:
    if not casework:  # a manager sees how many, not whose
        st.caption(t("reporting.quality_counts"))
        counts = load_quality_counts(user, year, user.area_code, today())
        widgets.table([{t("col.problem"): t(f"problem.{k}"), t("col.count"): n}
                       for k, n in counts.items()], key="quality_counts")
        return
    problems = load_quality(user, year, user.area_code, today())
    st.caption(t("reporting.quality_caption", year=year))
    if not problems:
        st.success(t("reporting.quality_none"))
        return
    markup = components.table(
        [t("col.person"), t("col.coordinator"), t("col.problem"), t("col.problem_date")],
        [(components.person_link(p.participant_id, p.name), esc(p.coordinator),
          esc(t(f"problem.{p.problem}")), esc(fmt_date(p.detail))) for p in problems])
    components.open_clicked(components.show(markup, key="quality_list"))


def _ema(user: User, year: int, casework: bool) -> None:
    due = fmt_date(esf.ema_due(year))
    st.caption(t("reporting.ema_caption", year=year, due=due))
    done = read(esf.submitted, year, user.area_code)
    if done:
        st.success(t("reporting.was_submitted", year=year, date=fmt_date(done)))
    if not casework:
        st.info(t("reporting.ema_names"))
        return
    rows = load_ema_rows(user, year, user.area_code, today())
    st.markdown(t("reporting.ema_count", n=len(rows)))
    downloads.download(t("reporting.ema_download"), lambda: sheets.ema_xlsx(rows),
                     file_name=f"e-ma-udelezenci-{user.area_code}-{year}.xlsx", mime=XLSX,
                     icon=":material/download:", key="ema_xlsx",
                     export=audit.Export("ema", {"area": user.area_code, "year": year},
                                         len(rows)))
    if done:
        return
    form = "ema_submitted"
    key = widgets.form_key(form)
    with st.form(key):
        on = widgets.date_field(t("reporting.submitted_on"), key=f"{key}_on", value=today())
        submitted = st.form_submit_button(t("reporting.mark_submitted"), type="primary")
    if submitted:
        widgets.save(lambda db, _: esf.mark_submitted(db, user, year, user.area_code, on,
                                                      today()),
                     t("reporting.marked", year=year), form=form)
