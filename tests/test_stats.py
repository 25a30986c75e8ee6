"""The charts page, the manager's dashboard and reporting on the seeded region: figures
equal to a count by hand, small counts hidden from managers, no personal data on any
manager page or file, downloads that open, and indexes behind every chart query."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

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


# -- Small hand-built regions: each figure against people counted by hand --------------
# Ana and Bor coordinate in Gorenjska (units Kranj and Jesenice), Cene in Pomurje. The
# actors: Ana and, on this training database, a national trainer see exact counts; the
# regional manager sees aggregates only.
ANA = auth.User(1, "ana", "Ana Kos", "coordinator", "gorenjska", "kranj", True)
MANAGER = auth.User(90, "vodja", "Vodja", "manager", "gorenjska", None, True)
NATIONAL = auth.User(91, "drzava", "Država", "trainer", None, None, True)
SPRING = stats.Filters(dt.date(2026, 3, 1), dt.date(2026, 5, 31), "gorenjska")


def _place(db, name: str) -> int:
    return db.execute("SELECT id FROM municipalities WHERE name = ?", [name]).fetchone()[0]


@pytest.fixture
def region(memory_db):
    """A training database with three coordinators and no people yet; Pomurje gets a unit
    and a municipality."""
    db = memory_db
    with db.conn:
        db.execute("INSERT INTO meta (key, value) VALUES ('environment', 'training')")
        db.execute("INSERT INTO csd_units (code, name, area_code) VALUES "
                   "('murska_sobota', 'CSD Pomurje, enota Murska Sobota', 'pomurje')")
        db.execute("INSERT INTO municipalities (name, unit_code) VALUES "
                   "('Murska Sobota', 'murska_sobota')")
        for uid, name, area, unit in ((1, "Ana Kos", "gorenjska", "kranj"),
                                      (2, "Bor Novak", "gorenjska", "jesenice"),
                                      (3, "Cene Horvat", "pomurje", "murska_sobota")):
            db.execute("INSERT INTO users (id, username, display_name, role, area_code, "
                       "unit_code, password_hash, created_at) VALUES (?, ?, ?, 'coordinator', "
                       "?, ?, 'x', '2026-01-01')", [uid, name.split()[0].lower(), name, area,
                                                     unit])
        db.execute("INSERT INTO providers (id, name) VALUES (1, 'Zavod')")
    return db


def _person(db, *, referred="2026-03-10", stage="motivation", since=None, coordinator=1,
            place="Kranj", group="dsp", source="csd", sex="F", born="1980-06-15",
            entry=None, exit=None, destination=None, moves=()) -> int:
    """A person referred on ``referred``; ``moves`` are (stage, day) of her history after
    the referral, which is always its first row."""
    with db.conn:
        pid = db.execute(
            "INSERT INTO participants (first_name, last_name, sex, birth_date, "
            "municipality_id, target_group, referral_source, referral_date, coordinator_id, "
            "stage, stage_since, entry_date, exit_date, exit_destination, created_at, "
            "updated_at) VALUES ('Ime', 'Priimek', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sex, born, _place(db, place), group, source, referred, coordinator, stage,
             since or (moves[-1][1] if moves else referred), entry, exit, destination,
             referred, referred]).lastrowid
        for to_stage, day in (("referred", referred), *moves):
            db.execute("INSERT INTO stage_history (participant_id, to_stage, changed_at) "
                       "VALUES (?, ?, ?)", [pid, to_stage, f"{day}T09:00:00"])
    return pid


def _programme(db, name: str, start: str = "2026-01-05", area: str = "gorenjska") -> int:
    with db.conn:
        return db.execute("INSERT INTO programmes (name, provider_id, type, area_code, "
                          "start_date, end_date, hours_per_day, days_per_week) VALUES "
                          "(?, 1, 'short', ?, ?, '2026-12-31', 4, 2)",
                          [name, area, start]).lastrowid


def _attended(db, programme: int, pid: int, day: str, planned: float, present: float) -> None:
    with db.conn:
        sid = db.execute("INSERT INTO sessions (kind, programme_id, title, date, start_time, "
                         "hours) VALUES ('group', ?, 'Delavnica', ?, '09:00', ?)",
                         [programme, day, planned]).lastrowid
        db.execute("INSERT INTO attendance (session_id, participant_id, hours) VALUES "
                   "(?, ?, ?)", [sid, pid, present])


def _enrol(db, pid: int, programme: int) -> None:
    with db.conn:
        db.execute("INSERT INTO enrolments (participant_id, programme_id, contract_date, "
                   "start_date, status) VALUES (?, ?, '2026-02-01', '2026-02-02', 'active')",
                   [pid, programme])


def _task(db, pid: int, due: str, done: str | None = None, kind: str = "follow_up_4w"):
    with db.conn:
        db.execute("INSERT INTO tasks (participant_id, kind, due_date, done_at, assigned_to, "
                   "created_at) VALUES (?, ?, ?, ?, 1, '2026-01-01')", [pid, kind, due, done])


@pytest.mark.parametrize(("kind", "today", "start"), [
    ("month", dt.date(2026, 11, 22), dt.date(2026, 11, 1)),
    ("quarter", dt.date(2026, 1, 15), dt.date(2026, 1, 1)),
    ("quarter", dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
    ("quarter", dt.date(2026, 5, 17), dt.date(2026, 4, 1)),
    ("quarter", dt.date(2026, 12, 5), dt.date(2026, 10, 1)),
    ("year", dt.date(2026, 11, 22), dt.date(2026, 1, 1)),
    ("custom", dt.date(2026, 7, 9), dt.date(2026, 1, 1)),
])
def test_a_period_runs_from_the_first_day_of_its_month_quarter_or_year_to_today(
        kind, today, start):
    assert stats.period(kind, today) == (start, today)


@pytest.mark.parametrize(("kind", "start", "end", "before"), [
    # this month so far against the same days of the month before, across a new year
    ("month", dt.date(2026, 1, 1), dt.date(2026, 1, 20), (dt.date(2025, 12, 1),
                                                          dt.date(2025, 12, 20))),
    # a 31st goes back to the shorter month's last day
    ("month", dt.date(2026, 5, 1), dt.date(2026, 5, 31), (dt.date(2026, 4, 1),
                                                          dt.date(2026, 4, 30))),
    ("quarter", dt.date(2026, 4, 1), dt.date(2026, 5, 31), (dt.date(2026, 1, 1),
                                                            dt.date(2026, 2, 28))),
    ("year", dt.date(2024, 1, 1), dt.date(2024, 2, 29), (dt.date(2023, 1, 1),
                                                         dt.date(2023, 2, 28))),
    # a custom period against the same number of days just before it
    ("custom", dt.date(2026, 3, 1), dt.date(2026, 3, 10), (dt.date(2026, 2, 19),
                                                           dt.date(2026, 2, 28))),
])
def test_the_period_before_keeps_the_groups_and_goes_back_by_its_kind(kind, start, end,
                                                                       before):
    filters = stats.Filters(start, end, "gorenjska", unit="kranj", municipality=8,
                            programme=4, target_group="dsp", coordinator=1, kind=kind)
    assert stats.Filters(*before, "gorenjska", unit="kranj", municipality=8, programme=4,
                         target_group="dsp", coordinator=1, kind=kind) == filters.previous()


def test_every_month_of_a_period_is_named_once_across_a_new_year():
    assert stats.months_between(dt.date(2025, 11, 30), dt.date(2026, 2, 1)) == [
        "2025-11", "2025-12", "2026-01", "2026-02"]
    assert stats.months_between(dt.date(2026, 3, 5), dt.date(2026, 3, 9)) == ["2026-03"]


def _counted(db, actor, **narrower) -> int:
    """How many people with a case open in spring ``target_groups`` counts."""
    filters = stats.Filters(SPRING.start, SPRING.end, **{"area": "gorenjska", **narrower})
    return int(stats.target_groups(db, actor, filters, TODAY)["count"].sum())


def test_each_filter_narrows_to_its_own_people_and_filters_add_up(region):
    """The area, unit, municipality, target group, coordinator and programme each count
    only their people, together only the people who meet all of them, and a national
    account with no filter counts every area."""
    db = region
    kranj = _person(db, place="Kranj", group="dsp", coordinator=1)
    _person(db, place="Kranj", group="roma_women", coordinator=2)
    _person(db, place="Jesenice", group="dsp", coordinator=2)
    _person(db, place="Bled", group="roma_women", coordinator=1)
    _person(db, place="Murska Sobota", coordinator=3)
    programme = _programme(db, "Korak naprej")
    _enrol(db, kranj, programme)
    assert _counted(db, ANA) == 4
    assert _counted(db, ANA, unit="kranj") == 2
    assert _counted(db, ANA, unit="jesenice", municipality=_place(db, "Jesenice")) == 1
    assert _counted(db, ANA, unit="kranj", municipality=_place(db, "Jesenice")) == 0
    assert _counted(db, ANA, municipality=_place(db, "Bled")) == 1
    assert _counted(db, ANA, target_group="roma_women") == 2
    assert _counted(db, ANA, coordinator=2) == 2
    assert _counted(db, ANA, coordinator=2, target_group="dsp") == 1
    assert _counted(db, ANA, programme=programme) == 1
    assert _counted(db, NATIONAL, area=None) == 5
    assert _counted(db, NATIONAL, area=None, coordinator=3) == 1  # any area's coordinator


def test_a_chart_refuses_another_area_a_national_count_or_a_foreign_coordinator(region):
    """One refusal, ``error.forbidden``, whatever was asked; a coordinator of the area
    may be chosen."""
    db = region
    _person(db, coordinator=2)
    for actor, narrower in ((MANAGER, {"area": None}), (MANAGER, {"area": "pomurje"}),
                            (ANA, {"coordinator": 3}), (ANA, {"coordinator": 404})):
        with pytest.raises(access.Forbidden) as refused:
            _counted(db, actor, **narrower)
        assert refused.value.key == "error.forbidden", (actor.username, narrower)
    assert _counted(db, MANAGER, coordinator=2) == 0  # one person: hidden from a manager
    assert _counted(db, ANA, coordinator=2) == 1


@pytest.fixture
def spring(region):
    """A spring with a bit of everything: referrals, moves, an inclusion, an exit, an
    overdue follow-up and hours in a programme: every count a small one."""
    db = region
    _person(db, referred="2026-03-02", moves=(("first_interview", "2026-03-06"),
                                              ("motivation", "2026-03-20")))
    included = _person(db, referred="2026-03-15", source="self", stage="in_programme",
                       entry="2026-04-01", moves=(("first_interview", "2026-03-20"),
                                                  ("motivation", "2026-03-25"),
                                                  ("contract", "2026-03-30"),
                                                  ("in_programme", "2026-04-01")))
    left = _person(db, referred="2025-12-01", stage="exited", entry="2026-01-10",
                   exit="2026-04-20", destination="primary_employment", sex="M",
                   moves=(("in_programme", "2026-01-10"), ("exited", "2026-04-20")))
    _task(db, left, "2026-04-25")
    _attended(db, _programme(db, "Korak naprej"), included, "2026-04-10", 4, 3)
    return db


@pytest.mark.parametrize("name", [n for n in FUNCTIONS if n != "attendance"])
def test_a_coordinator_sees_every_count_and_a_manager_no_small_one(spring, name):
    """Exact counts (``shown`` the same number) for the coordinator; for the manager each
    count from 1 to 4 missing and shown as "<5", the others as they are."""
    exact = getattr(stats, name)(spring, ANA, SPRING, TODAY)
    hidden = getattr(stats, name)(spring, MANAGER, SPRING, TODAY)
    assert exact["count"].notna().all()
    assert list(exact["shown"]) == [str(int(n)) for n in exact["count"]]
    small = (exact["count"] > 0) & (exact["count"] < 5)
    assert small.any(), name
    assert hidden["count"][small].isna().all() and (hidden["shown"][small] == "<5").all()
    assert list(hidden["count"][~small]) == list(exact["count"][~small])
    assert list(hidden["shown"][~small]) == list(exact["shown"][~small])


def test_a_count_below_the_dated_threshold_is_hidden_and_one_at_it_is_shown(region):
    """The threshold (5) is the first count a manager sees; zero stays zero."""
    for group, people in (("dsp", 5), ("unemployed_zrsz", 4), ("roma_women", 1)):
        for _ in range(people):
            _person(region, group=group)
    found = stats.target_groups(region, MANAGER, SPRING, TODAY).set_index("target_group")
    assert found["count"]["dsp"] == 5 and found["shown"]["dsp"] == "5"
    for group in ("unemployed_zrsz", "roma_women"):
        assert pd.isna(found["count"][group]) and found["shown"][group] == "<5"
    assert found["count"]["inactive_complex"] == 0
    assert found["shown"]["inactive_complex"] == "0"
    assert list(found.index) == list(stats.vocab.TARGET_GROUPS)


def test_the_funnel_counts_the_furthest_stage_and_the_share_that_went_on(region):
    """Each stage counts the people referred in the period who reached it or went
    further; the rate is the share of the stage before (none after a stage nobody
    reached), and a manager sees no rate of a hidden count."""
    _person(region, referred="2026-03-02")
    _person(region, referred="2026-03-03", moves=(("first_interview", "2026-03-09"),))
    for day in ("2026-03-04", "2026-04-01"):
        _person(region, referred=day, moves=(("first_interview", "2026-04-06"),
                                             ("motivation", "2026-04-10"),
                                             ("contract", "2026-04-20")))
    _person(region, referred="2026-02-27", moves=(("first_interview", "2026-03-02"),))
    found = stats.funnel(region, ANA, SPRING, TODAY)
    assert list(found["stage"]) == list(stats.FUNNEL)
    assert list(found["count"]) == [4, 3, 2, 2, 0, 0]
    assert pd.isna(found["rate"][0])
    assert list(found["rate"][1:5]) == pytest.approx([3 / 4, 2 / 3, 1.0, 0.0])
    assert pd.isna(found["rate"][5])
    hidden = stats.funnel(region, MANAGER, SPRING, TODAY)
    assert hidden["rate"].isna().all()
    assert list(hidden["shown"]) == ["<5", "<5", "<5", "<5", "0", "0"]


def test_inflow_and_exits_have_a_row_for_every_month_and_kind(region):
    """Referrals by month and source, exits by month and where the people went (an
    unknown destination as ``unknown``): a zero for every month and kind without any."""
    for day, source in (("2026-03-02", "csd"), ("2026-03-30", "csd"), ("2026-05-31", "self"),
                        ("2026-06-01", "csd")):
        _person(region, referred=day, source=source)
    for day, destination in (("2026-04-20", "primary_employment"), ("2026-05-02", None),
                             ("2026-05-03", "none"), ("2026-06-01", "education")):
        _person(region, referred="2025-10-01", stage="exited", entry="2025-11-01",
                exit=day, destination=destination)
    inflow = stats.inflow(region, ANA, SPRING, TODAY).set_index(["month", "source"])
    assert len(inflow) == 3 * len(stats.vocab.REFERRAL_SOURCES)
    assert inflow["count"].sum() == 3
    assert inflow["count"][("2026-03", "csd")] == 2
    assert inflow["count"][("2026-05", "self")] == 1
    assert (inflow["count"].xs("2026-04") == 0).all()
    exits = stats.exits(region, ANA, SPRING, TODAY).set_index(["month", "destination"])
    assert len(exits) == 3 * (len(stats.vocab.EXIT_GROUP_ORDER) + 1)
    assert exits["count"].sum() == 3
    assert exits["count"][("2026-04", "primary")] == 1
    assert exits["count"][("2026-05", "unknown")] == 1
    assert exits["count"][("2026-05", "drop_out")] == 1
    assert (exits["count"].xs("2026-03") == 0).all()
    assert exits["shown"][("2026-03", "primary")] == "0"


def test_stage_time_counts_the_days_each_stage_entered_in_the_period_lasted(region):
    """A stage lasts until the next move, or until today; ``bucket`` is the first day of
    its span (a number), with the mean days of the stages in it."""
    _person(region, referred="2026-03-02", stage="contract",
            moves=(("first_interview", "2026-03-06"), ("motivation", "2026-03-20"),
                   ("contract", "2026-06-25")))
    _person(region, referred="2026-05-01", stage="referred")
    found = stats.stage_time(region, ANA, SPRING, TODAY)
    rows = sorted(zip(found["stage"], found["bucket"], found["count"], found["mean_days"],
                      found["shown"], strict=True))
    assert rows == [("first_interview", 8, 1, 14, "1"), ("motivation", 91, 1, 97, "1"),
                    ("referred", 0, 1, 4, "1"), ("referred", 181, 1, 205, "1")]
    assert all(isinstance(b, int) for b in found["bucket"].tolist())


def test_attendance_gives_hours_and_their_share_of_the_planned_per_programme(region):
    """Hours present over hours planned for the people on the list, per programme and
    month; with a programme chosen, only that programme's hours (not the hours its
    people spent in another)."""
    pid = _person(region, stage="in_programme")
    first, second = _programme(region, "Korak naprej"), _programme(region, "Nov začetek")
    _enrol(region, pid, first)
    _attended(region, first, pid, "2026-04-10", 1, 1)
    _attended(region, second, pid, "2026-04-12", 3, 2)
    _attended(region, second, pid, "2026-06-12", 3, 3)  # after the period
    columns = ["programme_id", "programme", "month", "hours", "planned", "rate"]
    every = stats.attendance(region, MANAGER, SPRING, TODAY)  # hours: never hidden
    assert list(every.columns) == columns
    assert sorted(zip(every["programme"], every["month"], every["hours"], every["planned"],
                      every["rate"], strict=True)) == [
        ("Korak naprej", "2026-04", 1, 1, 1.0),
        ("Nov začetek", "2026-04", 2, 3, pytest.approx(2 / 3))]
    chosen = stats.attendance(region, ANA, replace(SPRING, programme=first), TODAY)
    assert list(chosen.columns) == columns
    assert list(chosen.index) == [0]
    assert (chosen["programme"][0], chosen["hours"][0], chosen["rate"][0]) == (
        "Korak naprej", 1, 1.0)


def test_sex_and_age_give_every_band_of_each_sex_with_the_age_at_the_period_end(region):
    """Ten cells (two sexes by five bands), zero where nobody is; the age is the one at
    the period's end (24 on 31 May for someone born on 1 June 2001)."""
    _person(region, sex="F", born="2001-06-01")
    _person(region, sex="F", born="2001-05-31")
    _person(region, sex="M", born="1960-01-01")
    found = stats.sex_age(region, ANA, SPRING, TODAY).set_index(["sex", "age_band"])
    bands = [b for b, _ in esf.AGE_BANDS]
    assert list(found.index) == [(s, b) for s in ("F", "M") for b in bands]
    assert found["count"][("F", "15-24")] == 1 and found["count"][("F", "25-34")] == 1
    assert found["count"][("M", "55+")] == 1
    assert found["count"].sum() == 3 and found["shown"][("M", "15-24")] == "0"


