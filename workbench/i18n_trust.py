"""Strings of sign-in, sessions and account administration."""

SL: dict = {
    "role.dpo": "pooblaščena oseba za varstvo podatkov",
    "login.locked": "Preveč neuspelih prijav s tem uporabniškim imenom: prijava je začasno "
                    "onemogočena do {until}. Če se vam mudi, se obrnite na skrbnika.",
    "login.ended.idle": "Seja je potekla, ker {minutes} minut ni bila v uporabi. "
                        "Prijavite se znova.",
    "login.ended.expired": "Seja je potekla ({hours} ur po prijavi). Prijavite se znova.",
    "login.ended.signed_out": "Odjavljeni ste (v tem ali drugem zavihku).",
    "login.ended.inactive": "Vaš račun ni več aktiven.",
    "login.ended.password_reset": "Skrbnik je ponastavil vaše geslo. Prijavite se z novim.",
    "login.sso_unknown": "Uporabnik {username}, ki ga je sporočila prijava v omrežje, v "
                         "delovnem orodju nima aktivnega računa. Obrnite se na skrbnika.",
    "password.title": "Izberite novo geslo",
    "password.forced": "Skrbnik vam je nastavil začasno geslo. Preden nadaljujete, izberite "
                       "svoje: vsaj {n} znakov, ne vaše uporabniško ime.",
    "password.current": "Trenutno (začasno) geslo",
    "password.new": "Novo geslo",
    "password.repeat": "Ponovite novo geslo",
    "password.submit": "Shrani novo geslo",
    "password.changed": "Geslo je spremenjeno.",
    "field.current_password": "Trenutno geslo",
    "error.password_username": "Geslo ne sme vsebovati uporabniškega imena.",
    "error.password_common": "To geslo je preveč preprosto ali je geslo demo računov. "
                             "Izberite drugo.",
    "error.password_current_wrong": "Trenutno geslo ni pravilno.",
    "error.password_unchanged": "Novo geslo mora biti drugačno od trenutnega.",
    "signin_locks.tab": "Zaklenjene prijave",
    "signin_locks.none": "Nobeno uporabniško ime ni zaklenjeno.",
    "signin_locks.intro": "Po {n} neuspelih prijavah je uporabniško ime za {minutes} minut "
                          "zaklenjeno (tudi ime, ki ne obstaja: tako zaklep ne izda, katera "
                          "imena obstajajo).",
    "signin_locks.until": "zaklenjeno do {until}",
    "signin_locks.unlock": "Odkleni",
    "signin_locks.unlocked": "Prijava za {username} je spet mogoča.",
    "signin_locks.unknown": "(ni računa)",
}

EN: dict = {
    "role.dpo": "data protection officer",
    "login.locked": "Too many failed sign-ins with this username: signing in is paused until "
                    "{until}. If it is urgent, ask the administrator.",
    "login.ended.idle": "The session ended after {minutes} minutes without use. "
                        "Please sign in again.",
    "login.ended.expired": "The session ended ({hours} hours after sign-in). "
                           "Please sign in again.",
    "login.ended.signed_out": "You are signed out (in this tab or another one).",
    "login.ended.inactive": "Your account is no longer active.",
    "login.ended.password_reset": "The administrator has reset your password. Sign in with "
                                  "the new one.",
    "login.sso_unknown": "User {username}, named by the network sign-in, has no active "
                         "account in the workbench. Ask the administrator.",
    "password.title": "Choose a new password",
    "password.forced": "The administrator gave you a temporary password. Before you go on, "
                       "choose your own: at least {n} characters, not your username.",
    "password.current": "Current (temporary) password",
    "password.new": "New password",
    "password.repeat": "Repeat the new password",
    "password.submit": "Save the new password",
    "password.changed": "The password is changed.",
    "field.current_password": "Current password",
    "error.password_username": "The password must not contain the username.",
    "error.password_common": "This password is too simple or is the demo accounts' password. "
                             "Choose another one.",
    "error.password_current_wrong": "The current password is not correct.",
    "error.password_unchanged": "The new password must differ from the current one.",
    "signin_locks.tab": "Locked sign-ins",
    "signin_locks.none": "No username is locked.",
    "signin_locks.intro": "After {n} failed sign-ins a username is locked for {minutes} "
                          "minutes (a name that does not exist too, so that a lock does not "
                          "tell which names exist).",
    "signin_locks.until": "locked until {until}",
    "signin_locks.unlock": "Unlock",
    "signin_locks.unlocked": "{username} can sign in again.",
    "signin_locks.unknown": "(no account)",
}
