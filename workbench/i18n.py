"""Every visible string, in Slovenian and English, and how dates and counts are written.

``translate`` is the one translation function. A message that depends on a count
is a dict of plural forms (Slovenian has four: 1 dan, 2 dneva, 3 dnevi, 5 dni),
chosen with Babel's plural rules by the ``n`` parameter. ``tests/test_i18n.py``
checks that both languages have the same keys and forms, and that every key the
code uses exists.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal

from workbench import dates as _dates
from workbench import i18n_casework as _casework
from workbench import i18n_fields as _fields
from workbench import i18n_people as _people
from workbench import i18n_protection as _protection
from workbench import i18n_reporting as _reporting
from workbench import i18n_scheduling as _scheduling
from workbench import i18n_trust as _trust

LANGUAGES = ("sl", "en")
DEFAULT_LANGUAGE = "sl"
# The plural forms each language's messages must give (CLDR categories).
PLURAL_FORMS = {"sl": ("one", "two", "few", "other"), "en": ("one", "other")}

Message = str | dict[str, str]

SL: dict[str, str] = {
    "app.title": "Delovna miza socialne aktivacije",
    "app.training_banner": "Učno okolje — izmišljeni podatki. Tu ni resničnih oseb.",
    # The same in both languages: the switch's label is part of its identity,
    # so a translated label would reset the switch the moment it is used.
    "app.language": "Jezik / Language",
    "app.signed_in_as": "Prijavljeni: {name} ({role})",
    "app.sign_out": "Odjava",
    "app.forbidden": "Vaša vloga te strani ne more odpreti.",
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
    "role.coordinator.F": "koordinatorka",
    "role.coordinator.M": "koordinator",
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
    "users.select": "Uporabnik",
    "error.username_invalid": "Uporabniško ime naj ima 2–40 malih črk, številk ali znakov . _ - in naj se začne s črko ali številko.",
    "error.role_invalid": "Neznana vloga.",
    "error.role_required": "Izberite vlogo.",
    "error.password_short": "Potrebnih je vsaj {n} znakov.",
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
    "app.db_not_configured": "Pot do podatkovne zbirke ni nastavljena. Skrbnik naj nastavi spremenljivko WORKBENCH_DB (za učne podatke zaženite »make run«).",
    "app.settings_invalid": "Nastavitve niso veljavne: {problems}. Skrbnik naj jih popravi in znova zažene aplikacijo.",
    "db.network": "Podatkovna zbirka {path} je na omrežnem datotečnem sistemu ({fstype}). SQLite na omrežnem disku ne zaklepa zanesljivo in lahko izgubi podatke. Aplikacijo zaženite na strežniku, ki mu datoteka pripada, in uporabite lokalno pot.",
    "db.is_directory": "WORKBENCH_DB ({path}) kaže na mapo, ne na datoteko podatkovne zbirke. Preverite pot.",
    "db.no_folder": "Mape {folder} ni. Preverite pot WORKBENCH_DB ({path}); aplikacija sama ne ustvarja map.",
    "db.missing": "Podatkovne zbirke {path} ni. Preverite pot WORKBENCH_DB; novo zbirko ustvari ukaz »python -m workbench create-user« (prvi skrbnik) ali za učne podatke »make run«.",
    "db.not_sqlite": "Datoteka {path} ni podatkovna zbirka SQLite (ali je poškodovana). Preverite pot WORKBENCH_DB ali obnovite varnostno kopijo.",
    "db.read_only": "V podatkovno zbirko {path} ni mogoče pisati (datotečni sistem ali datoteka je samo za branje). Skrbnik naj popravi pravice.",
    "db.unusable": "Podatkovne zbirke {path} ni mogoče uporabiti: {error}",
    "db.fixed_today_on_real": "WORKBENCH_TODAY je nastavljen ({today}), {path} pa je resnična podatkovna zbirka. Stalni »danes« je le za učne podatke in teste: na resničnih zapisih bi premaknil roke, zapadlosti in čase v revizijski sledi. Skrbnik naj odstrani WORKBENCH_TODAY in znova zažene aplikacijo.",
    "cli.out_unwritable": "Datoteke {path} ni mogoče zapisati ({error}). Preverite, ali mapa obstaja in ali lahko vanjo pišete.",
    "cli.training_db": "{path} je učna zbirka z izmišljenimi podatki in demo računi. Resnične račune ustvarite v novi, prazni zbirki (drug --db). Če želite to datoteko spremeniti v resnično, dodajte --convert-to-real: najprej izbriše vse demo račune in zapise.",
    "common.datetime": "{date} ob {time}",
    "common.choose": "Izberite …",
    # Streamlit's own words (workbench/ui/chrome.py puts these in their place).
    "chrome.skip": "Preskoči na vsebino",
    "chrome.help_for": "Pomoč za ",
    "chrome.no_results": "Ni zadetkov",
    "chrome.no_options": "Ni možnosti za izbiro",
    "chrome.page_not_found": "Te strani ni",
    "chrome.page_not_found_text": "Naslov, ki ste ga odprli, ne obstaja. Odpiram prvo stran.",
    "chrome.running": "Nalagam …",
    "chrome.stop": "Ustavi",
    "chrome.connecting": "Povezujem …",
    "chrome.connecting_help": "Povezujem se s strežnikom",
    "chrome.error": "Napaka",
    "chrome.no_connection": "Povezava s strežnikom ni mogoča",
    "chrome.collapse_sidebar": "Skrij stransko vrstico",
    "chrome.expand_sidebar": "Pokaži stransko vrstico",
    "chrome.show_password": "Pokaži geslo",
    "chrome.hide_password": "Skrij geslo",
    "chrome.clear_value": "Počisti",
    "chrome.clear_all": "Počisti vse",
    "chrome.open": "Odpri",
    "chrome.close": "Zapri",
    "chrome.main_menu": "Glavni meni",
    "chrome.app_pages": "Strani",
    "chrome.sidebar": "Stranska vrstica",
    "chrome.notifications": "Obvestila",
    "chrome.scroll_tabs_left": "Zavihki levo",
    "chrome.scroll_tabs_right": "Zavihki desno",
    "chrome.show_data": "Pokaži podatke",
    "chrome.show_chart": "Pokaži graf",
    "chrome.download_png": "Prenesi kot PNG",
    "chrome.download_csv": "Prenesi kot CSV",
    "chrome.copy_spec": "Kopiraj opis grafa (Vega-Lite)",
    "chrome.fullscreen": "Celozaslonski prikaz",
    "chrome.close_fullscreen": "Zapri celozaslonski prikaz",
    "chrome.search": "Iskanje",
    "common.date_placeholder": "d. m. llll",
    "common.unknown": "ni podatka",
    "error.password_long": "Dovoljenih je največ {n} znakov.",
    "error.cannot_change_own_role": "Svoje vloge ne morete spremeniti.",
    "error.role_change_holds_cases": "Račun ima še primere, naloge ali programe: najprej jih predajte (deaktivacija s predajo).",
    "error.unit_invalid": "Izberite enoto CSD tega območja.",
    "error.unit_required": "Koordinator(ka) dela v enoti CSD; izberite jo.",
    "error.user_missing": "Tega uporabnika ni.",
    "error.handover_required": "Izberite, komu predati njene primere in naloge.",
    "error.handover_nobody": "Na tem območju ni drugega aktivnega koordinatorskega računa, ki bi prevzel primere. Najprej ustvarite ali aktivirajte račun.",
    "users.change": "Spremeni uporabnika",
    "users.inactive": "neaktiven",
    "users.unit_help": "Za koordinatorje: enota CSD, v kateri delajo.",
    "users.edit_title": "Ime, vloga, enota in nagovor",
    "users.sex": "Nagovor",
    "users.sex_help": "Kako jo ali ga aplikacija imenuje: »koordinatorka«, »spremenila« ali "
                      "»koordinator«, »spremenil«. Brez izbire so besede nevtralne.",
    "users.sex.F": "ženski (koordinatorka)",
    "users.sex.M": "moški (koordinator)",
    "users.sex.none": "nevtralni (koordinator(ka))",
    "error.sex_invalid": "Izberite nagovor s seznama.",
    "users.save": "Shrani",
    "users.saved": "Uporabnik {username} je spremenjen.",
    "users.reset_title": "Novo geslo",
    "users.new_password": "Novo geslo",
    "users.repeat_password": "Ponovite geslo",
    "users.reset": "Nastavi novo geslo",
    "users.password_reset": "Geslo uporabnika {username} je spremenjeno; staro ne deluje več.",
    "users.deactivate_title": "Deaktivacija: {name}",
    "users.holds": "Koordinator(ka) ima {cases} (aktivnih {active}), {tasks} in {programmes}. Ob deaktivaciji jih predate.",
    "count.cases": {"one": "{n} primer", "two": "{n} primera", "few": "{n} primere", "other": "{n} primerov"},
    "count.open_tasks": {"one": "{n} odprto nalogo", "two": "{n} odprti nalogi", "few": "{n} odprte naloge", "other": "{n} odprtih nalog"},
    "count.programmes": {"one": "{n} program", "two": "{n} programa", "few": "{n} programe", "other": "{n} programov"},
    "users.handover_to": "Predaj",
    "users.spread": "enakomerno vsem koordinatorkam območja",
    "users.confirm_deactivate": "Potrjujem deaktivacijo računa {name}",
    "users.deactivate": "Deaktiviraj račun: {name}",
    "users.deactivated": "Račun je deaktiviran: {name}. Primeri, naloge in srečanja so predani.",
    "users.activate_title": "Aktivacija: {name}",
    "users.confirm_activate": "Potrjujem aktivacijo računa {name}",
    "users.activate": "Aktiviraj {name}",
    "users.activated": "Račun {name} je spet aktiven.",
    "field.username": "Uporabniško ime",
    "field.display_name": "Ime in priimek",
    "field.role": "Vloga",
    "field.unit": "Enota CSD",
    "field.unit_code": "Enota CSD",
    "field.password": "Geslo",
    "field.handover": "Predaja",
    "field.active": "Aktiven",
}

EN: dict[str, str] = {
    "app.title": "Social activation workbench",
    "app.training_banner": "Training environment — fictitious data. No real people here.",
    "app.language": "Jezik / Language",
    "app.signed_in_as": "Signed in: {name} ({role})",
    "app.sign_out": "Sign out",
    "app.forbidden": "Your role cannot open this page.",
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
    "role.coordinator.F": "coordinator",
    "role.coordinator.M": "coordinator",
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
    "users.select": "User",
    "error.username_invalid": "A username has 2–40 lower-case letters, digits or . _ - and starts with a letter or digit.",
    "error.role_invalid": "Unknown role.",
    "error.role_required": "Choose a role.",
    "error.password_short": "At least {n} characters are needed.",
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
    "app.db_not_configured": "The database path is not set. The administrator must set WORKBENCH_DB (for the demo, run `make run`).",
    "app.settings_invalid": "The settings are not valid: {problems}. The administrator must correct them and restart the app.",
    "db.network": "The database {path} is on a network file system ({fstype}). SQLite does not lock reliably on network shares and can lose data. Run the app on the host that owns the file and use a local path.",
    "db.is_directory": "WORKBENCH_DB ({path}) is a folder, not a database file. Check the path.",
    "db.no_folder": "The folder {folder} does not exist. Check WORKBENCH_DB ({path}); the app does not create folders.",
    "db.missing": "The database {path} does not exist. Check WORKBENCH_DB; a new database is created by `python -m workbench create-user` (the first admin), or for the demo by `make run`.",
    "db.not_sqlite": "The file {path} is not an SQLite database (or it is damaged). Check WORKBENCH_DB or restore a backup.",
    "db.read_only": "The database {path} cannot be written to (the file or its file system is read-only). The administrator must fix the permissions.",
    "db.unusable": "The database {path} cannot be used: {error}",
    "db.fixed_today_on_real": "WORKBENCH_TODAY is set ({today}), but {path} is a real database. A fixed 'today' is for training data and tests only: on real records it would move deadlines, due dates and the times in the audit trail. The administrator must remove WORKBENCH_TODAY and start the app again.",
    "cli.out_unwritable": "Cannot write the file {path} ({error}). Check that its folder exists and that you can write in it.",
    "cli.training_db": "{path} is a training database of fictitious data with demo accounts. Create real accounts in a new, empty database (another --db). To turn this file into a real one, add --convert-to-real: it deletes every demo account and record first.",
    "common.datetime": "{date} at {time}",
    "common.choose": "Choose …",
    "chrome.help_for": "Help for ",
    "chrome.skip": "Skip to main content",
    "chrome.no_results": "No results",
    "chrome.no_options": "No options to select",
    "chrome.page_not_found": "Page not found",
    "chrome.page_not_found_text": "The page that you have requested does not seem to exist. "
                                  "Running the app's main page.",
    "chrome.running": "Running...",
    "chrome.stop": "Stop",
    "chrome.connecting": "Connecting",
    "chrome.connecting_help": "Connecting to Streamlit server",
    "chrome.error": "Error",
    "chrome.no_connection": "Unable to connect to Streamlit server",
    "chrome.collapse_sidebar": "Collapse sidebar",
    "chrome.expand_sidebar": "Expand sidebar",
    "chrome.show_password": "Show password",
    "chrome.hide_password": "Hide password",
    "chrome.clear_value": "Clear value",
    "chrome.clear_all": "Clear all",
    "chrome.open": "Open",
    "chrome.close": "Close",
    "chrome.main_menu": "Main menu",
    "chrome.app_pages": "App pages",
    "chrome.sidebar": "Sidebar",
    "chrome.notifications": "Notifications",
    "chrome.scroll_tabs_left": "Scroll tabs left",
    "chrome.scroll_tabs_right": "Scroll tabs right",
    "chrome.show_data": "Show data",
    "chrome.show_chart": "Show chart",
    "chrome.download_png": "Download as PNG",
    "chrome.download_csv": "Download as CSV",
    "chrome.copy_spec": "Copy Vega-Lite spec",
    "chrome.fullscreen": "Fullscreen",
    "chrome.close_fullscreen": "Close fullscreen",
    "chrome.search": "Search",
    "common.date_placeholder": "d. m. yyyy",
    "common.unknown": "not known",
    "error.password_long": "At most {n} characters are allowed.",
    "error.cannot_change_own_role": "You cannot change your own role.",
    "error.role_change_holds_cases": "The account still holds cases, tasks or programmes: hand them over first (deactivation with a hand-over).",
    "error.unit_invalid": "Choose a CSD unit of this area.",
    "error.unit_required": "A coordinator works in a CSD unit; choose it.",
    "error.user_missing": "This user does not exist.",
    "error.handover_required": "Choose who takes over her cases and tasks.",
    "error.handover_nobody": "No other active coordinator in this area can take over the cases. Create or activate an account first.",
    "users.change": "Change a user",
    "users.inactive": "inactive",
    "users.unit_help": "For coordinators: the CSD unit they work in.",
    "users.edit_title": "Name, role, unit and form of address",
    "users.sex": "Form of address",
    "users.sex_help": "How the app speaks of her or him in Slovenian: \"koordinatorka\", "
                      "\"spremenila\" or \"koordinator\", \"spremenil\". Without a choice "
                      "the words are neutral.",
    "users.sex.F": "female (koordinatorka)",
    "users.sex.M": "male (koordinator)",
    "users.sex.none": "neutral (koordinator(ka))",
    "error.sex_invalid": "Choose a form of address from the list.",
    "users.save": "Save",
    "users.saved": "User {username} changed.",
    "users.reset_title": "New password",
    "users.new_password": "New password",
    "users.repeat_password": "Repeat the password",
    "users.reset": "Set the new password",
    "users.password_reset": "The password of {username} is changed; the old one no longer works.",
    "users.deactivate_title": "Deactivate: {name}",
    "users.holds": "The account holds {cases} ({active} active), {tasks} and {programmes}. Deactivating hands them over.",
    "count.cases": {"one": "{n} case", "other": "{n} cases"},
    "count.open_tasks": {"one": "{n} open task", "other": "{n} open tasks"},
    "count.programmes": {"one": "{n} programme", "other": "{n} programmes"},
    "users.handover_to": "Hand over to",
    "users.spread": "evenly to every coordinator of the area",
    "users.confirm_deactivate": "I confirm deactivating {name}",
    "users.deactivate": "Deactivate the account: {name}",
    "users.deactivated": "Account deactivated: {name}. Its cases, tasks and meetings are handed over.",
    "users.activate_title": "Activate: {name}",
    "users.confirm_activate": "I confirm activating {name}",
    "users.activate": "Activate {name}",
    "users.activated": "{name} is active again.",
    "field.username": "Username",
    "field.display_name": "Full name",
    "field.role": "Role",
    "field.unit": "CSD unit",
    "field.unit_code": "CSD unit",
    "field.password": "Password",
    "field.handover": "Hand-over",
    "field.active": "Active",
}



def register(catalogues: dict[str, dict[str, Message]], sl: dict[str, Message],
             en: dict[str, Message]) -> None:
    """Add a subject's messages; a key defined twice is a bug, refused at import."""
    for lang, messages in (("sl", sl), ("en", en)):
        clash = set(catalogues[lang]) & set(messages)
        if clash:
            raise ValueError(f"message keys defined twice ({lang}): {sorted(clash)}")
        catalogues[lang].update(messages)


