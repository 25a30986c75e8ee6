"""The charts page, the manager's dashboard and reporting on the seeded region: figures
equal to a count by hand, small counts hidden from managers, no personal data on any
manager page or file, downloads that open, and indexes behind every chart query."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.apptest_helpers import component_text, open_page, texts
from tests.conftest import TODAY, assert_no_full_scan
from workbench import access, auth, charts, esf, i18n, sheets, stats
from workbench.db import open_db
from workbench.i18n import SL

YEAR = stats.Filters(TODAY.replace(month=1, day=1), TODAY, "gorenjska", kind="year")
FUNCTIONS = ("caseload", "funnel", "inflow", "exits", "stage_time", "overdue", "attendance",
             "places", "target_groups", "sex_age")


def users(db):
    return {name: auth.get_user_by_name(db, name) for name in ("ana.kos", "vodja", "trener")}


def test_funnel_and_inflow_equal_a_count_by_hand(db):
    ana = users(db)["ana.kos"]
    referred = db.execute("SELECT id FROM participants WHERE referral_date BETWEEN ? AND ?",
                          [YEAR.start.isoformat(), YEAR.end.isoformat()]).fetchall()
    funnel = stats.funnel(db, ana, YEAR, TODAY)
    assert funnel["count"][0] == len(referred)
    in_programme = sum(1 for (pid,) in referred if db.execute(
        "SELECT 1 FROM stage_history WHERE participant_id = ? AND to_stage IN "
        "('in_programme', 'exited')", [pid]).fetchone())
    assert funnel.set_index("stage")["count"]["in_programme"] == in_programme
    assert list(funnel["count"]) == sorted(funnel["count"], reverse=True)
    assert funnel["rate"][1] == pytest.approx(funnel["count"][1] / funnel["count"][0])
    inflow = stats.inflow(db, ana, YEAR, TODAY)
    assert inflow["count"].sum() == len(referred)
    assert len(set(inflow["month"])) == TODAY.month  # every month, zero or not


def test_small_counts_are_hidden_from_managers_only(db):
    who = users(db)
    filters = stats.Filters(YEAR.start, YEAR.end, "gorenjska", municipality=db.execute(
        "SELECT id FROM municipalities WHERE name = 'Jezersko'").fetchone()[0])
    exact = stats.target_groups(db, who["ana.kos"], filters, TODAY)
    hidden = stats.target_groups(db, who["vodja"], filters, TODAY)
    small = exact[(exact["count"] > 0) & (exact["count"] < 5)]
    assert len(small), "Jezersko should have small groups"
    for index in small.index:
        assert pd.isna(hidden["count"][index]) and hidden["shown"][index] == "<5"
    assert (exact["shown"] == exact["count"].astype(str)).all()
    # The trainer demonstrates on fictitious data: she sees what a coordinator sees.
    assert stats.target_groups(db, who["trener"], filters, TODAY)["count"].equals(
        exact["count"])


def test_a_coordinator_of_another_area_or_a_national_report_is_refused(db):
    vodja = users(db)["vodja"]
    for filters in (stats.Filters(YEAR.start, YEAR.end, "pomurje"),
                    stats.Filters(YEAR.start, YEAR.end, None)):
        with pytest.raises(access.Forbidden):
            stats.caseload(db, vodja, filters, TODAY)
    foreign = auth.User(999, "x", "X", "coordinator", "pomurje", None, True)
    with pytest.raises(access.Forbidden):
        stats.funnel(db, vodja, stats.Filters(YEAR.start, YEAR.end, "gorenjska",
                                              coordinator=foreign.id), TODAY)


def test_a_crafted_unit_or_municipality_of_another_area_counts_nobody(db):
    trainer = users(db)["trener"]  # exact counts on the training database
    with db.conn:
        db.execute("INSERT INTO csd_units (code, name, area_code) VALUES "
                   "('ptuj', 'CSD Spodnje Podravje, enota Ptuj', 'spodnje_podravje')")
        mid = db.execute("INSERT INTO municipalities (name, unit_code) VALUES "
                         "('Ptuj', 'ptuj')").lastrowid
        db.execute("UPDATE participants SET municipality_id = ? WHERE id = (SELECT id FROM "
                   "participants WHERE stage = 'in_programme' LIMIT 1)", [mid])
    national = auth.User(0, "drzava", "Država", "trainer", None, None, True)  # exact counts
    assert stats.target_groups(db, national, stats.Filters(
        YEAR.start, YEAR.end, None, municipality=mid), TODAY)["count"].sum() == 1
    for crafted in ({"municipality": mid}, {"unit": "ptuj"}):
        found = stats.target_groups(db, trainer, stats.Filters(
            YEAR.start, YEAR.end, "gorenjska", **crafted), TODAY)
        assert found["count"].sum() == 0, crafted


def test_progress_projects_the_pace_to_the_regional_target(db):
    found = stats.progress(db, users(db)["vodja"], YEAR, TODAY)
    included = db.execute("SELECT COUNT(*) FROM participants WHERE entry_date <= ?",
                          [TODAY.isoformat()]).fetchone()[0]
    assert found.included == included == found.monthly["cumulative"].iloc[-1]
    assert [t.people for t in found.targets] == [300, 450]
    # The pace: people first included in the 12 complete months before November 2026.
    last12 = db.execute("SELECT COUNT(*) FROM participants WHERE entry_date >= '2025-11-01' "
                        "AND entry_date < '2026-11-01'").fetchone()[0]
    pace = last12 / 12
    assert last12 > 0 and found.pace == pytest.approx(pace)
    # From 22 November to 31 December 2026: 39 days at that pace (a month of 365.25/12 days).
    end_2026 = dt.date(2026, 12, 31)
    by_end = included + pace * 39 / (365.25 / 12)
    assert found.projected(end_2026) == pytest.approx(by_end)
    assert found.projection["day"].iloc[-1] == dt.date(2027, 12, 31)
    assert found.standing(found.targets[0]) == (
        "reached" if included >= 300 else "on_pace" if round(by_end) >= 300 else "behind",
        included if included >= 300 else round(by_end))


def test_previous_period_is_the_same_days_a_year_or_month_before():
    assert YEAR.previous().start == dt.date(2025, 1, 1)
    assert YEAR.previous().end == dt.date(2025, 11, 22)
    march = stats.Filters(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "g", kind="month")
    assert (march.previous().start, march.previous().end) == (dt.date(2026, 2, 1),
                                                              dt.date(2026, 2, 28))
    custom = stats.Filters(dt.date(2026, 3, 1), dt.date(2026, 3, 10), "g")
    assert custom.previous().end == dt.date(2026, 2, 28)


def test_every_chart_is_valid_and_exports_csv_png_and_svg(db):
    vodja = users(db)["vodja"]
    made = {
        "caseload": charts.caseload(stats.caseload(db, vodja, YEAR, TODAY), "sl"),
        "funnel": charts.funnel(stats.funnel(db, vodja, YEAR, TODAY), "sl"),
        "inflow": charts.monthly(stats.inflow(db, vodja, YEAR, TODAY), "source",
                                 "referral_source", charts.SOURCE_COLOURS, "sl"),
        "exits": charts.monthly(stats.exits(db, vodja, YEAR, TODAY), "destination",
                                "exit_group", charts.EXIT_COLOURS, "en"),
        "stage_time": charts.stage_time(stats.stage_time(db, vodja, YEAR, TODAY), "sl"),
        "overdue": charts.overdue(stats.overdue(db, vodja, YEAR, TODAY), "sl"),
        "attendance": charts.attendance(stats.attendance(db, vodja, YEAR, TODAY), "sl"),
        "rate": charts.attendance_rate(stats.attendance(db, vodja, YEAR, TODAY), "sl"),
        "places": charts.bars(stats.places(db, vodja, YEAR, TODAY), "municipality",
                              "col.municipality", "sl", colour_by="unit"),
        "sex_age": charts.sex_age(stats.sex_age(db, vodja, YEAR, TODAY), "sl"),
    }
    found = stats.progress(db, vodja, YEAR, TODAY)
    made["progress"] = charts.progress(found.monthly, found.projection,
                                       [(t.due, t.people) for t in found.targets], "sl")
    for name, chart in made.items():
        spec = chart.to_dict()  # validates against the Vega-Lite schema
        rows = sum(len(v) for v in spec.get("datasets", {}).values())
        assert 0 < rows <= 5000, name
        assert spec["config"]["locale"]["number"]["decimal"] == ("." if name == "exits"
                                                                 else ",")
    assert charts.png(made["funnel"]).startswith(b"\x89PNG")
    assert b"<svg" in charts.svg(made["inflow"])[:200]
    frame = stats.inflow(db, vodja, YEAR, TODAY)
    data = charts.csv(frame, {"month": "Mesec", "shown": "Oseb"}).decode("utf-8-sig")
    assert data.splitlines()[0] == "Mesec;Oseb" and len(data.splitlines()) == len(frame) + 1
    assert charts.file_name("lijak", YEAR.start, YEAR.end, "png") == \
        "lijak-2026-01-01_2026-11-22.png"


@pytest.mark.parametrize("name", sorted(stats.ALL_QUERIES))
def test_chart_queries_seek_indexes_on_the_national_database(national, name):
    for filters in (stats.Filters(TODAY.replace(month=1, day=1), TODAY, "ljubljana"),
                    stats.Filters(TODAY.replace(month=1, day=1), TODAY, "ljubljana",
                                  target_group="dsp", unit="ljubljana")):
        assert_no_full_scan(national, stats.sql(stats.ALL_QUERIES[name], filters),
                            filters.params(TODAY))


def _personal_data(db) -> list[str]:
    """Every participant's name, EMŠO, phone and written birth date."""
    found = []
    for first, last, emso, phone, born in db.execute(
            "SELECT first_name, last_name, emso, phone, birth_date FROM participants"):
        found += [f"{first} {last}", f"{last} {first}", i18n.format_date(born)]
        found += [v for v in (emso, phone) if v]
    return found


