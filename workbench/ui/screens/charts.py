"""Grafi: the quick charts, for coordinators, trainers and managers (aggregates only)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from workbench import access, charts, i18n, stats, vocab
from workbench.auth import User
from workbench.ui import chart_view, widgets
from workbench.ui.lang import fmt_date, lang, t, translated
from workbench.ui.loaders import (
    area_coordinators,
    is_training,
    load_municipalities,
    load_programme_names,
    load_stats,
    load_units,
    today,
)

TAB_KEY = "zavihek"
TABS = ("cases", "flow", "time", "attendance", "people", "targets")
MAX_YEARS = 5


def hidden(user: User) -> bool:
    """Small counts are hidden from those who see aggregates only."""
    return not access.may_see_names(user, is_training())


def _pick(label: str, options: dict, key: str, container) -> object:
    """A filter: empty means every one."""
    return container.selectbox(label, list(options), index=None, format_func=options.get,
                               key=translated(key), placeholder=t("charts.all"))


def filters(user: User, narrow: bool = True) -> stats.Filters | None:
    """The page's filters; None (with a message) when the period typed is no period."""
    area = user.area_code
    now = today()
    with st.container(horizontal=True, vertical_alignment="bottom"):
        kind = st.segmented_control(
            t("charts.period"), stats.PERIODS, default="year",
            format_func=lambda k: t(f"period.{k}"), key=translated("charts_period"),
            required=True) or "year"
        start, end = stats.period(kind, now)
        if kind == "custom":
            with st.container(horizontal=True, width=420):
                start = widgets.date_field(t("charts.from"), key="charts_from", value=start)
                end = widgets.date_field(t("charts.to"), key="charts_to", value=end)
        else:
            st.markdown(f"{fmt_date(start)} – {fmt_date(end)}", width="content")
    if kind == "custom" and not (
            isinstance(start, dt.date) and isinstance(end, dt.date) and start <= end <= now
            and (end - start).days <= 366 * MAX_YEARS):
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
    tabs = st.tabs([t(f"charts.tab_{name}") for name in TABS], key=TAB_KEY,
                   bind="query-params")
    for name, tab in zip(TABS, tabs, strict=True):
        if tab.open is not False:  # only the open tab is built
            with tab:
                SECTIONS[name](user, chosen)


def _block(user: User, f: stats.Filters, what: str, chart, frame, columns: dict[str, str],
           name: str) -> None:
    chart_view.show(t(f"charts.{what}"), chart, frame, columns, name=name, start=f.start,
                    end=f.end, key=f"chart_{what}", hidden=hidden(user))


def _counted(kind: str, **extra: str) -> dict[str, str]:
    return {**extra, "shown": "col.people" if kind == "people" else "col.count"}


def cases(user: User, f: stats.Filters) -> None:
    data = load_stats["caseload"](user, f, today())
    _block(user, f, "caseload", charts.caseload(data, lang()), data.assign(
        stage=[t(f"stage.{s}") for s in data["stage"]]),
        _counted("count", coordinator="col.coordinator", stage="col.stage"), "primeri")
    funnel_part(user, f)


def funnel_part(user: User, f: stats.Filters) -> None:
    data = load_stats["funnel"](user, f, today())
    shown = data.assign(stage=[t(f"funnel.{s}") for s in data["stage"]],
                        rate=[None if pd.isna(r) else round(r * 100, 1) for r in data["rate"]])
    _block(user, f, "funnel", charts.funnel(data, lang()), shown,
           {"stage": "col.stage", "shown": "col.people", "rate": "col.conversion"}, "lijak")
    st.caption(t("charts.funnel_help"))


def flow(user: User, f: stats.Filters) -> None:
    inflow_part(user, f)
    exits_part(user, f)


def inflow_part(user: User, f: stats.Filters) -> None:
    data = load_stats["inflow"](user, f, today())
    _block(user, f, "inflow", charts.monthly(data, "source", "referral_source",
                                             charts.SOURCE_COLOURS, lang()),
           data.assign(source=[t(f"referral_source.{s}") for s in data["source"]]),
           _counted("people", month="col.month", source="col.source"), "napotitve")


