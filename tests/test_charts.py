"""The charts of workbench.charts: valid Vega-Lite (pages send them unvalidated), in the
UI language, stage colours fixed, and drawn on the pages that show them."""

from __future__ import annotations

import datetime as dt
import json

from tests.apptest_helpers import open_page
from workbench import charts, pipeline
from workbench.casework import Score
from workbench.i18n import EN, SL


def _values(spec: dict) -> list[dict]:
    (rows,) = spec["datasets"].values()
    return rows


def test_stage_counts_is_valid_and_keeps_pipeline_order_and_stage_colours():
    counts = {"referred": 3, "in_programme": 12, "exited": 4}
    spec = charts.stage_counts(counts, "sl").to_dict()  # validates against the schema
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == [SL["stage.referred"], SL["stage.in_programme"], SL["stage.exited"]]
    assert scale["range"] == [charts.STAGE_COLOURS[s] for s in counts]
    assert len(set(charts.STAGE_COLOURS.values())) == len(pipeline.STAGES)
    assert [r[SL["col.count"]] for r in _values(spec)] == [3, 12, 4]
    english = charts.stage_counts(counts, "en").to_dict()
    assert english["encoding"]["x"]["title"] == EN["col.count"]


def test_grouped_bars_draw_one_bar_per_row_and_measure():
    rows = [{"col.coordinator": "Ana Kos", "col.active_cases": 5, "col.overdue": 1},
            {"col.coordinator": "Maja Zupan", "col.active_cases": 7, "col.overdue": 0}]
    spec = charts.grouped_bars(rows, "col.coordinator", ("col.active_cases", "col.overdue"),
                               "sl").to_dict()
    values = _values(spec)
    assert len(values) == 4
    assert {v[SL["col.measure"]] for v in values} == {SL["col.active_cases"], SL["col.overdue"]}


def test_problem_scores_run_from_none_to_severe_with_slovenian_dates():
    scores = [Score(area="housing", score=2, scored_on=dt.date(2026, 3, 1)),
              Score(area="housing", score=1, scored_on=dt.date(2026, 6, 1))]
    spec = charts.problem_scores(scores, "sl").to_dict()
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 3]
    assert spec["encoding"]["x"]["axis"]["format"] == charts.DATE_FORMAT
    assert {v[SL["col.area"]] for v in _values(spec)} == {SL["problem.housing"]}


def test_the_home_page_draws_its_stage_chart(app_env):
    at = open_page(app_env, "ana.kos", "home")
    specs = [json.loads(e.proto.spec) for e in at.main
             if getattr(e, "proto", None) is not None and hasattr(e.proto, "spec")
             and e.proto.spec]
    assert len(specs) == 1
    assert SL["stage.in_programme"] in specs[0]["encoding"]["color"]["scale"]["domain"]
    assert "continuousWidth" not in json.dumps(specs[0])  # Streamlit sizes it, not altair
