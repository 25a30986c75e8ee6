"""Enrolment (workbench.enrolment): the contract's terms and their refusals (each naming the
field the form marks), the programme's places and its waiting list, withdrawing from it, and
the lists of a programme's people and of who can sign a contract now."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.casework_helpers import (
    a_person,
    a_programme,
    audit_mark,
    audited_since,
    coordinator,
    coordinator_in,
    sign,
    version_of,
)
from tests.conftest import TODAY
from workbench import enrolment, pipeline, programmes, waiting
from workbench.access import Forbidden
from workbench.errors import ConflictError, UserError
from workbench.transactions import write

CONTRACT_DAY = TODAY - dt.timedelta(days=20)  # the day ``sign`` signs on: 2 November 2026
PROGRAMME = "Testni program"                   # ``a_programme``'s name


@pytest.fixture
def ana(db):
    return coordinator(db, "ana.kos")


@pytest.fixture
def programme(db, ana):
    """An intermediate programme running from October 2026 to March 2027, 15 places."""
    return a_programme(db, ana, start=dt.date(2026, 10, 5), end=dt.date(2027, 3, 31))


def refusal(call) -> tuple[str, str | None, dict]:
    with pytest.raises(UserError) as refused:
        call()
    return refused.value.key, refused.value.field, refused.value.params


def enrolment_of(db, pid: int):
    return db.execute("SELECT programme_id, status, contract_date, start_date, ticket_eur, "
                      "distance_km, eligibility_override FROM enrolments "
                      "WHERE participant_id = ?", [pid]).fetchall()


def stage_of(db, pid: int) -> str:
    return db.execute("SELECT stage FROM participants WHERE id = ?", [pid]).fetchone()[0]


# -- the contract's terms ------------------------------------------------------------------------
@pytest.mark.parametrize("planned, key", [
    (CONTRACT_DAY - dt.timedelta(days=1), "error.start_before_contract"),
    (CONTRACT_DAY + dt.timedelta(days=367), "error.date_far"),  # a year and a day is the most
    ("jutri", "error.date_format"),
    ("31. 2. 2027", "error.date_invalid"),
])
def test_a_planned_start_out_of_bounds_is_refused_on_its_field(db, ana, programme,
                                                               planned, key):
    pid = a_person(db, ana, "Ana")
    version = version_of(db, pid)
    assert refusal(lambda: sign(db, ana, pid, programme, planned_start=planned))[:2] == (
        key, "planned_start")
    assert enrolment_of(db, pid) == [] and version_of(db, pid) == version
    assert stage_of(db, pid) == "motivation"


@pytest.mark.parametrize("planned, stored", [
    (None, "2026-11-02"),                                # none typed: the contract's day
    (CONTRACT_DAY, "2026-11-02"),                        # the same day
    (CONTRACT_DAY + dt.timedelta(days=366), "2027-11-03"),  # exactly 366 days on
    ("16. 11. 2026", "2026-11-16"),                      # typed the Slovenian way
])
def test_the_planned_start_is_kept_with_the_contract(db, ana, programme, planned, stored):
    pid = a_person(db, ana, "Ana")
    mark = audit_mark(db)
    sign(db, ana, pid, programme, planned_start=planned)
    assert enrolment_of(db, pid) == [
        (programme, "active", "2026-11-02", stored, None, None, None)]
    # The contract is logged as signed, planned start included, not corrected afterwards.
    logged = audited_since(db, mark, "enrolments")
    assert [(r[4], r[5], r[7]) for r in logged if r[5] == "start_date"] == [
        ("create", "start_date", stored)]


@pytest.mark.parametrize("ticket, distance, key, field, params", [
    ("50,01", None, "error.number_range", "ticket_eur", {"max": 50}),
    ("51", None, "error.number_range", "ticket_eur", {"max": 50}),
    (-0.5, None, "error.number_range", "ticket_eur", {"max": 50}),
    (None, "300,5", "error.number_range", "distance_km", {"max": 300}),
    (None, 301, "error.number_range", "distance_km", {"max": 300}),
    (None, -1.0, "error.number_range", "distance_km", {"max": 300}),
    ("dva evra", None, "error.number_format", "ticket_eur", {}),
    (None, "1.234,5", "error.number_format", "distance_km", {}),
])
def test_amounts_out_of_range_or_not_numbers_are_refused_on_their_field(
        db, ana, programme, ticket, distance, key, field, params):
    pid = a_person(db, ana, "Ana")
    assert refusal(lambda: sign(db, ana, pid, programme, ticket_eur=ticket,
                                distance_km=distance)) == (key, field, params)
    assert enrolment_of(db, pid) == []


@pytest.mark.parametrize("ticket, distance, stored", [
    ("50", "300", (50.0, 300.0)),       # the top of each range is allowed
    ("50,00 €", "300,0", (50.0, 300.0)),
    ("0", "0", (0.0, 0.0)),
    ("2,30", "12,5", (2.3, 12.5)),
])
def test_amounts_within_range_are_stored(db, ana, programme, ticket, distance, stored):
    pid = a_person(db, ana, "Ana")
    sign(db, ana, pid, programme, ticket_eur=ticket, distance_km=distance)
    assert enrolment_of(db, pid)[0][4:6] == stored


def test_an_override_reason_with_a_line_break_is_refused_on_its_field(db, ana, programme):
    pid = a_person(db, ana, "Ana")
    assert refusal(lambda: sign(db, ana, pid, programme,
                                override_reason="Odobril\nstrokovni tim"))[:2] == (
        "error.text_line_break", "override_reason")
    assert enrolment_of(db, pid) == []


def test_the_contract_and_its_terms_are_logged_by_her_coordinator(db, ana, programme):
    pid = a_person(db, ana, "Ana")
    mark = audit_mark(db)
    done = sign(db, ana, pid, programme, planned_start=CONTRACT_DAY + dt.timedelta(days=14),
                ticket_eur="2,30", distance_km="12,5")
    assert done == enrolment.Result(version_of(db, pid), None, PROGRAMME)
    logged = audited_since(db, mark, "enrolments")
    assert {(r[0], r[1], r[3]) for r in logged} == {(ana.id, "enrolments", pid)}
    assert {r[5]: r[7] for r in logged} == {
        "participant_id": str(pid), "programme_id": str(programme),
        "contract_date": "2026-11-02", "start_date": "2026-11-16", "status": "active",
        "ticket_eur": "2.3", "distance_km": "12.5"}


def test_moving_straight_into_the_programme_keeps_the_terms(db, ana, programme):
    pid = a_person(db, ana, "Ana")
    day = TODAY - dt.timedelta(days=3)
    done = enrolment.move(db, ana, pid, version_of(db, pid), pipeline.Move(
        "in_programme", day, programme_id=programme), today=TODAY,
        terms=enrolment.Terms(ticket_eur="1,80", distance_km="4"))
    assert done == enrolment.Result(version_of(db, pid), None, PROGRAMME)
    assert stage_of(db, pid) == "in_programme"
    assert enrolment_of(db, pid) == [
        (programme, "active", day.isoformat(), day.isoformat(), 1.8, 4.0, None)]


# -- a long programme's eligibility ------------------------------------------------------------
@pytest.fixture
def long_programme(db, ana):
    return a_programme(db, ana, ptype="long", start=dt.date(2026, 11, 2),
                       end=dt.date(2027, 10, 29), modules=programmes.TEMPLATES["long"])


def test_an_eligible_person_signs_a_long_programme_without_a_reason(db, ana, long_programme):
    # valid_form: DSP recipient living here, 38 years old, 14 DSP payments in 24 months;
    # a long programme asks for at most 49 years and at least 12 payments.
    pid = a_person(db, ana, "Ana")
    assert sign(db, ana, pid, long_programme).waiting is None
    assert enrolment_of(db, pid) == [
        (long_programme, "active", "2026-11-02", "2026-11-02", None, None, None)]


@pytest.mark.parametrize("form", [
    {"birth_date": dt.date(1960, 5, 5)},    # 66 years old
    {"birth_date": dt.date(1976, 11, 1)},   # 50 years old on the contract's day
    {"dsp_payments_24m": 11},               # one payment short of 12
    {"residence_ok": False},                # a DSP recipient must live here
], ids=["age_66", "age_50", "dsp_11", "no_residence"])
def test_a_long_programme_refuses_someone_not_eligible_unless_a_reason_is_given(
        db, ana, long_programme, form):
    pid = a_person(db, ana, "Ana", **form)
    assert refusal(lambda: sign(db, ana, pid, long_programme))[:2] == (
        "error.long_not_eligible", "override_reason")
    assert enrolment_of(db, pid) == []
    sign(db, ana, pid, long_programme, override_reason="Odobril strokovni tim CSD")
    assert enrolment_of(db, pid)[0][6] == "Odobril strokovni tim CSD"


# -- the programme's own state -----------------------------------------------------------------
@pytest.mark.parametrize("end, status", [
    (dt.date(2026, 11, 1), "running"),   # ended the day before the contract
    (dt.date(2027, 3, 31), "finished"),  # marked finished before its planned end
], ids=["ended", "finished"])
def test_a_programme_that_has_ended_is_refused_on_the_programme_field(db, ana, end, status):
    ended = a_programme(db, ana, start=dt.date(2026, 6, 1), end=end, status=status)
    pid = a_person(db, ana, "Ana")
    assert refusal(lambda: sign(db, ana, pid, ended))[:2] == (
        "error.programme_ended", "programme")
    assert enrolment_of(db, pid) == [] and waiting.entries(db, ended) == []


def test_a_contract_on_the_programmes_last_day_is_accepted(db, ana):
    last_day = a_programme(db, ana, start=dt.date(2026, 6, 1), end=CONTRACT_DAY)
    pid = a_person(db, ana, "Ana")
    sign(db, ana, pid, last_day)
    assert enrolment_of(db, pid)[0][:2] == (last_day, "active")


# -- moves that need no place ------------------------------------------------------------------
def test_a_move_that_needs_no_place_is_an_ordinary_stage_move(db, ana, programme):
    pid = a_person(db, ana, "Ana", stage_to="first_interview")
    before = version_of(db, pid)
    done = enrolment.move(db, ana, pid, before, pipeline.Move(
        "motivation", CONTRACT_DAY - dt.timedelta(days=1)), today=TODAY)
    assert done == enrolment.Result(before + 1, None, None)
    assert version_of(db, pid) == before + 1
    assert stage_of(db, pid) == "motivation"
    # Signed, she starts: her enrolment is already there, no second place is taken.
    sign(db, ana, pid, programme)
    before = version_of(db, pid)
    done = enrolment.move(db, ana, pid, before, pipeline.Move("in_programme", TODAY),
                          today=TODAY)
    assert done == enrolment.Result(before + 1, None, None)
    assert stage_of(db, pid) == "in_programme"
    assert [r[1] for r in enrolment_of(db, pid)] == ["active"]


def test_a_stale_form_is_refused_naming_what_changed(db, ana, programme):
    pid = a_person(db, ana, "Ana", stage_to="first_interview")
    stale = version_of(db, pid)
    pipeline.move_stage(db, ana, pid, stale, pipeline.Move("motivation", TODAY), today=TODAY)
    with pytest.raises(ConflictError) as refused:
        enrolment.move(db, ana, pid, stale, pipeline.Move(
            "contract", CONTRACT_DAY, programme_id=programme), today=TODAY)
    assert refused.value.key == "conflict.person"
    assert ("stage", "first_interview", "motivation") in {
        (c.field, c.old, c.new) for c in refused.value.changes}
    assert enrolment_of(db, pid) == []


# -- places and the waiting list ---------------------------------------------------------------
@pytest.fixture
def one_place(db, ana):
    return a_programme(db, ana, capacity=1, start=dt.date(2026, 10, 5),
                       end=dt.date(2027, 3, 31))


def test_a_full_programme_puts_her_on_its_waiting_list_once(db, ana, one_place):
    first, second = (a_person(db, ana, n) for n in ("Ana", "Bina"))
    sign(db, ana, first, one_place)
    before = version_of(db, second)
    mark = audit_mark(db)
    done = sign(db, ana, second, one_place)
    assert (done.version, done.programme) == (before, PROGRAMME)  # her row is not moved
    assert version_of(db, second) == before and stage_of(db, second) == "motivation"
    assert (done.waiting.participant_id, done.waiting.position, done.waiting.status,
            done.waiting.added_on) == (second, 1, "waiting", TODAY.isoformat())
    logged = audited_since(db, mark)
    assert {(r[0], r[1], r[3], r[4]) for r in logged} == {
        (ana.id, "waiting_list", second, "create")}
    # Signing again while it is still full finds her place in the queue, not a second one.
    again = sign(db, ana, second, one_place)
    assert again.waiting == done.waiting
    assert db.execute("SELECT COUNT(*) FROM waiting_list WHERE participant_id = ?",
                      [second]).fetchone()[0] == 1


def test_taking_the_offered_place_takes_her_off_the_list(db, ana, one_place):
    first, second = (a_person(db, ana, n) for n in ("Ana", "Bina"))
    sign(db, ana, first, one_place)
    sign(db, ana, second, one_place)
    pipeline.move_stage(db, ana, first, version_of(db, first), pipeline.Move(
        "motivation", TODAY, reason="Premislila si je"), today=TODAY)
    assert [(w.participant_id, w.status) for w in waiting.entries(db, one_place)] == [
        (second, "offered")]
    mark = audit_mark(db)
    done = sign(db, ana, second, one_place, on=TODAY)
    assert done == enrolment.Result(version_of(db, second), None, PROGRAMME)
    assert waiting.entries(db, one_place) == []
    entry = db.execute("SELECT id FROM waiting_list WHERE participant_id = ?",
                       [second]).fetchone()[0]
    assert audited_since(db, mark, "waiting_list") == [
        (ana.id, "waiting_list", entry, second, "update", "status", "offered", "enrolled"),
        (ana.id, "waiting_list", entry, second, "update", "closed_on", None,
         TODAY.isoformat())]


def test_withdrawing_takes_her_off_the_list_and_moves_the_others_up(db, ana, one_place):
    first, second, third = (a_person(db, ana, n) for n in ("Ana", "Bina", "Cilka"))
    sign(db, ana, first, one_place)
    sign(db, ana, second, one_place)
    sign(db, ana, third, one_place)
    mark = audit_mark(db)
    enrolment.withdraw(db, ana, one_place, second, today=TODAY)
    assert [(w.participant_id, w.position) for w in enrolment.queue(db, ana, one_place)] == [
        (third, 1)]
    assert db.execute("SELECT status FROM waiting_list WHERE participant_id = ?",
                      [second]).fetchone()[0] == "withdrawn"
    entry = db.execute("SELECT id FROM waiting_list WHERE participant_id = ?",
                       [second]).fetchone()[0]
    assert audited_since(db, mark) == [
        (ana.id, "waiting_list", entry, second, "update", "status", "waiting", "withdrawn"),
        (ana.id, "waiting_list", entry, second, "update", "closed_on", None,
         TODAY.isoformat())]


def test_withdrawing_someone_not_waiting_is_refused(db, ana, one_place):
    first, second = (a_person(db, ana, n) for n in ("Ana", "Bina"))
    sign(db, ana, first, one_place)
    assert refusal(lambda: enrolment.withdraw(db, ana, one_place, first)) == (
        "error.not_waiting", None, {})
    sign(db, ana, second, one_place)
    enrolment.withdraw(db, ana, one_place, second)
    assert refusal(lambda: enrolment.withdraw(db, ana, one_place, second))[0] == \
        "error.not_waiting"


def test_the_queue_is_the_programmes_own_first_come_first(db, ana, one_place):
    other = a_programme(db, ana, capacity=1, start=dt.date(2026, 10, 5),
                        end=dt.date(2027, 3, 31), name="Drugi program")
    people = [a_person(db, ana, n) for n in ("Ana", "Bina", "Cilka", "Dora")]
    sign(db, ana, people[0], one_place)
    sign(db, ana, people[3], other)
    sign(db, ana, people[2], one_place)
    sign(db, ana, people[1], one_place)
    sign(db, ana, people[1], other)
    assert [(w.participant_id, w.position, w.name) for w in enrolment.queue(
        db, ana, one_place)] == [(people[2], 1, "Cilka Testna"), (people[1], 2, "Bina Testna")]
    assert [(w.participant_id, w.position) for w in enrolment.queue(db, ana, other)] == [
        (people[1], 1)]


def test_another_areas_coordinator_sees_no_queue(db, ana, one_place):
    stranger = coordinator_in(db, "eva.drugje", "ljubljana")
    with pytest.raises(Forbidden):
        enrolment.queue(db, stranger, one_place)


# -- a programme's people and the candidates -----------------------------------------------------
def test_the_programmes_people_list_the_current_ones_first(db, ana, programme):
    zupan = a_person(db, ana, "Zala", last="Zupan")
    avsec = a_person(db, ana, "Alja", last="Avsec")
    bizjak = a_person(db, ana, "Barbara", last="Bizjak")
    for pid in (zupan, avsec, bizjak):
        sign(db, ana, pid, programme)
    pipeline.move_stage(db, ana, avsec, version_of(db, avsec), pipeline.Move(
        "motivation", TODAY, reason="Premislila si je"), today=TODAY)
    everyone = enrolment.enrolled(db, ana, programme)
    assert [(e.name, e.status) for e in everyone] == [
        ("Barbara Bizjak", "active"), ("Zala Zupan", "active"), ("Alja Avsec", "dropped_out")]
    current = enrolment.enrolled(db, ana, programme, current_only=True)
    assert [(e.participant_id, e.stage, e.status) for e in current] == [
        (bizjak, "contract", "active"), (zupan, "contract", "active")]


def test_candidates_are_her_people_before_inclusion_not_enrolled(db, ana, programme):
    referred, interviewed, motivated, signed, back = (
        a_person(db, ana, name, stage_to=stage) for name, stage in (
            ("Rina", "referred"), ("Iva", "first_interview"), ("Maja", "motivation"),
            ("Sara", "motivation"), ("Vida", "motivation")))
    sign(db, ana, signed, programme)
    sign(db, ana, back, programme)
    pipeline.move_stage(db, ana, back, version_of(db, back), pipeline.Move(
        "motivation", TODAY, reason="Premislila si je"), today=TODAY)
    found = enrolment.candidates(db, ana)
    assert {pid: found.get(pid) for pid in (referred, interviewed, motivated, signed, back)} \
        == {referred: "Rina Testna", interviewed: "Iva Testna", motivated: "Maja Testna",
            signed: None, back: "Vida Testna"}
    assert all(db.execute("SELECT coordinator_id FROM participants WHERE id = ?",
                          [pid]).fetchone()[0] == ana.id for pid in found)


def test_an_active_enrolment_keeps_her_off_the_candidates_whatever_her_stage(db, ana,
                                                                             programme):
    # Through the workbench stage and enrolment never disagree; an enrolment typed in
    # afterwards (the old spreadsheets) for someone still at motivation must not offer
    # her a second contract.
    pid = a_person(db, ana, "Maja")
    assert pid in enrolment.candidates(db, ana)
    with write(db):
        db.execute("INSERT INTO enrolments (participant_id, programme_id, contract_date, "
                   "start_date, status) VALUES (?, ?, '2026-10-05', '2026-10-05', 'active')",
                   [pid, programme])
    assert pid not in enrolment.candidates(db, ana)


# -- a freed place is held for the person offered it (issue 19, item 1) --------------------------
OFFER_DAYS = 7  # the rule waiting_offer_days


@pytest.fixture
def maja(db):
    return coordinator(db, "maja.zupan")


@pytest.fixture
def offered(db, ana, maja, one_place, monkeypatch):
    """The one place is Ana's; Bina (Ana's) and then Mira (Maja's) wait for it; Ana steps
    back on TODAY, so the place is offered to Bina on TODAY, held until TODAY + 7."""
    first, bina = (a_person(db, ana, n) for n in ("Ana", "Bina"))
    mira = a_person(db, maja, "Mira")
    sign(db, ana, first, one_place)
    sign(db, ana, bina, one_place)
    sign(db, maja, mira, one_place)
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    pipeline.move_stage(db, ana, first, version_of(db, first), pipeline.Move(
        "motivation", TODAY, reason="Premislila si je"), today=TODAY)
    return bina, mira


def offer_task(db, pid: int):
    return db.execute("SELECT due_date, assigned_to, done_at FROM tasks WHERE participant_id = ? "
                      "AND title LIKE 'Ponudite prosto mesto%'", [pid]).fetchall()


def statuses(db, programme_id: int) -> list[tuple]:
    return db.execute("SELECT participant_id, status, offered_on, offer_until, closed_on "
                      "FROM waiting_list WHERE programme_id = ? ORDER BY id",
                      [programme_id]).fetchall()


def test_a_place_held_for_her_puts_a_contract_for_someone_else_on_the_list(
        db, ana, maja, one_place, offered):
    bina, mira = offered
    until = (TODAY + dt.timedelta(days=OFFER_DAYS)).isoformat()
    stranger = a_person(db, maja, "Vera")  # Maja's, never on the list
    before = version_of(db, stranger)
    done = sign(db, maja, stranger, one_place, on=TODAY)
    assert (done.version, done.held_until, done.waiting.position) == (before, until, 3)
    assert enrolment_of(db, stranger) == [] and stage_of(db, stranger) == "motivation"
    # Mira, second on the list, is not offered it either.
    done = sign(db, maja, mira, one_place, on=TODAY)
    assert (done.held_until, done.waiting.position) == (until, 2)
    assert enrolment_of(db, mira) == []
    # The free place counts as held, not free, on the programme and in the contract form.
    assert programmes.get(db, ana, one_place).free_places == 0
    assert programmes.open_places(db, "gorenjska", TODAY)[one_place][1] == 0
    # Bina takes it up: she is enrolled, off the list, and the offer's task is done.
    assert offer_task(db, bina) == [(until, ana.id, None)]
    mark = audit_mark(db)
    taken = sign(db, ana, bina, one_place, on=TODAY)
    assert taken.waiting is None and stage_of(db, bina) == "contract"
    assert offer_task(db, bina) == [(until, ana.id, TODAY.isoformat())]
    task = db.execute("SELECT id FROM tasks WHERE participant_id = ? AND title LIKE "
                      "'Ponudite%'", [bina]).fetchone()[0]
    assert audited_since(db, mark, "tasks") == [  # done by Ana, who signed the contract
        (ana.id, "tasks", task, bina, "update", "done_at", None, TODAY.isoformat())]
    assert [(w.participant_id, w.status) for w in waiting.entries(db, one_place)] == [
        (mira, "waiting"), (stranger, "waiting")]


@pytest.mark.parametrize("days, takes_it", [
    (0, True),              # the day the place was offered
    (OFFER_DAYS, True),     # the offer's last day
    (OFFER_DAYS + 1, False),  # the day after: lapsed, the place went to Mira
])
def test_the_offer_holds_through_its_last_day_then_lapses_to_the_next(
        db, ana, maja, one_place, offered, days, takes_it):
    bina, mira = offered
    day = TODAY + dt.timedelta(days=days)
    done = enrolment.move(db, ana, bina, version_of(db, bina), pipeline.Move(
        "contract", day, programme_id=one_place), today=day)
    if takes_it:
        assert done.waiting is None and stage_of(db, bina) == "contract"
        assert offer_task(db, bina)[0][2] == day.isoformat()
        assert offer_task(db, mira) == []
        return
    # Lapsed: her offer is closed (its task too), Mira is offered the place with a task for
    # Maja, and Bina's contract puts her back on the list, behind Mira.
    until = (day + dt.timedelta(days=OFFER_DAYS)).isoformat()
    assert enrolment_of(db, bina) == [] and stage_of(db, bina) == "motivation"
    assert (done.waiting.position, done.held_until) == (2, until)
    assert statuses(db, one_place) == [
        (bina, "lapsed", TODAY.isoformat(), (TODAY + dt.timedelta(days=7)).isoformat(),
         day.isoformat()),
        (mira, "offered", day.isoformat(), until, None),
        (bina, "waiting", None, None, None)]
    assert offer_task(db, bina)[0][2] == day.isoformat()
    assert offer_task(db, mira) == [(until, maja.id, None)]


def test_a_lapsed_offer_is_passed_on_when_anyone_looks(db, ana, maja, one_place, offered):
    bina, mira = offered
    last = TODAY + dt.timedelta(days=OFFER_DAYS)
    assert enrolment.settle_offers(db, today=last) is False  # still held on its last day
    assert [o.programme_id for o in enrolment.offers(db, ana, bina, today=last)] == [one_place]
    after = last + dt.timedelta(days=1)
    assert enrolment.offers(db, ana, bina, today=after) == []  # lapsed, also before settling
    assert enrolment.settle_offers(db, today=after) is True
    assert enrolment.settle_offers(db, today=after) is False  # once
    assert [(w.participant_id, w.status) for w in waiting.entries(db, one_place)] == [
        (mira, "offered")]
    assert offer_task(db, mira)[0][1] == maja.id
    assert [o.offer_until for o in enrolment.offers(db, maja, mira, today=after)] == [
        (after + dt.timedelta(days=OFFER_DAYS)).isoformat()]


def test_declining_passes_the_place_to_the_next_with_her_reason_logged(
        db, ana, maja, one_place, offered):
    bina, mira = offered
    mark = audit_mark(db)
    enrolment.decline_offer(db, ana, one_place, bina, "Se je **zaposlila**", today=TODAY,
                            token="t1")
    enrolment.decline_offer(db, ana, one_place, bina, "Se je **zaposlila**", today=TODAY,
                            token="t1")  # the same form pressed twice: declined once
    assert db.execute("SELECT kind, user_id FROM submissions WHERE token = 't1'"
                      ).fetchall() == [("offer_decline", ana.id)]  # who sent the form
    entry = db.execute("SELECT id, status, reason, closed_on FROM waiting_list "
                       "WHERE participant_id = ?", [bina]).fetchone()
    assert tuple(entry[1:]) == ("declined", "Se je **zaposlila**", TODAY.isoformat())
    logged = db.execute("SELECT user_id, field, new_value, reason FROM audit_log WHERE id > ? "
                        "AND table_name = 'waiting_list' AND record_id = ?",
                        [mark, entry[0]]).fetchall()
    assert [tuple(r) for r in logged if r[1] == "status"] == [
        (ana.id, "status", "declined", "Se je **zaposlila**")]
    assert offer_task(db, bina)[0][2] == TODAY.isoformat()
    assert offer_task(db, mira) == [
        ((TODAY + dt.timedelta(days=OFFER_DAYS)).isoformat(), maja.id, None)]
    assert [(w.participant_id, w.status) for w in waiting.entries(db, one_place)] == [
        (mira, "offered")]


@pytest.mark.parametrize("reason, key", [("", "error.text_required"),
                                         ("   ", "error.text_required"),
                                         ("ena\ndve", "error.text_line_break"),
                                         # the reason stays in the audit log (issue 20)
                                         ("BINA se je zaposlila", "error.reason_has_name"),
                                         ("EMŠO 0101990500006", "error.reason_has_emso")])
def test_declining_without_a_proper_reason_is_refused_and_changes_nothing(
        db, ana, one_place, offered, reason, key):
    bina, _ = offered
    before = statuses(db, one_place)
    assert refusal(lambda: enrolment.decline_offer(db, ana, one_place, bina, reason,
                                                   today=TODAY)) == (key, "reason", {})
    assert statuses(db, one_place) == before


def test_declining_an_offer_she_does_not_have_is_refused(db, ana, maja, one_place, offered):
    _, mira = offered
    assert refusal(lambda: enrolment.decline_offer(db, maja, one_place, mira, "Ne",
                                                   today=TODAY))[0] == "error.no_open_offer"
    assert refusal(lambda: enrolment.decline_offer(db, ana, one_place, offered[0], "Ne",
                                                   today=TODAY + dt.timedelta(days=8)))[0] \
        == "error.no_open_offer"  # lapsed: nothing left to decline


def test_withdrawing_the_offered_person_offers_the_place_to_the_next(
        db, ana, maja, one_place, offered):
    bina, mira = offered
    enrolment.withdraw(db, ana, one_place, bina, today=TODAY)
    assert offer_task(db, bina)[0][2] == TODAY.isoformat()
    assert [(w.participant_id, w.status) for w in waiting.entries(db, one_place)] == [
        (mira, "offered")]


def test_two_coordinators_racing_for_the_held_place_only_she_gets_it(
        db, ana, maja, one_place, offered, seeded_path):
    """Ana enrols Bina (offered the place) while Maja signs a contract for Vera (never on the
    list) at the same moment, each on her own connection: whoever commits first, Bina has
    the place and Vera is on the list."""
    import threading

    from workbench.db import open_db
    bina, _ = offered
    vera = a_person(db, maja, "Vera")
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def contract(name, actor, pid):
        conn = open_db(seeded_path)
        try:
            version = version_of(conn, pid)
            start.wait()
            results[name] = enrolment.move(conn, actor, pid, version, pipeline.Move(
                "contract", TODAY, programme_id=one_place), today=TODAY)
        except Exception as err:  # noqa: BLE001 - reported below
            results[name] = err
        finally:
            conn.close()
    threads = [threading.Thread(target=contract, args=("bina", ana, bina)),
               threading.Thread(target=contract, args=("vera", maja, vera))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results["bina"].waiting is None, results
    assert results["vera"].waiting.participant_id == vera, results
    assert [r[0] for r in db.execute("SELECT participant_id FROM enrolments WHERE "
                                     "programme_id = ? AND status = 'active'", [one_place])] \
        == [bina]


def test_undoing_the_step_back_that_freed_a_held_place_is_refused(db, ana, one_place, offered):
    """The place Ana's first person gave up is held for Bina: undoing that step back would
    take the place from under her offer, so it is refused and nothing changes."""
    bina, _ = offered
    first = db.execute("SELECT participant_id FROM enrolments WHERE programme_id = ? ORDER BY id "
                       "LIMIT 1", [one_place]).fetchone()[0]
    latest = pipeline.moves(db, ana, first)[0]
    before = version_of(db, first)
    with pytest.raises(UserError) as refused:
        pipeline.correct_move(db, ana, first, before, pipeline.Correction(
            latest.id, undo=True, reason="Pomotoma"), today=TODAY)
    assert refused.value.key == "error.undo_place_taken"
    assert (version_of(db, first), stage_of(db, first)) == (before, "motivation")
    assert [w.participant_id for w in waiting.held(db, one_place, TODAY)] == [bina]


def test_a_contract_made_past_the_enrolment_screen_cannot_take_a_held_place(
        db, maja, one_place, offered):
    """The pipeline's own check (a contract move outside workbench.enrolment) counts the
    place held for Bina as taken, as the contract form does."""
    stranger = a_person(db, maja, "Vera")
    with pytest.raises(UserError) as refused:
        pipeline.move_stage(db, maja, stranger, version_of(db, stranger), pipeline.Move(
            "contract", TODAY, programme_id=one_place), today=TODAY)
    assert refused.value.key == "error.programme_full"
    assert enrolment_of(db, stranger) == []


def test_straight_into_the_programme_before_its_planned_start_is_refused(db, ana, programme):
    """A planned start later than the move's day: "in programme" before the start is
    refused, nothing is written (so her enrolment always starts on the move's day)."""
    pid = a_person(db, ana, "Ana")
    day = TODAY - dt.timedelta(days=3)
    before, mark = version_of(db, pid), audit_mark(db)
    key, _, _ = refusal(lambda: enrolment.move(db, ana, pid, before, pipeline.Move(
        "in_programme", day, programme_id=programme), today=TODAY,
        terms=enrolment.Terms(planned_start=TODAY + dt.timedelta(days=10))))
    assert key == "error.start_too_early"
    assert enrolment_of(db, pid) == [] and version_of(db, pid) == before
    assert audited_since(db, mark) == []


def test_settling_one_programmes_offers_leaves_the_others_for_their_own_page(
        db, ana, maja, one_place, offered):
    """settle_offers(programme_id=X) passes on X's lapsed offers only, and says whether it
    did: a programme page settles its own list."""
    bina, mira = offered
    other = a_programme(db, ana, capacity=1, start=dt.date(2026, 10, 5),
                        end=dt.date(2027, 3, 31), name="Drugi program")
    after = TODAY + dt.timedelta(days=OFFER_DAYS + 1)
    assert enrolment.settle_offers(db, today=after, programme_id=other) is False
    assert [(w.participant_id, w.status) for w in waiting.entries(db, one_place)][0] == (
        bina, "offered")  # lapsed, but not passed on by another programme's page
    assert enrolment.settle_offers(db, today=after, programme_id=one_place) is True
    assert [(w.participant_id, w.status) for w in waiting.entries(db, one_place)] == [
        (mira, "offered")]
