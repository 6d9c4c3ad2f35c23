#!/usr/bin/env python3
"""Génère le corpus de tests/corpus/ à partir des exports d'exemple de inputs/.

Chaque cas remplace un fichier d'entrée de l'exemple par une variante :
- « accepte » : la variante doit donner exactement le même indicateurs.csv ;
- « refuse » : l'exécution doit échouer avec le message attendu (fichier,
  ligne, colonne), sans écrire de rapport.
La liste des cas et leurs attendus est écrite dans tests/corpus/cas.toml.

Usage : python3 tools/generer_corpus.py
"""
import io
import zipfile
from datetime import date
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
ENTREES = RACINE / "inputs"
CORPUS = RACINE / "tests" / "corpus"
DE = "demandeurs_emploi_2019T4-2020T4.csv"
REF = "referentiel_qpv_2015.csv"

de_lignes = (ENTREES / DE).read_text(encoding="utf-8").splitlines()
ref_lignes = (ENTREES / REF).read_text(encoding="utf-8").splitlines()
conseil = (ENTREES / "conseil.toml").read_text(encoding="utf-8")
cas = []


def champs(ligne):
    return ligne.split(";")


def ecrire(nom, texte, encodage="utf-8", bom=False, fin="\n"):
    donnees = texte.replace("\n", fin).encode(encodage)
    if bom:
        donnees = b"\xef\xbb\xbf" + donnees
    (CORPUS / nom).write_bytes(donnees)


def accepte(nom, fichier, texte, remplace=DE, **k):
    ecrire(fichier, texte, **k)
    cas.append({"nom": nom, "fichiers": [fichier], "remplace": remplace, "attendu": "accepte"})


def refuse(nom, fichier, texte, message, remplace=DE, code=1, **k):
    ecrire(fichier, texte, **k)
    cas.append({"nom": nom, "fichiers": [fichier], "remplace": remplace, "attendu": "refuse",
                "code": code, "message": message})


def joindre(lignes, sep=";"):
    return "\n".join(sep.join(champs(l)) for l in lignes) + "\n"


def milliers(n, espace):
    s = str(n)
    if not s.isdigit():
        return n
    groupes = []
    while len(s) > 3:
        groupes.insert(0, s[-3:])
        s = s[:-3]
    groupes.insert(0, s)
    return espace.join(groupes)


def nombres(lignes, f):
    sortie = [lignes[0]]
    for l in lignes[1:]:
        c = champs(l)
        sortie.append(";".join(c[:5] + [f(v) for v in c[5:]]))
    return sortie


def periodes(lignes, f):
    return [lignes[0]] + [";".join([f(champs(l)[0])] + champs(l)[1:]) for l in lignes[1:]]


def ligne_de(lignes, debut):
    """1-based line of the first line starting with `debut`."""
    return next(i + 1 for i, l in enumerate(lignes) if l.startswith(debut))


# ---- Accepted variants of the job-seeker export ----
base = joindre(de_lignes)
accepte("windows-1252", "demandeurs_emploi_cp1252.csv", base, encodage="cp1252")
accepte("utf8-bom", "demandeurs_emploi_bom.csv", base, bom=True)
accepte("fins-de-ligne-crlf", "demandeurs_emploi_crlf.csv", base, fin="\r\n")
accepte("cp1252-crlf", "demandeurs_emploi_cp1252_crlf.csv", base, encodage="cp1252", fin="\r\n")
accepte("tabulation", "demandeurs_emploi_tab.csv", joindre(de_lignes, "\t"))
accepte("virgule-guillemets", "demandeurs_emploi_virgule.csv",
        "\n".join(",".join(f'"{c}"' for c in champs(l)) for l in de_lignes) + "\n")
accepte("milliers-espace-insecable", "demandeurs_emploi_nbsp.csv",
        joindre(nombres(de_lignes, lambda v: milliers(v, "\u00a0"))))
accepte("milliers-espace-fine", "demandeurs_emploi_nnbsp.csv",
        joindre(nombres(de_lignes, lambda v: milliers(v, "\u202f"))))
