"""Strings of the people's routing: hand-over of bookings, interpreter needs, referrals
routed to the coordinator of the municipality (issue 19, items 7-9)."""

SL: dict = {
    "field.coverage": "Občine, ki jih pokriva",
    "users.coverage_title": "Občine, ki jih pokriva",
    "users.coverage": "Občine",
    "users.coverage_help": "Nova napotitev iz teh občin je na obrazcu ponujena njej, z nalogo zanjo. Občina, ki jo pokriva druga koordinatorka, preide k njej.",
    "users.coverage_save": "Shrani občine",
    "users.coverage_saved": "Občine koordinatorke {name} so shranjene.",
    "table.municipality_coordinators": "Pokritost občine",
    "intake.route_offer": "Občino {municipality} pokriva koordinatorka {name}. Komu dodelite novo napotitev?",
    "intake.route_to": "{name} (dobi nalogo »Nova napotitev iz občine {municipality}«)",
    "intake.route_keep": "Obdržim jo jaz",
    "record.needs_interpreter": "potrebuje tolmača ({language})",
    "interpreter.warning_meeting": "{name} potrebuje tolmača ({language}), srečanje pa poteka v jeziku: {languages} in tolmač ni dogovorjen.",
    "interpreter.warning_programme": "{name} potrebuje tolmača ({language}), program pa poteka v jeziku: {languages} in nima tolmača.",
    "interpreter.confirm": "Vseeno shrani (za tolmača poskrbim posebej)",
    "error.interpreter_unconfirmed": "Oseba potrebuje tolmača: preberite opozorilo in potrdite, da vseeno shranite.",
    "users.holds_bookings": {
        "one": "V koledarju ima od danes naprej še {n} srečanje ali obisk; ob deaktivaciji gre k sodelavki, ki prevzame osebo.",
        "two": "V koledarju ima od danes naprej še {n} srečanji ali obiska; ob deaktivaciji gresta k sodelavkam, ki prevzamejo osebe.",
        "few": "V koledarju ima od danes naprej še {n} srečanja ali obiske; ob deaktivaciji gredo k sodelavkam, ki prevzamejo osebe.",
        "other": "V koledarju ima od danes naprej še {n} srečanj ali obiskov; ob deaktivaciji gredo k sodelavkam, ki prevzamejo osebe.",
    },
    "users.handover_clashes": {
        "one": "{n} predano srečanje se prekriva z drugim v koledarju sodelavke, ki ima zanj nalogo »Prekrivanje v koledarju«.",
        "two": "{n} predani srečanji se prekrivata z drugimi v koledarju sodelavk, ki imajo zanju nalogo »Prekrivanje v koledarju«.",
        "few": "{n} predana srečanja se prekrivajo z drugimi v koledarju sodelavk, ki imajo zanje nalogo »Prekrivanje v koledarju«.",
        "other": "{n} predanih srečanj se prekriva z drugimi v koledarju sodelavk, ki imajo zanje nalogo »Prekrivanje v koledarju«.",
    },
}

EN: dict = {
    "field.coverage": "Municipalities covered",
    "users.coverage_title": "Municipalities covered",
    "users.coverage": "Municipalities",
    "users.coverage_help": "A new referral from these municipalities is offered to her on the intake form, with a task for her. A municipality another coordinator covers moves to her.",
    "users.coverage_save": "Save municipalities",
    "users.coverage_saved": "The municipalities of {name} are saved.",
    "table.municipality_coordinators": "Municipality coverage",
    "intake.route_offer": "{municipality} is covered by coordinator {name}. Who takes the new referral?",
    "intake.route_to": "{name} (gets a task \"Nova napotitev iz občine {municipality}\", new referral)",
    "intake.route_keep": "I keep her",
    "record.needs_interpreter": "needs an interpreter ({language})",
    "interpreter.warning_meeting": "{name} needs an interpreter ({language}), but the meeting is held in: {languages} and no interpreter is arranged.",
    "interpreter.warning_programme": "{name} needs an interpreter ({language}), but the programme is held in: {languages} and has no interpreter.",
    "interpreter.confirm": "Save anyway (I arrange the interpreter separately)",
    "error.interpreter_unconfirmed": "She needs an interpreter: read the warning and confirm to save anyway.",
    "users.holds_bookings": {
        "one": "The account's calendar holds {n} meeting or visit from today on; deactivating gives it to the colleague who takes over the person.",
        "other": "The account's calendar holds {n} meetings or visits from today on; deactivating gives them to the colleagues who take over the people.",
    },
    "users.handover_clashes": {
        "one": "{n} meeting handed over clashes with another in the colleague's calendar, who has a task \"Prekrivanje v koledarju\" (calendar clash) for it.",
        "other": "{n} meetings handed over clash with others in the colleagues' calendars, who have a task \"Prekrivanje v koledarju\" (calendar clash) for each.",
    },
}