def test_targets_are_the_areas_own_or_the_national_ones_by_their_day(region):
    assert stats.targets(region, None) == [stats.Target(dt.date(2018, 12, 31), 5200),
                                           stats.Target(dt.date(2022, 12, 31), 12500)]
    assert stats.targets(region, "gorenjska") == [stats.Target(dt.date(2026, 12, 31), 300),
                                                  stats.Target(dt.date(2027, 12, 31), 450)]
    assert stats.targets(region, "pomurje") == []


@pytest.fixture
def included(region):
    """People first included (by entry) from June 2025 to this month, one of them after
    today, one in another area."""
    for day, group in (("2025-06-10", "dsp"), ("2025-11-05", "dsp"), ("2025-11-28", "dsp"),
                       ("2026-03-15", "dsp"), ("2026-03-20", "roma_women"),
                       ("2026-10-01", "dsp"), ("2026-10-20", "dsp"), ("2026-10-31", "dsp"),
                       ("2026-11-05", "dsp"), ("2026-12-01", "dsp")):
        _person(region, referred="2025-05-01", stage="in_programme", entry=day, group=group)
    _person(region, referred="2025-05-01", stage="in_programme", entry="2026-05-01",
            place="Murska Sobota", coordinator=3)
    return region


def test_progress_counts_the_whole_areas_inclusions_by_month(included):
    """Every month from the first inclusion to this one, zero where nobody entered, the
    running total, whatever period or group the page has chosen; the pace is the mean of
    the last 12 complete months (this one is not over)."""
    chosen = replace(SPRING, target_group="roma_women", unit="jesenice")
    found = stats.progress(included, ANA, chosen, TODAY)
    months = stats.months_between(dt.date(2025, 6, 1), TODAY)
    assert list(found.monthly["month"]) == months
    counts = dict(zip(found.monthly["month"], found.monthly["count"], strict=True))
    assert (counts["2025-06"], counts["2025-11"], counts["2026-03"], counts["2026-10"],
            counts["2026-11"]) == (1, 2, 2, 3, 1)
    assert sum(counts.values()) == 9 and counts["2025-07"] == 0
    assert list(found.monthly["cumulative"]) == list(found.monthly["count"].cumsum())
    assert found.included == 9 and found.today == TODAY
    assert found.pace == pytest.approx(7 / 12)  # November 2025 to October 2026
    assert found.targets == stats.targets(included, "gorenjska")
    assert found.projected(TODAY) == found.projected(dt.date(2026, 1, 1)) == 9
    assert found.projected(dt.date(2027, 1, 22)) == pytest.approx(9 + 7 / 12 * 61 / (365.25 / 12))
    assert found.reached_by(dt.date(2026, 3, 1)) == 5  # by the end of that day's month
    assert found.reached_by(dt.date(2025, 6, 30)) == 1
    assert found.reached_by(dt.date(2025, 5, 31)) == 0


