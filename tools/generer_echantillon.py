#!/usr/bin/env python3
"""Génère les exports d'exemple de inputs/ (Hauts-de-Seine, 2019T4 à 2020T4).

Les effectifs par QPV, par commune et par EPT sont INVENTÉS : seuls les
totaux publiés dans le diaporama du Conseil territorial du 27 avril 2021
(demande d'emploi du 92, en QPV, jeunes, seniors, DELD, évolutions, part des
3 premiers QPV, infra-bac, sans diplôme) sont reproduits exactement.
Les codes QPV sont illustratifs (génération 2015, format QP092xxx).

Usage : python3 tools/generer_echantillon.py inputs/
Le script est déterministe : le relancer redonne les mêmes fichiers.
"""
import sys
from pathlib import Path

PERIODES = ["2019T4", "2020T1", "2020T2", "2020T3", "2020T4"]

# code, nom, communes [(code, nom)], EPT, population, DE ABC 2020T4 (inventé)
QPV = [
    ("QP092001", "Hauts-d'Asnières", [("92004", "Asnières-sur-Seine")], "T5", 6200, 880),
    ("QP092002", "Bac d'Asnières - Beaujon", [("92024", "Clichy")], "T5", 3900, 540),
    ("QP092003", "Entrée de ville", [("92024", "Clichy")], "T5", 2800, 390),
    ("QP092004", "Petit Colombes", [("92025", "Colombes")], "T5", 6900, 880),
    ("QP092005", "Fossés Jean - Bouviers", [("92025", "Colombes")], "T5", 7400, 900),
    ("QP092006", "Les Musiciens", [("92036", "Gennevilliers")], "T5", 2600, 370),
    ("QP092007", "Les Agnettes", [("92004", "Asnières-sur-Seine"), ("92036", "Gennevilliers")], "T5", 8300, 1290),
    ("QP092008", "Grésillons Voltaire I - Gabriel Péri", [("92036", "Gennevilliers")], "T5", 3400, 430),
    ("QP092009", "Grésillons Voltaire II - Gabriel Péri", [("92036", "Gennevilliers")], "T5", 2900, 360),
    ("QP092010", "Les Courtilles", [("92004", "Asnières-sur-Seine"), ("92036", "Gennevilliers"), ("92078", "Villeneuve-la-Garenne")], "T5", 5800, 740),
    ("QP092011", "Aire 2029", [("92078", "Villeneuve-la-Garenne")], "T5", 9500, 1500),
    ("QP092012", "Université I", [("92050", "Nanterre")], "T4", 3100, 420),
    ("QP092013", "Université II", [("92050", "Nanterre")], "T4", 2700, 350),
    ("QP092014", "Chemin de l'Île", [("92050", "Nanterre")], "T4", 4100, 520),
    ("QP092015", "Petit Nanterre", [("92050", "Nanterre")], "T4", 5600, 670),
    ("QP092016", "Le Parc", [("92050", "Nanterre")], "T4", 9800, 1840),
    ("QP092017", "Noyer Doré", [("92002", "Antony")], "T2", 4900, 600),
    ("QP092018", "Abbé Grégoire - Mirabeau", [("92007", "Bagneux")], "T2", 3300, 410),
    ("QP092019", "Tertres - Cuverons", [("92007", "Bagneux")], "T2", 3000, 380),
    ("QP092020", "Cité des Musiciens", [("92007", "Bagneux")], "T2", 2200, 290),
    ("QP092021", "Cité Jardins", [("92019", "Châtenay-Malabry")], "T2", 4600, 250),
]
EPT = {
    "T2": ("Vallée Sud - Grand Paris", [24310, 24120, 26580, 26910, 26640]),
    "T4": ("Paris Ouest La Défense", [30820, 30600, 33480, 33910, 33620]),
    "T5": ("Boucle Nord de Seine", [27450, 27260, 29830, 30180, 29950]),
}
# Part of each multi-commune QPV living in each commune.
PARTS = {"QP092007": [0.35, 0.65], "QP092010": [0.2, 0.45, 0.35]}
# Les Agnettes come as whole rows and parts; Les Courtilles as parts only.
WHOLE_ROWS_TOO = {"QP092007"}