CATALOGUES: dict[str, dict[str, Message]] = {"sl": SL, "en": EN}
# The casework screens keep their strings in a module of their own.
register(CATALOGUES, _casework.SL, _casework.EN)
register(CATALOGUES, _scheduling.SL, _scheduling.EN)
register(CATALOGUES, _reporting.SL, _reporting.EN)
register(CATALOGUES, _trust.SL, _trust.EN)
register(CATALOGUES, _protection.SL, _protection.EN)
register(CATALOGUES, _people.SL, _people.EN)
register(CATALOGUES, _fields.SL, _fields.EN)


@cache
def _plural_rule(lang: str):
    return Locale.parse(lang).plural_form


@cache
def plural_form(lang: str, n: int) -> str:
    """The CLDR plural category of ``n`` in ``lang`` ("one", "two", "few", "other")."""
    return _plural_rule(lang)(abs(n))


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for ``key`` in ``lang``; an unknown key shows itself rather than crash a page."""
    message = CATALOGUES.get(lang, SL).get(key) or SL.get(key) or key
    if isinstance(message, dict):
        lang = lang if lang in CATALOGUES and key in CATALOGUES[lang] else DEFAULT_LANGUAGE
        n = params.get("n", 0)
        if isinstance(n, float):  # "4,5 mesece" by CLDR's rule for decimals, "2 meseca"
            message = message[plural_form(lang, int(n) if n.is_integer() else n)]
            params = {**params, "n": format_number(n, lang, 2, optional=True)}
        else:
            message = message[plural_form(lang, int(n))]
    return message.format(**params) if params else message


def gendered_key(key: str, sex: str | None) -> str:
    """The variant of ``key`` said of a woman (``key.F``) or a man (``key.M``) when the
    person's sex is known and the catalogue has one; else the neutral ``key``
    ("vključena" / "vključen" / "vključen(a)"). The one owner of gendered wording."""
    variant = f"{key}.{sex}"
    return variant if sex and variant in SL else key


def translate_for(key: str, sex: str | None, lang: str = DEFAULT_LANGUAGE,
                  **params: object) -> str:
    """``translate`` in the form that agrees with a person's sex (neutral when unknown)."""
    return translate(gendered_key(key, sex), lang, **params)


