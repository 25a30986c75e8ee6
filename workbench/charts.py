"""Charts as pure functions: data and a language in, an altair Chart out.

Pages and notebooks call the same functions; nothing here knows Streamlit. Labels
come from ``workbench.i18n`` in the language asked for, dates are written the
Slovenian way, and the stage colours are the same on every chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from workbench import i18n, pipeline
from workbench.casework import Score

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
    ``measures`` are i18n keys of the columns."""
    who, measure, count = _t(label, lang), _t("col.measure", lang), _t("col.count", lang)
    long = pd.DataFrame([{who: row[label], measure: _t(m, lang), count: row[m]}
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
