"""Municipalities of the other 15 CSD areas, for the national training scale only.

Each area gets one synthetic unit at its seat and a handful of its larger
municipalities (name, approximate population); Gorenjska's full reference
data comes from the migrations.
"""

AREA_MUNICIPALITIES = {
    "pomurje": ("Murska Sobota", [("Murska Sobota", 18500), ("Lendava", 10500),
                                  ("Ljutomer", 11300), ("Gornja Radgona", 8400)]),
    "maribor": ("Maribor", [("Maribor", 112000), ("Ruše", 7200), ("Pesnica", 7500),
                            ("Slovenska Bistrica", 26000)]),
    "spodnje_podravje": ("Ptuj", [("Ptuj", 23500), ("Ormož", 11700), ("Kidričevo", 6500)]),
    "koroska": ("Slovenj Gradec", [("Slovenj Gradec", 16800), ("Ravne na Koroškem", 11300),
                                   ("Dravograd", 9000), ("Radlje ob Dravi", 6200)]),
    "celje": ("Celje", [("Celje", 49000), ("Žalec", 21400), ("Laško", 13100),
                        ("Šentjur", 19200)]),
    "savinjsko_salesko": ("Velenje", [("Velenje", 33500), ("Šoštanj", 8700),
                                      ("Mozirje", 4100)]),
    "zasavje": ("Trbovlje", [("Trbovlje", 16200), ("Zagorje ob Savi", 16400),
                             ("Hrastnik", 9100)]),
    "posavje": ("Krško", [("Krško", 26000), ("Brežice", 24500), ("Sevnica", 17500)]),
    "dolenjska": ("Novo mesto", [("Novo mesto", 37500), ("Črnomelj", 14300),
                                 ("Trebnje", 13300), ("Metlika", 8400)]),
    "primorsko_notranjska": ("Postojna", [("Postojna", 17000), ("Ilirska Bistrica", 13300),
                                          ("Cerknica", 11600)]),
    "ljubljana": ("Ljubljana", [("Ljubljana", 295000)]),
    "os_vzhod": ("Litija", [("Litija", 15500), ("Grosuplje", 21500), ("Domžale", 36500),
                            ("Kamnik", 30000)]),
    "os_zahod": ("Vrhnika", [("Vrhnika", 17900), ("Logatec", 14500), ("Medvode", 16800)]),
    "severna_primorska": ("Nova Gorica", [("Nova Gorica", 31800), ("Tolmin", 10900),
                                          ("Idrija", 11700), ("Ajdovščina", 19500)]),
    "juzna_primorska": ("Koper", [("Koper", 53000), ("Izola", 16500), ("Piran", 18000),
                                  ("Sežana", 13700)]),
}
