"""Reference data of the region: statistical regions, CSD areas, Gorenjska.

Frozen here as the first migration inserts it; later corrections go in new
migrations so that every database tells the same story.
"""

# NUTS-3 statistical regions (2013 codes) and their cohesion region.
REGIONS = (
    ("SI011", "Pomurska", "KRVS"), ("SI012", "Podravska", "KRVS"),
    ("SI013", "Koroška", "KRVS"), ("SI014", "Savinjska", "KRVS"),
    ("SI015", "Zasavska", "KRVS"), ("SI016", "Posavska", "KRVS"),
    ("SI017", "Jugovzhodna Slovenija", "KRVS"), ("SI018", "Primorsko-notranjska", "KRVS"),
    ("SI021", "Osrednjeslovenska", "KRZS"), ("SI022", "Gorenjska", "KRZS"),
    ("SI023", "Goriška", "KRZS"), ("SI024", "Obalno-kraška", "KRZS"),
)

# The 16 centres for social work, one regional mobile unit each.
CSD_AREAS = (
    ("pomurje", "CSD Pomurje", "SI011"),
    ("maribor", "CSD Maribor", "SI012"),
    ("spodnje_podravje", "CSD Spodnje Podravje", "SI012"),
    ("koroska", "CSD Koroška", "SI013"),
    ("celje", "CSD Celje", "SI014"),
    ("savinjsko_salesko", "CSD Savinjsko-Šaleška", "SI014"),
    ("zasavje", "CSD Zasavje", "SI015"),
    ("posavje", "CSD Posavje", "SI016"),
    ("dolenjska", "CSD Dolenjska in Bela krajina", "SI017"),
    ("primorsko_notranjska", "CSD Primorsko-notranjska", "SI018"),
    ("ljubljana", "CSD Ljubljana", "SI021"),
    ("os_vzhod", "CSD Osrednja Slovenija - vzhod", "SI021"),
    ("os_zahod", "CSD Osrednja Slovenija - zahod", "SI021"),
    ("gorenjska", "CSD Gorenjska", "SI022"),
    ("severna_primorska", "CSD Severna Primorska", "SI023"),
    ("juzna_primorska", "CSD Južna Primorska", "SI024"),
)

# CSD Gorenjska's five units.
GORENJSKA_UNITS = (
    ("jesenice", "CSD Gorenjska, enota Jesenice"),
    ("radovljica", "CSD Gorenjska, enota Radovljica"),
    ("kranj", "CSD Gorenjska, enota Kranj"),
    ("skofja_loka", "CSD Gorenjska, enota Škofja Loka"),
    ("trzic", "CSD Gorenjska, enota Tržič"),
)

# (name, CSD unit, postcode, post office, approximate population, rural)
GORENJSKA_MUNICIPALITIES = (
    ("Jesenice", "jesenice", "4270", "Jesenice", 21600, False),
    ("Kranjska Gora", "jesenice", "4280", "Kranjska Gora", 5300, True),
    ("Žirovnica", "jesenice", "4274", "Žirovnica", 4500, True),
    ("Radovljica", "radovljica", "4240", "Radovljica", 19000, False),
    ("Bled", "radovljica", "4260", "Bled", 8000, False),
    ("Bohinj", "radovljica", "4264", "Bohinjska Bistrica", 5200, True),
    ("Gorje", "radovljica", "4247", "Zgornje Gorje", 2900, True),
    ("Kranj", "kranj", "4000", "Kranj", 57000, False),
    ("Cerklje na Gorenjskem", "kranj", "4207", "Cerklje na Gorenjskem", 7900, True),
    ("Jezersko", "kranj", "4206", "Zgornje Jezersko", 650, True),
    ("Naklo", "kranj", "4202", "Naklo", 5600, True),
    ("Preddvor", "kranj", "4205", "Preddvor", 3800, True),
    ("Šenčur", "kranj", "4208", "Šenčur", 9000, True),
    ("Škofja Loka", "skofja_loka", "4220", "Škofja Loka", 23600, False),
    ("Gorenja vas - Poljane", "skofja_loka", "4224", "Gorenja vas", 7700, True),
    ("Železniki", "skofja_loka", "4228", "Železniki", 6700, True),
    ("Žiri", "skofja_loka", "4226", "Žiri", 4900, True),
    ("Tržič", "trzic", "4290", "Tržič", 15000, False),
)