def exits_part(user: User, f: stats.Filters) -> None:
    data = load_stats["exits"](user, f, today())
    _block(user, f, "exits", charts.monthly(data, "destination", "exit_group",
                                            charts.EXIT_COLOURS, lang()),
           data.assign(destination=[t(f"exit_group.{d}") for d in data["destination"]]),
           _counted("people", month="col.month", destination="col.destination"), "izstopi")


def time(user: User, f: stats.Filters) -> None:
    data = load_stats["stage_time"](user, f, today())
    _block(user, f, "stage_time", charts.stage_time(data, lang()),
           data.assign(stage=[t(f"stage.{s}") for s in data["stage"]]),
           _counted("count", stage="col.stage", bucket="col.days_in_stage",
                    mean_days="col.mean_days"), "cas-v-fazah")
    data = load_stats["overdue"](user, f, today())
    _block(user, f, "overdue", charts.overdue(data, lang()), data,
           {"month": "col.month", "shown": "col.overdue"}, "zamujena-spremljanja")


def attendance(user: User, f: stats.Filters) -> None:
    data = load_stats["attendance"](user, f, today())
    columns = {"programme": "col.programme", "month": "col.month", "hours": "col.hours",
               "planned": "col.planned_hours_total", "rate": "col.rate"}
    _block(user, f, "attendance", charts.attendance(data, lang()), data, columns,
           "ure-prisotnosti")
    _block(user, f, "rate", charts.attendance_rate(data, lang()), data, columns,
           "delez-prisotnosti")


def people(user: User, f: stats.Filters) -> None:
    data = load_stats["places"](user, f, today())
    _block(user, f, "places", charts.bars(data, "municipality", "col.municipality", lang(),
                                          colour_by="unit"), data,
           _counted("people", unit="col.unit", municipality="col.municipality"), "obcine")
    left, right = st.columns(2)
    with left:
        data = load_stats["target_groups"](user, f, today())
        _block(user, f, "target_groups", charts.bars(data, "target_group", "col.target_group",
                                                     lang(), prefix="target_group"),
               data.assign(target_group=[t(f"target_group.{g}") for g in data["target_group"]]),
               _counted("people", target_group="col.target_group"), "ciljne-skupine")
    with right:
        data = load_stats["sex_age"](user, f, today())
        _block(user, f, "sex_age", charts.sex_age(data, lang()),
               data.assign(sex=[t(f"sex.{s}") for s in data["sex"]]),
               _counted("people", sex="col.sex", age_band="col.age_band"), "spol-starost")


def targets(user: User, f: stats.Filters) -> None:
    found = load_stats["progress"](user, f, today())
    st.markdown(t("charts.progress_line", included=i18n.format_number(found.included, lang()),
                  pace=i18n.format_number(found.pace, lang(), 1, True)))
    if not found.targets:
        st.caption(t("charts.no_targets"))
    for line in target_lines(found):
        st.markdown(line)
    chart = charts.progress(found.monthly, found.projection,
                            [(g.due, g.people) for g in found.targets], lang())
    _block(user, f, "progress", chart, found.monthly,
           {"month": "col.month", "count": "col.people", "cumulative": "chart.included"},
           "cilji")


def target_lines(found: stats.Progress) -> list[str]:
    """Each target and where it stands: reached, on pace, behind, or missed."""
    lines = []
    now = today()
    by_month = dict(zip(found.monthly["month"], found.monthly["cumulative"], strict=True))
    ahead = dict(zip(found.projection["month"], found.projection["cumulative"], strict=True))
    for goal in found.targets:
        month = goal.due.strftime("%Y-%m")
        if goal.due < now:
            reached = int(max((n for m, n in by_month.items() if m <= month), default=0))
            state = (t("charts.target_reached") if reached >= goal.people else
                     t("charts.target_missed", reached=i18n.format_number(reached, lang())))
        elif found.included >= goal.people:
            state = t("charts.target_reached")
        else:
            projected = i18n.format_number(ahead.get(month, found.included), lang())
            state = t("charts.target_on_pace" if ahead.get(month, 0) >= goal.people
                      else "charts.target_behind", projected=projected)
        lines.append(t("charts.target_line", people=i18n.format_number(goal.people, lang()),
                       due=fmt_date(goal.due), state=state))
    return lines


SECTIONS = {"cases": cases, "flow": flow, "time": time, "attendance": attendance,
            "people": people, "targets": targets}
