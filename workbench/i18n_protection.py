"""Strings of data protection: backups, the database guard, the audit viewer,
consent, retention and access requests."""

SL: dict = {
    # The database file and its guards (workbench.db)
    "db.damaged": "Podatkovna zbirka {path} je poškodovana (preverjanje celovitosti: {detail}). "
                  "Aplikacija je ne odpre, da poškodbe ne bi še povečala. Ustavite aplikacijo in "
                  "obnovite zadnjo varnostno kopijo: python -m workbench restore --from DATOTEKA "
                  "--db {path}",
    "db.newer_version": "Podatkovno zbirko {path} je naredila ali nadgradila novejša različica "
                        "delovne mize (te različici neznane spremembe sheme: {migrations}). "
                        "Namestite novejšo različico aplikacije ali obnovite varnostno kopijo, "
                        "narejeno s to različico.",
    "db.fs_unchecked": "Tabele priklopov {mounts} ni mogoče prebrati, zato ni preverjeno, ali je "
                       "podatkovna zbirka {path} na omrežnem datotečnem sistemu. Poskrbite, da "
                       "je na lokalnem disku tega strežnika, ne na omrežnem pogonu.",
    "db.readable_by_others": "Datoteko podatkovne zbirke {path} lahko berejo tudi drugi "
                             "uporabniki tega računalnika (pravice {mode}). Omejite jih na "
                             "lastnika: chmod 600 {path} {path}-wal {path}-shm",
    # Backups, checks and restores (workbench.protection.backup, python -m workbench)
    "backup.file_missing": "Datoteke {path} ni.",
    "backup.keep_invalid": "--keep-daily mora biti vsaj 1, --keep-weekly vsaj 0.",
    "backup.folder_invalid": "{folder} ni mapa. Varnostne kopije potrebujejo mapo.",
    "backup.folder_missing": "Mape {folder} ni. Je disk za varnostne kopije priklopljen? "
                             "Kopija ni narejena. Novo mapo ustvari ukaz z dodanim "
                             "--create.",
    "backup.folder_unwritable": "V mapo {folder} ni mogoče pisati ({error}). Kopija ni "
                                "narejena; izberite mapo, v katero lahko piše račun, ki "
                                "izvaja varnostno kopiranje.",
    "backup.copy_failed": "Kopiranje podatkovne zbirke {path} ni uspelo: {error}. Prejšnje "
                          "varnostne kopije so ostale nedotaknjene.",
    "backup.damaged": "Kopija podatkovne zbirke {path} ni prestala preverjanja celovitosti "
                      "({detail}), zato ni shranjena; prejšnje kopije so ostale. Zbirka je morda "
                      "poškodovana: python -m workbench check --db {path}",
    "backup.not_workbench": "{path} ni podatkovna zbirka delovne mize (nima njenih sprememb "
                            "sheme). Preverite pot --db.",
    "backup.newer": "Podatkovno zbirko {path} je naredila novejša različica delovne mize "
                    "({migrations}). Varnostno kopijo naredite z isto ali novejšo različico.",
    "backup.rows_differ": "Kopija nima enako vrstic kot izvirnik (tabele: {tables}), zato ni "
                          "shranjena; prejšnje kopije so ostale. Poskusite znova.",
    "backup.done": "Varnostna kopija je narejena in preverjena: {path} ({size}; tabele: "
                   "{tables}, vrstice: {rows}; kopiranje {copy} s, preverjanje {verify} s). "
                   "Kopij v mapi: {kept}, izbrisanih starih: {deleted}.",
    "restore.damaged": "Varnostna kopija {path} je poškodovana ({detail}). Ničesar ni "
                       "obnovljeno; izberite starejšo kopijo.",
    "restore.not_workbench": "{path} ni varnostna kopija delovne mize. Ničesar ni obnovljeno.",
    "restore.newer": "Varnostno kopijo {path} je naredila novejša različica delovne mize "
                     "({migrations}), ki je ta različica ne more uporabljati. Namestite "
                     "novejšo različico ali izberite starejšo kopijo. Ničesar ni obnovljeno.",
    "restore.in_use": "Podatkovno zbirko {path} ima odprto še drug program (ali aplikacija "
                      "teče?). Pred obnovo ustavite aplikacijo in vse druge ukaze na tej "
                      "zbirki, nato poskusite znova. Ničesar ni obnovljeno.",
    "restore.serving": "Podatkovno zbirko {path} streže aplikacija (njen strežnik teče, "
                       "tudi če nihče ne dela). Pred obnovo ustavite aplikacijo "
                       "(systemctl stop workbench) in vse njene strežniške procese, nato "
                       "poskusite znova. Ničesar ni obnovljeno.",
    "restore.target_invalid": "Na mesto {path} ni mogoče obnoviti: mapa ne obstaja, pot je "
                              "mapa ali datoteka s tem imenom že obstaja. Ničesar ni "
                              "obnovljeno.",
    "restore.done": "Obnovljeno: {path} je zdaj kopija {source} (vrstice: {rows}). Prejšnja "
                    "datoteka je shranjena kot {replaced}. Znova zaženite aplikacijo.",
    "restore.done_new": "Obnovljeno: {path} je zdaj kopija {source} (vrstice: {rows}). "
                        "Zaženite aplikacijo.",
    "check.ok": "{path}: celovitost je v redu; zbirka delovne mize, sprememb sheme: {n} "
                "(zadnja {latest}), vse jih ta različica pozna.",
    "check.pending": "Spremembe sheme, ki jih aplikacija uporabi, ko zbirko odpre: {pending}.",
    "check.damaged": "{path} je poškodovana: {detail}",
    "check.not_workbench": "{path} ni podatkovna zbirka delovne mize.",
    "check.newer": "{path} je naredila novejša različica delovne mize ({migrations}).",
    "serving.unheld": "Datoteke {path} ni mogoče odpreti ({error}), zato ukaz restore ne "
                      "vidi, da ta strežnik streže podatkovno zbirko. Datoteka naj pripada "
                      "računu, pod katerim teče aplikacija.",
    "serving.waiting": "Podatkovno zbirko {path} prav zdaj obnavlja ukaz restore; strežnik "
                       "počaka, da konča.",
    # The audit viewer and its chain check (workbench.audit_view, python -m workbench
    # audit-check)
    "nav.audit": "Revizijska sled",
    "auditlog.title": "Revizijska sled",
    "auditlog.caption": "Kdo je kdaj odprl ali spremenil kateri zapis. Oseba je navedena s "
                        "številko zapisa; pri podatkih oseb je vidno, katero polje se je "
                        "spremenilo, vrednosti pa ne.",
    "auditlog.user": "Uporabnik",
    "auditlog.person": "Številka osebe",
    "auditlog.action": "Dejanje",
    "auditlog.table": "Tabela",
    "auditlog.from": "Od",
    "auditlog.to": "Do",
    "auditlog.all_users": "vsi uporabniki",
    "auditlog.all_actions": "vsa dejanja",
    "auditlog.all_tables": "vse tabele",
    "auditlog.clear": "Počisti filtre",
    "auditlog.col_at": "Čas",
    "auditlog.col_user": "Uporabnik",
    "auditlog.col_action": "Dejanje",
    "auditlog.col_table": "Tabela",
    "auditlog.col_record": "Zapis",
    "auditlog.col_person": "Oseba",
    "auditlog.col_field": "Polje",
    "auditlog.col_change": "Prej → potem",
    "auditlog.col_reason": "Razlog",
    "auditlog.csv_id": "št. vnosa",
    "auditlog.csv_at": "čas",
    "auditlog.csv_username": "uporabnik",
    "auditlog.csv_action": "dejanje",
    "auditlog.csv_table": "tabela",
    "auditlog.csv_record": "zapis",
    "auditlog.csv_person": "oseba (št. zapisa)",
    "auditlog.csv_field": "polje",
    "auditlog.csv_old": "prej",
    "auditlog.csv_new": "potem",
    "auditlog.csv_reason": "razlog",
    "auditlog.withheld": "vrednost ni prikazana",
    "auditlog.redacted": "odstranjeno (anonimizacija ali izbris)",
    "auditlog.unknown_user": "neznan uporabnik",
    "auditlog.count": {"one": "{n} vnos", "two": "{n} vnosa", "few": "{n} vnosi",
                       "other": "{n} vnosov"},
    "auditlog.count_more": "Več kot {n} vnosov; zožite izbor s filtri.",
    "auditlog.page": "Stran {page} od {pages}",
    "auditlog.prev": "Prejšnja",
    "auditlog.next": "Naslednja",
    "auditlog.none": "Noben vnos ne ustreza izboru.",
    "auditlog.download": "Prenesi CSV",
    "auditlog.chain_ok": "Veriga zapisov je nepoškodovana (vnosov: {n}; preverjeno v {seconds} s).",
    "auditlog.chain_broken": "Veriga zapisov je poškodovana.",
    "auditlog.chain_unchecked": "Revizijska sled ima {n} vnosov; preverjanje verige traja nekaj "
                                "sekund.",
    "auditlog.chain_check": "Preveri verigo zapisov",
    "auditlog.break_changed": "Vnos #{id} je bil spremenjen, potem ko je bil zapisan.",
    "auditlog.break_deleted": "Manjkajo vnosi od #{first} do #{last} (izbrisani iz sledi).",
    "auditlog.break_inserted": "Vnos #{id} ni bil zapisan skozi delovno mizo (vrinjen).",
    "auditlog.check_ok": "Revizijska sled v {path} je nepoškodovana: veriga se ujema do vnosa "
                         "#{id}. Zadnji vnos in njegov hash (za --head ob naslednjem "
                         "preverjanju):",
    "auditlog.check_empty": "Revizijska sled v {path} je prazna.",
    "auditlog.check_broken": "Revizijska sled v {path} je poškodovana:",
    "auditlog.bad_param": "Filter »{name}« ima neveljavno vrednost (v polju ali v naslovu "
                          "strani), zato ni uporabljen.",
    "auditlog.page_name": "stran",
    "auditlog.bad_action": "Tega dejanja revizijska sled ne pozna.",
    "auditlog.period_invalid": "Začetek obdobja je za njegovim koncem; obdobje ni uporabljeno.",
    "auditlog.page_clamped": "Strani {asked} ni; prikazana je zadnja stran ({page}).",
    "auditlog.field_created_by": "vpisal(a)",
    "auditlog.field_created_at": "čas vpisa",
    "auditlog.field_updated_by": "spremenil(a)",
    "auditlog.field_days_per_week": "dni na teden",
    "auditlog.field_hours_per_day": "ur na dan",
    "auditlog.field_area_code": "območje CSD",
    "auditlog.field_type": "vrsta programa",
    "auditlog.field_provider_id": "izvajalec",
    "auditlog.field_updated_at": "čas spremembe",
    "auditlog.field_participant_id": "oseba",
    "auditlog.field_file": "datoteka",
    "auditlog.reason_wrong": "napačno uporabniško ime ali geslo",
    "auditlog.reason_locked": "prijava zaklenjena",
    "auditlog.reason_too_soon": "prehitro po neuspeli prijavi (geslo ni bilo preverjeno)",
    "auditlog.reason_sso": "enotna prijava (posrednik intraneta)",
    "auditlog.reason_sso_unknown": "enotna prijava: ime brez aktivnega računa",
    "auditlog.reason_audit_csv": "prenos revizijske sledi",
    "auditlog.reason_retention": "po roku hrambe",
    "auditlog.reason_access_request": "zahteva za dostop",
    "auditlog.reason_verified": "kopija preverjena",
    "auditlog.reason_restored": "obnovljeno iz kopije",
    "auditlog.action_create": "vpis",
    "auditlog.action_update": "sprememba",
    "auditlog.action_delete": "izbris",
    "auditlog.action_open": "ogled zapisa",
    "auditlog.action_sign_in": "prijava",
    "auditlog.action_sign_in_failed": "neuspela prijava",
    "auditlog.action_sign_out": "odjava",
    "auditlog.action_unlock": "odklep",
    "auditlog.action_export": "izvoz",
    "auditlog.action_anonymise": "anonimizacija",
    "auditlog.action_backup": "varnostna kopija",
    "auditlog.action_restore": "obnova iz varnostne kopije",
    "auditlog.action_emso_elsewhere": "EMŠO osebe iz drugega območja",
    "auditlog.table_participants": "osebe",
    "auditlog.table_contacts": "stiki",
    "auditlog.table_problem_scores": "ocene težav",
    "auditlog.table_plan_goals": "cilji načrta",
    "auditlog.table_plan_steps": "koraki načrta",
    "auditlog.table_referrals_out": "napotitve",
    "auditlog.table_follow_ups": "spremljanje po izstopu",
    "auditlog.table_tasks": "naloge",
    "auditlog.table_attendance": "prisotnost",
    "auditlog.table_sessions": "srečanja",
    "auditlog.table_session_people": "udeleženci srečanj",
    "auditlog.table_enrolments": "vključitve v programe",
    "auditlog.table_waiting_list": "čakalni seznam",
    "auditlog.table_enrolment_terms": "prejšnji pogoji pogodb",
    "auditlog.table_stage_history": "zgodovina faz",
    "auditlog.table_programmes": "programi",
    "auditlog.table_programme_modules": "moduli programov",
    "auditlog.table_providers": "izvajalci",
    "auditlog.table_month_locks": "zaklenjeni meseci",
    "auditlog.table_users": "uporabniki",
    "auditlog.table_consents": "privolitve",
    "auditlog.table_audit_log": "revizijska sled",
    "auditlog.table_rules": "pravila",
    "auditlog.table_database": "podatkovna zbirka",
    "auditlog.table_exports": "izvoz datoteke",
    "auditlog.reason_page": "prenos na strani",
    "auditlog.reason_command_line": "ukazna vrstica",
    "auditlog.export_chart": "graf",
    "auditlog.export_area": "območje",
    "auditlog.export_year": "leto",
    "auditlog.export_month": "mesec",
    "auditlog.export_programme": "program",
    "auditlog.export_coordinator": "urnik",
    "auditlog.export_start": "od",
    "auditlog.export_end": "do",
    "auditlog.export_people": "oseb",
    "auditlog.field_ema": "izvoz e-MA (udeleženci)",
    "auditlog.field_esf_csv": "kazalniki ESS (CSV)",
    "auditlog.field_payment_sheet": "plačilna lista programa",
    "auditlog.field_payment_region": "plačilne liste regije",
    "auditlog.field_attendance_sheet": "mesečna lista prisotnosti",
    "auditlog.field_attendance_print": "mesečna lista za tisk",
    "auditlog.field_ics": "urnik (.ics)",
    "auditlog.field_chart_csv": "graf (tabela CSV)",
    "auditlog.field_chart_png": "graf (slika PNG)",
    "auditlog.field_chart_svg": "graf (slika SVG)",
}