accepte("milliers-espace", "demandeurs_emploi_espace.csv",
        joindre(nombres(de_lignes, lambda v: milliers(v, " "))))
accepte("virgule-decimale", "demandeurs_emploi_decimale.csv",
        joindre(nombres(de_lignes, lambda v: v + ",0" if v.isdigit() else v)))
for forme, f in [("T4 2020", lambda p: f"T{p[5]} {p[:4]}"), ("2020-T4", lambda p: f"{p[:4]}-T{p[5]}"),
                 ("2020Q4", lambda p: f"{p[:4]}Q{p[5]}"), ("T4_2020", lambda p: f"T{p[5]}_{p[:4]}"),
                 ("4e trimestre 2020", lambda p: f"{p[5]}{'er' if p[5] == '1' else 'e'} trimestre {p[:4]}")]:
        nom = forme.lower().replace(" ", "-").replace("_", "-tiret-bas-")
        accepte(f"periodes-{nom}", f"demandeurs_emploi_periode_{nom}.csv", joindre(periodes(de_lignes, f)))
accepte("en-tetes-alias", "demandeurs_emploi_alias.csv",
        joindre(["TRIMESTRE;TYPE_TERRITOIRE;Code territoire;Libellé territoire;DEPCOM;DE_ABC;de-abc-moins-26;"
                 "De Abc 50 Plus;DE ABC Longue Durée;DE ABC INFRA BAC;De Abc Sans Diplôme"] + de_lignes[1:]))
accepte("colonnes-vides-en-fin", "demandeurs_emploi_colonnes_vides.csv",
        "\n".join(l + ";;" for l in de_lignes) + "\n")
accepte("lignes-vides", "demandeurs_emploi_lignes_vides.csv",
        "\n".join(l + ("\n" if i % 40 == 20 else "") for i, l in enumerate(de_lignes)) + "\n\n\n")
accepte("colonne-inconnue", "demandeurs_emploi_colonne_inconnue.csv",
        "\n".join(l + (";Source" if i == 0 else ";France Travail") for i, l in enumerate(de_lignes)) + "\n")
ordre = [3, 0, 2, 1, 4, 10, 9, 8, 7, 6, 5]
accepte("colonnes-dans-le-desordre", "demandeurs_emploi_desordre.csv",
        "\n".join(";".join(champs(l)[i] for i in ordre) for l in de_lignes) + "\n")
# One file per period range, as a producer's quarterly files.
entete, corps = de_lignes[0], de_lignes[1:]
(CORPUS / "demandeurs_emploi_2019.csv").write_text(
    "\n".join([entete] + [l for l in corps if l.startswith("2019")]) + "\n", encoding="utf-8")
(CORPUS / "demandeurs_emploi_2020.csv").write_text(
    "\n".join([entete] + [l for l in corps if l.startswith("2020")]) + "\n", encoding="utf-8")
cas.append({"nom": "un-fichier-par-annee", "fichiers": ["demandeurs_emploi_2019.csv", "demandeurs_emploi_2020.csv"],
            "remplace": DE, "attendu": "accepte"})

# ---- Accepted variants of the referential ----
anct = ["code_qp;lib_qp;insee_com;lib_com;EPT;LIBEPT;population"] + ref_lignes[1:]
accepte("referentiel-entetes-anct", "referentiel_qpv_anct.csv", joindre(anct), remplace=REF)
accepte("referentiel-windows-1252", "referentiel_qpv_cp1252.csv", joindre(ref_lignes), remplace=REF, encodage="cp1252")
virgules = [l.replace('"92004; 92036"', '"92004,92036"') for l in ref_lignes]
accepte("referentiel-cellule-multi-virgules", "referentiel_qpv_virgules.csv", joindre(virgules), remplace=REF)

