"""Revizijska sled in AppTest: the administrator and the DPO filter the log, everyone else
is refused, and crafted addresses get a message, never a stack trace or markup."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import column, errors, open_page, tables, texts
from workbench import auth, participants
from workbench.db import open_db
from workbench.i18n import SL


def _activity(db_path) -> dict[str, int]:
    """Ana opens two of her people, Maja one."""
    db = open_db(db_path)
    try:
        ids = {}
        for name, count in (("ana.kos", 2), ("maja.zupan", 1)):
            who = auth.get_user_by_name(db, name)
            ids[name] = who.id
            for (pid,) in db.execute("SELECT id FROM participants WHERE coordinator_id = ? "
                                     "ORDER BY id LIMIT ?", [who.id, count]).fetchall():
                participants.open_person(db, who, pid)
        return ids
    finally:
        db.close()


def _count(db_path, sql: str = "SELECT COUNT(*) FROM audit_log", params=()) -> int:
    db = open_db(db_path)
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()


def _warnings(at) -> list[str]:
    return [w.value for w in at.warning if w.value != SL["app.training_banner"]]


def _rows(at) -> list[dict[str, str]]:
    found = [t for t in tables(at) if t and SL["auditlog.col_action"] in t[0]]
    return found[0] if found else []


def test_the_administrator_sees_the_log_and_filters_it_by_a_user(app_env):
    ids = _activity(app_env)
    at = open_page(app_env, "admin", "audit")
    assert not at.exception
    assert at.title[0].value == SL["auditlog.title"]
    assert at.success[0].value.startswith("Veriga zapisov je nepoškodovana")
    # Newest first: the opens above, then the demo's last workdays of all three.
    assert set(column(_rows(at), SL["auditlog.col_user"])) == {
        "Ana Kos (ana.kos)", "Maja Zupan (maja.zupan)", "Petra Kralj (petra.kralj)"}
    at.selectbox(key="audit_user").select(ids["ana.kos"]).run()
    rows = _rows(at)
    hers = _count(app_env, "SELECT COUNT(*) FROM audit_log WHERE user_id = ?", [ids["ana.kos"]])
    assert not at.exception and len(rows) == min(hers, 50) > 2
    assert set(column(rows, SL["auditlog.col_user"])) == {"Ana Kos (ana.kos)"}
    assert column(rows[:2], SL["auditlog.col_action"]) == [SL["auditlog.action_open"]] * 2
    assert all(p.startswith("#") for p in column(rows[:2], SL["auditlog.col_person"]))
    assert at.query_params["uporabnik"] == str(ids["ana.kos"])


def test_the_dpo_opens_it_by_a_link_with_its_filters(app_env):
    ids = _activity(app_env)
    at = open_page(app_env, "varuh", "audit", uporabnik=str(ids["maja.zupan"]),
                   dejanje="open")
    assert not at.exception and not _warnings(at)
    assert at.selectbox(key="audit_user").value == ids["maja.zupan"]
    assert at.selectbox(key="audit_action").value == "open"
    assert set(column(_rows(at), SL["auditlog.col_user"])) == {"Maja Zupan (maja.zupan)"}


@pytest.mark.parametrize("username", ["ana.kos", "vodja", "trener"])
def test_everyone_else_is_refused(app_env, username):
    _activity(app_env)
    at = open_page(app_env, username, "audit")
    assert not at.exception
    assert SL["app.forbidden"] in errors(at)
    assert not _rows(at) and SL["auditlog.title"] not in [t.value for t in at.title]


@pytest.mark.parametrize("params, named", [
    ({"od": "2026-13-45"}, "auditlog.from"),
    ({"do": "včeraj"}, "auditlog.to"),
    ({"od": "1. 1. 0001"}, "auditlog.from"),
    ({"oseba": "abc"}, "auditlog.person"),
    ({"oseba": "<script>alert(1)</script>"}, "auditlog.person"),
    ({"oseba": "99999999999999999999999"}, "auditlog.person"),
    ({"uporabnik": "<img src=x onerror=alert(1)>"}, "auditlog.user"),
    ({"dejanje": "drop_table"}, "auditlog.action"),
    ({"tabela": "<b>users</b>"}, "auditlog.table"),
    ({"stran": "-1"}, "auditlog.page_name"),
    ({"stran": "ena"}, "auditlog.page_name"),
])
def test_a_crafted_address_gets_a_message_naming_the_filter(app_env, params, named):
    _activity(app_env)
    at = open_page(app_env, "admin", "audit", **params)
    assert not at.exception
    assert _warnings(at) == [SL["auditlog.bad_param"].format(name=SL[named])]
    shown = texts(at)
    assert "<script>" not in shown and "<img" not in shown and "<b>" not in shown
    assert _rows(at)  # the other filters still work: the whole log is shown


def test_a_page_past_the_end_shows_the_last_one_and_says_so(app_env):
    _activity(app_env)
    at = open_page(app_env, "admin", "audit", stran="999999999999")
    assert not at.exception
    last = -(-_count(app_env) // 50)  # 50 entries a page
    assert [i.value for i in at.info] == [SL["auditlog.page_clamped"].format(
        asked=999999999999, page=last)]
    assert at.query_params.get("stran", "1") == str(last)  # the address names the page shown


def test_a_period_the_wrong_way_round_is_named_and_left_out(app_env):
    _activity(app_env)
    at = open_page(app_env, "admin", "audit", od="2026-11-30", do="2026-11-01")
    assert not at.exception
    assert _warnings(at) == [SL["auditlog.period_invalid"]]
    assert _rows(at)
    assert at.text_input(key="audit_from").value == "30. 11. 2026"


def test_a_long_log_is_checked_on_request_and_a_break_is_named(app_env, monkeypatch):
    from workbench import audit_view

    _activity(app_env)
    monkeypatch.setattr(audit_view, "AUTO_VERIFY_MAX", 1)
    db = open_db(app_env)
    db.conn.execute("UPDATE audit_log SET record_id = 999 WHERE id = 2")
    db.close()
    at = open_page(app_env, "admin", "audit")
    assert not at.exception and not at.success and not errors(at)
    assert SL["auditlog.chain_unchecked"].format(n=_count(app_env)) in [
        c.value for c in at.caption]
    at.button(key="audit_chain_check").click().run()
    assert errors(at) == [f"{SL['auditlog.chain_broken']} "
                          f"{SL['auditlog.break_changed'].format(id=2)}"]
    at.run()  # the check is not repeated on every run
    assert not errors(at)


def test_a_programmes_entry_reads_names_labels_and_numbers_not_codes(app_env):
    """A new programme in the administrator's log: its provider and municipality by name,
    its type by its label, its hours the Slovenian way ("2,5"), not ids, codes or "2.5"."""
    import datetime as dt

    from tests.casework_helpers import WEEK, a_programme, coordinator
    from workbench.schedule import Module

    db = open_db(app_env)
    ana = coordinator(db)
    pid = a_programme(db, ana, start=dt.date(2027, 3, 1), end=dt.date(2027, 6, 30),
                      name="Šola Abeceda", modules=(Module("Uvod", 2, "months", 2.5, WEEK),))
    provider, kind = db.execute(
        "SELECT pr.name, g.type FROM programmes g JOIN providers pr ON pr.id = g.provider_id "
        "WHERE g.id = ?", [pid]).fetchone()
    db.close()
    at = open_page(app_env, "admin", "audit", tabela="programmes")
    changes = column(_rows(at), SL["auditlog.col_change"])
    assert provider in changes and SL[f"programme_type.{kind}"] in changes
    assert "2,5" in changes and "2.5" not in changes
    assert kind not in changes and "gorenjska" not in changes
    assert not {"planned", "standard", "sl", "0"} & set(changes)
    fields = column(_rows(at), SL["auditlog.col_field"])
    assert not {"days_per_week", "hours_per_day", "area_code", "type", "provider_id"} & set(
        fields)
