"""A chart of ``workbench.charts`` on screen, with its data as CSV and its picture as PNG
and SVG, each file named by what it shows and for which period."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from workbench import audit, charts
from workbench.ui import downloads, widgets
from workbench.ui.lang import fmt_date, t

CSV, PNG, SVG = "text/csv", "image/png", "image/svg+xml"


def show(title: str, fig: charts.Figure, frame: pd.DataFrame, columns: dict[str, str], *,
         name: str, start: dt.date, end: dt.date, key: str) -> None:
    """``columns`` maps the frame's columns to the CSV's headers (i18n keys)."""
    chart = fig.chart
    st.subheader(title, anchor=False)
    small = charts.hidden_counts(frame)
    if charts.is_empty(frame) and not small:
        st.caption(t("chart.empty"))
        return
    widgets.chart(fig.spec)
    headers = {column: t(label) for column, label in columns.items()}
    # The files are made on the click, outside this run (vl-convert takes ~0.1 s a
    # chart); the picture carries its title and period, which the page shows around it.
    def picture():
        return charts.titled(chart, title, f"{fmt_date(start)} – {fmt_date(end)}")
    files = (("csv", CSV, ":material/table:", lambda: charts.csv(frame, headers)),
             ("png", PNG, ":material/image:", lambda: charts.png(picture())),
             ("svg", SVG, ":material/image:", lambda: charts.svg(picture())))
    with st.container(horizontal=True, vertical_alignment="center"):
        for ext, mime, icon, make in files:
            downloads.download(t(f"chart.{ext}"), make, mime=mime, icon=icon,
                               file_name=charts.file_name(name, start, end, ext),
                               key=f"{key}_{ext}", type="tertiary", export=audit.Export(
                                   f"chart_{ext}", {"chart": name, "start": start.isoformat(),
                                                    "end": end.isoformat()}, None))
        if small:  # a bar the chart leaves out is said, not silently missing
            st.caption(t("chart.hidden", n=small))