# ---- Refused job-seeker exports ----
f = "demandeurs_emploi_vide.csv"
refuse("fichier-vide", f, "", f"{f}: fichier vide")
f = "demandeurs_emploi_entete_seule.csv"
refuse("en-tete-seule", f, de_lignes[0] + "\n", f"{f}:1: aucune ligne de données après l'en-tête")
f = "demandeurs_emploi_sans_de_abc.csv"
refuse("colonne-obligatoire-absente", f,
       "\n".join(";".join(champs(l)[:5] + champs(l)[6:]) for l in de_lignes) + "\n",
       f"{f}:1: colonne obligatoire de_abc absente")


def altere(nom, fichier, debut, remplacer, message_f):
    lignes = list(de_lignes)
    n = ligne_de(lignes, debut)
    lignes[n - 1] = remplacer(lignes[n - 1])
    refuse(nom, fichier, "\n".join(lignes) + "\n", message_f(fichier, n))


def cellule(i, valeur):
    def f(l):
        c = champs(l)
        c[i] = valeur
        return ";".join(c)
    return f


altere("nombre-illisible", "demandeurs_emploi_texte.csv", "2020T4;departement;92;", cellule(5, "beaucoup"),
       lambda f, n: f"{f}:{n}:6: nombre illisible dans la colonne de_abc")
altere("effectif-negatif", "demandeurs_emploi_negatif.csv", "2020T4;qpv;QP092016;", cellule(6, "-12"),
       lambda f, n: f"{f}:{n}:7: effectif négatif dans la colonne de_abc_moins_26")
altere("ligne-incomplete", "demandeurs_emploi_incomplete.csv", "2020T3;commune;92050;", lambda l: ";".join(champs(l)[:7]),
       lambda f, n: f"{f}:{n}:8: ligne incomplète (attendu 11 champs, comme l'en-tête, trouvé « 7 champs »)")
altere("champs-en-trop", "demandeurs_emploi_trop.csv", "2020T3;commune;92050;", lambda l: l + ";12;13",
       lambda f, n: f"{f}:{n}:12: champs en trop")
altere("periode-illisible", "demandeurs_emploi_periode_illisible.csv", "2020T2;ept;T4;", cellule(0, "2020-06"),
       lambda f, n: f"{f}:{n}:1: période illisible")
altere("niveau-inconnu", "demandeurs_emploi_niveau.csv", "2020T2;ept;T4;", cellule(1, "region"),
       lambda f, n: f"{f}:{n}:2: niveau de territoire inconnu")
altere("code-vide", "demandeurs_emploi_code_vide.csv", "2020T2;ept;T4;", cellule(2, ""),
       lambda f, n: f"{f}:{n}:3: code de territoire vide")
altere("qpv-inconnu", "demandeurs_emploi_qpv_inconnu.csv", "2020T4;qpv;QP092016;", cellule(2, "QP092099"),
       lambda f, n: f"{f}:{n}: QPV absent du référentiel des QPV")
altere("public-superieur-au-total", "demandeurs_emploi_partie_sup.csv", "2020T4;qpv;QP092016;", cellule(8, "5000"),
       lambda f, n: f"{f}:{n}:9: de_abc_longue_duree supérieur à de_abc sur la même ligne")
altere("qpv-superieur-a-la-commune", "demandeurs_emploi_commune_inf.csv", "2020T4;commune;92050;",
       lambda l: cellule(8, "3650")(cellule(5, "3700")(l)),
       lambda f, n: f"{f}:{n}: 2020T4 commune 92050 (de_abc) : 3 800 demandeurs d'emploi en QPV pour 3 700 dans tout le territoire")
altere("ensemble-qpv-incoherent", "demandeurs_emploi_ensemble.csv", "2020T4;ensemble_qpv;", cellule(5, "15010"),
       lambda f, n: f"{f}:{n}: 2020T4 ensemble_qpv 92 (de_abc) : la somme des QPV (14 010) diffère du total « ensemble_qpv » (15 010)")
lignes = list(de_lignes)
n = ligne_de(lignes, "2020T4;qpv;QP092016;")
lignes.insert(n, lignes[n - 1])
f = "demandeurs_emploi_doublon.csv"
refuse("ligne-en-double", f, "\n".join(lignes) + "\n", f"{f}:{n + 1}: territoire QP092016 donné plusieurs fois pour 2020T4")