def test_manager_pages_and_files_hold_no_personal_data(app_env):
    db = open_db(app_env)
    vodja = auth.get_user_by_name(db, "vodja")
    shown = []
    for page, tabs in (("region", (None,)), ("charts", [SL[f"charts.tab_{n}"] for n in (
            "cases", "flow", "time", "attendance", "people", "targets")]),
            ("reporting", [SL[f"reporting.tab_{n}"] for n in ("esf", "quality", "ema")]),
            ("home", (None,)), ("workload", (None,))):
        for tab in tabs:
            at = open_page(app_env, "vodja", page, **({"zavihek": tab} if tab else {}))
            assert not at.exception, (page, tab, at.exception)
            shown.append(texts(at) + component_text(at) + " ".join(
                str(t.value) for t in at.table) + " ".join(str(m.value) for m in at.metric))
    for name in FUNCTIONS:
        frame = getattr(stats, name)(db, vodja, YEAR, TODAY)
        shown.append(charts.csv(frame, {c: c for c in frame.columns}).decode("utf-8-sig"))
    report = esf.report(db, vodja, 2025, "gorenjska", TODAY)
    shown.append(esf.report_csv(report, str, str).decode("utf-8-sig"))
    everything = "\n".join(shown)
    assert "CO01" in everything and SL["charts.caseload"] in everything
    leaked = [value for value in _personal_data(db) if value in everything]
    assert not leaked, leaked[:5]
    db.close()


