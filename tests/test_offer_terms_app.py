"""AppTest: a place offered in a LONG programme is taken up from her record with the
contract's terms (planned start, ticket or distance) and, when she does not meet the long
programme's conditions, the reason for the exception; without it she is told and the field
is there. A contract that only queues her says its typed terms were not kept."""

from __future__ import annotations

import datetime as dt

from tests.apptest_helpers import button, errors, open_page, texts, widget
from tests.casework_helpers import a_person, a_programme, coordinator, sign, version_of
from tests.conftest import TODAY
from workbench import pipeline
from workbench.db import open_db
from workbench.i18n import SL

START = dt.date(2026, 12, 7)


def _offered_long(path) -> tuple[int, int]:
    """A one-place long programme: Anja took it (with a reason), Zofka (55, on DSP) waits
    (with a reason); Anja stepped back today, so the place is offered to Zofka."""
    db = open_db(path)
    try:
        ana = coordinator(db, "ana.kos")
        programme = a_programme(db, ana, capacity=1, start=dt.date(2026, 10, 5),
                                end=dt.date(2027, 9, 30), ptype="long", name="Dolgi program")
        first = a_person(db, ana, "Anja", last="Ponudba")
        zofka = a_person(db, ana, "Zofka", last="Ponudba",
                         birth_date=dt.date(1971, 5, 3))
        sign(db, ana, first, programme, override_reason="Izjema CSD")
        sign(db, ana, zofka, programme, override_reason="Izjema CSD")
        pipeline.move_stage(db, ana, first, version_of(db, first), pipeline.Move(
            "motivation", TODAY, reason="Premislila si je"), today=TODAY)
        return programme, zofka
    finally:
        db.close()


def _enrolment(path, pid):
    db = open_db(path)
    try:
        return db.execute("SELECT status, start_date, ticket_eur, eligibility_override "
                          "FROM enrolments WHERE participant_id = ? ORDER BY id DESC",
                          [pid]).fetchone()
    finally:
        db.close()


def test_a_55_year_old_takes_up_a_long_place_with_the_exception_and_her_ticket(app_env):
    programme, zofka = _offered_long(app_env)
    at = open_page(app_env, "ana.kos", "record", person=zofka)
    assert not at.exception
    assert SL["offer.exception_hint"] in texts(at)
    override = widget(at, "text_input", "offer_\\d+_g\\d+_override")
    assert override.label == SL["field.override_reason"]
    # Without the reason: the contract's own refusal, nothing signed, the field still there.
    widget(at, "text_input", "offer_\\d+_g\\d+_ticket").input("2,30")
    button(at, SL["offer.take_up"]).click().run()
    assert any(SL["error.long_not_eligible"] in e for e in errors(at))
    assert _enrolment(app_env, zofka) is None  # nothing signed
    widget(at, "text_input", "offer_\\d+_g\\d+_override").input("Dogovor s CSD Kranj")
    widget(at, "text_input", "offer_\\d+_g\\d+_start").input("7. 12. 2026")
    button(at, SL["offer.take_up"]).click().run()
    assert not errors(at), errors(at)
    assert _enrolment(app_env, zofka) == ("active", START.isoformat(), 2.3,
                                          "Dogovor s CSD Kranj")


def test_an_eligible_person_is_not_asked_for_an_exception(app_env):
    db = open_db(app_env)
    try:
        ana = coordinator(db, "ana.kos")
        programme = a_programme(db, ana, capacity=1, start=dt.date(2026, 10, 5),
                                end=dt.date(2027, 9, 30), ptype="long", name="Dolgi program")
        first, bina = (a_person(db, ana, n, last="Ponudba") for n in ("Anja", "Bina"))
        sign(db, ana, first, programme)
        sign(db, ana, bina, programme)
        pipeline.move_stage(db, ana, first, version_of(db, first), pipeline.Move(
            "motivation", TODAY, reason="Premislila si je"), today=TODAY)
    finally:
        db.close()
    at = open_page(app_env, "ana.kos", "record", person=bina)
    assert SL["offer.exception_hint"] not in texts(at)
    assert not [w for w in at.text_input if w.key and w.key.endswith("_override")]
    widget(at, "text_input", "offer_\\d+_g\\d+_km").input("12,5")
    button(at, SL["offer.take_up"]).click().run()
    assert not errors(at), errors(at)
    assert _enrolment(app_env, bina)[0] == "active"


def test_a_contract_that_only_queues_her_says_its_terms_were_not_kept(app_env):
    programme, _ = _offered_long(app_env)
    db = open_db(app_env)
    try:
        vera = a_person(db, coordinator(db, "ana.kos"), "Vera", last="Ponudba")
    finally:
        db.close()
    at = open_page(app_env, "ana.kos", "programmes", programme=str(programme),
                   zavihek="people")
    widget(at, "selectbox", "enrol_g\\d+_person").set_value(vera)
    widget(at, "text_input", "enrol_g\\d+_ticket").input("2,30")
    next(b for b in at.button if b.label == SL["people.enrol_save"]).click().run()
    assert SL["people.terms_not_saved"] in "\n".join(i.value for i in at.info) + texts(at)
