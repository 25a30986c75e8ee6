"""ESF indicators, the data-quality check, the e-MA export and its reminder, on a small
hand-built region whose expected counts are written by hand."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from workbench import access, auth, esf, sheets
from workbench.__main__ import main as cli
from workbench.db import open_db, write
from workbench.errors import UserError

TODAY = dt.date(2026, 12, 1)


def add(db, coordinator, name, *, sex="F", born="1980-06-01", entry="2025-03-01",
        left=None, destination=None, status="long_term_unemployed", isced=2, migrant="no",
        disability="no", other="no", homeless=0, municipality="Kranj", stage=None,
        emso="auto"):
    mid = db.execute("SELECT id FROM municipalities WHERE name = ?", [municipality]).fetchone()[0]
    stage = stage or ("follow_up_6m" if left else "in_programme")
    with write(db):
        return db.execute(
            "INSERT INTO participants (first_name, last_name, sex, birth_date, municipality_id, "
            "isced, labour_status, migrant, disability, other_disadvantage, homeless, "
            "target_group, referral_source, referral_date, coordinator_id, stage, stage_since, "
            "entry_date, exit_date, exit_destination, emso, created_at, updated_at) VALUES "
            "('Oseba', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'dsp', 'csd', '2025-01-10', ?, ?, "
            "'2025-02-01', ?, ?, ?, ?, '2025-01-10', '2025-01-10')",
            [name, sex, born, mid, isced, status, migrant, disability, other, homeless,
             coordinator, stage, entry, left, destination,
             f"emso-{name}" if emso == "auto" else emso]).lastrowid


def follow(db, person, kind, situation, on):
    with write(db):
        db.execute("INSERT INTO follow_ups (participant_id, kind, situation, observed_on, "
                   "created_at) VALUES (?, ?, ?, ?, '2025-01-01')", [person, kind, situation, on])


@pytest.fixture
def region(memory_db):
    db = memory_db
    ana = auth.create_user(db, "ana", "Ana", "coordinator", "varno-geslo", unit_code="kranj")
    boss = auth.create_user(db, "vodja", "Vodja", "manager", "varno-geslo", area_code="gorenjska")
    a = ana.id
    with write(db):  # one municipality of another area, as the national seed has them
        db.execute("INSERT OR IGNORE INTO csd_units (code, name, area_code) VALUES "
                   "('ljubljana_test', 'CSD Ljubljana', 'ljubljana')")
        db.execute("INSERT INTO municipalities (name, unit_code) VALUES "
                   "('Ljubljana', 'ljubljana_test')")
    people = {
        # woman, LTU, ISCED 2, entered 2025, left 2025-06-30 employed: CR04, 6m employed CR06
        "employed": add(db, a, "Zaposlena", left="2025-06-30", destination="primary_employment"),
        # man, inactive, 58 at entry, left 2025-09-01 to "none", then job-searching in week 3
        # (the last event counts: CR01, not CR04), 6 months: unchanged
        "older": add(db, a, "Starejsi", sex="M", born="1967-01-15", status="inactive", isced=4,
                     left="2025-09-01", destination="none", municipality="Jezersko"),
        # woman 22, ISCED 0 (other disadvantage forced yes), migrant refused, rural
        "young": add(db, a, "Mlada", born="2003-05-05", status="unemployed", isced=0,
                     other="yes", migrant="refused", municipality="Bohinj"),
        # incomplete: no ISCED: grand total only
        "incomplete": add(db, a, "Nepopolna", sex="M", isced=None),
        # re-entered: first entry 2024, counted in 2024 only (not in 2025's outputs)
        "reentered": add(db, a, "Vrnjena", entry="2024-05-01"),
        # employed at entry (CO05), disabled, homeless, man, ISCED 6; left in 2025 to
        # education, then a 4-week follow-up 40 days later (outside the window): CR02
        "employed_at_entry": add(db, a, "Zaposlen", sex="M", status="employed", isced=6,
                                 disability="yes", homeless=1, left="2025-10-01",
                                 destination="education"),
        # another area's person is never counted
        "elsewhere": add(db, a, "Drugje", municipality="Ljubljana"),
    }
    follow(db, people["employed"], "follow_up_6m", "employed", "2025-12-30")
    follow(db, people["older"], "follow_up_4w", "job_searching", "2025-09-20")
    follow(db, people["older"], "follow_up_6m", "unchanged", "2026-03-01")
    follow(db, people["employed_at_entry"], "follow_up_4w", "employed", "2025-11-10")
    follow(db, people["employed_at_entry"], "follow_up_6m", "employed", "2026-04-01")
    return db, ana, boss, people


def test_output_indicators_count_each_first_entry_once_by_sex(region):
    db, _, boss, _ = region
    found = esf.report(db, boss, 2025, "gorenjska", TODAY)
    # Entered in 2025 in Gorenjska: employed, older, young, incomplete, employed_at_entry.
    assert found.participants == 5 and found.incomplete == 1
    assert (found.count("total", "F"), found.count("total", "M")) == (2, 3)
    assert found.count("complete") == 4
    expected = {"CO01": 2, "CO02": 1, "CO03": 1, "CO04": 1, "CO05": 1, "CO06": 1, "CO07": 1,
                "CO08": 1, "CO09": 1, "CO10": 1, "CO11": 1, "CO15": 0, "CO16": 1, "CO17": 1,
                "CO18": 1, "CO19": 2}
    assert {code: found.count(code) for code in expected} == expected
    assert found.count("CO01", "F") == 2 and found.count("CO07", "M") == 1
    assert found.refused == {"migrant": 1, "disability": 0, "other_disadvantage": 0}


def test_results_take_the_last_event_within_four_weeks(region):
    db, _, boss, _ = region
    found = esf.report(db, boss, 2025, "gorenjska", TODAY)
    assert found.leavers == 3 and found.count("leavers") == 3
    # older: "none" at exit, job-searching on day 19 -> CR01; never CR04.
    # employed: employment at exit -> CR04. employed_at_entry: education at exit, the
    # follow-up on day 40 is outside the window -> CR02.
    expected = {"CR01": 1, "CR02": 1, "CR03": 0, "CR04": 1, "CR05": 1,
                "CR06": 2, "CR07": 1, "CR08": 0, "CR09": 1}
    assert {code: found.count(code) for code in expected} == expected
    assert found.count("CR01", "M") == 1 and found.count("CR04", "F") == 1


def test_a_re_entry_counts_in_the_year_of_the_first_entry(region):
    db, _, boss, _ = region
    assert esf.report(db, boss, 2024, "gorenjska", TODAY).participants == 1


def test_national_report_splits_cohesion_regions_and_needs_a_national_account(region):
    db, ana, boss, _ = region
    national = auth.User(99, "drzava", "Država", "admin", None, None, True)
    found = esf.report(db, national, 2025, None, TODAY)
    assert found.regions == ("KRZS",)  # Ljubljana and Gorenjska are both West
    assert found.count("total", region="KRZS") == 6
    with pytest.raises(access.Forbidden):
        esf.report(db, boss, 2025, None, TODAY)
    with pytest.raises(access.Forbidden):
        esf.report(db, boss, 2025, "ljubljana", TODAY)
    with pytest.raises(UserError):
        esf.report(db, boss, 2031, "gorenjska", TODAY)


def test_quality_check_names_every_record_that_blocks_the_report(region):
    db, ana, boss, people = region
    with write(db):
        db.execute("UPDATE participants SET exit_destination = NULL WHERE id = ?",
                   [people["employed"]])
        db.execute("INSERT INTO tasks (participant_id, kind, due_date, assigned_to, "
                   "created_at) VALUES (?, 'follow_up_4w', '2025-11-01', ?, '2025-10-01')",
                   [people["young"], ana.id])
        db.execute("UPDATE participants SET emso = NULL WHERE id = ?", [people["older"]])
    found = {(p.participant_id, p.problem) for p in esf.quality(db, ana, 2025, "gorenjska",
                                                                 TODAY)}
    assert found == {(people["incomplete"], "missing_isced"), (people["older"], "missing_emso"),
                     (people["employed"], "exit_without_destination"),
                     (people["young"], "follow_up_without_result")}
    assert esf.quality_counts(db, boss, 2025, "gorenjska", TODAY)["missing_isced"] == 1
    with pytest.raises(access.Forbidden):  # names: casework only
        esf.quality(db, boss, 2025, "gorenjska", TODAY)


def test_ema_export_has_one_row_per_person_in_the_templates_order(region):
    db, ana, boss, people = region
    rows = esf.ema_rows(db, ana, 2025, "gorenjska", TODAY)
    assert len(rows) == 5 and len({(r["last_name"]) for r in rows}) == 5
    young = next(r for r in rows if r["last_name"] == "Mlada")
    assert (young["sex"], young["migrant"], young["other_disadvantage"], young["isced"],
            young["age_at_entry"]) == ("Ž", "NŽO", "DA", 0, 21)
    employed = next(r for r in rows if r["last_name"] == "Zaposlena")
    assert employed["exit_status"] == esf.EMA_EXIT["primary_employment"] == "ZAP"
    assert young["exit_status"] == ""  # still in the programme
    book = load_workbook(io.BytesIO(sheets.ema_xlsx(rows)))
    header = [c.value for c in book.active[1]]
    assert header[:3] == ["EMŠO", "Ime", "Priimek"] and len(header) == len(esf.EMA_FIELDS)
    assert book.active.max_row == 6
    with pytest.raises(access.Forbidden):
        esf.ema_rows(db, boss, 2025, "gorenjska", TODAY)


def test_reminder_from_december_until_marked_submitted(region):
    db, ana, boss, _ = region
    assert esf.reminder(db, ana, dt.date(2026, 11, 30)).year == 2025  # last year's, unsent
    esf.mark_submitted(db, ana, 2025, "gorenjska", dt.date(2026, 1, 12), TODAY)
    assert esf.reminder(db, ana, dt.date(2026, 11, 30)) is None
    due = esf.reminder(db, boss, TODAY)
    assert (due.year, due.due, due.overdue) == (2026, dt.date(2027, 1, 15), False)
    assert esf.reminder(db, boss, dt.date(2027, 1, 16)).overdue
    with pytest.raises(UserError, match="already_submitted"):
        esf.mark_submitted(db, ana, 2025, "gorenjska", dt.date(2026, 1, 12), TODAY)
    with pytest.raises(UserError):
        esf.mark_submitted(db, ana, 2026, "gorenjska", "32. 1. 2027", TODAY)
    with pytest.raises(UserError, match="submitted_on"):  # 2026 is not over yet
        esf.mark_submitted(db, ana, 2026, "gorenjska", TODAY, TODAY)
    with pytest.raises(UserError, match="nothing_to_submit"):
        esf.mark_submitted(db, ana, 2019, "gorenjska", dt.date(2020, 1, 10), TODAY)
    with pytest.raises(access.Forbidden):
        esf.mark_submitted(db, boss, 2026, "gorenjska", TODAY, TODAY)
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = "
                      "'report_submissions'").fetchone()[0] >= 1


def test_command_line_writes_the_report_and_the_export(seeded_path, tmp_path, capsys):
    out = tmp_path / "esf.csv"
    assert cli(["report", "esf", "--db", str(seeded_path), "--year", "2025", "--area",
                "gorenjska", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    db = open_db(seeded_path)
    boss = auth.get_user_by_name(db, "vodja")
    found = esf.report(db, boss, 2025, "gorenjska", TODAY)
    co01 = next(line for line in text.splitlines() if line.startswith("CO01;"))
    assert co01.endswith(f";{found.count('CO01')}")
    xlsx = tmp_path / "ema.xlsx"
    assert cli(["report", "ema", "--db", str(seeded_path), "--year", "2025", "--area",
                "gorenjska", "--out", str(xlsx)]) == 0
    assert load_workbook(xlsx).active.max_row == 1 + len(
        esf.ema_rows(db, auth.get_user_by_name(db, "ana.kos"), 2025, "gorenjska", TODAY))
    assert cli(["report", "ema", "--db", str(seeded_path), "--year", "2025",
                "--out", str(xlsx)]) == 2
    assert "--area" in capsys.readouterr().err