def test_coordinator_reporting_links_each_blocking_record(app_env):
    at = open_page(app_env, "ana.kos", "reporting", zavihek=SL["reporting.tab_quality"])
    assert not at.exception
    html = component_text(at)
    assert SL["problem.follow_up_without_result"] in html
    at = open_page(app_env, "ana.kos", "reporting", zavihek=SL["reporting.tab_ema"])
    assert [b.label for b in at.get("download_button")] == [SL["reporting.ema_download"]]


def test_the_home_page_reminds_of_the_ema_export_until_it_is_marked(app_env, monkeypatch):
    monkeypatch.setenv("WORKBENCH_TODAY", "2027-01-10")  # 2026 is over, due in 5 days
    at = open_page(app_env, "ana.kos", "home")
    reminder = SL["reporting.reminder"].format(year=2026, due="15. 1. 2027")
    assert reminder in [w.value for w in at.warning]
    at = open_page(app_env, "ana.kos", "reporting", zavihek=SL["reporting.tab_ema"])
    at.get("form_submit_button")[0].click().run()
    assert SL["reporting.marked"].format(year=2026) in [s.value for s in at.success]
    at = open_page(app_env, "ana.kos", "home")
    assert reminder not in [w.value for w in at.warning]
    db = open_db(app_env)  # the export opens as a workbook with one row per person
    rows = esf.ema_rows(db, auth.get_user_by_name(db, "ana.kos"), 2026, "gorenjska",
                        dt.date(2027, 1, 10))
    book = load_workbook(io.BytesIO(sheets.ema_xlsx(rows)))
    assert book.active.max_row == len(rows) + 1 > 1
    db.close()


def test_filters_in_the_address_survive_a_refresh_and_crafted_ones_are_ignored(app_env):
    at = open_page(app_env, "vodja", "charts", skupina="dsp", enota="kranj")
    assert not at.exception
    assert at.selectbox(key="charts_group").value == "dsp"
    assert at.selectbox(key="charts_unit").value == "kranj"
    at.selectbox(key="charts_group").set_value("roma_women").run()
    assert at.query_params["skupina"] == "roma_women"  # what a refresh reopens
    at = open_page(app_env, "vodja", "charts", obcina="99999", skupina="<b>x</b>",
                   obdobje="custom", od="2026-13-01", do="1. 2. 2026")
    assert not at.exception
    assert at.selectbox(key="charts_muni").value is None
    assert at.selectbox(key="charts_group").value is None
    assert at.text_input(key="charts_to").value == "1. 2. 2026"


def test_every_named_figure_of_the_pages_builds_with_its_spec(db):
    vodja = users(db)["vodja"]
    for what in charts.FIGURES:
        fig = charts.figure(db, vodja, what, YEAR, TODAY, "en")
        assert fig.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        assert "continuousWidth" not in fig.spec.get("config", {}).get("view", {}), what
        assert fig.spec["config"]["locale"]["number"]["decimal"] == "."
