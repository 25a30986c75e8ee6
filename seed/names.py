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
