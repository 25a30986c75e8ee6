"""Grafi: the quick charts, for coordinators, trainers and managers (aggregates only)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pandas as pd
import streamlit as st

from workbench import charts, dates, i18n, stats, vocab
from workbench.auth import User
from workbench.errors import UserError
from workbench.ui import address, chart_view, widgets
from workbench.ui.lang import fmt_date, lang, t, translated
from workbench.ui.loaders import (
    area_coordinators,
    load_figure,
    load_municipalities,
    load_programme_names,
    load_units,
    today,
)

TAB_KEY = "zavihek"
TABS = ("cases", "flow", "time", "attendance", "people", "targets")
MAX_YEARS = 5


# Each filter is also in the address, so that a refresh or a bookmark keeps it.
ADDRESS = {"charts_period": "obdobje", "charts_from": "od", "charts_to": "do",
           "charts_unit": "enota", "charts_muni": "obcina", "charts_programme": "program",
           "charts_group": "skupina", "charts_coordinator": "koordinator"}


def _from_address(key: str, options) -> None:
    address.start(key, ADDRESS[key], options)


def _to_address(key: str, value: object) -> None:
    address.put(ADDRESS[key], value)


def _pick(label: str, options: dict, key: str, container) -> object:
    """A filter: empty means every one."""
    _from_address(key, options)
    chosen = container.selectbox(label, list(options), index=None, format_func=options.get,
                                 key=translated(key), placeholder=t("charts.all"))
    _to_address(key, chosen)
    return chosen


def _day_field(label: str, key: str, value: dt.date) -> dt.date | str | None:
    typed = st.query_params.get(ADDRESS[key])
    if key not in st.session_state and typed:
        with contextlib.suppress(UserError):  # not a day: the period's own start or end
            value = dates.parse(typed) or value
    day = widgets.date_field(label, key=key, value=value)
    _to_address(key, day.isoformat() if isinstance(day, dt.date) else None)
    return day


def filters(user: User, narrow: bool = True) -> stats.Filters | None:
    """The page's filters; None (with a message) when the period typed is no period."""
    area = user.area_code
    now = today()
    _from_address("charts_period", stats.PERIODS)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        kind = st.segmented_control(
            t("charts.period"), stats.PERIODS,
            default=widgets.held("charts_period", stats.PERIODS, "year"),
            format_func=lambda k: t(f"period.{k}"), key=translated("charts_period"),
            required=True) or "year"
        _to_address("charts_period", None if kind == "year" else kind)
        start, end = stats.period(kind, now)
        if kind == "custom":
            with st.container(horizontal=True, width=420):
                start = _day_field(t("charts.from"), "charts_from", start)
                end = _day_field(t("charts.to"), "charts_to", end)
        else:
            for key in ("charts_from", "charts_to"):
                _to_address(key, None)
            st.markdown(widgets.md(f"{fmt_date(start)} – {fmt_date(end)}"), width="content")
    if kind == "custom":
        if not (isinstance(start, dt.date) and isinstance(end, dt.date)):
            return None  # the field itself says what is wrong with the date
        if not (start <= end <= now and (end - start).days <= 366 * MAX_YEARS):
            st.warning(t("charts.period_invalid"), icon=":material/warning:")
            return None
    if not narrow:
        return stats.Filters(start, end, area, kind=kind)
    cols = st.columns(5)
    unit = _pick(t("charts.unit"), load_units(area), "charts_unit", cols[0])
    towns = {mid: name for mid, (name, unit_code) in load_municipalities(area).items()
             if unit is None or unit_code == unit}
    municipality = _pick(t("charts.municipality"), towns, "charts_muni", cols[1])
    programme = _pick(t("charts.programme"), load_programme_names(user, area),
                      "charts_programme", cols[2])
    group = _pick(t("charts.target_group"),
                  {g: t(f"target_group.{g}") for g in vocab.TARGET_GROUPS}, "charts_group",
                  cols[3])
    coordinator = _pick(t("charts.coordinator"),
                        {u.id: u.display_name for u in area_coordinators(area)},
                        "charts_coordinator", cols[4])
    return stats.Filters(start, end, area, kind=kind, unit=unit, municipality=municipality,
                         programme=programme, target_group=group, coordinator=coordinator)


def show(user: User) -> None:
    st.title(t("charts.title"), anchor=False)
    st.caption(t("charts.caption"))
    chosen = filters(user)
    if chosen is None:
        return
    tabs = address.tabs(TABS, lambda name: f"charts.tab_{name}", key="charts_tab",
                        name=TAB_KEY)
    for name, tab in zip(TABS, tabs, strict=True):
        if tab.open is not False:  # only the open tab is built
            with tab:
                SECTIONS[name](user, chosen)