def test_a_target_is_reached_missed_on_pace_or_behind(included):
    """A target whose day has passed: reached or missed by the count of its month; today's
    or a later one: reached by today's count, else on pace when the rounded projection
    gets there. At a count equal to the target it is reached."""
    found = stats.progress(included, ANA, SPRING, TODAY)
    march, soon = dt.date(2026, 3, 31), dt.date(2027, 1, 22)  # soon: 10 projected
    assert found.standing(stats.Target(march, 5)) == ("reached", 5)
    assert found.standing(stats.Target(march, 6)) == ("missed", 5)
    assert found.standing(stats.Target(TODAY, 9)) == ("reached", 9)
    assert found.standing(stats.Target(TODAY, 10)) == ("behind", 9)
    assert found.standing(stats.Target(soon, 9)) == ("reached", 9)
    assert found.standing(stats.Target(soon, 10)) == ("on_pace", 10)
    assert found.standing(stats.Target(soon, 11)) == ("behind", 10)


def test_the_projection_runs_by_month_ends_to_the_last_target(included):
    """Today, each month's last day, then the day of the furthest target still ahead;
    each at the pace."""
    with included.conn:
        included.execute("INSERT INTO rules (name, value, effective_from) VALUES "
                         "('inclusion_target_gorenjska', 600, '2028-06-30')")
    found = stats.progress(included, ANA, SPRING, TODAY)
    days = list(found.projection["day"])
    assert days[:4] == [TODAY, dt.date(2026, 11, 30), dt.date(2026, 12, 31),
                        dt.date(2027, 1, 31)]
    assert days[-3:] == [dt.date(2028, 4, 30), dt.date(2028, 5, 31), dt.date(2028, 6, 30)]
    assert len(days) == 21
    assert list(found.projection["cumulative"]) == pytest.approx(
        [9 + 7 / 12 * (d - TODAY).days / (365.25 / 12) for d in days])


