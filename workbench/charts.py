"""Charts as pure functions: data and a language in, an altair Chart out.

Pages and notebooks call the same functions; nothing here knows Streamlit. Labels
come from ``workbench.i18n`` in the language asked for, dates are written the
Slovenian way, and the stage colours are the same on every chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from workbench import i18n, pipeline, stats, vocab
from workbench.casework import Score
from workbench.stats import STAGE_DAYS

# Okabe-Ito: told apart by people with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999")
STAGE_COLOURS = dict(zip(pipeline.STAGES, PALETTE, strict=True))
DATE_FORMAT = "%-d. %-m. %Y"


def _t(key: str, lang: str, **params: object) -> str:
    return i18n.translate(key, lang, **params)


def stage_counts(counts: dict[str, int], lang: str) -> alt.Chart:
    """People by stage, one bar each in pipeline order and the stage's own colour."""
    stage, count = _t("col.stage", lang), _t("col.count", lang)
    frame = pd.DataFrame({stage: [_t(f"stage.{k}", lang) for k in counts],
                          count: list(counts.values())})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X(f"{count}:Q", title=count),
        y=alt.Y(f"{stage}:N", title=stage, sort=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color(f"{stage}:N", legend=None, scale=alt.Scale(
            domain=[_t(f"stage.{k}", lang) for k in counts],
            range=[STAGE_COLOURS[k] for k in counts])),
        tooltip=[alt.Tooltip(f"{stage}:N"), alt.Tooltip(f"{count}:Q")])


def grouped_bars(rows: Iterable[dict[str, int]], label: str, measures: Sequence[str],
                 lang: str) -> alt.Chart:
    """One group of bars per row (e.g. a coordinator), one bar per measure; ``label`` and
    ``measures`` are i18n keys of the columns. A count hidden as "<5" draws no bar."""
    who, measure, count = _t(label, lang), _t("col.measure", lang), _t("col.count", lang)
    long = pd.DataFrame([{who: row[label], measure: _t(m, lang),
                          count: row[m] if isinstance(row[m], int) else None}
                         for row in rows for m in measures])
    return alt.Chart(long).mark_bar().encode(
        x=alt.X(f"{count}:Q", title=count),
        y=alt.Y(f"{who}:N", title=None),
        color=alt.Color(f"{measure}:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(range=list(PALETTE))),
        yOffset=f"{measure}:N",
        tooltip=[alt.Tooltip(f"{who}:N"), alt.Tooltip(f"{measure}:N"),
                 alt.Tooltip(f"{count}:Q")])


def problem_scores(scores: Sequence[Score], lang: str) -> alt.Chart:
    """A person's problem overview over time: a line per area, 0 (none) to 3 (severe)."""
    day, area, score = _t("col.date", lang), _t("col.area", lang), _t("col.score", lang)
    frame = pd.DataFrame({day: pd.to_datetime([s.scored_on for s in scores]),
                          area: [_t(f"problem.{s.area}", lang) for s in scores],
                          score: [s.score for s in scores]})
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X(f"{day}:T", title=day, axis=alt.Axis(format=DATE_FORMAT)),
        y=alt.Y(f"{score}:Q", title=score, scale=alt.Scale(domain=[0, 3]),
                axis=alt.Axis(tickCount=4)),
        color=alt.Color(f"{area}:N", title=area, scale=alt.Scale(range=list(PALETTE))),
        tooltip=[alt.Tooltip(f"{area}:N"),
                 alt.Tooltip(f"{day}:T", format=DATE_FORMAT),
                 alt.Tooltip(f"{score}:Q")])


# -- the charts page and the manager's dashboard -------------------------------------------
# Vega's number and time formats in Slovenian (decimal comma, dot for thousands).
LOCALES = {
    "sl": {"number": {"decimal": ",", "thousands": ".", "grouping": [3],
                      "currency": ["", " €"]}},
    "en": {"number": {"decimal": ".", "thousands": ",", "grouping": [3],
                      "currency": ["€", ""]}},
}
MAX_SERIES = 10   # programmes drawn one by one; the rest are summed as "others"
LEGEND_LABEL = 320  # px: "nevladna organizacija / izvajalec", a unit's full name
EXIT_COLOURS = dict(zip((*vocab.EXIT_GROUP_ORDER, "unknown"), PALETTE[:8], strict=True))
SOURCE_COLOURS = dict(zip(vocab.REFERRAL_SOURCES, PALETTE, strict=False))