def role_name(role: str, sex: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """An account's role as said of its holder: "koordinatorka" of a woman, "koordinator"
    of a man, "koordinator(ka)" when the account does not say."""
    return translate_for(f"role.{role}", sex, lang)


# A change log names tables and columns; their labels are ``table.X`` / ``field.X`` (the
# audit viewer's own ``auditlog.table_X`` / ``auditlog.field_X`` where it has one).
def table_key(name: str, log: bool = False) -> str | None:
    """The message key of a table's label ("Srečanje"; the audit viewer's ``log`` words
    "srečanja" first), or None when it has none."""
    keys = (f"table.{name}", f"auditlog.table_{name}")
    return next((k for k in (keys[::-1] if log else keys) if k in SL), None)


def field_key(name: str) -> str | None:
    """The message key of a column's label, or None when it has none."""
    return next((k for k in (f"field.{name}", f"auditlog.field_{name}") if k in SL), None)


def format_date(day: dt.date | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Dates as Slovenians write them, e.g. ``22. 11. 2026`` (the English screens too)."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return _dates.written(day)


def format_datetime(moment: dt.datetime | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """``23. 11. 2026 ob 00:24``."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return translate("common.datetime", lang, date=_dates.written(moment.date()),
                     time=f"{moment:%H:%M}")


def weekday_name(day: dt.date | str, lang: str = DEFAULT_LANGUAGE) -> str:
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return _babel_format_date(day, "EEEE", locale=lang)


def weekday_short(weekday: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``pon``, ``tor`` ... (Monday = 0), as Babel's CLDR data abbreviate them."""
    return _babel_format_date(dt.date(2024, 1, 1) + dt.timedelta(days=weekday), "EEE",
                              locale=lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def format_number(value: float, lang: str = DEFAULT_LANGUAGE, digits: int = 0,
                  optional: bool = False) -> str:
    """``12.345`` / ``1.234,5`` in Slovenian, ``12,345`` in English (Babel's CLDR data);
    ``optional`` digits show only when needed (``2,5`` but ``3``)."""
    pattern = "#,##0" + ("." + ("#" if optional else "0") * digits if digits else "")
    return format_decimal(value, format=pattern, locale=lang if lang in LANGUAGES else "sl")


def month_label(month: str, lang: str = DEFAULT_LANGUAGE, short: bool = False) -> str:
    """``2026-03`` as ``marec 2026`` (``mar. 2026`` when ``short``)."""
    day = dt.date.fromisoformat(f"{month}-01")
    return _babel_format_date(day, "LLL y" if short else "LLLL y",
                              locale=lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
