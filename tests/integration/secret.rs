//! Statistical secrecy over every output, on the sample made to hold small
//! counts: no count from 1 to 4 visible, no masked count recoverable by
//! subtraction within a table or between a commune's documents and the
//! département's.

use std::collections::HashMap;

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::commun::*;

const PUBLICS: [&str; 6] = [
    "de_abc",
    "de_abc_moins_26",
    "de_abc_50_plus",
    "de_abc_longue_duree",
    "de_abc_infra_bac",
    "de_abc_sans_diplome",
];

/// The sample with small counts: 3 young people in Cité des Musiciens
/// (Bagneux), 2 seniors in Cité Jardins (the only QPV of
/// Châtenay-Malabry); the producer's QPV total is left out so that the
/// département's is the sum of its QPV.
fn petits_effectifs() -> tempfile::TempDir {
    let d = copie_des_entrees();
    sans_ensemble_qpv(d.path(), |l, c| {
        if l.contains(";qpv;QP092020;") {
            c[6] = "3";
        }
        if l.contains(";qpv;QP092021;") {
            c[7] = "2";
        }
    });
    d
}

type Cle = (String, String, String, String);

fn indicateurs(chemin: &std::path::Path) -> HashMap<Cle, (String, String)> {
    let mut lecteur = csv::Reader::from_path(chemin).unwrap();
    lecteur
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[0] == "2020T4" && &r[4] != "financements")
        .map(|r| {
            (
                (
                    r[1].to_string(),
                    r[2].to_string(),
                    r[4].to_string(),
                    r[5].to_string(),
                ),
                (r[6].to_string(), r[7].to_string()),
            )
        })
        .collect()
}

fn cle(n: &str, c: &str, i: &str, m: &str) -> Cle {
    (n.into(), c.into(), i.into(), m.into())
}

/// A relation total = Σ parts may have 0 or ≥ 2 secret cells, never 1
/// alone among its unknown cells.
fn protegee(t: &HashMap<Cle, (String, String)>, total: &Cle, parties: &[Cle]) -> bool {
    let inconnues: Vec<&String> = std::iter::once(total)
        .chain(parties)
        .map(|k| &t.get(k).unwrap_or_else(|| panic!("{k:?} absent")).1)
        .filter(|s| !s.is_empty())
        .collect();
    !(inconnues.len() == 1 && inconnues[0] == "secret")
}

