"""Every file of people's data that leaves the workbench is in the audit log (issue 20,
item 4): each download button on every page, pressed, and each command of the command
line; who, what, for which year/month/programme/period, how many people. Files the
command line writes are readable by their owner alone."""

from __future__ import annotations

import json
import stat

import pytest

from tests.apptest_helpers import open_page
from workbench import audit
from workbench.db import open_db
from workbench.ui import session

MONTH = "2026-10"
BUSIEST = "her busiest programme that month"


def _exports(db_path) -> list[tuple]:
    db = open_db(db_path)
    try:
        return db.execute("SELECT u.username, a.field, a.new_value, a.reason FROM audit_log a "
                          "LEFT JOIN users u ON u.id = a.user_id WHERE a.action = 'export' "
                          "AND a.table_name = ? ORDER BY a.id", [audit.EXPORTS]).fetchall()
    finally:
        db.close()


def _busiest_programme(db_path) -> int:
    db = open_db(db_path)
    try:
        return db.execute(
            "SELECT s.programme_id FROM attendance a JOIN sessions s ON s.id = a.session_id "
            "JOIN programmes g ON g.id = s.programme_id JOIN users u ON u.id = "
            "g.coordinator_id WHERE u.username = 'ana.kos' AND substr(s.date, 1, 7) = ? "
            "GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1", [MONTH]).fetchone()[0]
    finally:
        db.close()


# (who, page, address, the exports its download buttons make, in the order drawn)
PAGES = [
    ("ana.kos", "reporting", {}, ["esf_csv"]),
    ("ana.kos", "reporting", {"zavihek": "ema", "leto": "2025"}, ["ema"]),
    ("ana.kos", "calendar", {}, ["ics"]),
    ("vodja", "charts", {}, ["chart_csv", "chart_png", "chart_svg"] * 2),
    ("ana.kos", "programmes", {"programme": BUSIEST, "zavihek": "month", "mesec": MONTH},
     ["attendance_sheet", "attendance_print"]),
    ("ana.kos", "programmes", {"programme": BUSIEST, "zavihek": "payments", "mesec": MONTH},
     ["payment_sheet"]),
    ("ana.kos", "programmes", {"zavihek": "payments", "mesec": MONTH}, ["payment_region"]),
]


@pytest.mark.parametrize("username, page, params, kinds", PAGES,
                         ids=[f"{p[1]}-{'-'.join(sorted(p[3]))}" for p in PAGES])
def test_every_download_button_writes_what_it_exported_to_the_audit_log(
        app_env, monkeypatch, username, page, params, kinds):
    made: list = []
    wrap = session.at_the_click
    monkeypatch.setattr(session, "at_the_click",
                        lambda *a, **k: made.append(wrap(*a, **k)) or made[-1])
    if params.get("programme") == BUSIEST:
        params = {**params, "programme": str(_busiest_programme(app_env))}
    at = open_page(app_env, username, page, **params)
    assert not at.exception and at.get("download_button")  # the page was drawn, with them
    assert len(made) == len(at.get("download_button")) == len(kinds)
    before = len(_exports(app_env))
    for click in made:
        assert click()  # a file, made for the live session
    logged = _exports(app_env)[before:]
    assert [(u, kind, reason) for u, kind, _, reason in logged] == [
        (username, kind, "page") for kind in kinds]
    for _, _, value, _ in logged:
        said = json.loads(value)
        assert "people" in said and set(said) - {"people"}  # what it was, and for whom
    if page == "reporting" and kinds == ["ema"]:
        assert json.loads(logged[0][2]) == {"area": "gorenjska", "year": 2025,
                                            "people": json.loads(logged[0][2])["people"]}
        assert json.loads(logged[0][2])["people"] > 0


def _run(argv: list[str]) -> int:
    from workbench.__main__ import main

    return main(argv)


def test_every_command_that_writes_people_s_data_logs_it_and_keeps_the_file_private(
        seeded_path, tmp_path):
    programme = _busiest_programme(seeded_path)
    db = ["--db", str(seeded_path)]
    commands = [
        ("ics", ["calendar", *db, "--user", "ana.kos", "--from", "2026-11-16", "--to",
                 "2026-11-29"], "ana.kos"),
        ("payment_sheet", ["allowances", *db, "--programme", str(programme), "--month",
                           MONTH], "ana.kos"),
        ("esf_csv", ["report", "esf", *db, "--year", "2025", "--area", "gorenjska"], None),
        ("ema", ["report", "ema", *db, "--year", "2025", "--area", "gorenjska"], None),
    ]
    for kind, argv, who in commands:
        out = tmp_path / f"{kind}.out"
        out.write_bytes(b"old")
        out.chmod(0o644)  # a file that was there: made private too
        assert _run([*argv, "--out", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600, kind
        assert out.read_bytes() != b"old"
        user, logged, value, reason = _exports(seeded_path)[-1]
        assert (user, logged, reason) == (who, kind, "command_line")
        assert "people" in json.loads(value)
    ema = json.loads(_exports(seeded_path)[-1][2])
    assert ema["year"] == 2025 and ema["area"] == "gorenjska" and ema["people"] > 0


def test_an_export_kind_or_source_nobody_named_is_refused(memory_db):
    with pytest.raises(ValueError):
        audit.log_export(memory_db, None, audit.Export("everything", {}, 1), "page")
    with pytest.raises(ValueError):
        audit.log_export(memory_db, None, audit.Export("ema", {}, 1), "email")


def test_the_data_protection_officer_filters_the_exports_and_reads_what_each_held(
        app_env, monkeypatch):
    from tests.apptest_helpers import component_text
    from workbench.i18n import SL

    made: list = []
    wrap = session.at_the_click
    monkeypatch.setattr(session, "at_the_click",
                        lambda *a, **k: made.append(wrap(*a, **k)) or made[-1])
    open_page(app_env, "ana.kos", "reporting", zavihek="ema", leto="2025")
    made[0]()
    at = open_page(app_env, "varuh", "audit", tabela=audit.EXPORTS)
    assert not at.exception
    shown = component_text(at)
    assert SL["auditlog.field_ema"] in shown and SL["auditlog.reason_page"] in shown
    people = json.loads(_exports(app_env)[-1][2])["people"]
    assert f"{SL['auditlog.export_year']}: 2025" in shown
    assert f"{SL['auditlog.export_people']}: {people}" in shown and '"year"' not in shown
    assert SL["auditlog.table_exports"] in [o for b in at.selectbox for o in b.options]


def test_the_audit_csv_says_what_an_export_held_in_words(app_env, monkeypatch):
    from tests.apptest_helpers import session_for
    from workbench import audit_view, auth
    from workbench.i18n import SL

    made: list = []
    wrap = session.at_the_click
    monkeypatch.setattr(session, "at_the_click",
                        lambda *a, **k: made.append(wrap(*a, **k)) or made[-1])
    open_page(app_env, "ana.kos", "calendar")
    made[0]()
    session_for(app_env, "varuh")
    db = open_db(app_env)
    dpo = auth.get_user_by_name(db, "varuh")
    csv = audit_view.entries_csv(db, dpo, audit_view.Filters(table=audit.EXPORTS),
                                 lambda c: c, lambda kind, code: SL.get(
                                     f"auditlog.{kind}_{code}", code)).decode("utf-8-sig")
    line = next(row for row in csv.splitlines() if "ics" in row)
    assert f"{SL['auditlog.export_start']}: 2026-" in line and '"start"' not in line
