"""Strings of sign-in, sessions and account administration, and of consent, retention and
access requests."""

SL: dict = {
    "role.dpo": "pooblaščena oseba za varstvo podatkov",
    "login.locked": "Preveč neuspelih prijav s tem uporabniškim imenom: prijava je začasno "
                    "onemogočena do {until}. Če se vam mudi, se obrnite na skrbnika.",
    "download.failed": "Datoteke ni bilo mogoče pripraviti. Poskusite znova ali obvestite "
                       "skrbnika.",
    "download.session_ended": "Prenos zavrnjen: seja se je medtem končala ali spremenila "
                               "(odjava, neaktivnost, spremenjen račun). Osvežite stran in se "
                               "znova prijavite.",
    "login.wait": "Po več neuspelih prijavah s tem uporabniškim imenom je naslednji poskus "
                  "mogoč šele čez {seconds} s. Geslo ni bilo preverjeno.",
    "login.ended.idle": "Seja je potekla, ker {minutes} ni bila v uporabi. "
                        "Prijavite se znova.",
    "login.ended.expired": "Seja je potekla ({hours} po prijavi). Prijavite se znova.",
    "count.idle_minutes": {"one": "{n} minuto", "two": "{n} minuti", "few": "{n} minute",
                           "other": "{n} minut"},
    "count.session_hours": {"one": "{n} uro", "two": "{n} uri", "few": "{n} ure",
                            "other": "{n} ur"},
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
    "error.password_username": "Ne sme vsebovati uporabniškega imena.",
    "error.password_common": "To geslo je preveč preprosto ali je geslo demo računov. "
                             "Izberite drugo.",
    # Too easy to guess (zxcvbn's score under 3), by the weakest part it found.
    **{f"error.password_guessable_{kind}": f"Geslo je preveč predvidljivo: {why}. Izberite "
       "daljše geslo iz nekaj besed, ki ne sodijo skupaj." for kind, why in (
           ("dictionary", "vsebuje pogosto geslo, ime ali besedo"),
           ("spatial", "je zaporedje tipk na tipkovnici (npr. qwertz)"),
           ("sequence", "je zaporedje znakov (npr. 1234 ali abcd)"),
           ("repeat", "ponavlja iste znake"),
           ("date", "vsebuje datum ali letnico"),
           ("other", "lahko ga je uganiti"))},
    "error.password_current_wrong": "Trenutno geslo ni pravilno.",
    "error.password_characters": "Geslo vsebuje nevidne ali nedovoljene znake (npr. tabulator "
                                 "ali prelom vrstice). Vpišite ga znova.",
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
    "error.emso_unusable": "Tega EMŠO ni mogoče vpisati v vaše območje. Preverite ga; če je "
                           "pravilen, se obrnite na skrbnika (poizvedba je zabeležena).",
    "error.referral_consent_withdrawn": "Oseba je preklicala privolitev za posredovanje "
                                        "podatkov ustanovi {institution}: nove napotitve tja "
                                        "ni mogoče zabeležiti.",
    "error.consent_purpose_invalid": "Izberite namen privolitve.",
    "error.consent_how_invalid": "Izberite, kako je bila privolitev dana ali preklicana.",
    "error.consent_in_force": "Ta privolitev že velja. Novo lahko zabeležite šele, ko oseba "
                              "prejšnjo prekliče.",
    "error.consent_withdrawn_already": "Ta privolitev je že preklicana.",
    "error.consent_institution_required": "Vpišite ustanovo, ki se ji smejo posredovati "
                                          "podatki.",
    "error.consent_withdrawn_before_given": "Preklic ne more biti pred dnem privolitve.",
    "error.erase_reported": "Oseba je bila vključena v program: njen zapis se hrani za "
                            "poročanje ESS in se po izteku hrambe anonimizira, ne izbriše.",
    "error.request_person_invalid": "Vpišite EMŠO ali številko zapisa osebe.",
    "error.reason_has_emso": "Razlog vsebuje številko, podobno EMŠO. Razlog ostane v revizijski "
                             "sledi za vedno: ne vpisujte EMŠO ali drugih osebnih številk.",
    "error.reason_has_name": "Razlog vsebuje ime ali priimek osebe. Razlog ostane v revizijski "
                             "sledi za vedno: opišite ga brez imen (oseba je že zapisana s "
                             "številko zapisa).",
    "reason.personal_data_help": "Razlog ostane v revizijski sledi za vedno, tudi po izbrisu "
                                 "ali anonimizaciji: ne vpisujte imen, priimkov ali EMŠO.",
    "error.confirm_required": "Potrdite, da razumete posledice.",
    "app.disk_full": "Disk strežnika je poln: nič ni bilo shranjeno. Vaše besedilo je še v "
                     "obrazcu; obvestite skrbnika in shranite znova, ko sporoči, da je "
                     "prostor sproščen.",
    "app.disk_full_now": "Disk strežnika je poln: ta trenutek ni mogoče ničesar zapisati "
                         "(tudi prijave ali ogleda zapisa ne, ker se zabeleži). Obvestite "
                         "skrbnika in stran osvežite, ko sporoči, da je prostor sproščen.",
    "login.sign_out_unrecorded": "V tem brskalniku ste odjavljeni. Ker je disk strežnika "
                                 "poln, odjava ni zapisana: v drugih zavihkih in brskalnikih "
                                 "ostanete prijavljeni, dokler seja ne poteče.",
    "db.disk_full": "Disk strežnika je poln: podatkovne zbirke ta trenutek ni mogoče odpreti. "
                    "Obvestite skrbnika in stran osvežite, ko sporoči, da je prostor "
                    "sproščen.",
    "app.busy": "Podatkovna zbirka je ta trenutek preobremenjena s shranjevanjem drugih. "
                "Nič ni izgubljeno: poskusite znova čez nekaj sekund.",
    "error.record_anonymised": "Zapis je anonimiziran (hramba je potekla): ostaja le za "
                               "statistiko in ga ni mogoče več spreminjati.",
    "record.anonymised": "Zapis je bil anonimiziran {on}: ostaja le za statistiko, "
                         "spreminjati ga ni več mogoče.",
    "consent.purpose.inclusion": "vključitev v program",
    "consent.purpose.sharing": "posredovanje podatkov ustanovi",
    "consent.purpose.ema": "poročanje v e-MA",
    "consent.purpose.phone": "stik po telefonu",
    "consent.purpose.sms": "stik po SMS",
    "consent.how.written": "pisno",
    "consent.how.oral": "ustno",
    "consent.how.electronic": "elektronsko",
    "tab.consents": "Privolitve",
    "consent.none": "Zabeležene ni še nobene privolitve.",
    "consent.sharing_in_force": "Privolitev za posredovanje podatkov velja za: {names}.",
    "consent.sharing_none": "Za posredovanje podatkov drugi ustanovi ni zabeležene "
                            "privolitve (zavihek Privolitve).",
    "consent.withdrawn_mark": "privolitev preklicana",
    "consent.in_force": "velja od {given} ({how})",
    "consent.withdrawn": "preklicana {withdrawn} ({how}); dana {given}",
    "consent.add": "Zabeleži privolitev",
    "consent.purpose": "Namen",
    "consent.institution": "Ustanova (za posredovanje podatkov)",
    "consent.given_on": "Dan privolitve",
    "consent.how": "Kako",
    "consent.withdraw_how": "Način preklica",
    "consent.added": "Privolitev je zabeležena.",
    "consent.withdraw": "Zabeleži preklic",
    "consent.withdraw_on": "Dan preklica",
    "consent.withdrawn_saved": "Privolitev je preklicana.",
    "consent.sensitive": "Občutljivi osebni podatki (posebne vrste): priseljenstvo, "
                         "invalidnost, druga prikrajšanost in brezdomstvo. Vidijo jih le "
                         "koordinatorke območja. Pri priseljenstvu, invalidnosti in drugi "
                         "prikrajšanosti je »ne želi odgovoriti« veljaven odgovor.",
    "field.how": "Kako",
    "field.sensitive": "Občutljiv osebni podatek (posebna vrsta).",
    "field.confirm": "Potrditev",
    "field.file": "Datoteka",
    "field.anonymised_on": "Anonimizirano",
    "field.changed_at": "Kdaj",
    "field.created_at": "Vpisano",
    "field.updated_at": "Zadnja sprememba",
    "field.from_stage": "Iz faze",
    "field.given_how": "Kako je dana",
    "field.goal_id": "Cilj št.",
    "field.id": "Št.",
    "field.given_on": "Dan privolitve",
    "field.withdrawn_on": "Dan preklica",
    "field.withdrawn_how": "Kako je preklicana",
    "field.person": "Oseba",
    "nav.protection": "Varstvo podatkov",
    "protection.title": "Varstvo podatkov",
    "protection.tab.request": "Zahteva za dostop",
    "protection.tab.retention": "Hramba",
    "protection.tab.erasure": "Izbris",
    "protection.person": "EMŠO ali številka zapisa",
    "protection.find": "Poišči",
    "protection.found": "Zapis št. {id}: {name}",
    "protection.request_intro": "Za osebo, ki zahteva vpogled v svoje podatke: vse, kar "
                                "hranimo o njej (berljiv dokument in datoteka JSON v enem "
                                "arhivu ZIP). Izvoz je zabeležen v revizijski sledi.",
    "protection.download": "Prenesi izvoz (HTML in JSON)",
    "protection.retention_intro": "Hramba po izstopu iz programa: {exit}; po zaključku "
                                  "pred vključitvijo: {closure}. Nato se primer "
                                  "anonimizira: odstranijo se ime, EMŠO, naslov, telefon, "
                                  "e-pošta in vsa prosta besedila; statistika ostane enaka.",
    "protection.years": {"one": "{n} leto", "two": "{n} leti", "few": "{n} leta",
                         "other": "{n} let"},
    "protection.due_none": "Nobena oseba ni za anonimizacijo.",
    "protection.due_count": {"one": "Za anonimizacijo je {n} oseba.",
                             "two": "Za anonimizacijo sta {n} osebi.",
                             "few": "Za anonimizacijo so {n} osebe.",
                             "other": "Za anonimizacijo je {n} oseb."},
    "protection.anonymise": "Anonimiziraj prikazane osebe",
    "protection.anonymise_confirm": "Razumem: anonimizacije ni mogoče razveljaviti.",
    "protection.anonymised": {"one": "Anonimizirana je {n} oseba.",
                              "two": "Anonimizirani sta {n} osebi.",
                              "few": "Anonimizirane so {n} osebe.",
                              "other": "Anonimiziranih je {n} oseb."},
    "protection.erasure_intro": "Izbris celotnega zapisa je mogoč le za osebo, ki ni bila "
                                "nikoli vključena v program (npr. napačna napotitev). "
                                "Popravke podatkov naredi koordinatorka v zapisu osebe; vsak "
                                "popravek je v revizijski sledi.",
    "protection.erase": "Izbriši zapis",
    "protection.erase_confirm": "Razumem: izbrisa ni mogoče razveljaviti.",
    "protection.erased": "Zapis je izbrisan.",
    "col.basis": "Osnova",
    "col.since": "Od",
    "col.due_on": "Za anonimizacijo od",
    "retention.basis.exit": "izstop",
    "retention.basis.closure": "zaključek",
    "export.title": "Podatki o osebi (zahteva za dostop)",
    "export.made": "Izvoz pripravljen",
    "export.none": "Ni zapisov.",
    "export.person": "Osebni podatki",
    "export.stage_history": "Faze obravnave",
    "export.consents": "Privolitve",
    "export.contacts": "Stiki",
    "export.problem_scores": "Ocene težav",
    "export.plan_goals": "Cilji načrta",
    "export.plan_steps": "Koraki načrta",
    "export.tasks": "Naloge",
    "export.referrals_out": "Napotitve k drugim ustanovam",
    "export.follow_ups": "Spremljanje po izstopu",
    "export.enrolments": "Vključitve v programe",
    "export.waiting_list": "Čakalni seznami",
    "export.attendance": "Prisotnost",
    "export.allowances": "Ure za izplačilo nagrad (po mesecih)",
    "export.meetings": "Individualna srečanja",
    "export.group_sessions": "Skupinska srečanja",
    "export.audit": "Revizijska sled (kdo je kdaj odprl ali spremenil zapis)",
}