# Rules that change by decree, as dated values (DOMAIN.md).
RULES = (
    ("allowance_hourly_eur", 0.80, "2017-01-01", "Nagrada na uro prisotnosti"),
    ("allowance_hourly_eur", 1.00, "2023-01-01", "Pravilnik 2023: uro dejanske prisotnosti"),
    ("meal_allowance_eur", 3.70, "2017-01-01", "Prehrana na dan ob vsaj 4 urah"),
    ("meal_allowance_eur", 0.0, "2023-01-01", "Pravilnik 2023: samo urna nagrada"),
    ("meal_min_hours", 4, "2017-01-01", "Najmanj ur za prehrano"),
    ("travel_eur_per_km", 0.13, "2017-01-01", "Prevoz na km"),
    ("travel_eur_per_km", 0.0, "2023-01-01", "Pravilnik 2023: samo urna nagrada"),
    ("travel_min_km", 1, "2017-01-01", "Najmanjša razdalja za povračilo prevoza"),
    ("long_programme_max_age", 49, "2017-01-01", "Dolgi program: starost do 49 let"),
    ("long_programme_min_dsp_payments", 12, "2017-01-01", "DSP vsaj 12-krat ..."),
    ("long_programme_dsp_window_months", 24, "2017-01-01", "... v zadnjih 24 mesecih"),
    ("min_age", 15, "2017-01-01", "Najnižja starost udeleženca"),
    ("group_size", 15, "2017-01-01", "Običajna velikost skupine"),
    ("follow_up_short_days", 28, "2017-01-01", "Spremljanje 4 tedne po izstopu"),
    ("follow_up_long_days", 182, "2017-01-01", "Spremljanje 6 mesecev po izstopu"),
)

# Rules added by migration 0008: scheduling, attendance, allowances, small counts.
RULES_0008 = (
    ("travel_ticket_refund", 1, "2017-01-01", "Povračilo najcenejše javne vozovnice (1 = da)"),
    ("travel_ticket_refund", 0, "2023-01-01", "Pravilnik 2023: samo urna nagrada"),
    ("long_programme_hours", 1330, "2017-01-01", "Dolgi program: okoli 1.330 ur"),
    ("programme_hours_tolerance", 0.1, "2017-01-01", "Dovoljeno odstopanje ur od načrta"),
    ("attendance_warning_ratio", 0.6, "2017-01-01",
     "Opozorilo: prisotnost v zadnjih 4 tednih pod tem deležem"),
    ("waiting_offer_days", 7, "2017-01-01", "Rok za ponudbo prostega mesta"),
    ("small_count_threshold", 5, "2017-01-01",
     "Manjša števila v razčlenitvah se za zbirne preglede prikažejo kot <5"),
)

# Rules added by migration 0009: the inclusion targets, each dated by the day it is due.
# National: DOMAIN.md (5,200 in 2017-2018, 12,500 by 2022). A region's target is a setting
# of its own (``inclusion_target_<area>``); Gorenjska's is an example to be replaced.
RULES_0009 = (
    ("inclusion_target_national", 5200, "2018-12-31", "Vključenih do konca leta 2018"),
    ("inclusion_target_national", 12500, "2022-12-31", "Vključenih do konca leta 2022"),
    ("inclusion_target_gorenjska", 300, "2026-12-31",
     "Regijski cilj (nastavitev): vključenih do konca leta 2026"),
    ("inclusion_target_gorenjska", 450, "2027-12-31",
     "Regijski cilj (nastavitev): vključenih do konca leta 2027"),
)

# Retention of case records (workbench.protection.retention): a setting of the data
# controller, dated like every rule, so that a change of policy applies from its day.
RULES_0012 = (
    ("retention_years_after_exit", 10, "2016-01-01",
     "Hramba (nastavitev): let po izstopu iz programa, nato anonimizacija"),
    ("retention_years_after_closure", 1, "2016-01-01",
     "Hramba (nastavitev): let po zaključku pred vključitvijo, nato anonimizacija"),
)

# Rules added by migration 0014: each follow-up may be recorded from this many days before it
# is due (workbench.pipeline: the window opens at its interval after the exit less these days;
# the ESF results count only follow-ups observed inside their window).
RULES_0014 = (
    ("follow_up_short_early_days", 7, "2017-01-01",
     "Spremljanje 4 tedne po izstopu: najprej toliko dni pred rokom"),
    ("follow_up_long_early_days", 30, "2017-01-01",
     "Spremljanje 6 mesecev po izstopu: najprej toliko dni pred rokom"),
)