#[test]
fn le_secret_statistique_protege_toutes_les_sorties() {
    let d = petits_effectifs();
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = d.path().join("reports/2020T4");
    let t = indicateurs(&rapport.join("indicateurs.csv"));

    // Primary: the small counts are masked, and what is built on them.
    assert_eq!(
        t[&cle("qpv", "QP092020", "de_abc_moins_26", "effectif")],
        (String::new(), "secret".into())
    );
    assert_eq!(
        t[&cle("qpv", "QP092020", "de_abc_moins_26", "part")].1,
        "secret"
    );
    assert_eq!(
        t[&cle("qpv", "QP092020", "de_abc_moins_26", "evolution_annuelle")].1,
        "secret"
    );
    assert_eq!(
        t[&cle("commune", "92019", "de_abc_50_plus_qpv", "effectif")].1,
        "secret"
    );
    // No count from 1 to 4 anywhere.
    for ((n, c, i, m), (v, _)) in &t {
        if m == "effectif" && !v.is_empty() {
            let x: f64 = v.parse().unwrap();
            assert!(!(1.0..5.0).contains(&x), "{n} {c} {i} : {x} visible");
        }
    }
    // Complementary: within the département's table of QPV and in each
    // commune of single-commune QPV.
    let qpv: Vec<String> = {
        let mut q: Vec<String> = t
            .keys()
            .filter(|k| k.0 == "qpv")
            .map(|k| k.1.clone())
            .collect();
        q.sort();
        q.dedup();
        q
    };
    let communes_mono: [(&str, &[&str]); 6] = [
        ("92002", &["QP092017"]),
        ("92007", &["QP092018", "QP092019", "QP092020"]),
        ("92019", &["QP092021"]),
        ("92024", &["QP092002", "QP092003"]),
        ("92025", &["QP092004", "QP092005"]),
        (
            "92050",
            &["QP092012", "QP092013", "QP092014", "QP092015", "QP092016"],
        ),
    ];
    for p in PUBLICS {
        let q_cles: Vec<Cle> = qpv.iter().map(|q| cle("qpv", q, p, "effectif")).collect();
        assert!(
            protegee(
                &t,
                &cle("departement", "92", &format!("{p}_qpv"), "effectif"),
                &q_cles
            ),
            "département, {p}"
        );
        for (commune, siens) in communes_mono {
            let parts: Vec<Cle> = siens.iter().map(|q| cle("qpv", q, p, "effectif")).collect();
            assert!(
                protegee(
                    &t,
                    &cle("commune", commune, &format!("{p}_qpv"), "effectif"),
                    &parts
                ),
                "{commune}, {p}"
            );
        }
    }
    // Bagneux: the masked QPV and at least one other are secret.
    let secrets = ["QP092018", "QP092019", "QP092020"]
        .iter()
        .filter(|q| t[&cle("qpv", q, "de_abc_moins_26", "effectif")].1 == "secret")
        .count();
    assert!(secrets >= 2);

    // The documents show "s" where the table says secret, and no small count.
    let mut classeur: Xlsx<_> = open_workbook(rapport.join("communes/92007-bagneux.xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Commune").unwrap();
    let ligne = feuille
        .rows()
        .find(|r| matches!(r.first(), Some(Data::String(s)) if s.contains("QP092020")))
        .unwrap()
        .to_vec();
    assert_eq!(ligne[4], Data::String("s".into()), "{ligne:?}");
    for r in feuille
        .rows()
        .filter(|r| matches!(r.first(), Some(Data::String(s)) if s.contains("(QP")))
    {
        for c in &r[4..] {
            if let Data::Float(x) = c {
                assert!(!(1.0..5.0).contains(x), "effectif {x} visible : {r:?}");
            }
        }
    }
    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    assert!(texte.contains("s = secret statistique"));
}

#[test]
fn le_mode_interne_ne_masque_rien_et_le_dit_partout() {
    let d = petits_effectifs();
    let rapports = run_interne(d.path());
    let rapport = rapports.join("2020T4-interne");
    assert!(!rapports.join("2020T4").exists());
    let mut noms = Vec::new();
    for e in fichiers_sous(&rapport) {
        noms.push(e.file_name().unwrap().to_string_lossy().into_owned());
    }
    assert!(noms.iter().all(|n| n.contains("-interne")), "{noms:?}");
    let t = indicateurs(&rapport.join("indicateurs-interne.csv"));
    assert_eq!(
        t[&cle("qpv", "QP092020", "de_abc_moins_26", "effectif")],
        ("3".into(), String::new())
    );
    let mut classeur: Xlsx<_> =
        open_workbook(rapport.join("annexe-92-2020T4-interne.xlsx")).unwrap();
    let premiere = classeur.sheet_names()[0].clone();
    let feuille = classeur.worksheet_range(&premiere).unwrap();
    assert!(feuille
        .rows()
        .flatten()
        .any(|c| c.to_string().contains("USAGE INTERNE — NON DIFFUSABLE")));
    let texte =
        pdf_extract::extract_text(rapport.join("communes/92007-bagneux-interne.pdf")).unwrap();
    assert!(texte.contains("USAGE INTERNE — NON DIFFUSABLE"));
}

/// Runs the job in internal mode on the inputs of `dossier`; the reports
/// folder.
fn run_interne(dossier: &std::path::Path) -> std::path::PathBuf {
    let sortie = commande(dossier, "run", &["--interne"]);
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    dossier.join("reports")
}

/// Every file under `dossier`.
fn fichiers_sous(dossier: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut fichiers = Vec::new();
    for e in std::fs::read_dir(dossier).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            fichiers.extend(fichiers_sous(&p));
        } else {
            fichiers.push(p);
        }
    }
    fichiers
}