def test_an_area_without_targets_ahead_is_projected_to_the_end_of_next_year(included):
    """Pomurje: one person, included in May (a pace of 1/6 over the complete months since);
    its only target is due today, none ahead, so the projection ends on 31 December of
    next year."""
    with included.conn:
        included.execute("INSERT INTO rules (name, value, effective_from) VALUES "
                         "('inclusion_target_pomurje', 1, ?)", [TODAY.isoformat()])
    found = stats.progress(included, NATIONAL, replace(SPRING, area="pomurje"), TODAY)
    assert found.targets == [stats.Target(TODAY, 1)] and found.included == 1
    assert found.pace == pytest.approx(1 / 6)
    assert found.projection["day"].iloc[-1] == dt.date(2027, 12, 31)
    assert found.projection["day"].iloc[-2] == dt.date(2027, 11, 30)


def test_one_complete_month_gives_the_pace_and_an_empty_area_starts_today(region):
    _person(region, referred="2026-09-01", stage="in_programme", entry="2026-10-03")
    _person(region, referred="2026-09-01", stage="in_programme", entry="2026-11-02")
    found = stats.progress(region, ANA, SPRING, TODAY)
    assert (found.included, found.pace) == (2, 1.0)  # October, the only complete month
    empty = stats.progress(region, NATIONAL, replace(SPRING, area="koroska"), TODAY)
    assert list(empty.monthly["month"]) == ["2026-11"] and empty.included == 0
    assert empty.pace == 0 and set(empty.projection["cumulative"]) == {0}