EN: dict = {
    # The database file and its guards (workbench.db)
    "db.damaged": "The database {path} is damaged (integrity check: {detail}). The app does not "
                  "open it, so as not to make the damage worse. Stop the app and restore the "
                  "latest backup: python -m workbench restore --from FILE --db {path}",
    "db.newer_version": "The database {path} was made or upgraded by a newer version of the "
                        "workbench (schema changes this version does not know: {migrations}). "
                        "Install the newer version of the app, or restore a backup made with "
                        "this version.",
    "db.fs_unchecked": "The mount table {mounts} cannot be read, so it was not checked whether "
                       "the database {path} is on a network file system. Make sure it is on a "
                       "local disk of this host, not on a network drive.",
    "db.readable_by_others": "The database file {path} can be read by other accounts of this "
                             "computer too (mode {mode}). Restrict it to its owner: "
                             "chmod 600 {path} {path}-wal {path}-shm",
    # Backups, checks and restores (workbench.protection.backup, python -m workbench)
    "backup.file_missing": "The file {path} does not exist.",
    "backup.keep_invalid": "--keep-daily must be at least 1, --keep-weekly at least 0.",
    "backup.folder_invalid": "{folder} is not a folder. Backups need a folder.",
    "backup.folder_missing": "The folder {folder} does not exist. Is the backup disk "
                             "mounted? No copy was made. Add --create to make a new "
                             "folder.",
    "backup.folder_unwritable": "Cannot write in the folder {folder} ({error}). No copy was "
                                "made; choose a folder the account running the backup can "
                                "write in.",
    "backup.copy_failed": "Copying the database {path} failed: {error}. The earlier backups "
                          "are untouched.",
    "backup.damaged": "The copy of the database {path} failed the integrity check ({detail}), "
                      "so it was not kept; the earlier backups are still there. The database "
                      "may be damaged: python -m workbench check --db {path}",
    "backup.not_workbench": "{path} is not a workbench database (it has none of its schema "
                            "changes). Check the --db path.",
    "backup.newer": "The database {path} was made by a newer version of the workbench "
                    "({migrations}). Back it up with the same or a newer version.",
    "backup.rows_differ": "The copy does not have as many rows as the original (tables: "
                          "{tables}), so it was not kept; the earlier backups are still there. "
                          "Try again.",
    "backup.done": "Backup made and verified: {path} ({size}; tables: {tables}, rows: {rows}; "
                   "copy {copy} s, verification {verify} s). Copies in the folder: {kept}, old "
                   "ones deleted: {deleted}.",
    "restore.damaged": "The backup {path} is damaged ({detail}). Nothing was restored; choose "
                       "an older copy.",
    "restore.not_workbench": "{path} is not a backup of the workbench. Nothing was restored.",
    "restore.newer": "The backup {path} was made by a newer version of the workbench "
                     "({migrations}), which this version cannot use. Install the newer "
                     "version or choose an older copy. Nothing was restored.",
    "restore.in_use": "The database {path} is open in another program (is the app running?). "
                      "Stop the app and every other command using this database before "
                      "restoring, then try again. Nothing was restored.",
    "restore.serving": "The app is serving the database {path} (its server is running, "
                       "even if nobody is working). Stop the app (systemctl stop "
                       "workbench) and all its server processes before restoring, then try "
                       "again. Nothing was restored.",
    "restore.target_invalid": "Cannot restore to {path}: its folder does not exist, the path "
                              "is a folder, or a file of that name exists already. Nothing was "
                              "restored.",
    "restore.done": "Restored: {path} is now a copy of {source} (rows: {rows}). The file it "
                    "replaced is kept as {replaced}. Start the app again.",
    "restore.done_new": "Restored: {path} is now a copy of {source} (rows: {rows}). Start the "
                        "app.",
    "check.ok": "{path}: integrity ok; a workbench database, schema changes: {n} (latest "
                "{latest}), all known to this version.",
    "check.pending": "Schema changes the app will apply when it opens the database: {pending}.",
    "check.damaged": "{path} is damaged: {detail}",
    "check.not_workbench": "{path} is not a workbench database.",
    "check.newer": "{path} was made by a newer version of the workbench ({migrations}).",
    "serving.unheld": "Cannot open the file {path} ({error}), so the restore command does "
                      "not see that this server serves the database. The file should belong "
                      "to the account the app runs as.",
    "serving.waiting": "The database {path} is being restored by the restore command right "
                       "now; the server waits until it is done.",
    # The audit viewer and its chain check (workbench.audit_view, python -m workbench
    # audit-check)
    "nav.audit": "Audit trail",
    "auditlog.title": "Audit trail",
    "auditlog.caption": "Who opened or changed which record, and when. A person is shown by her "
                        "record number; for people's data you see which field changed, not the "
                        "values.",
    "auditlog.user": "User",
    "auditlog.person": "Person (record number)",
    "auditlog.action": "Action",
    "auditlog.table": "Table",
    "auditlog.from": "From",
    "auditlog.to": "To",
    "auditlog.all_users": "all users",
    "auditlog.all_actions": "all actions",
    "auditlog.all_tables": "all tables",
    "auditlog.clear": "Clear filters",
    "auditlog.col_at": "Time",
    "auditlog.col_user": "User",
    "auditlog.col_action": "Action",
    "auditlog.col_table": "Table",
    "auditlog.col_record": "Record",
    "auditlog.col_person": "Person",
    "auditlog.col_field": "Field",
    "auditlog.col_change": "Before → after",
    "auditlog.col_reason": "Reason",
    "auditlog.csv_id": "entry no.",
    "auditlog.csv_at": "time",
    "auditlog.csv_username": "user",
    "auditlog.csv_action": "action",
    "auditlog.csv_table": "table",
    "auditlog.csv_record": "record",
    "auditlog.csv_person": "person (record no.)",
    "auditlog.csv_field": "field",
    "auditlog.csv_old": "before",
    "auditlog.csv_new": "after",
    "auditlog.csv_reason": "reason",
    "auditlog.withheld": "value not shown",
    "auditlog.redacted": "removed (anonymisation or erasure)",
    "auditlog.unknown_user": "unknown user",
    "auditlog.count": {"one": "{n} entry", "other": "{n} entries"},
    "auditlog.count_more": "More than {n} entries; narrow them down with the filters.",
    "auditlog.page": "Page {page} of {pages}",
    "auditlog.prev": "Previous",
    "auditlog.next": "Next",
    "auditlog.none": "No entry matches.",
    "auditlog.download": "Download CSV",
    "auditlog.chain_ok": "The chain of entries is intact (entries: {n}; checked in {seconds} s).",
    "auditlog.chain_broken": "The chain of entries is broken.",
    "auditlog.chain_unchecked": "The audit trail has {n} entries; checking the chain takes a "
                                "few seconds.",
    "auditlog.chain_check": "Check the chain",
    "auditlog.break_changed": "Entry #{id} was changed after it was written.",
    "auditlog.break_deleted": "Entries #{first} to #{last} are missing (deleted from the log).",
    "auditlog.break_inserted": "Entry #{id} was not written by the workbench (inserted).",
    "auditlog.check_ok": "The audit trail in {path} is intact: the chain holds up to entry "
                         "#{id}. The newest entry and its hash (for --head at the next check):",
    "auditlog.check_empty": "The audit trail in {path} is empty.",
    "auditlog.check_broken": "The audit trail in {path} is broken:",
    "auditlog.bad_param": "The filter “{name}” has an invalid value (in its field or in the "
                          "page address), so it is not applied.",
    "auditlog.page_name": "page",
    "auditlog.bad_action": "The audit trail does not know this action.",
    "auditlog.period_invalid": "The period starts after it ends; it is not applied.",
    "auditlog.page_clamped": "There is no page {asked}; the last page ({page}) is shown.",
    "auditlog.field_created_by": "created by",
    "auditlog.field_created_at": "created at",
    "auditlog.field_updated_by": "changed by",
    "auditlog.field_days_per_week": "days a week",
    "auditlog.field_hours_per_day": "hours a day",
    "auditlog.field_area_code": "CSD area",
    "auditlog.field_type": "programme type",
    "auditlog.field_provider_id": "provider",
    "auditlog.field_updated_at": "changed at",
    "auditlog.field_participant_id": "person",
    "auditlog.field_file": "file",
    "auditlog.reason_wrong": "wrong username or password",
    "auditlog.reason_locked": "sign-in locked",
    "auditlog.reason_too_soon": "too soon after a failed sign-in (password not checked)",
    "auditlog.reason_sso": "single sign-on (the intranet's proxy)",
    "auditlog.reason_sso_unknown": "single sign-on: a name without an active account",
    "auditlog.reason_audit_csv": "audit trail download",
    "auditlog.reason_retention": "retention period over",
    "auditlog.reason_access_request": "access request",
    "auditlog.reason_verified": "copy verified",
    "auditlog.reason_restored": "restored from a copy",
    "auditlog.action_create": "created",
    "auditlog.action_update": "changed",
    "auditlog.action_delete": "deleted",
    "auditlog.action_open": "record opened",
    "auditlog.action_sign_in": "signed in",
    "auditlog.action_sign_in_failed": "failed sign-in",
    "auditlog.action_sign_out": "signed out",
    "auditlog.action_unlock": "unlocked",
    "auditlog.action_export": "export",
    "auditlog.action_anonymise": "anonymised",
    "auditlog.action_backup": "backup",
    "auditlog.action_restore": "restore",
    "auditlog.action_emso_elsewhere": "EMŠO of another area's person",
    "auditlog.table_participants": "people",
    "auditlog.table_contacts": "contacts",
    "auditlog.table_problem_scores": "problem scores",
    "auditlog.table_plan_goals": "plan goals",
    "auditlog.table_plan_steps": "plan steps",
    "auditlog.table_referrals_out": "referrals out",
    "auditlog.table_follow_ups": "follow-ups",
    "auditlog.table_tasks": "tasks",
    "auditlog.table_attendance": "attendance",
    "auditlog.table_sessions": "sessions",
    "auditlog.table_session_people": "session participants",
    "auditlog.table_enrolments": "enrolments",
    "auditlog.table_waiting_list": "waiting list",
    "auditlog.table_enrolment_terms": "earlier contract terms",
    "auditlog.table_stage_history": "stage history",
    "auditlog.table_programmes": "programmes",
    "auditlog.table_programme_modules": "programme modules",
    "auditlog.table_providers": "providers",
    "auditlog.table_month_locks": "locked months",
    "auditlog.table_users": "accounts",
    "auditlog.table_consents": "consents",
    "auditlog.table_audit_log": "audit trail",
    "auditlog.table_rules": "rules",
    "auditlog.table_database": "database",
    "auditlog.table_exports": "file export",
    "auditlog.reason_page": "download on a page",
    "auditlog.reason_command_line": "command line",
    "auditlog.export_chart": "chart",
    "auditlog.export_area": "area",
    "auditlog.export_year": "year",
    "auditlog.export_month": "month",
    "auditlog.export_programme": "programme",
    "auditlog.export_coordinator": "schedule of",
    "auditlog.export_start": "from",
    "auditlog.export_end": "to",
    "auditlog.export_people": "people",
    "auditlog.field_ema": "e-MA export (participants)",
    "auditlog.field_esf_csv": "ESF indicators (CSV)",
    "auditlog.field_payment_sheet": "programme payment sheet",
    "auditlog.field_payment_region": "region's payment sheets",
    "auditlog.field_attendance_sheet": "monthly attendance sheet",
    "auditlog.field_attendance_print": "monthly sheet for print",
    "auditlog.field_ics": "schedule (.ics)",
    "auditlog.field_chart_csv": "chart (CSV table)",
    "auditlog.field_chart_png": "chart (PNG picture)",
    "auditlog.field_chart_svg": "chart (SVG picture)",
}