/// The sample's missions locales with the 2020 Garantie jeunes entries in
/// QPV of the four structures set to 3, 4, 2 and 1.
fn petits_effectifs_ml() -> tempfile::TempDir {
    let d = copie_des_entrees();
    let chemin = d.path().join("missions_locales_2019-2020.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let mut petits = ["3", "4", "2", "1"].into_iter();
    let lignes: Vec<String> = texte
        .lines()
        .map(|l| {
            let mut c: Vec<&str> = l.split(';').collect();
            if c[0] == "2020" {
                c[6] = petits.next().unwrap();
            }
            c.join(";")
        })
        .collect();
    assert!(petits.next().is_none(), "quatre structures en 2020");
    std::fs::write(&chemin, lignes.join("\n") + "\n").unwrap();
    d
}

/// The "Par mission locale" table of the workbook's "Missions locales"
/// sheet: each structure's row.
fn lignes_des_structures(classeur: &std::path::Path) -> Vec<Vec<Data>> {
    let mut classeur: Xlsx<_> = open_workbook(classeur).unwrap();
    let feuille = classeur.worksheet_range("Missions locales").unwrap();
    feuille
        .rows()
        .filter(|r| matches!(r.first(), Some(Data::String(s)) if s.starts_with("Mission locale ")))
        .map(|r| r.to_vec())
        .collect()
}

#[test]
fn les_petits_effectifs_d_une_mission_locale_sont_masques_partout() {
    let d = petits_effectifs_ml();
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = d.path().join("reports/2020T4");
    let structures = lignes_des_structures(&rapport.join("annexe-92-2020T4.xlsx"));
    assert_eq!(structures.len(), 4, "{structures:?}");
    for ligne in &structures {
        // Garantie jeunes, then its QPV part: the 3rd and 4th columns.
        assert_eq!(ligne[4], Data::String("secret".into()), "{ligne:?}");
        for c in ligne {
            if let Data::Float(x) = c {
                assert!(!(1.0..5.0).contains(x), "effectif {x} visible : {ligne:?}");
            }
        }
    }
    // Nowhere else either: the long table, the PDFs, the commune workbooks.
    let csv = std::fs::read_to_string(rapport.join("indicateurs.csv")).unwrap();
    // The département's total, 10, is published; each structure's count
    // is there too, masked.
    for l in csv
        .lines()
        .filter(|l| l.contains(",entrees_gj_qpv,effectif,"))
    {
        if l.contains(",departement,") {
            assert!(l.contains(",10,"), "{l}");
        } else {
            assert!(
                l.contains(",mission_locale,") && l.contains(",,secret,"),
                "{l}"
            );
        }
    }
    for pdf in fichiers_sous(&rapport)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
    {
        let texte = pdf_extract::extract_text(&pdf).unwrap();
        assert!(!texte.contains("Mission locale Boucle Nord"), "{pdf:?}");
    }
}

#[test]
fn le_mode_interne_montre_les_effectifs_des_missions_locales() {
    let d = petits_effectifs_ml();
    let rapports = run_interne(d.path());
    let structures =
        lignes_des_structures(&rapports.join("2020T4-interne/annexe-92-2020T4-interne.xlsx"));
    let gj_qpv: Vec<Data> = structures.iter().map(|l| l[4].clone()).collect();
    assert_eq!(
        gj_qpv,
        [3.0, 4.0, 2.0, 1.0].map(Data::Float).to_vec(),
        "{structures:?}"
    );
}

/// Scheme counts of people under secrecy: SESAME with 2 young people
/// outside QPV (46, of whom 44 in QPV), and hirings by contract with 3
/// CDI: the small counts and what would give them away are masked, in
/// `indicateurs.csv`, the workbook and the PDF; counts of structures are
/// not counts of people (2 ETTI stay).
#[test]
fn les_petits_effectifs_d_un_dispositif_sont_masques_partout() {
    let d = copie_des_entrees();
    let chemin = d.path().join("dispositifs_2020-2021.csv");
    let mut texte = std::fs::read_to_string(&chemin).unwrap().replace(
        "SESAME;jeunes entrés;;2020;departement;92;70;44;",
        "SESAME;jeunes entrés;;2020;departement;92;46;44;",
    );
    // A blank unit is a count of people: the CDI's row leaves it blank.
    for (categorie, n, unite) in [
        ("", "43", "personnes"),
        ("CDI", "3", ""),
        ("CDD", "40", "personnes"),
    ] {
        texte.push_str(&format!(
            "Emplois francs;embauches;{categorie};2020T4;departement;92;{n};;;;;{unite}\n"
        ));
    }
    std::fs::write(&chemin, texte).unwrap();
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = d.path().join("reports/2020T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    let chiffre = |ind: &str, cat: &str, mes: &str| -> (String, String) {
        let l = lignes
            .iter()
            .find(|l| l["indicateur"] == ind && l["categorie"] == cat && l["mesure"] == mes)
            .unwrap_or_else(|| panic!("{ind} {cat} {mes} absent"));
        (l["valeur"].clone(), l["statut"].clone())
    };
    let secret = (String::new(), "secret".to_string());
    // 46 − 44 = 2: the QPV part would give the 2 away.
    assert_eq!(
        chiffre("jeunes_entres", "", "effectif"),
        ("46".into(), String::new())
    );
    assert_eq!(chiffre("jeunes_entres_qpv", "", "effectif"), secret);
    assert_eq!(chiffre("jeunes_entres_qpv", "", "part"), secret);
    // 43 = 3 + 40: the CDD would give the CDI away.
    assert_eq!(
        chiffre("embauches", "", "effectif"),
        ("43".into(), String::new())
    );
    assert_eq!(chiffre("embauches", "CDI", "effectif"), secret);
    assert_eq!(chiffre("embauches", "CDD", "effectif"), secret);
    assert_eq!(
        chiffre("structures_siae_qpv", "ETTI", "nombre"),
        ("2".into(), String::new())
    );

    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2020T4.xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Dispositifs").unwrap();
    let ligne = |chiffre: &str, cat: &str| -> Vec<Data> {
        feuille
            .rows()
            .find(|r| {
                r.get(1) == Some(&Data::String(chiffre.into()))
                    && r.get(2).map(|c| c.to_string()).as_deref() == Some(cat)
            })
            .unwrap_or_else(|| panic!("{chiffre} {cat} absent"))
            .to_vec()
    };
    assert_eq!(ligne("jeunes entrés", "")[7], Data::Float(46.0));
    assert_eq!(ligne("jeunes entrés", "")[8], Data::String("s".into()));
    assert_eq!(ligne("embauches", "CDI")[7], Data::String("s".into()));
    assert_eq!(ligne("embauches", "CDD")[7], Data::String("s".into()));
    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    // The sign the tables use, said in a French sentence.
    assert!(
        texte.contains("46 jeunes entrés, dont s (secret statistique) en QPV"),
        "{texte}"
    );
    assert!(!texte.contains("44 en QPV"), "{texte}");
    assert!(!texte.contains(": secret depuis"), "{texte}");
    assert!(
        texte.contains("embauches (CDI) : s (secret statistique)"),
        "{texte}"
    );
}

/// The communes of a scheme are disjoint parts of the département: with
/// Antony's 3 employees under "emplois francs" and the other communes
/// adding up to the département less 3, the 3 would be bounded by 0 and 3.
/// The global pass masks a second commune; the report is published and
/// its audit finds nothing.
#[test]
fn une_commune_d_un_dispositif_n_est_pas_bornee_par_le_departement() {
    let d = copie_des_entrees();
    let chemin = d.path().join("dispositifs_2020-2021.csv");
    let texte = std::fs::read_to_string(&chemin)
        .unwrap()
        .replace(
            "bénéficiaires;;2020T4;departement;92;754;",
            "bénéficiaires;;2020T4;departement;92;708;",
        )
        .replace(
            "bénéficiaires;;2020T4;commune;92002;49;",
            "bénéficiaires;;2020T4;commune;92002;3;",
        );
    std::fs::write(&chemin, texte).unwrap();
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let lignes = lire_csv(&d.path().join("reports/2020T4/indicateurs.csv"));
    let statut = |code: &str| {
        lignes
            .iter()
            .find(|l| {
                l["indicateur"] == "demandeurs_d_emploi_beneficiaires"
                    && l["code"] == code
                    && l["mesure"] == "effectif"
            })
            .map(|l| l["statut"].clone())
            .unwrap()
    };
    assert_eq!(statut("92002"), "secret");
    let masquees = [
        "92004", "92007", "92019", "92024", "92025", "92036", "92050", "92078",
    ]
    .iter()
    .filter(|c| statut(c) == "secret")
    .count();
    assert_eq!(masquees, 1, "une seule autre commune masquée");
    assert_eq!(statut("92"), "");
    let audit = commande(d.path(), "audit", &[]);
    assert!(audit.status.success(), "{}", stderr(&audit));
}
