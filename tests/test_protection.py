"""Consent, retention and anonymisation, erasure, access requests, and the EMŠO of another
area: the data-protection rules, called as the users who may and may not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import zipfile

import pytest

from tests.casework_helpers import coordinator, coordinator_in, person_of, valid_form
from tests.conftest import TODAY
from tests.db_helpers import snapshot
from workbench import access, audit, auth, casework, esf, participants, stats
from workbench.db import write
from workbench.errors import UserError
from workbench.protection import consent, retention, subject_access


def admin(db) -> auth.User:
    return auth.get_user_by_name(db, "admin")


def one_of(db, sql: str = "stage = 'motivation'", user: str = "ana.kos") -> int:
    return person_of(db, sql, user)


# -- consent -----------------------------------------------------------------------------------
def test_a_withdrawn_sharing_consent_blocks_new_referrals_to_that_institution(db):
    ana, pid = coordinator(db), one_of(db)
    cid, _ = consent.record_consent(db, ana, pid, "sharing", given_on=TODAY, how="written",
                                    institution="Zavod za zaposlovanje", today=TODAY)
    casework.add_referral_out(db, ana, pid, "Zavod za zaposlovanje", "Iskanje dela",
                              sent_on=TODAY, today=TODAY)
    held = {c.id: c for c in consent.consents(db, ana, pid)}
    consent.withdraw(db, ana, cid, held[cid].version, on=TODAY, how="oral", today=TODAY)
    before = snapshot(db)
    with pytest.raises(UserError) as refused:  # case and spacing do not get round it
        casework.add_referral_out(db, ana, pid, "  zavod ZA zaposlovanje. ", "Ponovno",
                                  sent_on=TODAY, today=TODAY)
    assert refused.value.key == "error.referral_consent_withdrawn"
    assert snapshot(db) == before
    shared = consent.sharing(db, ana, pid)
    assert consent.institution_key("Zavod za zaposlovanje") in shared.withdrawn
    assert "Zavod za zaposlovanje" not in shared.in_force
    # Another institution is not affected; a new consent lifts the block.
    casework.add_referral_out(db, ana, pid, "Center za duševno zdravje", "Podpora",
                              sent_on=TODAY, today=TODAY)
    consent.record_consent(db, ana, pid, "sharing", given_on=TODAY, how="written",
                           institution="Zavod za zaposlovanje", today=TODAY)
    casework.add_referral_out(db, ana, pid, "Zavod za zaposlovanje", "Ponovno",
                              sent_on=TODAY, today=TODAY)


def test_consent_rules_refuse_with_a_message_and_write_nothing(db):
    ana, pid = coordinator(db), one_of(db, "stage = 'referred'")  # no consent yet
    consent.record_consent(db, ana, pid, "phone", given_on=TODAY, how="oral", today=TODAY,
                           token="t1")
    # The same form sent twice saves once.
    assert consent.record_consent(db, ana, pid, "phone", given_on=TODAY, how="oral",
                                  today=TODAY, token="t1")[1] is False
    before = snapshot(db)
    for kwargs, key in [
            ({"purpose": "phone"}, "error.consent_in_force"),
            ({"purpose": "blood"}, "error.consent_purpose_invalid"),
            ({"purpose": "sms", "how": "telepathy"}, "error.consent_how_invalid"),
            ({"purpose": "sms", "given_on": TODAY + dt.timedelta(days=1)}, "error.date_future"),
            ({"purpose": "sharing", "institution": "   "},
             "error.consent_institution_required")]:
        args = {"purpose": "sms", "how": "written", "given_on": TODAY, **kwargs}
        with pytest.raises(UserError) as refused:
            consent.record_consent(db, ana, pid, args.pop("purpose"), today=TODAY, **args)
        assert refused.value.key == key
    assert snapshot(db) == before
    held = consent.consents(db, ana, pid)[0]
    with pytest.raises(UserError) as refused:
        consent.withdraw(db, ana, held.id, held.version, on=TODAY - dt.timedelta(days=3),
                         how="oral", today=TODAY)
    assert refused.value.key == "error.consent_withdrawn_before_given"


@pytest.mark.parametrize("who", ["vodja", "admin", "trener", "elsewhere", "maja"])
def test_only_her_area_s_coordinators_see_and_record_her_consents(db, who):
    pid = one_of(db)
    actor = (coordinator_in(db, "lj.koord", "ljubljana") if who == "elsewhere"
             else auth.get_user_by_name(db, "maja.zupan") if who == "maja"
             else auth.get_user_by_name(db, who))
    if who == "maja":  # a coordinator of the same area may (the area is one team)
        assert consent.consents(db, actor, pid) is not None
        return
    if who == "trener":
        with write(db):  # a trainer on a real database gets aggregates only
            db.execute("UPDATE meta SET value = 'production' WHERE key = 'environment'")
    before = snapshot(db)
    for call in (lambda: consent.consents(db, actor, pid),
                 lambda: consent.record_consent(db, actor, pid, "ema", given_on=TODAY,
                                                how="written", today=TODAY)):
        with pytest.raises(access.Forbidden):
            call()
    assert snapshot(db) == before


def test_the_seed_records_consents_and_some_withdrawn_sharing(db):
    rows = dict(db.execute("SELECT purpose, COUNT(*) FROM consents GROUP BY purpose"))
    assert rows["inclusion"] > 100 and rows["ema"] > 100 and rows["sharing"] > 10
    assert db.execute("SELECT COUNT(*) FROM consents WHERE withdrawn_on IS NOT NULL"
                      ).fetchone()[0] > 0


# -- the EMŠO of another area's participant ------------------------------------------------------
def test_an_emso_of_another_area_does_not_say_she_is_a_participant_and_is_audited(db):
    ana = coordinator(db)
    pid, _ = participants.create_person(db, ana, valid_form(db), coordinator_id=ana.id,
                                        today=TODAY)
    code = participants.get_person(db, ana, pid).emso
    stranger = coordinator_in(db, "lj.koord", "ljubljana")
    for attempt in (lambda: participants.check_emso(db, stranger, code),
                    lambda: participants.create_person(
                        db, stranger, dataclasses.replace(valid_form(db), first_name="Druga"),
                        coordinator_id=stranger.id, today=TODAY)):
        with pytest.raises(UserError) as refused:
            attempt()
        assert refused.value.key == "error.emso_unusable"
        assert "Cvetka" not in json.dumps(refused.value.params, default=str)
    logged = db.execute("SELECT user_id, participant_id FROM audit_log "
                        "WHERE action = 'emso_elsewhere'").fetchall()
    assert logged == [(stranger.id, pid)] * 2
    # In her own area the colleague learns who holds it.
    with pytest.raises(UserError) as refused:
        participants.check_emso(db, auth.get_user_by_name(db, "maja.zupan"), code)
    assert refused.value.key == "error.emso_taken"


# -- retention and anonymisation ------------------------------------------------------------------
def test_the_preview_lists_finished_cases_whose_retention_ran_out(db):
    due = retention.due(db, admin(db), TODAY)
    assert due and {d.stage for d in due} <= {"closed", "follow_up_6m"}
    for d in due:
        years = 10 if d.basis == "exit" else 1
        since = dt.date.fromisoformat(d.since)
        assert since.replace(year=since.year + years) <= TODAY
    # Ten years later every case that is finished by now is due.
    later = retention.due(db, admin(db), TODAY.replace(year=TODAY.year + 11))
    finished = db.execute("SELECT COUNT(*) FROM participants WHERE stage IN "
                          "('closed', 'follow_up_6m')").fetchone()[0]
    assert len(later) == finished > len(due)


def test_anonymisation_clears_what_identifies_her_and_keeps_every_figure(db):
    boss = admin(db)
    ten_years = TODAY.replace(year=TODAY.year + 11)
    due = retention.due(db, boss, ten_years)
    ids = [d.participant_id for d in due]
    names = {pid: db.execute("SELECT first_name, last_name, emso, phone FROM participants "
                             "WHERE id = ?", [pid]).fetchone() for pid in ids}
    years = range(2018, TODAY.year + 1)
    reports = {y: esf.report(db, boss, y, "gorenjska", TODAY).counts for y in years}
    filters = stats.Filters(start=dt.date(2018, 1, 1), end=TODAY, area="gorenjska")
    shape = (stats.funnel(db, boss, filters, TODAY).to_json(),
             stats.sex_age(db, boss, filters, TODAY).to_json())

    assert retention.anonymise(db, boss, ids, ten_years) == len(ids)

    for pid, (first, last, code, phone) in names.items():
        row = db.execute("SELECT first_name, last_name, emso, phone, address, email, "
                         "anonymised_on FROM participants WHERE id = ?", [pid]).fetchone()
        assert row == (retention.ANONYMOUS_FIRST, f"#{pid}", None, "", "", "",
                       ten_years.isoformat())
        # Nowhere else either: not in the audit log's values of her entries.
        assert db.execute("SELECT COUNT(*) FROM audit_log WHERE participant_id = ? AND "
                          "(new_value IN (?, ?, ?, ?) OR old_value IN (?, ?, ?, ?))",
                          [pid, *[first, last, code, phone] * 2]).fetchone()[0] == 0
    assert all(n == "" for (n,) in db.execute(
        f"SELECT note FROM contacts WHERE participant_id IN ({', '.join(map(str, ids))})"))
    assert {y: esf.report(db, boss, y, "gorenjska", TODAY).counts for y in years} == reports
    assert (stats.funnel(db, boss, filters, TODAY).to_json(),
            stats.sex_age(db, boss, filters, TODAY).to_json()) == shape
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'anonymise'"
                      ).fetchone()[0] == len(ids)
    assert retention.due(db, boss, ten_years) == []  # nobody twice
    assert audit.verify_chain(db) is None  # redacted values are sealed by their digests


def test_only_the_administrator_anonymises_and_only_those_due(db):
    pid = one_of(db)  # an open case: never due
    for who in ("ana.kos", "vodja", "trener"):
        with pytest.raises(access.Forbidden):
            retention.anonymise(db, auth.get_user_by_name(db, who), [pid], TODAY)
    assert retention.anonymise(db, admin(db), [pid], TODAY) == 0
    assert db.execute("SELECT anonymised_on FROM participants WHERE id = ?",
                      [pid]).fetchone()[0] is None


def test_a_birth_date_is_coarsened_only_where_no_age_changes():
    assert retention._coarse_birth_date("1990-05-17", ["2020-03-01"]) == "1990-05-01"
    # Her age on 10 May would change with the 1st: the last day keeps it.
    assert retention._coarse_birth_date("1990-05-17", ["2020-05-10"]) == "1990-05-31"
    # A day on each side of the birthday in that month: nothing coarser keeps both.
    assert retention._coarse_birth_date("1990-05-17",
                                        ["2020-05-10", "2021-05-20"]) == "1990-05-17"


# -- erasure ---------------------------------------------------------------------------------
def test_erasure_deletes_a_never_included_record_and_refuses_an_esf_participant(db):
    boss, ana = admin(db), coordinator(db)
    pid, _ = participants.create_person(db, ana, valid_form(db), coordinator_id=ana.id,
                                        today=TODAY)
    casework.add_contact(db, ana, pid, on=TODAY, kind="phone", note="Cvetka pokliče jutri",
                         next_step="", today=TODAY)
    included = one_of(db, "entry_date IS NOT NULL")
    with pytest.raises(UserError) as refused:
        retention.erase(db, boss, included, "napaka")
    assert refused.value.key == "error.erase_reported"
    with pytest.raises(access.Forbidden):
        retention.erase(db, ana, pid, "napaka")
    assert not retention.erasable(db, boss, included) and retention.erasable(db, boss, pid)
    # An individual meeting is casework: it does not keep a record from erasure.
    from workbench import schedule
    schedule.add_entry(db, ana, schedule.Entry(kind="individual", day=TODAY,
                                               start_time="10:00", hours=1, title="Razgovor",
                                               participant_id=pid), today=TODAY)
    assert retention.erasable(db, boss, pid)
    retention.erase(db, boss, pid, "Napotitev po pomoti")
    assert db.execute("SELECT COUNT(*) FROM participants WHERE id = ?", [pid]).fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM contacts WHERE participant_id = ?",
                      [pid]).fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE new_value LIKE '%Cvetka%'"
                      ).fetchone()[0] == 0
    assert db.execute("SELECT reason FROM audit_log WHERE action = 'delete' AND record_id = ?",
                      [pid]).fetchone() == ("Napotitev po pomoti",)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert audit.verify_chain(db) is None


# -- access requests ------------------------------------------------------------------------------
def test_an_access_request_exports_everything_about_her_readably_and_is_audited(db):
    ana, boss = coordinator(db), admin(db)
    pid = one_of(db, "entry_date IS NOT NULL")
    casework.add_contact(db, ana, pid, on=TODAY, kind="phone",
                         note="<script>alert(1)</script> **krepko**", next_step="", today=TODAY)
    code = db.execute("SELECT emso FROM participants WHERE id = ?", [pid]).fetchone()[0]
    assert subject_access.find(db, boss, code) == pid == subject_access.find(db, boss, str(pid))
    wrong = code[:12] + str((int(code[12]) + 1) % 10)
    for typed, key in [(wrong, "error.emso_invalid"), ("abc", "error.request_person_invalid"),
                       ("999999999", "error.person_unavailable")]:
        with pytest.raises(UserError) as refused:
            subject_access.find(db, boss, typed)
        assert refused.value.key == key
    made = subject_access.export(db, boss, pid)
    for key, _ in subject_access.SECTIONS:
        assert key in made.sections
    assert made.sections["attendance"] and made.sections["consents"]
    assert made.sections["audit"] and made.sections["stage_history"]
    labels = {"title": "T", "made": "M", "none": "-"} | {k: k for k, _ in subject_access.SECTIONS}
    document = subject_access.as_html(made, labels)
    assert "<script>alert" not in document
    assert html.escape("<script>alert(1)</script>") in document
    archive = zipfile.ZipFile(io.BytesIO(subject_access.as_zip(made, labels)))
    data = json.loads(archive.read(f"zahteva-za-dostop-{pid}.json"))
    assert data["person"][0]["emso"] == code
    assert any(c["note"].startswith("<script>") for c in data["contacts"])
    assert db.execute("SELECT user_id FROM audit_log WHERE action = 'export' AND "
                      "participant_id = ?", [pid]).fetchall() == [(boss.id,)]


def test_every_table_about_a_person_is_in_the_export(db):
    tables = {name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")
        if any(col[1] == "participant_id" for col in db.execute(f"PRAGMA table_info({name})"))}
    covered = " ".join(sql for _, sql in subject_access.SECTIONS)
    assert {t for t in tables if f" {t} " not in covered and f" {t}\n" not in covered} <= {
        "submissions"}, tables


@pytest.mark.parametrize("who", ["ana.kos", "vodja", "trener"])
def test_only_the_administrator_and_the_dpo_answer_access_requests(db, who):
    pid = one_of(db)
    for call in (lambda: subject_access.find(db, auth.get_user_by_name(db, who), str(pid)),
                 lambda: subject_access.export(db, auth.get_user_by_name(db, who), pid)):
        with pytest.raises(access.Forbidden):
            call()
    dpo = auth.get_user_by_name(db, "varuh")  # the demo's data-protection officer
    assert subject_access.export(db, dpo, pid).participant_id == pid


def test_a_backup_and_a_restore_are_written_in_the_audit_log(seeded_path, tmp_path, capsys):
    from workbench.__main__ import main
    from workbench.db import open_db

    assert main(["backup", "--db", str(seeded_path), "--to", str(tmp_path / "kopije"),
                 "--create"]) == 0
    db = open_db(seeded_path)
    (file, reason), = db.execute("SELECT new_value, reason FROM audit_log "
                                 "WHERE action = 'backup'").fetchall()
    assert file.startswith(str(tmp_path / "kopije")) and reason == "verified"
    db.close()
    assert main(["restore", "--from", file, "--db", str(seeded_path)]) == 0
    db = open_db(seeded_path)
    assert db.execute("SELECT new_value FROM audit_log WHERE action = 'restore'"
                      ).fetchall() == [(file,)]
    assert audit.verify_chain(db) is None


def test_an_anonymised_record_is_read_only_but_still_handed_over(db):
    boss, later = admin(db), TODAY.replace(year=TODAY.year + 11)
    pid = next(d.participant_id for d in retention.due(db, boss, later)
               if db.execute("SELECT coordinator_id FROM participants WHERE id = ?",
                             [d.participant_id]).fetchone()[0] == coordinator(db).id)
    retention.anonymise(db, boss, [pid], later)
    ana = coordinator(db)
    person = participants.get_person(db, ana, pid)
    before = snapshot(db)
    for write_call in (
            lambda: participants.update_person(db, ana, pid, person.version,
                                               {"first_name": "Stanislava"}, today=TODAY),
            lambda: casework.add_contact(db, ana, pid, on=TODAY, kind="phone", note="x",
                                         next_step="", today=TODAY),
            lambda: consent.record_consent(db, ana, pid, "sms", given_on=TODAY, how="oral",
                                           today=TODAY)):
        with pytest.raises(UserError) as refused:
            write_call()
        assert refused.value.key == "error.record_anonymised"
    assert snapshot(db) == before
    assert participants.get_person(db, ana, pid).first_name == retention.ANONYMOUS_FIRST
    # Her coordinator leaves: the case still goes to a colleague.
    from workbench import accounts
    accounts.deactivate(db, boss, ana.id, handover_to=accounts.SPREAD)
    assert db.execute("SELECT coordinator_id FROM participants WHERE id = ?",
                      [pid]).fetchone()[0] != ana.id


# -- typed reasons: no name and no EMŠO of the person, they stay in the log (issue 20, item 8) --
_NAMED = "Anže Koren je bil napoten po pomoti"
_EMSO = "EMŠO 0101990 500006, napaka"


def test_an_erasure_reason_with_her_name_or_emso_is_refused_and_nothing_is_erased(db):
    from tests.casework_helpers import a_person
    boss, ana = admin(db), coordinator(db)
    pid = a_person(db, ana, "Anže", last="Koren")
    before = snapshot(db)
    for typed, key in ((_NAMED, "error.reason_has_name"), (_EMSO, "error.reason_has_emso"),
                       ("po pomoti, anze", "error.reason_has_name"),
                       ("KOREN: napačna napotitev", "error.reason_has_name")):
        with pytest.raises(UserError) as refused:
            retention.erase(db, boss, pid, typed)
        assert (refused.value.key, refused.value.field) == (key, "reason")
    assert snapshot(db) == before
    retention.erase(db, boss, pid, "Napotitev po pomoti")
    assert db.execute("SELECT reason FROM audit_log WHERE action = 'delete' AND record_id = ?",
                      [pid]).fetchone() == ("Napotitev po pomoti",)


def _reason_sites():
    """Every library call that writes a reason someone types into the audit log, as
    (name, does it concern one person, call(db, reason)) with its setup done."""
    import datetime as dt_

    from tests.casework_helpers import a_person, a_programme, sign, version_of
    from workbench import accounts, attendance, enrolment, pipeline, schedule

    def person(db):
        ana = coordinator(db)
        return ana, a_person(db, ana, "Anže", last="Koren")

    def move(db):
        ana, pid = person(db)
        back = pipeline.Move("first_interview", TODAY, reason=None)
        return lambda r: pipeline.move_stage(db, ana, pid, version_of(db, pid),
                                             dataclasses.replace(back, reason=r), today=TODAY)

    def correction(db):
        ana, pid = person(db)
        last = db.execute("SELECT MAX(id) FROM stage_history WHERE participant_id = ?",
                          [pid]).fetchone()[0]
        return lambda r: pipeline.correct_move(db, ana, pid, version_of(db, pid),
                                               pipeline.Correction(last, undo=True, reason=r),
                                               today=TODAY)

    def reassign(db):
        ana, pid = person(db)
        petra = coordinator(db, "petra.kralj")
        return lambda r: participants.reassign(db, ana, pid, version_of(db, pid), petra.id, r,
                                               today=TODAY)

    def terms(db):
        ana, pid = person(db)
        programme = a_programme(db, ana)
        sign(db, ana, pid, programme)
        eid, version = db.execute("SELECT id, version FROM enrolments WHERE participant_id = ?",
                                  [pid]).fetchone()
        return lambda r: enrolment.correct_terms(db, ana, eid, version,
                                                 enrolment.Terms(ticket_eur="3,10"), r)

    def meeting(db):
        ana, pid = person(db)
        sid = schedule.add_entry(db, ana, schedule.Entry(
            kind="individual", day=dt_.date(2026, 11, 25), start_time="10:00", hours=1,
            title="Razgovor", participant_id=pid), today=TODAY)
        return ana, sid

    def move_meeting(db):
        ana, sid = meeting(db)
        return lambda r: schedule.move_entry(db, ana, sid, 1, dt_.date(2026, 11, 26), "11:00",
                                             1.0, today=TODAY, reason=r)

    def cancel_meeting(db):
        ana, sid = meeting(db)
        return lambda r: schedule.cancel_entry(db, ana, sid, 1, r, today=TODAY)

    def unlock(db):
        ana = coordinator(db)
        programme = a_programme(db, ana)
        attendance.lock_month(db, ana, programme, "2026-10", TODAY)
        return lambda r: attendance.unlock_month(db, admin(db), programme, "2026-10", r)

    def deactivate(db):
        petra = coordinator(db, "petra.kralj")
        return lambda r: accounts.deactivate(db, admin(db), petra.id,
                                             handover_to=accounts.SPREAD, reason=r, today=TODAY)

    return [("stage_move", True, move), ("move_correction", True, correction),
            ("reassign", True, reassign), ("terms_correction", True, terms),
            ("meeting_moved", True, move_meeting), ("meeting_cancelled", True, cancel_meeting),
            ("month_unlocked", False, unlock), ("account_deactivated", False, deactivate)]


@pytest.mark.parametrize("site", _reason_sites(), ids=lambda s: s[0])
def test_every_typed_reason_is_refused_with_an_emso_and_with_her_name(db, site):
    _, about_her, prepare = site
    call = prepare(db)
    before = snapshot(db)
    refusals = [(_EMSO, "error.reason_has_emso")]
    if about_her:
        refusals.append((_NAMED, "error.reason_has_name"))
    for typed, key in refusals:
        with pytest.raises(UserError) as refused:
            call(typed)
        assert refused.value.key == key
    assert snapshot(db) == before
    call("Po dogovoru s sodelavko")  # the same call with a reason that names nobody
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE reason = ?",
                      ["Po dogovoru s sodelavko"]).fetchone()[0] >= 1