# Totals over all QPV, per period (2019T4 and 2020T4 reproduce the deck).
QPV_TOTAL = {
    "de_abc": [13589, 13420, 14380, 14150, 14010],
    "de_abc_moins_26": [1543, 1520, 1790, 1760, 1721],
    "de_abc_50_plus": [4083, 4050, 4190, 4160, 4132],
    "de_abc_longue_duree": [6794, 6830, 6960, 7210, 7426],
    "de_abc_infra_bac": [6950, 6870, 7300, 7190, 7117],
    "de_abc_sans_diplome": [3010, 2980, 3140, 3100, 3082],
}
DEP = {
    "de_abc": [116630, 115900, 126800, 128300, 127479],
    "de_abc_moins_26": [13420, 13200, 16100, 15800, 15310],
    "de_abc_50_plus": [31500, 31300, 33400, 34100, 34260],
    "de_abc_longue_duree": [52900, 53400, 55100, 58300, 61040],
    "de_abc_infra_bac": [34700, 34300, 37400, 37800, 37606],
    "de_abc_sans_diplome": [14300, 14100, 15300, 15450, 15297],
}
# Whole-commune DE ABC in 2020T4 (invented); other quarters follow the département.
COMMUNES = {
    "92002": ("Antony", 3900), "92004": ("Asnières-sur-Seine", 5900),
    "92007": ("Bagneux", 3300), "92019": ("Châtenay-Malabry", 2400),
    "92024": ("Clichy", 4600), "92025": ("Colombes", 6700),
    "92036": ("Gennevilliers", 4900), "92050": ("Nanterre", 7800),
    "92078": ("Villeneuve-la-Garenne", 2600),
}
PUBLICS = list(QPV_TOTAL)
# Share of each public in a QPV varies a little around the total's share, so
# that QPV do not all look alike; the exact total is restored afterwards.
TILT = [1.00, 0.92, 1.06, 0.97, 1.04, 0.95, 1.08, 0.99, 1.02, 0.94, 1.07,
        0.96, 1.03, 0.98, 1.05, 1.01, 0.93, 1.06, 0.97, 1.04, 0.99]