# ---- Refused referentials ----
lignes = list(ref_lignes)
n = ligne_de(lignes, "QP092016;")
lignes[n - 1] = ";" + lignes[n - 1].split(";", 1)[1]
f = "referentiel_qpv_sans_code.csv"
refuse("referentiel-code-qpv-vide", f, joindre(lignes), f"{f}:{n}:1: cellule code_qpv vide", remplace=REF)
lignes = list(ref_lignes)
lignes[0] = lignes[0].replace("nom_qpv", "quartier")
f = "referentiel_qpv_sans_nom.csv"
refuse("referentiel-colonne-absente", f, joindre(lignes), f"{f}:1: colonne obligatoire nom_qpv absente", remplace=REF)

# ---- Refused settings ----
refuse("reglages-cle-obligatoire", "conseil_sans_date.toml", conseil.replace('date = "2021-04-27"\n', ""),
       "conseil.toml: clé obligatoire « date » absente de la section [conseil]", remplace="conseil.toml", code=2)
n = conseil.splitlines().index("seuil = 5          # les effectifs de 1 à 4 sont masqués") + 1
refuse("reglages-cle-inconnue", "conseil_cle_inconnue.toml", conseil.replace("seuil = 5", "seuil_secret = 5"),
       f"conseil.toml:{n}:1: fichier de réglages invalide : clé inconnue « seuil_secret »", remplace="conseil.toml", code=2)
refuse("reglages-periode-invalide", "conseil_periode.toml", conseil.replace('periode = "2020T4"', 'periode = "2020-12"'),
       "conseil.toml: période du conseil invalide (attendu un trimestre, par exemple \"2020T4\", trouvé « 2020-12 »)",
       remplace="conseil.toml", code=2)
refuse("periode-du-conseil-absente", "conseil_2021T1.toml", conseil.replace('periode = "2020T4"', 'periode = "2021T1"'),
       "aucune ligne « departement » 92 pour la période 2021T1 du conseil", remplace="conseil.toml")


# ---- Missions locales, targets and funding registers ----
ML = "missions_locales_2019-2020.csv"
OBJ = "objectifs_2020-2021.csv"
FIN = "financements_plan_relance.csv"
ml_lignes = (ENTREES / ML).read_text(encoding="utf-8").splitlines()
obj_lignes = (ENTREES / OBJ).read_text(encoding="utf-8").splitlines()
fin_lignes = (ENTREES / FIN).read_text(encoding="utf-8").splitlines()


def montants(lignes, f):
    sortie = [lignes[0]]
    for l in lignes[1:]:
        c = champs(l)
        c[7] = f(c[7]) if c[7][:1].isdigit() else c[7]  # a sign (nd) stays a sign
        sortie.append(";".join(c))
    return sortie


def brut(m):
    return m.replace(" ", "").replace("€", "").replace(",00", "")


accepte("financements-montants-sans-separateur", "financements_brut.csv", joindre(montants(fin_lignes, brut)), remplace=FIN)
accepte("financements-montants-insecables-euro", "financements_nbsp.csv",
        joindre(montants(fin_lignes, lambda m: milliers(brut(m), "\u00a0") + "\u00a0€")), remplace=FIN)
accepte("financements-windows-1252", "financements_cp1252.csv", joindre(fin_lignes), remplace=FIN, encodage="cp1252")
statuts = {"Retenu": "retenu", "En instruction": "en_instruction", "Arbitrage en cours": "arbitrage_en_cours", "Refusé": "refuse"}
accepte("financements-statuts-codes", "financements_statuts.csv",
        joindre([fin_lignes[0]] + [";".join(c[:8] + [statuts[c[8]]] + c[9:]) for c in map(champs, fin_lignes[1:])]), remplace=FIN)
accepte("missions-locales-windows-1252-alias", "missions_locales_alias.csv",
        joindre([ml_lignes[0].replace("annee", "Exercice").replace("nom_structure", "Mission locale")] + ml_lignes[1:]),
        remplace=ML, encodage="cp1252")