def _finish(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    return chart.configure(locale=LOCALES.get(lang, LOCALES["sl"]))


def _months(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """The frame with a readable month label, and the labels in calendar order."""
    frame = frame.copy()
    frame["month_label"] = [_month(m, lang) for m in frame["month"]]
    order = [_month(m, lang) for m in sorted(set(frame["month"]))]
    return frame, order


def _month(month: str, lang: str) -> str:
    """``mar. 26``: short enough for a year of months side by side."""
    label = i18n.month_label(month, lang, short=True)
    return f"{label[:-4]}{label[-2:]}"


def _month_axis(order: list[str]) -> alt.X:
    return alt.X("month_label:N", title=None, sort=order,
                 axis=alt.Axis(labelAngle=-45 if len(order) > 8 else 0, labelOverlap=True))


def _shown_tooltip(lang: str, key: str) -> alt.Tooltip:
    return alt.Tooltip("shown:N", title=_t(key, lang))


def caseload(frame: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Active cases per coordinator, stacked by stage in pipeline order and colour."""
    frame = frame.assign(stage_label=[_t(f"stage.{s}", lang) for s in frame["stage"]],
                         order=[pipeline.STAGES.index(s) for s in frame["stage"]])
    stages = list(pipeline.ACTIVE)
    return _finish(alt.Chart(frame).mark_bar().encode(
        x=alt.X("count:Q", title=_t("col.count", lang), stack="zero"),
        y=alt.Y("coordinator:N", title=None, axis=alt.Axis(labelLimit=200)),
        color=alt.Color("stage_label:N", title=_t("col.stage", lang),
                        legend=alt.Legend(orient="bottom", columns=3,
                                          labelLimit=LEGEND_LABEL),
                        scale=alt.Scale(domain=[_t(f"stage.{s}", lang) for s in stages],
                                        range=[STAGE_COLOURS[s] for s in stages])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("coordinator:N", title=_t("col.coordinator", lang)),
                 alt.Tooltip("stage_label:N", title=_t("col.stage", lang)),
                 _shown_tooltip(lang, "col.count")]), lang)


def funnel(frame: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """How far the people referred in the period got, with the share that went on."""
    frame = frame.assign(
        stage_label=[_t(f"funnel.{s}", lang) for s in frame["stage"]],
        rate_label=["" if pd.isna(r) else f"{i18n.format_number(r * 100, lang)} %"
                    for r in frame["rate"]])
    order = [_t(f"funnel.{s}", lang) for s in frame["stage"]]
    base = alt.Chart(frame).encode(
        y=alt.Y("stage_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)))
    bars = base.mark_bar(color=PALETTE[0]).encode(
        x=alt.X("count:Q", title=_t("col.people", lang)),
        tooltip=[alt.Tooltip("stage_label:N", title=_t("col.stage", lang)),
                 _shown_tooltip(lang, "col.people"),
                 alt.Tooltip("rate_label:N", title=_t("col.conversion", lang))])
    labels = base.mark_text(align="left", dx=4).encode(
        x=alt.X("count:Q"), text=alt.Text("rate_label:N"))
    return _finish(alt.layer(bars, labels), lang)


def monthly(frame: pd.DataFrame, key: str, prefix: str, colours: dict[str, str],
            lang: str) -> alt.TopLevelMixin:
    """Counts per month, stacked by ``key`` (its codes labelled by ``prefix.code``)."""
    frame, order = _months(frame, lang)
    frame["label"] = [_t(f"{prefix}.{v}", lang) for v in frame[key]]
    domain = [_t(f"{prefix}.{v}", lang) for v in colours]
    return _finish(alt.Chart(frame).mark_bar().encode(
        x=_month_axis(order),
        y=alt.Y("count:Q", title=_t("col.people", lang), stack="zero"),
        color=alt.Color("label:N", title=None,
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=LEGEND_LABEL),
                        scale=alt.Scale(domain=domain, range=list(colours.values()))),
        tooltip=[alt.Tooltip("month_label:N", title=_t("col.month", lang)),
                 alt.Tooltip("label:N", title=_t(f"col.{key}", lang)),
                 _shown_tooltip(lang, "col.people")]), lang)


def stage_time(frame: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """How long the stages lasted: a bar per stage split by span of days."""
    spans = {low: (f"{low}–{high}" if high else f"{low}+") for low, high in STAGE_DAYS}
    frame = frame.assign(stage_label=[_t(f"stage.{s}", lang) for s in frame["stage"]],
                         span=[_t("chart.days_span", lang, span=spans[b])
                               for b in frame["bucket"]])
    order = [_t(f"stage.{s}", lang) for s in pipeline.STAGES if s in set(frame["stage"])]
    span_order = [_t("chart.days_span", lang, span=spans[low]) for low, _ in STAGE_DAYS]
    return _finish(alt.Chart(frame).mark_bar().encode(
        x=alt.X("count:Q", title=_t("col.share", lang), stack="normalize",
                axis=alt.Axis(format="%")),
        y=alt.Y("stage_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)),
        color=alt.Color("span:N", title=_t("col.days_in_stage", lang), sort=span_order,
                        legend=alt.Legend(orient="bottom", labelLimit=LEGEND_LABEL),
                        scale=alt.Scale(domain=span_order, range=list(PALETTE[:5]))),
        order=alt.Order("bucket:Q"),
        tooltip=[alt.Tooltip("stage_label:N", title=_t("col.stage", lang)),
                 alt.Tooltip("span:N", title=_t("col.days_in_stage", lang)),
                 _shown_tooltip(lang, "col.count"),
                 alt.Tooltip("mean_days:Q", title=_t("col.mean_days", lang))]), lang)


def overdue(frame: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Follow-ups overdue at the end of each month."""
    frame, order = _months(frame, lang)
    return _finish(alt.Chart(frame).mark_line(point=True, color=PALETTE[5]).encode(
        x=_month_axis(order),
        y=alt.Y("count:Q", title=_t("col.overdue", lang)),
        tooltip=[alt.Tooltip("month_label:N", title=_t("col.month", lang)),
                 _shown_tooltip(lang, "col.overdue")]), lang)


def attendance(frame: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Hours present per month, a line per programme (the largest ones, then the rest
    together), and beside it the share of planned hours attended."""
    top = (frame.groupby("programme_id")["hours"].sum().sort_values(ascending=False)
           .index[:MAX_SERIES])
    names = frame.drop_duplicates("programme_id").set_index("programme_id")["programme"]
    frame = frame.assign(series=[names[p] if p in set(top) else _t("chart.others", lang)
                                 for p in frame["programme_id"]])
    summed = frame.groupby(["series", "month"], as_index=False)[["hours", "planned"]].sum()
    summed, order = _months(summed, lang)
    summed["rate"] = (summed["hours"] / summed["planned"]).where(summed["planned"] > 0)
    hours = alt.Chart(summed).mark_line(point=True).encode(
        x=_month_axis(order),
        y=alt.Y("hours:Q", title=_t("col.hours", lang)),
        color=alt.Color("series:N", title=_t("col.programme", lang),
                        scale=alt.Scale(range=list(PALETTE)),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=220)),
        tooltip=[alt.Tooltip("series:N", title=_t("col.programme", lang)),
                 alt.Tooltip("month_label:N", title=_t("col.month", lang)),
                 alt.Tooltip("hours:Q", title=_t("col.hours", lang), format=",.1f"),
                 alt.Tooltip("rate:Q", title=_t("col.rate", lang), format=".0%")])
    return _finish(hours, lang)


def attendance_rate(frame: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """The average attendance rate per month: hours present over hours planned."""
    summed = frame.groupby("month", as_index=False)[["hours", "planned"]].sum()
    summed, order = _months(summed, lang)
    summed["rate"] = (summed["hours"] / summed["planned"]).where(summed["planned"] > 0)
    return _finish(alt.Chart(summed).mark_bar(color=PALETTE[2]).encode(
        x=_month_axis(order),
        y=alt.Y("rate:Q", title=_t("col.rate", lang), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("month_label:N", title=_t("col.month", lang)),
                 alt.Tooltip("rate:Q", title=_t("col.rate", lang), format=".0%")]), lang)


def bars(frame: pd.DataFrame, key: str, title_key: str, lang: str,
         prefix: str | None = None, colour_by: str | None = None) -> alt.TopLevelMixin:
    """People per value of ``key`` (codes labelled by ``prefix.code``), largest first
    unless the codes have an order of their own."""
    labels = [(_t(f"{prefix}.{v}", lang) if prefix else str(v)) for v in frame[key]]
    frame = frame.assign(label=labels)
    sort = labels if prefix else "-x"
    encoding = {"color": alt.Color(f"{colour_by}:N", title=None, legend=alt.Legend(
        orient="bottom", columns=2, labelLimit=LEGEND_LABEL),
        scale=alt.Scale(range=list(PALETTE)))} if colour_by else {}
    return _finish(alt.Chart(frame).mark_bar(**({} if colour_by else {"color": PALETTE[0]}))
                   .encode(
        x=alt.X("count:Q", title=_t("col.people", lang)),
        y=alt.Y("label:N", title=None, sort=sort, axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("label:N", title=_t(title_key, lang)),
                 _shown_tooltip(lang, "col.people")], **encoding), lang)


def sex_age(frame: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """People by age band, women and men side by side."""
    frame = frame.assign(sex_label=[_t(f"col.{s}", lang) for s in frame["sex"]])
    return _finish(alt.Chart(frame).mark_bar().encode(
        x=alt.X("age_band:N", title=_t("col.age_band", lang), axis=alt.Axis(labelAngle=0)),
        xOffset="sex_label:N",
        y=alt.Y("count:Q", title=_t("col.people", lang)),
        color=alt.Color("sex_label:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[_t(f"col.{s}", lang) for s in vocab.SEXES],
                                        range=[PALETTE[3], PALETTE[0]])),
        tooltip=[alt.Tooltip("sex_label:N", title=_t("col.sex", lang)),
                 alt.Tooltip("age_band:N", title=_t("col.age_band", lang)),
                 _shown_tooltip(lang, "col.people")]), lang)


def progress(monthly_frame: pd.DataFrame, projection: pd.DataFrame,
             targets: Sequence[tuple[dt.date, int]], lang: str) -> alt.TopLevelMixin:
    """People included so far (cumulative, by month of first entry), the pace carried
    forward (dashed) and each target as a point at the day it is due."""
    done = monthly_frame.assign(day=pd.to_datetime(monthly_frame["month"] + "-01"),
                                kind=_t("chart.included", lang))
    ahead = projection.assign(day=pd.to_datetime(projection["day"]),
                              kind=_t("chart.projection", lang))
    goals = pd.DataFrame({"day": pd.to_datetime([d for d, _ in targets]),
                          "cumulative": [n for _, n in targets],
                          "kind": _t("chart.target", lang)})
    scale = alt.Scale(domain=[_t("chart.included", lang), _t("chart.projection", lang),
                              _t("chart.target", lang)],
                      range=[PALETTE[0], PALETTE[4], PALETTE[5]])
    x = alt.X("day:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    y = alt.Y("cumulative:Q", title=_t("col.people", lang))
    colour = alt.Color("kind:N", title=None, scale=scale,
                       legend=alt.Legend(orient="bottom", labelLimit=400))
    tips = [alt.Tooltip("kind:N", title=" "),
            alt.Tooltip("day:T", title=_t("col.date", lang), format=DATE_FORMAT),
            alt.Tooltip("cumulative:Q", title=_t("col.people", lang), format=",.0f")]
    layers = [alt.Chart(done).mark_line().encode(x=x, y=y, color=colour, tooltip=tips),
              alt.Chart(ahead).mark_line(strokeDash=[6, 4]).encode(x=x, y=y, color=colour,
                                                                  tooltip=tips)]
    if len(goals):
        layers.append(alt.Chart(goals).mark_point(size=120, shape="diamond", filled=True)
                      .encode(x=x, y=y, color=colour, tooltip=tips))
    return _finish(alt.layer(*layers), lang)


def hidden_counts(frame: pd.DataFrame) -> int:
    """How many counts of a chart's data are hidden as "<5" (workbench.disclosure)."""
    if "shown" not in frame:
        return 0
    return int(frame["shown"].astype(str).str.startswith("<").sum())


def is_empty(frame: pd.DataFrame) -> bool:
    """No row, or nothing but zeros: the chart would be a blank frame."""
    measure = next((c for c in ("count", "hours", "cumulative") if c in frame), None)
    return frame.empty or (measure is not None and not frame[measure].fillna(0).any())


def titled(chart: alt.TopLevelMixin, title: str, subtitle: str) -> alt.TopLevelMixin:
    """The chart with its title and period, for a file that leaves the page."""
    return chart.properties(title=alt.TitleParams(title, subtitle=subtitle, anchor="start"))


EXPORT_WIDTH = 720  # px: on screen a chart takes the page's width; a file needs its own


def _spec(chart: alt.TopLevelMixin) -> dict:
    spec = chart.to_dict()
    spec.setdefault("width", EXPORT_WIDTH)
    return spec


def png(chart: alt.TopLevelMixin, scale: float = 2) -> bytes:
    """The chart as a PNG picture (vl-convert: no browser needed)."""
    import vl_convert as vlc
    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def svg(chart: alt.TopLevelMixin) -> bytes:
    import vl_convert as vlc
    return vlc.vegalite_to_svg(_spec(chart)).encode("utf-8")


def csv(frame: pd.DataFrame, columns: dict[str, str]) -> bytes:
    """A chart's data as CSV (semicolons and decimal commas, UTF-8 with BOM, as a
    Slovenian Excel opens it); ``columns`` maps the columns kept to their headers."""
    return ("\ufeff" + frame[list(columns)].rename(columns=columns).to_csv(
        sep=";", decimal=",", index=False)).encode("utf-8")


def file_name(what: str, start: dt.date, end: dt.date, ext: str) -> str:
    """``vkljucevanje-2026-01-01_2026-12-01.csv``: what and which period."""
    return f"{what}-{start.isoformat()}_{end.isoformat()}.{ext}"


# -- the charts of the charts page and the dashboard, by name ---------------------------------
def _progress_chart(found, lang: str) -> alt.TopLevelMixin:
    return progress(found.monthly, found.projection,
                    [(g.due, g.people) for g in found.targets], lang)


# Each chart: the ``workbench.stats`` function whose figures it draws, and how it draws them.
FIGURES = {
    "caseload": ("caseload", caseload),
    "funnel": ("funnel", funnel),
    "inflow": ("inflow", lambda f, lang: monthly(f, "source", "referral_source",
                                                 SOURCE_COLOURS, lang)),
    "exits": ("exits", lambda f, lang: monthly(f, "destination", "exit_group",
                                               EXIT_COLOURS, lang)),
    "stage_time": ("stage_time", stage_time),
    "overdue": ("overdue", overdue),
    "attendance": ("attendance", attendance),
    "rate": ("attendance", attendance_rate),
    "places": ("places", lambda f, lang: bars(f, "municipality", "col.municipality", lang,
                                              colour_by="unit")),
    "target_groups": ("target_groups", lambda f, lang: bars(
        f, "target_group", "col.target_group", lang, prefix="target_group")),
    "sex_age": ("sex_age", sex_age),
    "progress": ("progress", _progress_chart),
}


def spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec as a page sends it: not validated again (the tests
    validate every chart function), sized by the page rather than Altair's 300 x 300 px."""
    drawn = chart.to_dict(validate=False)
    view = drawn.get("config", {}).get("view", {})
    for name in ("continuousWidth", "continuousHeight"):
        view.pop(name, None)
    return drawn


@dataclass(frozen=True)
class Figure:
    data: object                 # the stats function's result (a DataFrame or Progress)
    chart: alt.TopLevelMixin
    spec: dict


def figure(db, actor, what: str, filters, today: dt.date, lang: str) -> Figure:
    """A named chart with its figures, read as ``actor`` may see them (the stats function
    checks her rights and hides small counts)."""
    name, draw = FIGURES[what]
    data = getattr(stats, name)(db, actor, filters, today)
    chart = draw(data, lang)
    return Figure(data, chart, spec(chart))