def apportion(total, weights):
    """Integers proportional to weights, summing exactly to total (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def ecrire(out, nom, lignes):
    """Writes the rows `lignes` (header first) as `out/nom`, UTF-8, one per line."""
    (out / nom).write_text("\n".join(lignes) + "\n", encoding="utf-8")


def main(out):
    out = Path(out)
    # Per-QPV DE ABC per period: the 2020T4 profile, scaled to each period's total.
    base = [q[5] for q in QPV]
    fig = {}  # (public, period index) -> list per QPV
    for p, _ in enumerate(PERIODES):
        de = apportion(QPV_TOTAL["de_abc"][p], [b * (1 + 0.004 * ((i * 7 + p * 3) % 5 - 2)) for i, b in enumerate(base)]) \
            if p != 4 else base
        assert sum(de) == QPV_TOTAL["de_abc"][p]
        fig[("de_abc", p)] = de
        for pub in PUBLICS[1:]:
            tilt = TILT if pub != "de_abc_50_plus" else list(reversed(TILT))
            fig[(pub, p)] = apportion(QPV_TOTAL[pub][p], [d * t for d, t in zip(de, tilt)])

    ref = ["code_qpv;nom_qpv;code_commune;nom_commune;code_ept;nom_ept;population"]
    for code, nom, communes, ept, pop, _ in QPV:
        if code in WHOLE_ROWS_TOO:  # ANCT style: one row, several communes in one cell
            ref.append(f'{code};{nom};"{"; ".join(c for c, _ in communes)}";"{"; ".join(n for _, n in communes)}";{ept};{EPT[ept][0]};{pop}')
        else:
            for c, n in communes:
                ref.append(f"{code};{nom};{c};{n};{ept};{EPT[ept][0]};{pop}")
    ecrire(out, "referentiel_qpv_2015.csv", ref)

    head = "Période;Niveau;Code;Libellé;Code commune;DE ABC;DE ABC moins 26;DE ABC 50 plus;DE ABC longue durée;DE ABC infra-bac;DE ABC sans diplôme"
    rows = [head]
    for p, per in enumerate(PERIODES):
        # What each QPV puts in each of its communes and in its EPT.
        qpv_rows, in_commune, in_ept = [], {}, {}
        for i, (code, nom, communes, ept, _, _) in enumerate(QPV):
            vals = [fig[(k, p)][i] for k in PUBLICS]
            if len(communes) == 1 or code in WHOLE_ROWS_TOO:
                qpv_rows.append(";".join([per, "qpv", code, nom, ""] + [str(v) for v in vals]))
            parts = [apportion(v, PARTS[code]) for v in vals] if len(communes) > 1 else [[v] for v in vals]
            for j, (c, _) in enumerate(communes):
                if len(communes) > 1:
                    qpv_rows.append(";".join([per, "qpv", code, nom, c] + [str(pt[j]) for pt in parts]))
                acc = in_commune.setdefault(c, [0] * len(PUBLICS))
                for k in range(len(PUBLICS)):
                    acc[k] += parts[k][j]
            acc = in_ept.setdefault(ept, [0] * len(PUBLICS))
            for k in range(len(PUBLICS)):
                acc[k] += vals[k]

        # Outside QPV, each public keeps its département-wide share outside QPV,
        # so that a territory's publics always hold its QPV's.
        hors = [(DEP[k][p] - QPV_TOTAL[k][p]) / (DEP["de_abc"][p] - QPV_TOTAL["de_abc"][p]) for k in PUBLICS]

        def territory(de, qpv):
            return [de] + [qpv[k] + round((de - qpv[0]) * hors[k]) for k in range(1, len(PUBLICS))]

        rows.append(";".join([per, "departement", "92", "Hauts-de-Seine", ""] + [str(DEP[k][p]) for k in PUBLICS]))
        for ept, (nom, de) in EPT.items():
            rows.append(";".join([per, "ept", ept, nom, ""] + [str(v) for v in territory(de[p], in_ept[ept])]))
        for c, (nom, de4) in COMMUNES.items():
            de = round(de4 * DEP["de_abc"][p] / DEP["de_abc"][4])
            rows.append(";".join([per, "commune", c, nom, ""] + [str(v) for v in territory(de, in_commune[c])]))
        rows.append(";".join([per, "ensemble_qpv", "92", "Ensemble des QPV des Hauts-de-Seine", ""] + [str(QPV_TOTAL[k][p]) for k in PUBLICS]))
        rows.extend(qpv_rows)
    ecrire(out, "demandeurs_emploi_2019T4-2020T4.csv", rows)

    # Check the published figures, as the program will compute them.
    t, y = 4, 0
    top = sorted(base, reverse=True)[:3]
    print("top3", top, round(100 * sum(top) / QPV_TOTAL["de_abc"][t], 2))
    for k in PUBLICS:
        print(k, QPV_TOTAL[k][t], "evol %.2f" % (100 * (QPV_TOTAL[k][t] / QPV_TOTAL[k][y] - 1)),
              "part %.2f" % (100 * QPV_TOTAL[k][t] / QPV_TOTAL["de_abc"][t]),
              "dep %.2f" % (100 * DEP[k][t] / DEP["de_abc"][t]), "dep evol %.2f" % (100 * (DEP[k][t] / DEP[k][y] - 1)))
    print("population", sum(q[4] for q in QPV))


STRUCTURES = [("ML92001", "Mission locale Boucle Nord (exemple)"), ("ML92002", "Mission locale Paris Ouest (exemple)"),
              ("ML92003", "Mission locale Vallée Sud (exemple)"), ("ML92004", "Mission locale Seine Ouest (exemple)")]
# Per structure: jeunes, jeunes QPV, GJ, GJ QPV, PACEA (QPV not available), by year.
ML = {
    2019: [(4330, 1080, 320, 84, 1370), (3940, 800, 290, 63, 1250), (3530, 590, 240, 44, 1110), (2680, 170, 162, 14, 880)],
    2020: [(4520, 1110, 260, 70, 1480), (4110, 820, 230, 52, 1350), (3690, 610, 205, 40, 1210), (2819, 185, 138, 14, 956)],
}


def missions_locales(out):
    lignes = ["annee;code_structure;nom_structure;jeunes_accompagnes;jeunes_accompagnes_qpv;entrees_gj;entrees_gj_qpv;"
              "entrees_pacea;entrees_pacea_qpv;entrees_cej;entrees_cej_qpv"]
    for annee, valeurs in ML.items():
        for (code, nom), (j, jq, gj, gjq, pacea) in zip(STRUCTURES, valeurs):
            # QPV entries into PACEA are not available; the CEJ starts in 2022.
            lignes.append(f"{annee};{code};{nom};{j};{jq};{gj};{gjq};{pacea};nd;///;///")
    ecrire(out, "missions_locales_2019-2020.csv", lignes)
    (out / "objectifs_2020-2021.csv").write_text(
        "annee;dispositif;objectif\n2020;Garantie jeunes;1 100\n2020;PACEA;5 000\n2021;Garantie jeunes;2 026\n2021;PACEA;5 733\n",
        encoding="utf-8")
    t = [sum(v[i] for v in ML[2020]) for i in range(5)]
    print("missions locales 2020", t, "QPV %.1f %%" % (100 * t[1] / t[0]), "GJ QPV %.2f %%" % (100 * t[3] / t[2]))


# dispositif, vague, porteur, intitulé, commune, QPV, localisation, montant, statut
DOSSIERS = [
    ("DSIL relance", "1", "Ville de Nanterre", "Centre de santé", "92050", "QP092016", "", "1 400 000,00", "Retenu"),
    ("DSIL relance", "1", "Ville de Bagneux", "Voie douce", "92007", "QP092019", "", "800 000,00", "Retenu"),
    ("DSIL relance", "1", "Ville de Sceaux (exemple)", "Rénovation d'une école", "92071", "", "", "350 000,00", "Retenu"),
    ("DSIL relance", "1", "Ville de Rueil-Malmaison (exemple)", "Piste cyclable", "92063", "", "", "250 000,00", "Retenu"),
    ("DSIL relance", "2", "Ville de Colombes (exemple)", "Gymnase", "92025", "", "hors_qpv", "1 500 000,00", "En instruction"),
    ("DSIL relance", "2", "Ville de Clamart (exemple)", "Médiathèque", "92023", "", "hors_qpv", "1 100 000,00", "En instruction"),
    ("DSIL relance", "2", "Ville de Gennevilliers (exemple)", "Maison de quartier", "92036", "QP092007", "qpv", "500 000,00", "Arbitrage en cours"),
    ("DSIL rénovation thermique", "", "Ville de Boulogne-Billancourt (exemple)", "Isolation d'un groupe scolaire", "92012", "", "", "2 600 000 €", "En instruction"),
    ("DSIL rénovation thermique", "", "Ville d'Issy-les-Moulineaux (exemple)", "Chaufferie", "92040", "", "", "1 900 000 €", "En instruction"),
    ("DSIL rénovation thermique", "", "Ville d'Antony (exemple)", "Isolation de l'hôtel de ville", "92002", "", "", "1 700 000 €", "En instruction"),
    ("DSIL rénovation thermique", "", "Ville de Villeneuve-la-Garenne (exemple)", "Rénovation d'une école", "92078", "QP092011", "qpv", "1 300 000 €", "Arbitrage en cours"),
    ("DSID rénovation thermique", "", "Département des Hauts-de-Seine", "Rénovation du collège Anne Frank", "92002", "QP092017", "proximite_qpv", "1 200 000,00", "En instruction"),
    ("Fonds friches", "", "Ville de Villeneuve-la-Garenne", "Aménagement Gallieni-Sud (2,1 ha)", "92078", "QP092011", "qpv", "500 000,00", "Retenu"),
    ("Fonds friches", "", "Ville de Villeneuve-la-Garenne", "Requalification du centre-ville (0,4 ha)", "92078", "QP092011", "proximite_qpv", "45 000,00", "Retenu"),
    ("Fonds friches", "", "Ville de Nanterre", "Résorption de l'habitat insalubre (1,1 ha)", "92050", "", "proximite_qpv", "50 000,00", "Retenu"),
    ("Plan de soutien aux associations", "1", "Association E.N.S.E.M.B.L.E.", "Lutte contre la fracture numérique scolaire", "92025", "QP092004", "qpv", "112 000,00", "Retenu"),
    ("Plan de soutien aux associations", "1", "NAJMA", "Aide alimentaire et application numérique", "92004", "", "", "135 000,00", "Retenu"),
    ("Plan de soutien aux associations", "1", "Croix-Rouge française", "Croix-Rouge au coin de la rue", "", "", "hors_qpv", "350 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Elie Bleu", "", "92036", "QP092009", "proximite_qpv", "1 200 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Galvanoplast Paris", "", "92078", "QP092011", "proximite_qpv", "800 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Mersen France Gennevilliers SAS", "", "92036", "QP092007", "proximite_qpv", "2 400 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "SECAN", "", "92036", "QP092008", "proximite_qpv", "3 100 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Sequans Communications SA", "", "92025", "QP092004", "proximite_qpv", "2 900 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Fransor Industrie", "", "92025", "QP092005", "proximite_qpv", "600 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Tricycle Environnement", "", "92036", "QP092009", "proximite_qpv", "450 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Entreprise A (exemple)", "", "92050", "", "hors_qpv", "2 000 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Entreprise B (exemple)", "", "92024", "", "hors_qpv", "1 500 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Entreprise C (exemple)", "", "92002", "", "hors_qpv", "1 250 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Entreprise D (exemple)", "", "92012", "", "hors_qpv", "3 000 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Entreprise E (exemple)", "", "92063", "", "hors_qpv", "2 200 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Entreprise F (exemple)", "", "92048", "", "hors_qpv", "1 800 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Entreprise G (exemple)", "", "92026", "", "hors_qpv", "1 500 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Entreprise H (exemple)", "", "92073", "", "hors_qpv", "1 000 000,00", "Retenu"),
    ("Soutien à l'industrie", "", "Entreprise I (exemple)", "", "92020", "", "hors_qpv", "800 000,00", "Retenu"),
]


# The industry call's 37 projects not retained (the deck: 53 filed, 16
# retained), invented: nothing granted.
COMMUNES_NON_RETENUS = ["92050", "92036", "92025", "92012", "92063", "92040", "92062", "92026", "92048", "92073"]
DOSSIERS += [
    ("Soutien à l'industrie", "", f"Entreprise non retenue {chr(65 + i // 26)}{chr(65 + i % 26)} (exemple)", "",
     COMMUNES_NON_RETENUS[i % len(COMMUNES_NON_RETENUS)], "", "hors_qpv", "0,00", "Refusé")
    for i in range(1, 38)
]


# The optional columns (amount requested, nature, quantity and unit, total
# cost): the NPNRU's ANRU support of the deck (220,3 M€ = 142,3 M€ of grants
# + 78 M€ of loans, for 840 M€ of investment; the split between projects
# is invented) and the rehabilitation of social housing (355 homes
# retained in the first programming, 1 683 reported for the second).
# dispositif, vague, porteur, intitulé, commune, QPV, localisation,
# montant, statut, date, montant demandé, nature, quantité, unité, coût total
DOSSIERS_DETAILLES = [
    ("NPNRU (concours de l'ANRU)", "", "Ville de Nanterre", "Renouvellement urbain du Parc Sud", "92050", "QP092016", "qpv", "50 000 000,00", "Retenu", "", "", "subvention", "", "", "300 000 000,00"),
    ("NPNRU (concours de l'ANRU)", "", "Ville de Nanterre", "Renouvellement urbain du Parc Sud", "92050", "QP092016", "qpv", "30 000 000,00", "Retenu", "", "", "prêt", "", "", ""),
    ("NPNRU (concours de l'ANRU)", "", "Ville de Gennevilliers", "Renouvellement urbain des Agnettes", "92036", "QP092007", "qpv", "40 000 000,00", "Retenu", "", "", "subvention", "", "", "250 000 000,00"),
    ("NPNRU (concours de l'ANRU)", "", "Ville de Gennevilliers", "Renouvellement urbain des Agnettes", "92036", "QP092007", "qpv", "20 000 000,00", "Retenu", "", "", "prêt", "", "", ""),
    ("NPNRU (concours de l'ANRU)", "", "Ville de Bagneux (exemple)", "Renouvellement urbain (exemple)", "92007", "QP092019", "qpv", "30 000 000,00", "Retenu", "", "", "subvention", "", "", "170 000 000,00"),
    ("NPNRU (concours de l'ANRU)", "", "Ville de Bagneux (exemple)", "Renouvellement urbain (exemple)", "92007", "QP092019", "qpv", "15 000 000,00", "Retenu", "", "", "prêt", "", "", ""),
    ("NPNRU (concours de l'ANRU)", "", "Ville de Clichy (exemple)", "Renouvellement urbain (exemple)", "92024", "QP092002", "qpv", "22 300 000,00", "Retenu", "", "", "subvention", "", "", "120 000 000,00"),
    ("NPNRU (concours de l'ANRU)", "", "Ville de Clichy (exemple)", "Renouvellement urbain (exemple)", "92024", "QP092002", "qpv", "13 000 000,00", "Retenu", "", "", "prêt", "", "", ""),
    ("Réhabilitation des logements sociaux", "1", "Bailleurs sociaux", "1re programmation 2021", "", "", "hors_qpv", "nd", "Retenu", "", "", "", "355", "logements", ""),
    ("Réhabilitation des logements sociaux", "2", "Bailleurs sociaux", "2e programmation 2021", "", "", "hors_qpv", "nd", "En instruction", "", "", "", "1683", "logements", ""),
]


# What the open-data file (SCDL "subventions") needs of a granted dossier,
# invented by scheme: decision date, decision reference, payment date or
# period. The beneficiaries' SIRET are not given (an optional column).
OUVERTES = {
    "DSIL relance": ("2020-09-15", "DSIL-2020", "2020-10-01/2022-12-31"),
    "Fonds friches": ("2020-11-30", "FRICHES-2020", "2021-01-15/2023-12-31"),
    "Plan de soutien aux associations": ("2020-10-20", "PSA-2020", "2020-11-05"),
    "Soutien à l'industrie": ("2020-12-10", "INDUSTRIE-2020", "2021-01-15/2022-06-30"),
    "NPNRU (concours de l'ANRU)": ("2020-07-01", "ANRU-2020", "2021-01-01/2030-12-31"),
}


def ouvertes(dispositif, statut, rang):
    """The decision date and the open-data columns of a dossier (empty
    unless retained under a scheme of OUVERTES)."""
    if statut != "Retenu" or dispositif not in OUVERTES:
        return "", ("", "", "")
    date, reference, versement = OUVERTES[dispositif]
    return date, ("", f"{reference}-{rang:02d}", versement)


def financements(out):
    lignes = ["dispositif;vague;porteur;intitule;code_commune;code_qpv;localisation;montant_eur;statut;date_decision;"
              "montant_demande_eur;nature;quantite;unite;cout_total_eur;siret;reference_decision;dates_versement;programme"]
    # The programme of each dispositif: the recovery plan's, the urban
    # renewal's own.
    programme = lambda disp: "Renouvellement urbain" if disp.startswith("NPNRU") else "Plan de relance"
    for rang, d in enumerate(DOSSIERS, 1):
        date, suite = ouvertes(d[0], d[8], rang)
        lignes.append(";".join(d + (date, "", "", "", "", "") + suite + (programme(d[0]),)))
    for rang, d in enumerate(DOSSIERS_DETAILLES, len(DOSSIERS) + 1):
        date, suite = ouvertes(d[0], d[8], rang)
        lignes.append(";".join(d[:9] + (date or d[9],) + d[10:] + suite + (programme(d[0]),)))
    ecrire(out, "financements_plan_relance.csv", lignes)
    # The friches envelope of the deck: 600 000 € for the département.
    (out / "enveloppes_plan_relance.csv").write_text(
        "dispositif;vague;montant_eur\nFonds friches;;600 000,00\n", encoding="utf-8")
    montant = lambda d: float(d[7].replace(" ", "").replace("€", "").replace(",", ".").replace("nd", "0"))
    par = {}
    for d in DOSSIERS + DOSSIERS_DETAILLES:
        par.setdefault((d[0], d[1]), []).append(montant(d))
    for k, v in par.items():
        print("financement", k, len(v), sum(v))


# Scheme counts (dispositifs*.csv): the deck's figures; the SIAE totals by
# type and the emplois francs beneficiaries by commune are invented (their
# sums are the deck's 61 structures, 26 in QPV, and 754 beneficiaries).
DISPOSITIFS = [
    "Insertion par l'activité économique;structures (SIAE);;2020T4;departement;92;61;26;;;2020-12-31;structures",
    "Insertion par l'activité économique;structures (SIAE);EI;2020T4;departement;92;30;14;;;2020-12-31;structures",
    "Insertion par l'activité économique;structures (SIAE);ETTI;2020T4;departement;92;8;2;;;2020-12-31;structures",
    "Insertion par l'activité économique;structures (SIAE);ACI;2020T4;departement;92;15;6;;;2020-12-31;structures",
    "Insertion par l'activité économique;structures (SIAE);AI;2020T4;departement;92;8;4;;;2020-12-31;structures",
    "Emplois francs;demandes d'employeurs validées;;2020T4;departement;92;1486;;;2019-03-01;2020-12-31;demandes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;departement;92;754;;;2019-03-01;2020-12-31;personnes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;commune;92002;49;;;2019-03-01;2020-12-31;personnes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;commune;92004;96;;;2019-03-01;2020-12-31;personnes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;commune;92007;62;;;2019-03-01;2020-12-31;personnes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;commune;92019;40;;;2019-03-01;2020-12-31;personnes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;commune;92024;55;;;2019-03-01;2020-12-31;personnes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;commune;92025;104;;;2019-03-01;2020-12-31;personnes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;commune;92036;118;;;2019-03-01;2020-12-31;personnes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;commune;92050;160;;;2019-03-01;2020-12-31;personnes",
    "Emplois francs;demandeurs d'emploi bénéficiaires;;2020T4;commune;92078;70;;;2019-03-01;2020-12-31;personnes",
    "Primes à l'embauche d'apprentis;primes attribuées;;2021T1;departement;92;15232;;;2020-09-01;2021-03-31;personnes",
    'Contrats aidés jeunes;contrats signés;CIE jeunes;2020;departement;92;32;;;;2020-12-31;contrats',
    'Contrats aidés jeunes;contrats signés;PEC jeunes;2020;departement;92;68;;;;2020-12-31;contrats',
    'Contrats aidés jeunes;contrats signés;Emplois francs+;2020;departement;92;18;;;;2020-12-31;contrats',
    'Contrats aidés jeunes;contrats signés;CIE jeunes;2021;departement;92;nd;;633;;;contrats',
    'Contrats aidés jeunes;contrats signés;PEC jeunes;2021;departement;92;nd;;868;;;contrats',
    'Adultes-relais;conventions signées;;2021;departement;92;75;;;;;conventions',
    'Adultes-relais;adultes-relais employés;;2021;departement;92;67;;;;;personnes',
    'Adultes-relais;structures employeuses;;2021;departement;92;47;;;;;structures',
    'Adultes-relais;conventions en cours de finalisation;;2021T2;departement;92;8;;;;;conventions',
    'Adultes-relais;conventions à attribuer;;2021;departement;92;20;;;;;conventions',
    'SESAME;jeunes entrés;;2020;departement;92;70;44;;2015-01-01;2020-12-31;personnes',
    'Cordées de la réussite;élèves encordés;;2021T1;departement;92;1032;;;;;personnes',
    'Cordées de la réussite;lycées;;2021T1;departement;92;18;;;;;etablissements',
    'Cordées de la réussite;collèges;;2021T1;departement;92;22;;;;;etablissements',
    'Valeurs de la République et laïcité;personnes formées;;2021T1;departement;92;78;;;2020-01-01;;personnes',
    'DILCRAH;actions financées;;2021;departement;92;8;;;;;actions',
    'DILCRAH;montant accordé;;2021;departement;92;25 500;;;;;euros',
]


def dispositifs(out):
    lignes = ['dispositif;indicateur;categorie;periode;niveau;code;valeur;valeur_qpv;objectif;depuis;au;unite'] + DISPOSITIFS
    ecrire(out, "dispositifs_2020-2021.csv", lignes)


# The calendar of calls for projects (calendrier*.csv): the deck's
# "Quartiers culturels créatifs" table; the other calls are the deck's
# mentions (the 31 March one is before the council, left out of the annex).
CALENDRIER = [
    'Quartiers culturels créatifs;date limite de dépôt;2021-06-11',
    "Quartiers culturels créatifs;session d'attribution;2021-07-09",
    'Quartiers culturels créatifs;date limite de dépôt;octobre 2021',
    "Quartiers culturels créatifs;session d'attribution;novembre 2021",
    'Quartiers culturels créatifs;date limite de dépôt;avril 2022',
    "Quartiers culturels créatifs;session d'attribution;mai 2022",
    'Quartiers culturels créatifs;date limite de dépôt;octobre 2022',
    "Quartiers culturels créatifs;session d'attribution;novembre 2022",
    "Plan de soutien aux associations, 2e vague;ouverture de l'appel à projets;juin 2021",
    'Aide à la relance des bibliothèques;fin des dépôts pour le comité de septembre;2021-08-31',
    'Colos apprenantes;date limite de dépôt;2021-03-31',
]


def calendrier(out):
    lignes = ['dispositif;etape;date'] + CALENDRIER
    ecrire(out, "calendrier_appels_a_projets.csv", lignes)


# Structures and labels (structures*.csv): those the deck names, in their
# communes; the QPV of a few, the second Colombes France services and the
# years of the projects are invented.
STRUCTURES_ET_LABELS = [
    "France services;France services d'Antony;92002;Antony;;;labellisé;2020;;",
    'France services;France services de Colombes;92025;Colombes;;;labellisé;2020;;',
    'France services;France services de Villeneuve-la-Garenne;92078;Villeneuve-la-Garenne;QP092011;;labellisé;2020;;',
    'France services;France services de Colombes (2e site);92025;Colombes;QP092005;;labellisé;;2021-01-15;',
    'France services;France services de Chaville;92022;Chaville;;;labellisé;;2021-02-01;',
    'France services;France services de Bourg-la-Reine;92014;Bourg-la-Reine;;;labellisé;;2021-03-01;',
    'France services;France services de Levallois-Perret;92044;Levallois-Perret;;;en projet;2021;;',
    "France services;France services d'Asnières-sur-Seine;92004;Asnières-sur-Seine;;;en projet;2021;;",
    'France services;France services de Sceaux;92071;Sceaux;;;en projet;2021;;',
    'Maisons de santé pluriprofessionnelles;MSP Patrick Nochy;92036;Gennevilliers;;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP Les Agnettes;92036;Gennevilliers;QP092007;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP Averroès;92078;Villeneuve-la-Garenne;;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP Sisley;92078;Villeneuve-la-Garenne;;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP Les 4 Chemins;92025;Colombes;;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP Meudon-La-Forêt;92048;Meudon;;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP des Chênes;92073;Suresnes;;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP Saint-Cloud;92064;Saint-Cloud;;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP Marcherons;92075;Vanves;;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP de Châtillon (1);92020;Châtillon;;;ouvert;;;',
    'Maisons de santé pluriprofessionnelles;MSP de Châtillon (2);92020;Châtillon;;;ouvert;;;',
    "Maisons de santé pluriprofessionnelles;MSP d'Antony (projet);92002;Antony;;;en projet;2022;;",
    'Maisons de santé pluriprofessionnelles;MSP de Nanterre (projet);92050;Nanterre;;;en projet;2021;;',
    'Maisons de santé pluriprofessionnelles;MSP de Bois-Colombes (projet);92009;Bois-Colombes;;;en projet;2022;;',
    'Maisons de santé pluriprofessionnelles;MSP de Puteaux (projet);92062;Puteaux;;;en projet;2021;;',
    "Cité de l'emploi;Cité de l'emploi d'Asnières-sur-Seine;92004;Asnières-sur-Seine;;;labellisé;2021;;",
    "Cité de l'emploi;Cité de l'emploi de Colombes (candidature);92025;Colombes;;;en projet;2021;;",
    "Cité de l'emploi;Cité de l'emploi de Gennevilliers (candidature);92036;Gennevilliers;;;en projet;2021;;",
    "Cité de l'emploi;Cité de l'emploi de Villeneuve-la-Garenne (candidature);92078;Villeneuve-la-Garenne;;;en projet;2021;;",
    'Cité éducative;Cité éducative de Gennevilliers;92036;Gennevilliers;;;labellisé;2020;;',
    'Cité éducative;Cité éducative de Nanterre (candidature);92050;Nanterre;;;en projet;2021;;',
    'Cité éducative;Cité éducative de Villeneuve-la-Garenne (projet);92078;Villeneuve-la-Garenne;;;en projet;2021;;',
    'Cité de la jeunesse;Cité de la jeunesse de Villeneuve-la-Garenne;92078;Villeneuve-la-Garenne;;;labellisé;2021;;',
    'PRIJ;PRIJ de Nanterre;92050;Nanterre;;;labellisé;2020;;',
    'PRIJ;PRIJ de Gennevilliers;92036;Gennevilliers;;;labellisé;2020;;',
    'PRIJ;PRIJ de Bagneux;92007;Bagneux;;;labellisé;2020;;',
    "PRIJ;PRIJ d'Antony;92002;Antony;;;labellisé;;2021-01-15;",
    "PRIJ;PRIJ d'Asnières-sur-Seine;92004;Asnières-sur-Seine;;;labellisé;;2021-01-15;",
    'PRIJ;PRIJ de Clichy;92024;Clichy;;;labellisé;;2021-01-15;',
    'PRIJ;PRIJ de Villeneuve-la-Garenne;92078;Villeneuve-la-Garenne;;;labellisé;;2021-01-15;',
    'Maisons sport-santé;Maison sport-santé de Nanterre;92050;Nanterre;;;labellisé;2020;;',
    'Maisons sport-santé;Maison sport-santé de Colombes;92025;Colombes;;;labellisé;2020;;',
    "Maisons sport-santé;Maison sport-santé d'Issy-les-Moulineaux;92040;Issy-les-Moulineaux;;;labellisé;2021;;",
    'Maisons sport-santé;Maison sport-santé de Fontenay-aux-Roses;92032;Fontenay-aux-Roses;;;labellisé;2021;;',
    'Maisons sport-santé;Maison sport-santé de Villeneuve-la-Garenne;92078;Villeneuve-la-Garenne;;;labellisé;2021;;',
    'Micro-folies;Micro-folie de Villeneuve-la-Garenne;92078;Villeneuve-la-Garenne;;;ouvert;;;',
    "Micro-folies;Micro-folie d'Asnières-sur-Seine;92004;Asnières-sur-Seine;;;en projet;2021;;",
    'Tiers-lieux Fabrique des territoires;Electrolab;92050;Nanterre;;;labellisé;2021;;',
    'Tiers-lieux Fabrique des territoires;La Recyclerie Fab Lab;92007;Bagneux;;;labellisé;2021;;',
    'Tiers-lieux Fabrique des territoires;Le Plus petit cirque du monde;92007;Bagneux;QP092019;proximite_qpv;labellisé;2021;;',
    'SIAE nouvellement agréées en QPV;TIM (facility management);92036;Gennevilliers;;qpv;ouvert;2021;;EI',
    'SIAE nouvellement agréées en QPV;TRIDEV (démolition et espaces verts);92036;Gennevilliers;;qpv;ouvert;2021;;EI',
    'SIAE nouvellement agréées en QPV;ESPERO à la PADAF (couture, upcycling);92002;Antony;;qpv;ouvert;2021;;ACI',
]


def structures(out):
    lignes = ['type;nom;code_commune;nom_commune;code_qpv;localisation;statut;annee;date;categorie'] + STRUCTURES_ET_LABELS
    ecrire(out, "structures_2020-2021.csv", lignes)


if __name__ == "__main__":
    dossier = sys.argv[1] if len(sys.argv) > 1 else "inputs"
    main(dossier)
    missions_locales(Path(dossier))
    financements(Path(dossier))
    dispositifs(Path(dossier))
    calendrier(Path(dossier))
    structures(Path(dossier))
