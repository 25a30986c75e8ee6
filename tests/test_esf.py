"""ESF indicators, the data-quality check, the e-MA export and its reminder, on a small
hand-built region whose expected counts are written by hand."""

from __future__ import annotations

import datetime as dt
import functools
import io

import pytest
from openpyxl import load_workbook

from workbench import access, auth, esf, i18n, sheets
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


@functools.cache
def password_hash() -> str:
    """One real hash for the fixture's accounts: hashing is slow on purpose, and no test
    here signs in."""
    return auth.hash_password("varno-geslo")


def gorenjska_accounts(db):
    """Ana, a coordinator of CSD Kranj, and the manager of the Gorenjska area."""
    ana = auth.create_user(db, "ana", "Ana", "coordinator", "", unit_code="kranj",
                           password_hash=password_hash())
    boss = auth.create_user(db, "vodja", "Vodja", "manager", "", area_code="gorenjska",
                            password_hash=password_hash())
    return ana, boss


@pytest.fixture
def region(memory_db):
    db = memory_db
    ana, boss = gorenjska_accounts(db)
    a = ana.id
    with write(db):  # one municipality of another area, as the national seed has them
        db.execute("INSERT OR IGNORE INTO csd_units (code, name, area_code) VALUES "
                   "('ljubljana_test', 'CSD Ljubljana', 'ljubljana')")
        db.execute("INSERT INTO municipalities (name, unit_code) VALUES "
                   "('Ljubljana', 'ljubljana_test')")
    people = {
        # woman, LTU, ISCED 2, entered 2025, left 2025-06-30 employed: CR04, 6m employed CR06
        "employed": add(db, a, "Zaposlena", left="2025-06-30", destination="primary_employment"),
        # man, inactive, 58 at entry, left 2025-09-01 to "none", then job-searching on day
        # 23 (the last event counts: CR01, not CR04), 6 months: unchanged
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
    follow(db, people["older"], "follow_up_4w", "job_searching", "2025-09-24")
    follow(db, people["older"], "follow_up_6m", "unchanged", "2026-03-01")
    follow(db, people["employed_at_entry"], "follow_up_4w", "employed", "2025-11-10")
    follow(db, people["employed_at_entry"], "follow_up_6m", "employed", "2026-04-01")
    return db, ana, boss, people


def test_output_indicators_count_each_first_entry_once_by_sex(region):
    db, _, boss, _ = region
    found = esf.report(db, boss, 2025, "gorenjska", TODAY)
    # The report names what it covers: the year and the area, not split by region.
    assert (found.year, found.area, found.regions) == (2025, "gorenjska", ())
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
    # older: "none" at exit, job-searching on day 23 -> CR01; never CR04.
    # employed: employment at exit -> CR04. employed_at_entry: education at exit, the
    # follow-up on day 40 is outside the window -> CR02.
    expected = {"CR01": 1, "CR02": 1, "CR03": 0, "CR04": 1, "CR05": 1,
                "CR06": 2, "CR07": 1, "CR08": 0, "CR09": 1}
    assert {code: found.count(code) for code in expected} == expected
    assert found.count("CR01", "M") == 1 and found.count("CR04", "F") == 1


def test_the_year_s_people_are_those_of_the_area_who_entered_or_left_in_it(region):
    """``people`` reads each person of the area who entered or left in the year, by her
    own id, with her own follow-ups (the indicators are computed from these)."""
    db, _, _, people = region
    found = {p.id: p for p in esf.people(db, 2025, "gorenjska")}
    assert set(found) == {people[name] for name in (
        "employed", "older", "young", "incomplete", "employed_at_entry")}
    assert set(found[people["older"]].follow_ups) == {
        ("follow_up_4w", "job_searching", dt.date(2025, 9, 24)),
        ("follow_up_6m", "unchanged", dt.date(2026, 3, 1))}
    assert found[people["young"]].follow_ups == ()
    assert {p.id for p in esf.people(db, 2024, "gorenjska")} == {people["reentered"]}


def test_a_re_entry_counts_in_the_year_of_the_first_entry(region):
    db, _, boss, _ = region
    assert esf.report(db, boss, 2024, "gorenjska", TODAY).participants == 1


def test_national_report_splits_cohesion_regions_and_needs_a_national_account(region):
    db, ana, boss, _ = region
    national = auth.User(99, "drzava", "Država", "admin", None, None, True)
    found = esf.report(db, national, 2025, None, TODAY)
    assert found.regions == ("KRZS",)  # Ljubljana and Gorenjska are both West
    assert found.count("total", region="KRZS") == 6
    # An area's account asking for the whole country gets the plain refusal, as for
    # another area: it says nothing of what the other areas hold.
    for asked in (None, "ljubljana"):
        with pytest.raises(access.Forbidden) as refused:
            esf.report(db, boss, 2025, asked, TODAY)
        assert (refused.value.key, refused.value.field, refused.value.params) == (
            "error.forbidden", None, {})
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


def test_a_report_to_a_path_it_cannot_write_says_so_in_both_languages(seeded_path, tmp_path,
                                                                      capsys):
    (tmp_path / "plain").write_text("a file, not a folder")  # stops root too, unlike a chmod
    out = tmp_path / "plain" / "esf.csv"
    assert cli(["report", "esf", "--db", str(seeded_path), "--year", "2025", "--out",
                str(out)]) == 2
    err = capsys.readouterr().err
    for lang in ("sl", "en"):
        said = i18n.translate("cli.out_unwritable", lang, path=out, error="§")
        assert said.split("§")[0] in err and said.split("§")[1] in err
    assert "Traceback" not in err


# -- the indicator table as the page and the command line write it --------------------------
def east(db, coordinator):
    """A man of the East cohesion region (KRVS: Podravska), long-term unemployed, ISCED 3,
    who entered in 2025 and is still in the programme."""
    with write(db):
        db.execute("INSERT OR IGNORE INTO csd_units (code, name, area_code) VALUES "
                   "('maribor_test', 'CSD Maribor', 'maribor')")
        db.execute("INSERT INTO municipalities (name, unit_code) VALUES "
                   "('Maribor', 'maribor_test')")
    return add(db, coordinator, "Vzhodni", sex="M", isced=3, entry="2025-02-01",
               municipality="Maribor")


def english_csv(found) -> list[str]:
    """The report file as ``workbench report esf --lang en`` writes it, line by line."""
    data = esf.report_csv(found, lambda code: i18n.translate(f"esf.{code}", "en"),
                          lambda column: esf.column_label(column, "en"))
    assert data.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return data.decode("utf-8")[1:].splitlines()


# The national 2025 report of the region fixture plus the man of the East, counted by
# hand: (KRVS women, KRVS men, KRZS women, KRZS men). KRZS holds the five of Gorenjska
# (the tests above) and the Ljubljana woman (long-term unemployed, ISCED 2, aged 44).
NATIONAL_2025 = {
    "total": (0, 1, 3, 3), "complete": (0, 1, 3, 2),
    "CO01": (0, 1, 3, 0), "CO02": (0, 1, 2, 0), "CO03": (0, 0, 0, 1), "CO04": (0, 0, 0, 1),
    "CO05": (0, 0, 0, 1), "CO06": (0, 0, 1, 0), "CO07": (0, 0, 0, 1), "CO08": (0, 0, 0, 1),
    "CO09": (0, 0, 2, 0), "CO10": (0, 1, 0, 1), "CO11": (0, 0, 0, 1), "CO15": (0, 0, 0, 0),
    "CO16": (0, 0, 0, 1), "CO17": (0, 0, 1, 0), "CO18": (0, 0, 0, 1), "CO19": (0, 0, 1, 1),
    "leavers": (0, 0, 1, 2),
    "CR01": (0, 0, 0, 1), "CR02": (0, 0, 0, 1), "CR03": (0, 0, 0, 0), "CR04": (0, 0, 1, 0),
    "CR05": (0, 0, 0, 1), "CR06": (0, 0, 1, 1), "CR07": (0, 0, 0, 1), "CR08": (0, 0, 0, 0),
    "CR09": (0, 0, 0, 1),
}


def test_the_national_csv_splits_each_indicator_by_cohesion_region_and_sex(region):
    db, ana, _, _ = region
    east(db, ana.id)
    national = auth.User(99, "drzava", "Država", "admin", None, None, True)
    lines = english_csv(esf.report(db, national, 2025, None, TODAY))
    assert lines[0] == "Code;Indicator;KRVS Women;KRVS Men;KRZS Women;KRZS Men;Women;Men;Total"
    expected = []
    for code, (east_f, east_m, west_f, west_m) in NATIONAL_2025.items():
        women, men = east_f + west_f, east_m + west_m
        shown_code = "" if code in ("total", "complete", "leavers") else code
        expected.append(f"{shown_code};{i18n.translate(f'esf.{code}', 'en')};{east_f};"
                        f"{east_m};{west_f};{west_m};{women};{men};{women + men}")
    assert lines[1:] == expected


def test_an_area_csv_has_the_sexes_and_the_total_in_the_chosen_language(region):
    db, _, boss, _ = region
    found = esf.report(db, boss, 2025, "gorenjska", TODAY)
    assert found.columns() == ["F", "M", "all"]
    data = esf.report_csv(found, lambda code: i18n.translate(f"esf.{code}", "sl"),
                          lambda column: esf.column_label(column, "sl"))
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Koda;Kazalnik;Ženske;Moški;Skupaj"
    assert lines[1] == f";{i18n.translate('esf.total', 'sl')};2;3;5"
    assert lines[3] == f"CO01;{i18n.translate('esf.CO01', 'sl')};2;0;2"
    assert [line.split(";")[0] for line in lines[1:]] == [
        "", "", *[code for code, _ in esf.OUTPUTS], "",
        *[code for code, _ in (*esf.IMMEDIATE, *esf.LONGER)]]


@pytest.mark.parametrize("column, lang, header", [
    ("code", "en", "Code"), ("indicator", "en", "Indicator"), ("F", "en", "Women"),
    ("M", "en", "Men"), ("all", "en", "Total"), ("KRZS_F", "en", "KRZS Women"),
    ("KRVS_M", "en", "KRVS Men"), ("code", "sl", "Koda"), ("KRVS_F", "sl", "KRVS Ženske"),
])
def test_column_headers(column, lang, header):
    assert esf.column_label(column, lang) == header


# -- the e-MA export, field by field ---------------------------------------------------------
def ema(last: str, **fields) -> dict:
    """An e-MA row as the ministry's template wants it; the defaults are ``add``'s woman."""
    row = dict(emso=f"emso-{last}", first_name="Oseba", last_name=last, address="",
               postcode="4000", post_office="Kranj", phone="", email="", sex="Ž",
               birth_date=dt.date(1980, 6, 1), age_at_entry=44, municipality="Kranj", isced=2,
               labour_status="DBO", migrant="NE", disability="NE", other_disadvantage="NE",
               homeless="NE", entry_date=dt.date(2025, 3, 1), exit_date="", exit_status="")
    row.update(fields)
    return row


def test_ema_rows_hold_each_field_in_the_templates_codes(region):
    db, ana, _, people = region
    with write(db):
        db.execute("UPDATE participants SET address = 'Koroška cesta 5', phone = '041 123 456', "
                   "email = 'zaposlena@example.si' WHERE id = ?", [people["employed"]])
        db.execute("UPDATE participants SET emso = NULL, labour_status = NULL WHERE id = ?",
                   [people["incomplete"]])
        db.execute("UPDATE municipalities SET postcode = NULL, post_office = NULL "
                   "WHERE name = 'Jezersko'")
    # Left in 2025 without a destination (the quality check asks for one): no status yet.
    add(db, ana.id, "Brez", entry="2025-01-20", left="2025-05-10")
    # A damaged record with an exit and no entry date: no age, no entry, still its status.
    add(db, ana.id, "Neznan", entry=None, left="2025-04-01", destination="job_searching")
    # A destination left over without an exit date is no status at exit.
    add(db, ana.id, "Ostanek", destination="primary_employment")
    rows = esf.ema_rows(db, ana, 2025, "gorenjska", TODAY)
    assert rows == [
        ema("Neznan", age_at_entry="", entry_date="", exit_date=dt.date(2025, 4, 1),
            exit_status="ISCE"),
        ema("Brez", entry_date=dt.date(2025, 1, 20), exit_date=dt.date(2025, 5, 10)),
        ema("Mlada", birth_date=dt.date(2003, 5, 5), age_at_entry=21, municipality="Bohinj",
            postcode="4264", post_office="Bohinjska Bistrica", isced=0, labour_status="BREZ",
            migrant="NŽO", other_disadvantage="DA"),
        ema("Nepopolna", emso="", sex="M", isced="", labour_status=""),
        ema("Ostanek"),
        ema("Starejsi", sex="M", birth_date=dt.date(1967, 1, 15), age_at_entry=58,
            municipality="Jezersko", postcode="", post_office="", isced=4,
            labour_status="NEAKT", exit_date=dt.date(2025, 9, 1), exit_status="OSIP"),
        ema("Zaposlen", sex="M", isced=6, labour_status="ZAP", disability="DA", homeless="DA",
            exit_date=dt.date(2025, 10, 1), exit_status="IZOB"),
        ema("Zaposlena", address="Koroška cesta 5", phone="041 123 456",
            email="zaposlena@example.si", exit_date=dt.date(2025, 6, 30), exit_status="ZAP"),
    ]


def test_the_quality_check_lists_only_the_areas_records(region):
    db, ana, boss, people = region
    with write(db):  # the Ljubljana woman lacks ISCED too: Ljubljana's coordinators fix it
        db.execute("UPDATE participants SET isced = NULL WHERE id = ?", [people["elsewhere"]])
    found = {(p.participant_id, p.problem) for p in esf.quality(db, ana, 2025, "gorenjska",
                                                                 TODAY)}
    assert found == {(people["incomplete"], "missing_isced")}
    assert esf.quality_counts(db, boss, 2025, "gorenjska", TODAY)["missing_isced"] == 1
    # The counts of problems are aggregates, but of her own area only.
    # Nor of every area at once: that is a national account's view.
    for other in ("ljubljana", None):
        with pytest.raises(access.Forbidden):
            esf.quality_counts(db, boss, 2025, other, TODAY)


# -- marking the export as submitted ---------------------------------------------------------
@pytest.mark.parametrize("on", [dt.date(2026, 1, 1), TODAY, "12. 1. 2026"])
def test_marking_as_submitted_records_who_sent_which_year_when(region, on):
    db, ana, _, _ = region
    esf.mark_submitted(db, ana, 2025, "gorenjska", on, TODAY)
    day = on if isinstance(on, dt.date) else dt.date(2026, 1, 12)
    assert esf.submitted(db, 2025, "gorenjska") == day.isoformat()
    audited = db.execute("SELECT user_id, action, field, new_value FROM audit_log "
                         "WHERE table_name = 'report_submissions'").fetchall()
    assert sorted(audited) == sorted(
        (ana.id, "create", name, value) for name, value in [
            ("kind", "ema"), ("year", "2025"), ("area_code", "gorenjska"),
            ("submitted_on", day.isoformat()), ("submitted_by", str(ana.id))])


# (case, year, the submission day, the message key, the field it names)
REFUSED_SUBMISSIONS = [
    ("no_date", 2025, None, "error.submitted_on", "submitted_on"),
    ("empty_date", 2025, "", "error.submitted_on", "submitted_on"),
    ("no_such_day", 2025, "32. 1. 2026", "error.date_invalid", "submitted_on"),
    ("not_a_date", 2025, "januarja", "error.date_format", "submitted_on"),
    ("last_day_of_the_year", 2025, dt.date(2025, 12, 31), "error.submitted_on",
     "submitted_on"),
    ("tomorrow", 2025, TODAY + dt.timedelta(days=1), "error.submitted_on", "submitted_on"),
    ("year_not_over", 2026, TODAY, "error.submitted_on", "submitted_on"),
    ("nobody_in_the_year", 2019, dt.date(2020, 1, 10), "error.nothing_to_submit", None),
]


@pytest.mark.parametrize("year, on, key, field", [case[1:] for case in REFUSED_SUBMISSIONS],
                         ids=[case[0] for case in REFUSED_SUBMISSIONS])
def test_a_refused_submission_says_why_and_where(region, year, on, key, field):
    db, ana, _, _ = region
    with pytest.raises(UserError) as refused:
        esf.mark_submitted(db, ana, year, "gorenjska", on, TODAY)
    assert (refused.value.key, refused.value.field) == (key, field)
    if key != "error.date_invalid" and key != "error.date_format":
        assert refused.value.params == {"year": year}
    assert esf.submitted(db, year, "gorenjska") is None


def test_a_second_mark_names_the_year_already_submitted(region):
    db, ana, _, _ = region
    esf.mark_submitted(db, ana, 2025, "gorenjska", dt.date(2026, 1, 12), TODAY)
    with pytest.raises(UserError) as refused:
        esf.mark_submitted(db, ana, 2025, "gorenjska", dt.date(2026, 2, 1), TODAY)
    assert (refused.value.key, refused.value.field, refused.value.params) == (
        "error.already_submitted", None, {"year": 2025})
    assert esf.submitted(db, 2025, "gorenjska") == "2026-01-12"


@pytest.mark.parametrize("who", ["admin_of_the_area", "national_admin", "manager"])
def test_only_the_areas_casework_marks_the_export_submitted_whatever_is_typed(region, who):
    db, _, boss, _ = region
    user = {"admin_of_the_area": auth.User(98, "skrbnik", "Skrbnik", "admin", "gorenjska",
                                           None, True),
            "national_admin": auth.User(99, "drzava", "Država", "admin", None, None, True),
            "manager": boss}[who]
    # Refused before the date or the year is looked at: no message about a form she
    # cannot send (the export holds names, which only casework sees).
    for year, on in [(2025, None), (2025, dt.date(2025, 12, 31)), (2031, TODAY),
                     (2025, dt.date(2026, 1, 12))]:
        with pytest.raises(access.Forbidden):
            esf.mark_submitted(db, user, year, "gorenjska", on, TODAY)
    assert esf.submitted(db, 2025, "gorenjska") is None


# -- one person at a time: where she is counted ----------------------------------------------
@pytest.fixture
def one_area(memory_db):
    return (memory_db, *gorenjska_accounts(memory_db))


# ``add``'s default person: a woman of 44 (born 1 June 1980, entered 1 March 2025),
# long-term unemployed, ISCED 2, in Kranj (not rural), nothing sensitive said "yes".
ENTERED = {"total", "complete", "CO01", "CO02", "CO09"}
LEFT = {"leavers"}
# (case, add's changes, follow-ups as (kind, situation, day), the lines of the 2025 report
# she is counted in)
ONE_PERSON = [
    ("24_at_entry", dict(born="2000-03-02"), [], ENTERED | {"CO06"}),
    ("25th_birthday_on_entry", dict(born="2000-03-01"), [], ENTERED),
    ("54_at_entry", dict(born="1970-03-02"), [], ENTERED),
    ("55th_birthday_on_entry", dict(born="1970-03-01"), [], ENTERED | {"CO07", "CO08"}),
    ("55_employed", dict(born="1970-03-01", status="employed"), [],
     {"total", "complete", "CO05", "CO07", "CO09"}),
    ("55_inactive", dict(born="1960-01-01", status="inactive"), [],
     {"total", "complete", "CO03", "CO04", "CO07", "CO08", "CO09"}),
    ("inactive_in_education", dict(status="inactive_in_education"), [],
     {"total", "complete", "CO03", "CO09"}),
    ("unemployed", dict(status="unemployed"), [], {"total", "complete", "CO01", "CO09"}),
    ("isced_0", dict(isced=0, other="yes"), [], ENTERED - {"CO09"} | {"CO17"}),
    ("isced_1", dict(isced=1), [], ENTERED),
    ("isced_3", dict(isced=3), [], ENTERED - {"CO09"} | {"CO10"}),
    ("isced_4", dict(isced=4), [], ENTERED - {"CO09"} | {"CO10"}),
    ("isced_5", dict(isced=5), [], ENTERED - {"CO09"} | {"CO11"}),
    ("isced_8", dict(isced=8), [], ENTERED - {"CO09"} | {"CO11"}),
    ("migrant", dict(migrant="yes"), [], ENTERED | {"CO15"}),
    ("refused_all", dict(migrant="refused", disability="refused", other="refused"), [],
     ENTERED),
    ("homeless", dict(homeless=1), [], ENTERED | {"CO18"}),
    ("rural", dict(municipality="Bohinj"), [], ENTERED | {"CO19"}),
    ("no_labour_status", dict(status=None), [], {"total"}),
    ("no_isced", dict(isced=None), [], {"total"}),
    ("entered_1_january", dict(entry="2025-01-01"), [], ENTERED),
    ("entered_31_december", dict(entry="2025-12-31"), [], ENTERED),
    ("entered_31_december_before", dict(entry="2024-12-31"), [], set()),
    ("entered_1_january_after", dict(entry="2026-01-01"), [], set()),
    # Leavers: immediate results read the last event of the 4 weeks after the exit.
    ("left_employed", dict(left="2025-06-01", destination="primary_employment"), [],
     ENTERED | LEFT | {"CR04"}),
    ("left_1_january", dict(entry="2024-06-01", left="2025-01-01",
                            destination="tertiary_supported"), [], LEFT | {"CR04"}),
    ("left_31_december", dict(left="2025-12-31", destination="secondary_subsidised"), [],
     ENTERED | LEFT | {"CR04"}),
    ("left_next_year", dict(left="2026-01-01", destination="primary_employment"), [],
     ENTERED),
    ("left_incomplete", dict(isced=None, left="2025-06-01", destination="primary_employment"),
     [], {"total"}),
    ("follow_up_on_day_28", dict(left="2025-06-01", destination="none"),
     [("follow_up_4w", "employed", "2025-06-29")], ENTERED | LEFT | {"CR04"}),
    ("follow_up_on_day_29", dict(left="2025-06-01", destination="none"),
     [("follow_up_4w", "employed", "2025-06-30")], ENTERED | LEFT),
    ("follow_up_before_exit", dict(left="2025-06-01", destination="none"),
     [("follow_up_4w", "employed", "2025-05-31")], ENTERED | LEFT),
    # A follow-up counts only inside its window: the 4-week one from day 21 (due on day 28,
    # 7 days early at most), whatever a database from before holds.
    ("follow_up_on_exit_day", dict(left="2025-06-01", destination="none"),
     [("follow_up_4w", "self_employed", "2025-06-01")], ENTERED | LEFT),
    ("follow_up_a_day_before_its_window", dict(left="2025-06-01", destination="none"),
     [("follow_up_4w", "employed", "2025-06-21")], ENTERED | LEFT),
    ("follow_up_on_the_window_s_first_day", dict(left="2025-06-01", destination="none"),
     [("follow_up_4w", "employed", "2025-06-22")], ENTERED | LEFT | {"CR04"}),
    ("unreachable_is_no_event", dict(left="2025-06-01", destination="education"),
     [("follow_up_4w", "unreachable", "2025-06-25")], ENTERED | LEFT | {"CR02"}),
    # An exit whose destination was never recorded (the quality check asks for one): she
    # is a leaver, and only a follow-up of the 4 weeks can place her.
    ("left_without_destination", dict(left="2025-06-01"), [], ENTERED | LEFT),
    ("left_without_destination_then_employed", dict(left="2025-06-01"),
     [("follow_up_4w", "employed", "2025-06-25")], ENTERED | LEFT | {"CR04"}),
    # A day stored as a moment (with its time, as the stage history keeps them) is read
    # as its day: day 28 is still in the window.
    ("follow_up_stored_with_a_time", dict(left="2025-06-01", destination="none"),
     [("follow_up_4w", "employed", "2025-06-29T16:45:00")], ENTERED | LEFT | {"CR04"}),
    ("six_month_kind_is_not_4_weeks", dict(left="2025-06-01", destination="none"),
     [("follow_up_6m", "employed", "2025-06-25")], ENTERED | LEFT),
    ("further_programme", dict(left="2025-06-01", destination="further_programme"), [],
     ENTERED | LEFT | {"CR02"}),
    ("qualification", dict(left="2025-06-01", destination="none"),
     [("follow_up_4w", "qualification", "2025-06-25")], ENTERED | LEFT | {"CR03"}),
    ("job_searching_not_inactive", dict(left="2025-06-01", destination="job_searching"), [],
     ENTERED | LEFT),
    ("job_searching_inactive", dict(status="inactive", left="2025-06-01",
                                    destination="job_searching"), [],
     {"total", "complete", "CO03", "CO04", "CO09", "leavers", "CR01"}),
    ("migrant_job_searching", dict(migrant="yes", left="2025-06-01",
                                   destination="job_searching"), [],
     ENTERED | LEFT | {"CO15", "CR05"}),
    ("disabled_unchanged", dict(disability="yes", left="2025-06-01", destination="referred_back"),
     [], ENTERED | LEFT | {"CO16"}),
    # Longer-term results read the latest 6-month follow-up after the exit.
    ("six_months_self_employed", dict(left="2025-06-01", destination="none"),
     [("follow_up_6m", "self_employed", "2025-12-01")], ENTERED | LEFT | {"CR06"}),
    ("six_months_latest_counts", dict(left="2025-06-01", destination="none"),
     [("follow_up_6m", "employed", "2025-11-20"), ("follow_up_6m", "unchanged", "2025-12-01")],
     ENTERED | LEFT),
    ("six_months_unreachable_later", dict(left="2025-06-01", destination="none"),
     [("follow_up_6m", "employed", "2025-12-01"), ("follow_up_6m", "unreachable", "2025-12-20")],
     ENTERED | LEFT | {"CR06"}),
    ("six_months_before_the_exit", dict(left="2025-06-01", destination="none"),
     [("follow_up_6m", "employed", "2025-05-31")], ENTERED | LEFT),
    # The 6-month one from day 152 (due on day 182, 30 days early at most).
    ("six_months_on_exit_day", dict(left="2025-06-01", destination="none"),
     [("follow_up_6m", "employed", "2025-06-01")], ENTERED | LEFT),
    ("six_months_a_day_before_its_window", dict(left="2025-06-01", destination="none"),
     [("follow_up_6m", "employed", "2025-10-30")], ENTERED | LEFT),
    ("six_months_on_the_window_s_first_day", dict(left="2025-06-01", destination="none"),
     [("follow_up_6m", "employed", "2025-10-31")], ENTERED | LEFT | {"CR06"}),
    ("six_months_late", dict(left="2025-06-01", destination="none"),
     [("follow_up_6m", "employed", "2026-03-01")], ENTERED | LEFT | {"CR06"}),
    ("employed_then_employed", dict(status="employed", left="2025-06-01", destination="none"),
     [("follow_up_6m", "employed", "2025-12-01")],
     {"total", "complete", "CO05", "CO09", "leavers", "CR06", "CR07"}),
    ("older_employed_at_six_months", dict(born="1970-03-01", left="2025-06-01",
                                          destination="none"),
     [("follow_up_6m", "employed", "2025-12-01")],
     ENTERED | LEFT | {"CO07", "CO08", "CR06", "CR08"}),
    ("homeless_employed", dict(homeless=1, left="2025-06-01", destination="primary_employment"),
     [("follow_up_6m", "employed", "2025-12-01")],
     ENTERED | LEFT | {"CO18", "CR04", "CR05", "CR06", "CR09"}),
]
LINES = ("total", "complete", *[c for c, _ in esf.OUTPUTS], "leavers",
         *[c for c, _ in (*esf.IMMEDIATE, *esf.LONGER)])


@pytest.mark.parametrize("sex", ["F", "M"])
@pytest.mark.parametrize("changes, follow_ups, counted", [case[1:] for case in ONE_PERSON],
                         ids=[case[0] for case in ONE_PERSON])
def test_where_one_person_is_counted(one_area, sex, changes, follow_ups, counted):
    db, ana, boss = one_area
    person = add(db, ana.id, "Ena", sex=sex, **changes)
    for kind, situation, day in follow_ups:
        follow(db, person, kind, situation, day)
    found = esf.report(db, boss, 2025, "gorenjska", TODAY)
    other = "M" if sex == "F" else "F"
    assert {code for code in LINES if found.count(code, sex) == 1} == counted
    assert {code for code in LINES if found.count(code, other)} == set()
    assert (found.participants, found.leavers) == (int("total" in counted),
                                                   int(changes.get("left", "")[:4] == "2025"))


def test_the_window_is_the_one_in_force_on_the_exit_day(one_area):
    """From 1 June 2025 the 4-week follow-up may be recorded 14 days early: an exit on
    31 May keeps day 21, an exit on 1 June counts from day 14."""
    db, ana, boss = one_area
    with write(db):
        db.execute("INSERT INTO rules (name, value, effective_from, note) VALUES "
                   "('follow_up_short_early_days', 14, '2025-06-01', 'test')")
    may = add(db, ana.id, "Maj", left="2025-05-31", destination="none")
    june = add(db, ana.id, "Junij", left="2025-06-01", destination="none")
    follow(db, may, "follow_up_4w", "employed", "2025-06-14")    # day 14: too early
    follow(db, june, "follow_up_4w", "employed", "2025-06-15")   # day 14: inside
    found = {p.id: p for p in esf.people(db, 2025, "gorenjska")}
    assert (found[may].follow_ups, len(found[june].follow_ups)) == ((), 1)
    assert esf.report(db, boss, 2025, "gorenjska", TODAY).count("CR04") == 1


def test_a_follow_up_counts_by_the_exit_as_corrected(db):
    """Recorded through the app on day 21 after her exit: counted (CR04). Her exit then
    corrected to 3 days later: the follow-up is now on day 18, before its window, and not
    counted; corrected back: counted again."""
    from tests.casework_helpers import a_person, a_programme, coordinator
    from tests.conftest import TODAY as SEEDED_TODAY
    from workbench import participants, pipeline

    ana = coordinator(db)
    programme = a_programme(db, ana, start=SEEDED_TODAY - dt.timedelta(days=380),
                            end=SEEDED_TODAY + dt.timedelta(days=100))
    pid = a_person(db, ana, "Popravljena", since=SEEDED_TODAY - dt.timedelta(days=400))
    left = SEEDED_TODAY - dt.timedelta(days=100)

    def go(to, on, **kwargs):
        version = participants.get_person(db, ana, pid).version
        pipeline.move_stage(db, ana, pid, version, pipeline.Move(to, on, **kwargs),
                            today=SEEDED_TODAY)

    def exit_on(day):
        exit_row = db.execute("SELECT id FROM stage_history WHERE participant_id = ? AND "
                              "to_stage = 'exited'", [pid]).fetchone()[0]
        pipeline.correct_move(db, ana, pid, participants.get_person(db, ana, pid).version,
                              pipeline.Correction(exit_row, on=day, reason="Datum izstopa"),
                              today=SEEDED_TODAY)

    def cr04() -> int:
        return esf.report(db, ana, left.year, "gorenjska", SEEDED_TODAY).count("CR04")

    go("in_programme", left - dt.timedelta(days=60), programme_id=programme)
    go("exited", left, outcome="dropped_out", reason="health", destination="none")
    without = cr04()
    go("follow_up_4w", left + dt.timedelta(days=21), situation="employed")
    assert cr04() == without + 1
    exit_on(left + dt.timedelta(days=3))
    assert cr04() == without
    exit_on(left)
    assert cr04() == without + 1


# -- the reminder and the years one may report -----------------------------------------------
# (case, the account, today, the reminder as (year, due, overdue) or None)
REMINDERS = [
    ("november_last_year", "ana", dt.date(2026, 11, 30), (2025, dt.date(2026, 1, 15), True)),
    ("1_december_this_year", "ana", dt.date(2026, 12, 1), (2026, dt.date(2027, 1, 15), False)),
    ("due_day_not_late", "ana", dt.date(2027, 1, 15), (2026, dt.date(2027, 1, 15), False)),
    ("day_after_due_late", "ana", dt.date(2027, 1, 16), (2026, dt.date(2027, 1, 15), True)),
    ("first_year_from_december_2017", "ana", dt.date(2017, 12, 1),
     (2017, dt.date(2018, 1, 15), False)),
    ("nothing_before_the_operation", "ana", dt.date(2017, 11, 30), None),
    ("manager_of_the_area", "vodja", dt.date(2026, 12, 1), (2026, dt.date(2027, 1, 15), False)),
    ("national_account", "national", dt.date(2026, 12, 1), None),
    ("deactivated", "deactivated", dt.date(2026, 12, 1), None),
]


@pytest.mark.parametrize("who, today, expected", [case[1:] for case in REMINDERS],
                         ids=[case[0] for case in REMINDERS])
def test_the_ema_reminder(one_area, who, today, expected):
    db, ana, boss = one_area
    user = {"ana": ana, "vodja": boss,
            "national": auth.User(99, "drzava", "Država", "admin", None, None, True),
            "deactivated": auth.User(ana.id, "ana", "Ana", "coordinator", "gorenjska", "kranj",
                                     False)}[who]
    found = esf.reminder(db, user, today)
    assert (found and (found.year, found.due, found.overdue)) == expected


def test_another_area_or_year_submitted_does_not_silence_the_reminder(one_area):
    db, ana, _ = one_area
    with write(db):
        db.execute("INSERT INTO report_submissions (kind, year, area_code, submitted_on) "
                   "VALUES ('ema', 2025, 'ljubljana', '2026-01-10'), "
                   "('ema', 2024, 'gorenjska', '2025-01-10')")
    assert esf.reminder(db, ana, dt.date(2026, 1, 5)).year == 2025
    assert esf.submitted(db, 2024, "gorenjska") == "2025-01-10"
    assert esf.submitted(db, 2025, "gorenjska") is None


@pytest.mark.parametrize("year, allowed", [(2016, False), (2017, True), (2026, True),
                                           (2027, False)])
def test_reports_cover_2017_to_this_year(one_area, year, allowed):
    db, ana, boss = one_area
    calls = [lambda: esf.report(db, boss, year, "gorenjska", TODAY),
             lambda: esf.quality_counts(db, boss, year, "gorenjska", TODAY),
             lambda: esf.quality(db, ana, year, "gorenjska", TODAY),
             lambda: esf.ema_rows(db, ana, year, "gorenjska", TODAY)]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(UserError) as refused:
                call()
            assert (refused.value.key, refused.value.params) == (
                "error.report_year", {"first": 2017, "last": 2026})


def test_quality_counts_name_every_problem_even_when_none(one_area):
    db, ana, boss = one_area
    add(db, ana.id, "Brez", isced=None, emso=None)
    assert esf.quality_counts(db, boss, 2025, "gorenjska", TODAY) == {
        "missing_emso": 1, "missing_isced": 1, "missing_labour_status": 0,
        "exit_without_destination": 0, "follow_up_without_result": 0}


def test_a_year_with_nobody_to_report_writes_no_file_and_says_so(seeded_path, tmp_path,
                                                                 capsys):
    """No data -- nobody entered or left in the year (ESF), no participant of the year
    (e-MA) -- is said in both languages with exit code 1 and no file; 0 only with a file."""
    db = open_db(seeded_path)
    empty = next(code for code, in db.execute(
        "SELECT code FROM csd_areas a WHERE NOT EXISTS (SELECT 1 FROM csd_units u JOIN "
        "municipalities m ON m.unit_code = u.code JOIN participants p ON "
        "p.municipality_id = m.id WHERE u.area_code = a.code) ORDER BY code"))
    db.close()
    for kind, out in (("esf", tmp_path / "esf.csv"), ("ema", tmp_path / "ema.xlsx")):
        capsys.readouterr()
        assert cli(["report", kind, "--db", str(seeded_path), "--year", "2025", "--area",
                    empty, "--out", str(out)]) == 1
        said = capsys.readouterr()
        assert not out.exists() and said.out == ""
        assert "2025" in said.err and "ni zapisana" in said.err and "not written" in said.err