accepte("objectifs-sigles", "objectifs_sigles.csv",
        joindre([l.replace("Garantie jeunes", "GJ").replace("5 733", "5733") for l in obj_lignes]), remplace=OBJ)


def altere_source(nom, fichier, lignes, remplace, debut, remplacer, message_f):
    lignes = list(lignes)
    n = ligne_de(lignes, debut)
    lignes[n - 1] = remplacer(lignes[n - 1])
    refuse(nom, fichier, "\n".join(lignes) + "\n", message_f(fichier, n), remplace=remplace)


altere_source("financements-qpv-inconnu", "financements_qpv_inconnu.csv", fin_lignes, FIN, "DSIL relance;1;Ville de Bagneux",
              cellule(5, "QP092099"), lambda f, n: f"{f}:{n}:6: QPV absent du référentiel des QPV (attendu un code QPV présent dans referentiel_qpv*.csv, trouvé « QP092099 »)")
altere_source("financements-statut-inconnu", "financements_statut.csv", fin_lignes, FIN, "DSIL relance;1;Ville de Bagneux",
              cellule(8, "Validé"), lambda f, n: f"{f}:{n}:9: statut de dossier inconnu")
altere_source("financements-localisation-inconnue", "financements_localisation.csv", fin_lignes, FIN, "Fonds friches;;Ville de Nanterre",
              cellule(6, "quartier"), lambda f, n: f"{f}:{n}:7: localisation inconnue")
altere_source("financements-montant-illisible", "financements_montant.csv", fin_lignes, FIN, "DSIL relance;1;Ville de Bagneux",
              cellule(7, "2,8 M€"), lambda f, n: f"{f}:{n}:8: nombre illisible dans la colonne montant_eur")
altere_source("missions-locales-annee-illisible", "missions_locales_annee.csv", ml_lignes, ML, "2020;ML92002",
              cellule(0, "20-20"), lambda f, n: f"{f}:{n}:1: année illisible")
altere_source("missions-locales-qpv-superieur", "missions_locales_qpv.csv", ml_lignes, ML, "2020;ML92002",
              cellule(4, "5000"), lambda f, n: f"{f}:{n}:5: jeunes_accompagnes_qpv supérieur à jeunes_accompagnes sur la même ligne")
altere_source("objectifs-dispositif-inconnu", "objectifs_inconnu.csv", obj_lignes, OBJ, "2021;PACEA",
              cellule(1, "Service civique"), lambda f, n: f"{f}:{n}:2: dispositif inconnu")


# ---- Registers kept as workbooks (.xlsx written with the standard library) ----
def xml(texte):
    return texte.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def colonne(j):
    lettres = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        lettres = chr(65 + r) + lettres
    return lettres


def feuille_xml(lignes):
    """One sheet: a str is an inline string, an int or float a number, a
    date a number in the date style (built-in format 14)."""
    rangs = []
    for i, ligne in enumerate(lignes, start=1):
        cellules = []
        for j, v in enumerate(ligne):
            ref = f"{colonne(j)}{i}"
            if v is None or v == "":
                continue
            if isinstance(v, date):
                cellules.append(f'<c r="{ref}" s="1"><v>{(v - date(1899, 12, 30)).days}</v></c>')
            elif isinstance(v, (int, float)):
                cellules.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cellules.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{xml(v)}</t></is></c>')
        rangs.append(f'<row r="{i}">{"".join(cellules)}</row>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(rangs)}</sheetData></worksheet>')


