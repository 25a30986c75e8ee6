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
}