def _block(f: stats.Filters, what: str, fig: charts.Figure, frame, columns: dict[str, str],
           name: str) -> None:
    """A chart of the page: ``frame`` is its data as the CSV gives it, ``columns`` the
    CSV's columns and their headers (i18n keys)."""
    chart_view.show(t(f"charts.{what}"), fig, frame, columns, name=name, start=f.start,
                    end=f.end, key=f"chart_{what}")


def _figure(user: User, what: str, f: stats.Filters) -> charts.Figure:
    return load_figure(user, what, f, today(), lang())


def _counted(kind: str, **extra: str) -> dict[str, str]:
    return {**extra, "shown": "col.people" if kind == "people" else "col.count"}


def _labelled(user: User, f: stats.Filters, what: str, column: str, prefix: str,
              columns: dict[str, str], name: str) -> None:
    """A chart whose CSV names each code of ``column`` (``prefix.code``) in words."""
    fig = _figure(user, what, f)
    _block(f, what, fig, fig.data.assign(**{column: [t(f"{prefix}.{v}")
                                                     for v in fig.data[column]]}),
           columns, name)


def cases(user: User, f: stats.Filters) -> None:
    _labelled(user, f, "caseload", "stage", "stage",
              _counted("count", coordinator="col.coordinator", stage="col.stage"), "primeri")
    funnel_part(user, f)


def funnel_part(user: User, f: stats.Filters) -> None:
    fig = _figure(user, "funnel", f)
    shown = fig.data.assign(stage=[t(f"funnel.{s}") for s in fig.data["stage"]],
                            rate=[None if pd.isna(r) else round(r * 100, 1)
                                  for r in fig.data["rate"]])
    _block(f, "funnel", fig, shown,
           {"stage": "col.stage", "shown": "col.people", "rate": "col.conversion"}, "lijak")
    st.caption(t("charts.funnel_help"))


def flow(user: User, f: stats.Filters) -> None:
    inflow_part(user, f)
    exits_part(user, f)


def inflow_part(user: User, f: stats.Filters) -> None:
    _labelled(user, f, "inflow", "source", "referral_source",
              _counted("people", month="col.month", source="col.source"), "napotitve")


def exits_part(user: User, f: stats.Filters) -> None:
    _labelled(user, f, "exits", "destination", "exit_group",
              _counted("people", month="col.month", destination="col.destination"),
              "izstopi")


def time(user: User, f: stats.Filters) -> None:
    _labelled(user, f, "stage_time", "stage", "stage",
              _counted("count", stage="col.stage", bucket="col.days_in_stage",
                       mean_days="col.mean_days"), "cas-v-fazah")
    fig = _figure(user, "overdue", f)
    _block(f, "overdue", fig, fig.data, {"month": "col.month", "shown": "col.overdue"},
           "zamujena-spremljanja")


def attendance(user: User, f: stats.Filters) -> None:
    columns = {"programme": "col.programme", "month": "col.month", "hours": "col.hours",
               "planned": "col.planned_hours_total", "rate": "col.rate"}
    for what, name in (("attendance", "ure-prisotnosti"), ("rate", "delez-prisotnosti")):
        fig = _figure(user, what, f)
        _block(f, what, fig, fig.data, columns, name)


def people(user: User, f: stats.Filters) -> None:
    fig = _figure(user, "places", f)
    _block(f, "places", fig, fig.data,
           _counted("people", unit="col.unit", municipality="col.municipality"), "obcine")
    left, right = st.columns(2)
    with left:
        _labelled(user, f, "target_groups", "target_group", "target_group",
                  _counted("people", target_group="col.target_group"), "ciljne-skupine")
    with right:
        _labelled(user, f, "sex_age", "sex", "sex",
                  _counted("people", sex="col.sex", age_band="col.age_band"), "spol-starost")


def targets(user: User, f: stats.Filters) -> None:
    fig = _figure(user, "progress", f)
    found = fig.data
    st.markdown(t("charts.progress_line", included=i18n.format_number(found.included, lang()),
                  pace=i18n.format_number(found.pace, lang(), 1, True)))
    if not found.targets:
        st.caption(t("charts.no_targets"))
    for line in target_lines(found):
        st.markdown(line)
    _block(f, "progress", fig, found.monthly,
           {"month": "col.month", "count": "col.people", "cumulative": "chart.included"},
           "cilji")


def target_lines(found: stats.Progress) -> list[str]:
    """Each target and where it stands: reached, on pace, behind, or missed."""
    lines = []
    for goal in found.targets:
        state, figure = found.standing(goal)
        number = i18n.format_number(figure, lang())
        lines.append(t("charts.target_line", people=i18n.format_number(goal.people, lang()),
                       due=fmt_date(goal.due),
                       state=t(f"charts.target_{state}", reached=number, projected=number)))
    return lines


SECTIONS = {"cases": cases, "flow": flow, "time": time, "attendance": attendance,
            "people": people, "targets": targets}