def classeur(nom, feuilles):
    """A minimal .xlsx (the parts a spreadsheet writes), bytes fixed."""
    ns = "http://schemas.openxmlformats.org"
    parties = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for k in range(1, len(feuilles) + 1))
        + "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
        + "".join(f'<sheet name="{xml(n)}" sheetId="{k}" r:id="rId{k}"/>' for k, (n, _) in enumerate(feuilles, start=1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{ns}/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{k}" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{k}.xml"/>'
                  for k in range(1, len(feuilles) + 1))
        + f'<Relationship Id="rId{len(feuilles) + 1}" Type="{ns}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<styleSheet xmlns="{ns}/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>",
    }
    for k, (_, lignes) in enumerate(feuilles, start=1):
        parties[f"xl/worksheets/sheet{k}.xml"] = feuille_xml(lignes)
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as z:
        for chemin, contenu in parties.items():
            info = zipfile.ZipInfo(chemin, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, contenu.encode("utf-8"))
    (CORPUS / nom).write_bytes(tampon.getvalue())


def typee(c, j):
    """A register cell as a spreadsheet types it: amounts as numbers, the
    decision date as a date, the rest as text."""
    if j in (7, 10, 14) and c[:1].isdigit():
        return float(c.replace(" ", "").replace("\u00a0", "").replace("€", "").replace(",", "."))
    if j == 9 and len(c) == 10 and c[4] == "-":
        return date(int(c[:4]), int(c[5:7]), int(c[8:]))
    return c


fin_cellules = [champs(l) for l in fin_lignes]
titre = [["Registre des dossiers du plan de relance — Hauts-de-Seine"], ["Mis à jour par la mission ville"], []]
typees = [fin_cellules[0]] + [[typee(c, j) for j, c in enumerate(l)] for l in fin_cellules[1:]]


def cas_classeur(nom, fichier, feuilles, message=None):
    classeur(fichier, feuilles)
    c = {"nom": nom, "fichiers": [fichier], "remplace": FIN}
    if message is None:
        c["attendu"] = "accepte"
    else:
        c.update({"attendu": "refuse", "code": 1, "message": message})
    cas.append(c)


cas_classeur("financements-classeur-types", "financements_classeur.xlsx",
             [("Lisez-moi", [["Registre tenu par la préfecture"]]), ("Dossiers", titre + typees)])
cas_classeur("financements-classeur-textes", "financements_classeur_textes.xlsx", [("Feuil1", fin_cellules)])
n = ligne_de(fin_lignes, "DSIL relance;1;Ville de Bagneux")
illisible = [list(l) for l in typees]
illisible[n - 1][7] = "2,8 M€"
cas_classeur("financements-classeur-cellule-illisible", "financements_classeur_illisible.xlsx",
             [("Dossiers", titre + illisible)],
             f"financements_classeur_illisible.xlsx, feuille « Dossiers », cellule H{n + len(titre)} : nombre illisible dans la colonne montant_eur")
cas_classeur("financements-classeur-feuille-vide", "financements_classeur_vide.xlsx", [("Feuil1", [])],
             "financements_classeur_vide.xlsx, feuille « Feuil1 » : feuille vide")
# A password-protected workbook is an encrypted OLE container, not a zip.
(CORPUS / "financements_classeur_protege.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088))
cas.append({"nom": "financements-classeur-protege", "fichiers": ["financements_classeur_protege.xlsx"], "remplace": FIN,
            "attendu": "refuse", "code": 1,
            "message": "financements_classeur_protege.xlsx : classeur protégé par un mot de passe (chiffré) : il ne peut pas être lu"})


def toml_chaine(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


sortie = ["# Généré par tools/generer_corpus.py : un cas par variante d'un fichier de inputs/.", ""]
for c in cas:
    sortie.append("[[cas]]")
    sortie.append(f"nom = {toml_chaine(c['nom'])}")
    sortie.append("fichiers = [" + ", ".join(toml_chaine(x) for x in c["fichiers"]) + "]")
    sortie.append(f"remplace = {toml_chaine(c['remplace'])}")
    sortie.append(f"attendu = {toml_chaine(c['attendu'])}")
    if c["attendu"] == "refuse":
        sortie.append(f"code = {c['code']}")
        sortie.append(f"message = {toml_chaine(c['message'])}")
    sortie.append("")
(CORPUS / "cas.toml").write_text("\n".join(sortie), encoding="utf-8")
print(len(cas), "cas,", sum(1 for c in cas if c["attendu"] == "accepte"), "acceptés")
