"""Every visible string, in Slovenian and English, and how dates are written.

``translate`` is the one translation function; ``tests/test_i18n.py`` checks
that both languages have the same keys and that every key the code uses exists.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as _babel_format_date

from workbench import i18n_casework as _casework

LANGUAGES = ("sl", "en")
DEFAULT_LANGUAGE = "sl"

SL: dict[str, str] = {
    "app.title": "Delovna miza socialne aktivacije",
    "app.training_banner": "Učno okolje — izmišljeni podatki. Tu ni resničnih oseb.",
    # The same in both languages: the switch's label is part of its identity,
    # so a translated label would reset the switch the moment it is used.
    "app.language": "Jezik / Language",
    "app.signed_in_as": "Prijavljeni: {name} ({role})",
    "app.sign_out": "Odjava",
    "app.forbidden": "Vaša vloga te strani ne more odpreti.",
    "app.db_error": "Podatkovne zbirke ni mogoče odpreti: {error}",
    "app.unexpected_error": "Prišlo je do nepričakovane napake. Podatki niso bili spremenjeni. Poskusite znova ali obvestite skrbnika.",
    "nav.home": "Pregled",
    "nav.users": "Uporabniki",
    "login.title": "Prijava",
    "login.username": "Uporabniško ime",
    "login.password": "Geslo",
    "login.submit": "Prijava",
    "login.failed": "Uporabniško ime ali geslo ni pravilno.",
    "login.empty": "Vpišite uporabniško ime in geslo.",
    "login.demo_accounts": "Demo računi učnega okolja",
    "login.demo_password": "Geslo za vse demo račune: {password}",
    "role.coordinator": "koordinator(ka)",
    "role.manager": "vodja",
    "role.trainer": "izobraževalec",
    "role.admin": "skrbnik",
    "home.title": "Pregled",
    "home.my_caseload": "Moje obravnave",
    "home.view_as": "Pogled koordinatorja",
    "home.active_cases": "Aktivne obravnave",
    "home.sessions_this_week": "Srečanja ta teden",
    "home.overdue_followups": "Zamujene naloge",
    "home.by_stage": "Aktivne obravnave po fazah",
    "home.week_sessions": "Srečanja ta teden ({start} – {end})",
    "home.no_sessions": "Ta teden ni načrtovanih srečanj.",
    "home.overdue_title": "Zamujena spremljanja in naloge",
    "home.no_overdue": "Ni zamujenih spremljanj.",
    "home.region_title": "Regija: skupni podatki",
    "home.region_caption": "Samo skupni podatki, brez osebnih podatkov.",
    "home.participants_total": "Vse osebe",
    "home.included_this_year": "Vključeni v letu {year}",
    "home.hours_this_month": "Ure prisotnosti ta mesec",
    "home.by_unit": "Aktivne obravnave po enotah",
    "home.by_target_group": "Aktivne obravnave po ciljnih skupinah",
    "home.trainer_production": "V resničnem okolju izobraževalec vidi le skupne podatke.",
    "col.stage": "Faza",
    "col.count": "Število",
    "col.date": "Datum",
    "col.day": "Dan",
    "col.time": "Ura",
    "col.kind": "Vrsta",
    "col.title": "Naziv",
    "col.location": "Kraj",
    "col.hours": "Ure",
    "col.person": "Oseba",
    "col.municipality": "Občina",
    "col.due": "Rok",
    "col.days_overdue": "Dni zamude",
    "col.unit": "Enota",
    "col.target_group": "Ciljna skupina",
    "col.username": "Uporabniško ime",
    "col.display_name": "Ime in priimek",
    "col.role": "Vloga",
    "col.active": "Aktiven",
    "users.title": "Uporabniki",
    "users.new": "Nov uporabnik",
    "users.password": "Začetno geslo",
    "users.unit": "Enota CSD",
    "users.no_unit": "(brez enote)",
    "users.create": "Ustvari uporabnika",
    "users.created": "Uporabnik {username} je ustvarjen.",
    "users.toggle": "Aktiviraj / deaktiviraj",
    "users.select": "Uporabnik",
    "users.toggled": "Stanje uporabnika {username} je spremenjeno.",
    "error.username_invalid": "Uporabniško ime naj ima 2–40 malih črk, številk ali znakov . _ - in naj se začne s črko ali številko.",
    "error.display_name_invalid": "Vpišite ime in priimek (največ 100 znakov).",
    "error.role_invalid": "Neznana vloga.",
    "error.password_short": "Geslo mora imeti vsaj {n} znakov.",
    "error.password_mismatch": "Gesli se ne ujemata.",
    "error.username_taken": "Uporabniško ime {username} je že zasedeno.",
    "error.cannot_deactivate_self": "Svojega računa ne morete deaktivirati.",
    "stage.referred": "Napoten",
    "stage.first_interview": "Prvi razgovor",
    "stage.motivation": "Motivacija",
    "stage.contract": "Pogodba o vključitvi",
    "stage.in_programme": "V programu",
    "stage.exited": "Izstop",
    "stage.follow_up_4w": "Spremljanje po 4 tednih",
    "stage.follow_up_6m": "Spremljanje po 6 mesecih",
    "stage.closed": "Zaključeno pred vključitvijo",
    "target_group.dsp": "Prejemniki DSP",
    "target_group.unemployed_zrsz": "Brezposelni, prijavljeni na ZRSZ",
    "target_group.temporarily_unemployable": "Začasno nezaposljivi",
    "target_group.inactive_complex": "Neaktivni s kompleksno socialno problematiko",
    "target_group.women_language_barrier": "Ženske iz drugih kulturnih okolij z jezikovnimi ovirami",
    "target_group.roma_women": "Romske ženske",
    "session_kind.group": "Skupinsko srečanje",
    "session_kind.individual": "Individualno srečanje",
    "session_kind.mobile_unit": "Mobilna enota",
    "task_kind.follow_up_4w": "Spremljanje po 4 tednih",
    "task_kind.follow_up_6m": "Spremljanje po 6 mesecih",
    "task_kind.other": "Naloga",
    "common.yes": "da",
    "common.no": "ne",
}

EN: dict[str, str] = {
    "app.title": "Social activation workbench",
    "app.training_banner": "Training environment — fictitious data. No real people here.",
    "app.language": "Jezik / Language",
    "app.signed_in_as": "Signed in: {name} ({role})",
    "app.sign_out": "Sign out",
    "app.forbidden": "Your role cannot open this page.",
    "app.db_error": "The database cannot be opened: {error}",
    "app.unexpected_error": "Something unexpected went wrong. No data was changed. Try again or tell the administrator.",
    "nav.home": "Overview",
    "nav.users": "Users",
    "login.title": "Sign in",
    "login.username": "Username",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.failed": "The username or password is not correct.",
    "login.empty": "Enter your username and password.",
    "login.demo_accounts": "Demo accounts of the training environment",
    "login.demo_password": "Password of every demo account: {password}",
    "role.coordinator": "coordinator",
    "role.manager": "manager",
    "role.trainer": "trainer",
    "role.admin": "administrator",
    "home.title": "Overview",
    "home.my_caseload": "My caseload",
    "home.view_as": "Coordinator's view",
    "home.active_cases": "Active cases",
    "home.sessions_this_week": "Sessions this week",
    "home.overdue_followups": "Overdue tasks",
    "home.by_stage": "Active cases by stage",
    "home.week_sessions": "Sessions this week ({start} – {end})",
    "home.no_sessions": "No sessions planned this week.",
    "home.overdue_title": "Overdue follow-ups and tasks",
    "home.no_overdue": "No overdue follow-ups.",
    "home.region_title": "Region: totals",
    "home.region_caption": "Totals only, no personal data.",
    "home.participants_total": "All people",
    "home.included_this_year": "Included in {year}",
    "home.hours_this_month": "Attendance hours this month",
    "home.by_unit": "Active cases by unit",
    "home.by_target_group": "Active cases by target group",
    "home.trainer_production": "In the real environment a trainer sees totals only.",
    "col.stage": "Stage",
    "col.count": "Count",
    "col.date": "Date",
    "col.day": "Day",
    "col.time": "Time",
    "col.kind": "Kind",
    "col.title": "Title",
    "col.location": "Place",
    "col.hours": "Hours",
    "col.person": "Person",
    "col.municipality": "Municipality",
    "col.due": "Due",
    "col.days_overdue": "Days overdue",
    "col.unit": "Unit",
    "col.target_group": "Target group",
    "col.username": "Username",
    "col.display_name": "Full name",
    "col.role": "Role",
    "col.active": "Active",
    "users.title": "Users",
    "users.new": "New user",
    "users.password": "Initial password",
    "users.unit": "CSD unit",
    "users.no_unit": "(no unit)",
    "users.create": "Create user",
    "users.created": "User {username} created.",
    "users.toggle": "Activate / deactivate",
    "users.select": "User",
    "users.toggled": "User {username} switched.",
    "error.username_invalid": "A username has 2–40 lower-case letters, digits or . _ - and starts with a letter or digit.",
    "error.display_name_invalid": "Enter a full name (at most 100 characters).",
    "error.role_invalid": "Unknown role.",
    "error.password_short": "A password needs at least {n} characters.",
    "error.password_mismatch": "The passwords do not match.",
    "error.username_taken": "The username {username} is taken.",
    "error.cannot_deactivate_self": "You cannot deactivate your own account.",
    "stage.referred": "Referred",
    "stage.first_interview": "First interview",
    "stage.motivation": "Motivation",
    "stage.contract": "Contract of inclusion",
    "stage.in_programme": "In programme",
    "stage.exited": "Exited",
    "stage.follow_up_4w": "Follow-up at 4 weeks",
    "stage.follow_up_6m": "Follow-up at 6 months",
    "stage.closed": "Closed before inclusion",
    "target_group.dsp": "DSP recipients",
    "target_group.unemployed_zrsz": "Unemployed, registered at ZRSZ",
    "target_group.temporarily_unemployable": "Temporarily unemployable",
    "target_group.inactive_complex": "Inactive with complex social problems",
    "target_group.women_language_barrier": "Women from other cultures with language barriers",
    "target_group.roma_women": "Roma women",
    "session_kind.group": "Group session",
    "session_kind.individual": "Individual meeting",
    "session_kind.mobile_unit": "Mobile unit",
    "task_kind.follow_up_4w": "Follow-up at 4 weeks",
    "task_kind.follow_up_6m": "Follow-up at 6 months",
    "task_kind.other": "Task",
    "common.yes": "yes",
    "common.no": "no",
}

# The casework screens keep their strings in a module of their own.
SL.update(_casework.SL)
EN.update(_casework.EN)

CATALOGUES = {"sl": SL, "en": EN}


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for ``key`` in ``lang``; an unknown key shows itself rather than crash a page."""
    text = CATALOGUES.get(lang, SL).get(key) or SL.get(key) or key
    return text.format(**params) if params else text


def format_date(day: dt.date | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Dates as Slovenians write them, e.g. ``22. 11. 2026``."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return _babel_format_date(day, "d. M. yyyy", locale=lang)


def weekday_name(day: dt.date | str, lang: str = DEFAULT_LANGUAGE) -> str:
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return _babel_format_date(day, "EEEE", locale=lang)