EN: dict = {
    "role.dpo": "data protection officer",
    "login.locked": "Too many failed sign-ins with this username: signing in is paused until "
                    "{until}. If it is urgent, ask the administrator.",
    "download.failed": "The file could not be made. Try again or tell the administrator.",
    "download.session_ended": "Download refused: the session has ended or changed meanwhile "
                               "(signed out, idle, account changed). Reload the page and sign "
                               "in again.",
    "login.wait": "After several failed sign-ins with this username the next try is possible "
                  "only in {seconds} s. The password was not checked.",
    "login.ended.idle": "The session ended after {minutes} without use. "
                        "Please sign in again.",
    "login.ended.expired": "The session ended ({hours} after sign-in). "
                           "Please sign in again.",
    "count.idle_minutes": {"one": "{n} minute", "other": "{n} minutes"},
    "count.session_hours": {"one": "{n} hour", "other": "{n} hours"},
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
    "error.password_username": "It must not contain the username.",
    "error.password_common": "This password is too simple or is the demo accounts' password. "
                             "Choose another one.",
    **{f"error.password_guessable_{kind}": f"The password is too easy to guess: {why}. "
       "Choose a longer one of a few words that do not belong together." for kind, why in (
           ("dictionary", "it holds a common password, name or word"),
           ("spatial", "it is a row of keys (e.g. qwertz)"),
           ("sequence", "it is a sequence of characters (e.g. 1234 or abcd)"),
           ("repeat", "it repeats the same characters"),
           ("date", "it holds a date or a year"),
           ("other", "it is easy to guess"))},
    "error.password_current_wrong": "The current password is not correct.",
    "error.password_characters": "The password holds invisible or unusable characters (e.g. "
                                 "a tab or a line break). Type it again.",
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
    "error.emso_unusable": "This EMŠO cannot be entered in your area. Check it; if it is "
                           "right, ask the administrator (the query is recorded).",
    "error.referral_consent_withdrawn": "The person withdrew her consent to sharing data with "
                                        "{institution}: a new referral there cannot be "
                                        "recorded.",
    "error.consent_purpose_invalid": "Choose the purpose of the consent.",
    "error.consent_how_invalid": "Choose how the consent was given or withdrawn.",
    "error.consent_in_force": "This consent is already in force. A new one can be recorded "
                              "once she withdraws it.",
    "error.consent_withdrawn_already": "This consent is already withdrawn.",
    "error.consent_institution_required": "Enter the institution her data may be shared "
                                          "with.",
    "error.consent_withdrawn_before_given": "A withdrawal cannot be before the consent.",
    "error.erase_reported": "The person was included in a programme: her record is kept for "
                            "ESF reporting and is anonymised, not erased, when its retention "
                            "ends.",
    "error.request_person_invalid": "Enter the person's EMŠO or record number.",
    "error.reason_has_emso": "The reason holds a number like an EMŠO. A reason stays in the "
                             "audit trail for ever: do not type an EMŠO or another personal "
                             "number.",
    "error.reason_has_name": "The reason holds the person's first or last name. A reason stays "
                             "in the audit trail for ever: give it without names (the entry "
                             "already names her record number).",
    "reason.personal_data_help": "The reason stays in the audit trail for ever, also after "
                                 "an erasure or anonymisation: do not type names or an EMŠO.",
    "error.confirm_required": "Confirm that you understand what follows.",
    "app.disk_full": "The server's disk is full: nothing was saved. Your text is still in "
                     "the form; tell the administrator and save again once they say there "
                     "is room.",
    "app.disk_full_now": "The server's disk is full: nothing can be written just now (not "
                         "a sign-in, nor opening a record, which is logged). Tell the "
                         "administrator and reload the page once they say there is room.",
    "login.sign_out_unrecorded": "You are signed out in this browser. As the server's disk "
                                 "is full, the sign-out is not recorded: other tabs and "
                                 "browsers stay signed in until the session ends.",
    "db.disk_full": "The server's disk is full: the database cannot be opened just now. "
                    "Tell the administrator and reload the page once they say there is "
                    "room.",
    "app.busy": "The database is busy with other people's saves just now. Nothing is lost: "
                "try again in a few seconds.",
    "error.record_anonymised": "The record is anonymised (its retention ran out): it stays "
                               "for statistics only and can no longer be changed.",
    "record.anonymised": "This record was anonymised on {on}: it stays for statistics only "
                         "and can no longer be changed.",
    "consent.purpose.inclusion": "inclusion in the programme",
    "consent.purpose.sharing": "sharing data with an institution",
    "consent.purpose.ema": "reporting to e-MA",
    "consent.purpose.phone": "contact by phone",
    "consent.purpose.sms": "contact by SMS",
    "consent.how.written": "in writing",
    "consent.how.oral": "orally",
    "consent.how.electronic": "electronically",
    "tab.consents": "Consents",
    "consent.none": "No consent is recorded yet.",
    "consent.sharing_in_force": "Consent to sharing data holds for: {names}.",
    "consent.sharing_none": "No consent to sharing data with another institution is "
                            "recorded (tab Consents).",
    "consent.withdrawn_mark": "consent withdrawn",
    "consent.in_force": "in force since {given} ({how})",
    "consent.withdrawn": "withdrawn {withdrawn} ({how}); given {given}",
    "consent.add": "Record a consent",
    "consent.purpose": "Purpose",
    "consent.institution": "Institution (for sharing data)",
    "consent.given_on": "Day of consent",
    "consent.how": "How",
    "consent.withdraw_how": "How she withdrew it",
    "consent.added": "The consent is recorded.",
    "consent.withdraw": "Record the withdrawal",
    "consent.withdraw_on": "Day of withdrawal",
    "consent.withdrawn_saved": "The consent is withdrawn.",
    "consent.sensitive": "Sensitive (special-category) personal data: migrant background, "
                         "disability, other disadvantage and homelessness. Only the area's "
                         "coordinators see them. For migrant background, disability and other "
                         "disadvantage \"refused to answer\" is an answer.",
    "field.how": "How",
    "field.sensitive": "Sensitive (special-category) personal data.",
    "field.confirm": "Confirmation",
    "field.file": "File",
    "field.anonymised_on": "Anonymised",
    "field.changed_at": "When",
    "field.created_at": "Entered",
    "field.updated_at": "Last change",
    "field.from_stage": "From stage",
    "field.given_how": "How it was given",
    "field.goal_id": "Goal no.",
    "field.id": "No.",
    "field.given_on": "Day of consent",
    "field.withdrawn_on": "Day of withdrawal",
    "field.withdrawn_how": "How it was withdrawn",
    "field.person": "Person",
    "nav.protection": "Data protection",
    "protection.title": "Data protection",
    "protection.tab.request": "Access request",
    "protection.tab.retention": "Retention",
    "protection.tab.erasure": "Erasure",
    "protection.person": "EMŠO or record number",
    "protection.find": "Find",
    "protection.found": "Record no. {id}: {name}",
    "protection.request_intro": "For a person who asks to see her data: everything we hold "
                                "about her (a readable document and a JSON file in one ZIP "
                                "archive). The export is written to the audit trail.",
    "protection.download": "Download the export (HTML and JSON)",
    "protection.retention_intro": "Kept after the exit from a programme: {exit}; after a "
                                  "closure before inclusion: {closure}. Then the case is "
                                  "anonymised: the name, EMŠO, address, phone, e-mail and "
                                  "every free text are removed; the statistics stay the "
                                  "same.",
    "protection.years": {"one": "{n} year", "other": "{n} years"},
    "protection.due_none": "No one is due for anonymisation.",
    "protection.due_count": {"one": "{n} person is due for anonymisation.",
                             "other": "{n} people are due for anonymisation."},
    "protection.anonymise": "Anonymise the people shown",
    "protection.anonymise_confirm": "I understand: anonymisation cannot be undone.",
    "protection.anonymised": {"one": "{n} person anonymised.",
                              "other": "{n} people anonymised."},
    "protection.erasure_intro": "A whole record can be erased only for a person who never "
                                "entered a programme (e.g. a mistaken referral). "
                                "Corrections are made by the coordinator in the person's "
                                "record; each one is in the audit trail.",
    "protection.erase": "Erase the record",
    "protection.erase_confirm": "I understand: an erasure cannot be undone.",
    "protection.erased": "The record is erased.",
    "col.basis": "Basis",
    "col.since": "Since",
    "col.due_on": "Due from",
    "retention.basis.exit": "exit",
    "retention.basis.closure": "closure",
    "export.title": "Data about a person (access request)",
    "export.made": "Export made",
    "export.none": "No entries.",
    "export.person": "Personal data",
    "export.stage_history": "Stages of the case",
    "export.consents": "Consents",
    "export.contacts": "Contacts",
    "export.problem_scores": "Problem scores",
    "export.plan_goals": "Plan goals",
    "export.plan_steps": "Plan steps",
    "export.tasks": "Tasks",
    "export.referrals_out": "Referrals to other institutions",
    "export.follow_ups": "Follow-ups after exit",
    "export.enrolments": "Enrolments in programmes",
    "export.waiting_list": "Waiting lists",
    "export.attendance": "Attendance",
    "export.allowances": "Hours for allowances (by month)",
    "export.meetings": "Individual meetings",
    "export.group_sessions": "Group sessions",
    "export.audit": "Audit trail (who opened or changed the record when)",
}
