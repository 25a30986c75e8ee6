"""Names Faker does not have.

Faker's sq_AL locale has no person names, so the OrientAkcija cohort of
Albanian women in Jesenice draws from these common Albanian names (Kosovo
and North Macedonia, where most Albanians in Jesenice come from).
"""

ALBANIAN_FEMALE_GIVEN_NAMES = (
    "Arta", "Blerta", "Drita", "Elira", "Fatmire", "Flutura", "Gentiana", "Hana",
    "Jehona", "Kaltrina", "Liridona", "Merita", "Mimoza", "Njomza", "Qëndresa",
    "Shqipe", "Teuta", "Valbona", "Vjosa", "Zana", "Besa", "Lule", "Afërdita",
    "Mirlinda", "Donika", "Edona", "Fjolla", "Shpresa", "Hyrije", "Xhevahire",
    "Albulena", "Arbërie", "Drenusha", "Ganimete", "Leonora", "Lindita", "Nazmije",
    "Remzije", "Sabrije", "Vlora",
)

ALBANIAN_SURNAMES = (
    "Berisha", "Krasniqi", "Gashi", "Hoxha", "Shala", "Morina", "Kastrati", "Bytyqi",
    "Rexhepi", "Hasani", "Ahmeti", "Mustafa", "Zeqiri", "Kelmendi", "Sadiku",
    "Dervishi", "Osmani", "Musliu", "Avdiu", "Islami", "Limani", "Salihu", "Jashari",
    "Rama", "Sejdiu", "Thaçi", "Hyseni", "Halili", "Bajrami", "Kryeziu",
)

# Programme lines and providers for the synthetic region: invented names,
# apart from OrientAkcija, the DOMAIN.md example kept for the training story.
PROGRAMME_LINES = (
    ("Korak naprej", "Ljudska univerza"),
    ("Nova pot", "Zavod Vezi"),
    ("Moj ritem", "Društvo Most"),
    ("Ustvarjalni vrt", "Zavod Zeleni prag"),
    ("Skupaj zmoremo", "Društvo Sopotniki na poti"),
    ("Prava smer", "Zavod Kompas"),
    ("Digitalni most", "Zavod Bit po bit"),
    ("Iz kroga", "Društvo Svetilnik"),
)
ORIENTAKCIJA = ("OrientAkcija", "UP Jesenice in Zavod Tri")

# Referral and workplace names used in texts.
INSTITUTIONS = {
    "csd": "CSD",
    "zrsz": "ZRSZ, Območna služba",
    "ngo": "nevladna organizacija",
    "health_centre": "zdravstveni dom",
    "self": "",
}

# Everyday tasks a coordinator writes down for an open case.
TASK_TITLES = (
    "Poklicati glede prvega razgovora",
    "Pridobiti potrdilo ZRSZ",
    "Dogovor z izvajalcem o vključitvi",
    "Preveriti veljavnost osebnih dokumentov",
    "Pomoč pri vlogi za denarno socialno pomoč",
    "Poslati pogodbo o vključitvi v podpis",
    "Uskladiti termin s tolmačem",
    "Obisk na domu",
)

# What a coordinator writes after a contact, by the stage the contact belongs to.
CONTACT_NOTES = {
    "referred": ("Prvi telefonski stik, dogovor za razgovor.",
                 "Napotitev prejeta, poklicala sem gospo in predstavila program."),
    "first_interview": ("Prvi razgovor: predstavitev programa in pregled težav.",
                        "Razgovor v pisarni, oseba je zainteresirana za vključitev."),
    "motivation": ("Motivacijski razgovor, skupaj sva pregledala možne programe.",
                   "Obisk na domu; oseba skrbi za otroke, iščeva primeren urnik.",
                   "Srečanje na mobilni enoti, dogovor o naslednjem koraku."),
    "contract": ("Podpis pogodbe o vključitvi.", "Pregled pogodbe in urnika programa."),
    "in_programme": ("Preverila prisotnost pri izvajalcu, oseba redno prihaja.",
                     "Telefonski pogovor o napredku v programu."),
    "exited": ("Zaključni razgovor ob izstopu iz programa.",),
    "follow_up_4w": ("Spremljanje po 4 tednih: stanje po izstopu.",),
    "follow_up_6m": ("Spremljanje po 6 mesecih: stanje po izstopu.",),
    "closed": ("Primer zaključen pred vključitvijo.",),
}
CONTACT_KIND_BY_STAGE = {
    "referred": ("phone",), "first_interview": ("office", "office", "mobile_unit"),
    "motivation": ("office", "home_visit", "mobile_unit", "phone"), "contract": ("office",),
    "in_programme": ("phone", "other"), "exited": ("office",),
    "follow_up_4w": ("phone",), "follow_up_6m": ("phone", "home_visit"), "closed": ("phone",),
}
NEXT_STEPS = ("Dogovor za naslednji razgovor", "Poslati seznam programov", "Poklicati čez teden",
              "", "")

# Goals of an individual activation plan, each with its steps.
PLAN_GOALS = (
    ("Vzpostaviti dnevno rutino", ("Redno vstajanje in prihod v program",
                                   "Tedenski načrt dejavnosti")),
    ("Izboljšati znanje slovenščine", ("Vpis v tečaj slovenščine", "Vaja pogovora v skupini")),
    ("Urediti dolgove", ("Srečanje z dolžniškim svetovalcem", "Načrt obročnega odplačila")),
    ("Pridobiti digitalne veščine", ("Odprtje e-poštnega naslova", "Izpolnitev e-vloge")),
    ("Pripraviti se na iskanje zaposlitve", ("Priprava življenjepisa",
                                             "Prijava na dve prosti delovni mesti")),
    ("Skrb za zdravje", ("Obisk osebnega zdravnika", "Vključitev v skupino za podporo")),
)

# Institutions a coordinator refers people on to, and what she asks them for.
REFERRALS_OUT = (
    ("Center za duševno zdravje, ZD Kranj", "Ocena in podpora pri duševnem zdravju"),
    ("Zavod RS za zaposlovanje, OS Kranj", "Vključitev v program aktivne politike zaposlovanja"),
    ("Dolžniško svetovanje, Društvo Ključ", "Pomoč pri urejanju dolgov"),
    ("Ljudska univerza Kranj", "Tečaj slovenščine"),
    ("Center za preprečevanje odvisnosti", "Obravnava odvisnosti"),
    ("Stanovanjski sklad občine", "Pomoč pri urejanju stanovanja"),
)

# Where programmes meet, and the providers' contact people (fictitious).
PROGRAMME_VENUES = ("učilnica ljudske univerze", "prostori zavoda", "dnevni center",
                    "večnamenski prostor krajevne skupnosti", "učni vrt in delavnica")
CONTACT_GIVEN = ("Mojca", "Nina", "Barbara", "Tomaž", "Katja", "Urška", "Gregor", "Irena")
CONTACT_SURNAMES = ("Bizjak", "Kovač", "Oblak", "Mrak", "Rozman", "Zajc", "Lesjak", "Vidmar")
VISIT_NOTE = "Pogovor ob obisku mobilne enote"
VISIT_PLACES = ("krajevna skupnost", "gasilski dom", "trg pred občino", "knjižnica",
                "zdravstvena postaja")