def test_key_figures_of_the_period_and_of_the_period_before(region):
    """Referrals, inclusions, exits and hours present in the period and in the same
    number of days before it; active cases and overdue tasks as of today."""
    db = region
    a = _person(db, referred="2026-03-02", stage="in_programme", entry="2026-04-01")
    b = _person(db, referred="2026-03-15", stage="in_programme", entry="2026-05-05")
    _person(db, referred="2026-04-20", stage="motivation")
    d = _person(db, referred="2025-12-01", stage="exited", entry="2026-01-10",
                exit="2026-04-20")
    e = _person(db, referred="2025-12-05", stage="closed", entry="2026-01-12",
                exit="2026-02-10")
    _person(db, referred="2026-01-03", stage="closed")
    _person(db, referred="2026-02-20", stage="referred")
    _person(db, referred="2026-03-05", place="Murska Sobota", coordinator=3)
    programme = _programme(db, "Korak naprej")
    _attended(db, programme, a, "2026-04-10", 4, 3)
    _attended(db, programme, b, "2026-05-06", 4, 1.5)
    _attended(db, programme, d, "2026-01-20", 4, 2)
    _task(db, d, "2026-05-01")
    _task(db, e, "2026-03-01", done="2026-03-02")
    _task(db, d, "2026-12-01")
    found = stats.key_figures(db, ANA, SPRING, TODAY)
    assert (found.referrals, found.included, found.exits, found.hours) == (3, 2, 1, 4.5)
    assert isinstance(found.hours, float)
    assert (found.active, found.overdue) == (5, 1)
    assert found.previous == {"referrals": 4, "included": 2, "exits": 1, "hours": 2.0}
    with pytest.raises(access.Forbidden):
        stats.key_figures(db, MANAGER, replace(SPRING, area="pomurje"), TODAY)


def test_programme_names_are_the_areas_newest_first_and_refused_for_another_area(region):
    for name, start, area in (("Korak naprej", "2026-01-05", "gorenjska"),
                              ("Nov začetek", "2026-03-01", "gorenjska"),
                              ("Abeceda", "2026-03-01", "gorenjska"),
                              ("Murska", "2026-02-01", "pomurje")):
        _programme(region, name, start, area)
    assert list(stats.programme_names(region, MANAGER, "gorenjska").values()) == [
        "Abeceda", "Nov začetek", "Korak naprej"]
    assert list(stats.programme_names(region, NATIONAL, None).values()) == [
        "Abeceda", "Nov začetek", "Murska", "Korak naprej"]
    with pytest.raises(access.Forbidden):
        stats.programme_names(region, MANAGER, "pomurje")
