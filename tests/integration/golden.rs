//! The golden scenario: the sample inputs reproduce the seed deck's figures
//! (DOMAIN.md, "Reference figures") in all three documents.

use std::collections::HashMap;

use calamine::{open_workbook, Data, Reader, Xlsx};
use sha2::Digest;

use crate::commun::*;
use qpv_annexe::modele::Statut;

/// Job-seeker rows of the quarter by (niveau, code, indicateur, mesure) →
/// (valeur, statut).
fn lire_indicateurs(
    chemin: &std::path::Path,
) -> HashMap<(String, String, String, String), (String, String)> {
    lire_csv(chemin)
        .into_iter()
        .filter(|l| l["periode"] == "2020T4" && l["indicateur"] != "financements")
        .map(|l| {
            (
                (
                    l["niveau"].clone(),
                    l["code"].clone(),
                    l["indicateur"].clone(),
                    l["mesure"].clone(),
                ),
                (l["valeur"].clone(), l["statut"].clone()),
            )
        })
        .collect()
}

/// The reference table of DOMAIN.md: indicator, count, annual evolution (%),
/// share (%).
const REFERENCE: [(&str, f64, f64, Option<f64>); 5] = [
    ("de_abc", 127_479.0, 9.3, None),
    ("de_abc_qpv", 14_010.0, 3.1, Some(11.0)),
    ("de_abc_moins_26_qpv", 1_721.0, 11.5, Some(12.3)),
    ("de_abc_50_plus_qpv", 4_132.0, 1.2, Some(29.5)),
    ("de_abc_longue_duree_qpv", 7_426.0, 9.3, Some(53.0)),
];

fn arrondi_1(x: f64) -> f64 {
    qpv_annexe::format::arrondir(x * 100.0, 1)
}

#[test]
fn les_trois_documents_reproduisent_le_tableau_du_diaporama() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");

    // indicateurs.csv, unrounded, rounded here as the documents do.
    let csv = lire_indicateurs(&rapport.join("indicateurs.csv"));
    let v = |ind: &str, mes: &str| -> f64 {
        let (valeur, statut) = csv
            .get(&("departement".into(), "92".into(), ind.into(), mes.into()))
            .unwrap_or_else(|| panic!("{ind} {mes}"));
        assert_eq!(statut, "", "{ind} {mes}");
        valeur.parse().unwrap()
    };
    for (ind, effectif, evolution, part) in REFERENCE {
        assert_eq!(v(ind, "effectif"), effectif, "{ind}");
        assert_eq!(arrondi_1(v(ind, "evolution_annuelle")), evolution, "{ind}");
        if let Some(p) = part {
            assert_eq!(arrondi_1(v(ind, "part")), p, "{ind}");
        }
    }
    assert_eq!(arrondi_1(v("concentration_top3", "part")), 33.0);
    assert_eq!(arrondi_1(v("de_abc_infra_bac_qpv", "part")), 50.8);
    assert_eq!(arrondi_1(v("de_abc_infra_bac", "part")), 29.5);
    assert_eq!(arrondi_1(v("de_abc_sans_diplome_qpv", "part")), 22.0);
    assert_eq!(arrondi_1(v("de_abc_sans_diplome", "part")), 12.0);
    // The DELD share is computed from the counts (7 426 / 14 010), not the
    // deck's 51,7 %.
    assert!((v("de_abc_longue_duree_qpv", "part") - 7426.0 / 14010.0).abs() < 1e-12);
    // Every QPV of the referential is there.
    let qpv: std::collections::BTreeSet<&String> =
        csv.keys().filter(|k| k.0 == "qpv").map(|k| &k.1).collect();
    assert_eq!(qpv.len(), 21);

    // The workbook: numbers stored as numbers, the deck's table.
    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2020T4.xlsx")).unwrap();
    let synthese = classeur.worksheet_range("Synthèse").unwrap();
    let ligne = |libelle: &str| -> Vec<Data> {
        synthese
            .rows()
            .find(|r| r.first() == Some(&Data::String(libelle.into())))
            .unwrap_or_else(|| panic!("ligne « {libelle} » absente"))
            .to_vec()
    };
    let nombres = |libelle: &str| -> Vec<f64> {
        ligne(libelle)[1..6]
            .iter()
            .filter_map(|c| match c {
                Data::Float(x) => Some(*x),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        nombres("Demandeurs d'emploi"),
        vec![127_479.0, 14_010.0, 1_721.0, 4_132.0, 7_426.0]
    );
    let evolutions: Vec<f64> = nombres("Évolution annuelle")
        .into_iter()
        .map(arrondi_1)
        .collect();
    assert_eq!(evolutions, vec![9.3, 3.1, 11.5, 1.2, 9.3]);
    let parts: Vec<f64> = nombres("Part des publics QPV")
        .into_iter()
        .map(arrondi_1)
        .collect();
    assert_eq!(parts, vec![11.0, 12.3, 29.5, 53.0]);
    assert_eq!(ligne("Part des publics QPV")[1], Data::String("–".into()));
    // The quarters behind the evolution chart, from 2019T4 to 2020T4.
    assert_eq!(
        ligne("4e trimestre 2019")[1..3],
        [Data::Float(116_630.0), Data::Float(13_589.0)]
    );
    assert_eq!(
        ligne("4e trimestre 2020")[1..3],
        [Data::Float(127_479.0), Data::Float(14_010.0)]
    );
    // The data sheets are native Excel tables (autofilter, banded rows).
    classeur.load_tables().unwrap();
    assert_eq!(classeur.table_names_in_sheet("Par QPV").len(), 1);
    assert_eq!(classeur.table_names_in_sheet("Par commune").len(), 1);
    let par_qpv = classeur.worksheet_range("Par QPV").unwrap();
    assert_eq!(
        par_qpv
            .rows()
            .filter(|r| matches!(r.first(), Some(Data::String(s)) if s.starts_with("QP")))
            .count(),
        21
    );
    // The notes say the deck printed 51,7 %, which its counts do not give.
    let notes = classeur.worksheet_range("Notes et sources").unwrap();
    let notes: String = notes
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join("\n");
    let notes = espaces_simples(&notes);
    assert!(
        notes.contains("la source (Diaporama du Conseil territorial du 27 avril 2021) indique 51,7 %, mais ses propres effectifs donnent 53,0 %"),
        "{notes}"
    );

    // The PDF, as text.
    // Words as a reader sees them: lines joined, spaces of every kind plain.
    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    for attendu in [
        "PRÉFET DES HAUTS-DE-SEINE",
        "À la fin du 4e trimestre 2020, 11,0 % des demandeurs d'emploi alto-séquanais résident en quartier prioritaire",
        "27 avril 2021",
        "127 479",
        "14 010",
        "1 721",
        "4 132",
        "7 426",
        "+9,3 %",
        "+3,1 %",
        "+11,5 %",
        "+1,2 %",
        "11,0 %",
        "12,3 %",
        "29,5 %",
        "53,0 %",
        "50,8 %",
        "3 quartiers concentrent 33,0 % de la demande d'emploi en QPV : Le Parc (Nanterre), Aire 2029 (Villeneuve-la-Garenne), Les Agnettes (Asnières-sur-Seine, Gennevilliers).",
        // The bar chart of job seekers by QPV, largest first.
        "Demandeurs d'emploi par QPV (catégories A, B, C) Le Parc 1 840 Aire 2029 1 500 Les Agnettes 1 290",
    ] {
        assert!(texte.contains(attendu), "« {attendu} » absent du PDF :\n{texte}");
    }
}

#[test]
fn deux_executions_donnent_les_memes_octets() {
    let dossier = copie_des_entrees();
    assert!(run(dossier.path()).status.success());
    let premier = dossier.path().join("premier");
    std::fs::rename(dossier.path().join("reports/2020T4"), &premier).unwrap();
    assert!(run(dossier.path()).status.success());
    // Every file, the commune documents included.
    let mut fichiers = Vec::new();
    let mut a_voir = vec![premier.clone()];
    while let Some(d) = a_voir.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                a_voir.push(p);
            } else {
                fichiers.push(p.strip_prefix(&premier).unwrap().to_path_buf());
            }
        }
    }
    assert!(fichiers.len() > 20, "{fichiers:?}");
    for f in fichiers {
        let a = std::fs::read(premier.join(&f)).unwrap();
        let b = std::fs::read(dossier.path().join("reports/2020T4").join(&f)).unwrap();
        assert!(a == b, "{} diffère d'une exécution à l'autre", f.display());
    }
}

/// A quarter already published: the same inputs rewrite nothing ("à
/// jour", exit 0); a revised figure is refused with exit 6 and listed,
/// nothing written; `--force` publishes it and archives the version it
/// replaces.
#[test]
fn un_trimestre_publie_n_est_reecrit_que_s_il_change_et_avec_force() {
    let dossier = copie_des_entrees();
    assert!(run(dossier.path()).status.success());
    let rapports = dossier.path().join("reports");
    let rapport = rapports.join("2020T4");
    let avant = etat_des_fichiers(&rapport);
    let second = run(dossier.path());
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(stderr(&second).contains("à jour"), "{}", stderr(&second));
    assert!(
        avant == etat_des_fichiers(&rapport),
        "un fichier a été réécrit"
    );

    let chemin = dossier.path().join("demandeurs_emploi_2019T4-2020T4.csv");
    let export = std::fs::read_to_string(&chemin).unwrap().replace(
        "2020T4;commune;92007;Bagneux;;3300;",
        "2020T4;commune;92007;Bagneux;;3310;",
    );
    std::fs::write(&chemin, export).unwrap();
    let revise = run(dossier.path());
    assert_eq!(revise.status.code(), Some(6), "{}", stderr(&revise));
    let message = stderr(&revise);
    assert!(
        message.contains("2020T4 commune 92007 Bagneux de_abc effectif 92 : 3300 → 3310"),
        "{message}"
    );
    assert!(message.contains("--force"), "{message}");
    assert!(
        avant == etat_des_fichiers(&rapport),
        "un fichier a été réécrit"
    );

    let force = commande(dossier.path(), "run", &["-q", "--force"]);
    assert!(force.status.success(), "{}", stderr(&force));
    let archive = rapports.join("archives/2020T4-1");
    let ancien = std::fs::read(archive.join("indicateurs.csv")).unwrap();
    assert!(String::from_utf8_lossy(&ancien).contains("Bagneux,de_abc,effectif,3300,"));
    let nouveau = std::fs::read_to_string(rapport.join("indicateurs.csv")).unwrap();
    assert!(nouveau.contains("Bagneux,de_abc,effectif,3310,"));
    // Nothing but the report and its archive in the reports folder.
    let mut restes: Vec<_> = std::fs::read_dir(&rapports)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    restes.sort();
    assert_eq!(restes, [".verrou", "2020T4", "archives", "historique"]);
}

#[test]
fn le_manifeste_liste_entrees_et_sorties_avec_leur_empreinte() {
    let dossier = copie_des_entrees();
    assert!(run(dossier.path()).status.success());
    let rapport = dossier.path().join("reports/2020T4");
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rapport.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["programme"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["reglages"]["conseil"]["periode"], "2020T4");
    let entrees: Vec<&str> = m["entrees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fichier"].as_str().unwrap())
        .collect();
    assert_eq!(
        entrees,
        [
            "referentiel_qpv_2015.csv",
            "demandeurs_emploi_2019T4-2020T4.csv",
            "missions_locales_2019-2020.csv",
            "objectifs_2020-2021.csv",
            "financements_plan_relance.csv",
            "enveloppes_plan_relance.csv",
            "dispositifs_2020-2021.csv",
            "calendrier_appels_a_projets.csv",
            "structures_2020-2021.csv"
        ]
    );
    for s in m["sorties"].as_array().unwrap() {
        let octets = std::fs::read(rapport.join(s["fichier"].as_str().unwrap())).unwrap();
        let hache: String = sha2::Sha256::digest(&octets)
            .iter()
            .map(|o| format!("{o:02x}"))
            .collect();
        assert_eq!(s["sha256"], hache.as_str());
    }
    // The departmental documents, the open-data file and the 9 communes'
    // workbooks and PDFs.
    assert_eq!(m["sorties"].as_array().unwrap().len(), 4 + 2 * 9);
    assert!(m["sorties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["fichier"] == "communes/92019-chatenay-malabry.pdf"));
}

#[test]
fn une_execution_tuee_ne_laisse_aucun_rapport() {
    let dossier = copie_des_entrees();
    let config = dossier.path().join("conseil.toml");
    let rapports = dossier.path().join("reports");
    // The pause holds the run once everything is staged, before publication.
    let mut enfant = std::process::Command::new(env!("CARGO_BIN_EXE_qpv-annexe"))
        .args([
            "run",
            "-q",
            "--config",
            config.to_str().unwrap(),
            "--reports",
            rapports.to_str().unwrap(),
        ])
        .env("QPV_ANNEXE_PAUSE_MS", "20000")
        .spawn()
        .unwrap();
    chantier_pret(&rapports);
    enfant.kill().unwrap(); // SIGKILL: no clean-up code runs
    enfant.wait().unwrap();
    assert!(
        !rapports.join("2020T4").exists(),
        "rapport publié par une exécution tuée"
    );
    // The next run publishes, and leaves no staging folder behind.
    assert!(run(dossier.path()).status.success());
    let restes: Vec<_> = std::fs::read_dir(&rapports)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let mut restes = restes;
    restes.sort();
    assert_eq!(restes, [".verrou", "2020T4", "historique"]);
}

/// Two runs started together on the same reports folder (a scheduled run
/// meeting a manual one): the second says, in French, which run holds the
/// folder and stops with its own code, touching nothing; the first
/// publishes. With --attendre, the second waits for the first, then finds
/// the report up to date.
#[test]
fn une_seule_execution_a_la_fois_sur_un_dossier_des_rapports() {
    let dossier = copie_des_entrees();
    let config = dossier.path().join("conseil.toml");
    let rapports = dossier.path().join("reports");
    let lancer = |pause: &str, options: &[&str]| {
        let mut args = vec![
            "run",
            "-q",
            "--config",
            config.to_str().unwrap(),
            "--reports",
            rapports.to_str().unwrap(),
        ];
        args.extend(options);
        std::process::Command::new(env!("CARGO_BIN_EXE_qpv-annexe"))
            .args(args)
            .env("QPV_ANNEXE_PAUSE_MS", pause)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let premier = lancer("3000", &[]);
    let chantier = chantier_pret(&rapports);
    let second = lancer("0", &[]).wait_with_output().unwrap();
    assert_eq!(second.status.code(), Some(7), "{}", stderr(&second));
    let message = stderr(&second);
    assert!(
        message.contains("une autre exécution de qpv-annexe utilise ce dossier des rapports")
            && message.contains(&format!("processus {}", premier.id()))
            && message.contains("--attendre"),
        "{message}"
    );
    // The first run's staging folder is untouched, and it publishes.
    assert!(chantier.join("manifest.json").exists());
    let attend = lancer("0", &["--attendre"]);
    let premier = premier.wait_with_output().unwrap();
    assert!(premier.status.success(), "{}", stderr(&premier));
    assert!(rapports.join("2020T4/indicateurs.csv").exists());
    let attend = attend.wait_with_output().unwrap();
    assert!(attend.status.success(), "{}", stderr(&attend));
}

/// The deck's missions locales and Plan de relance figures.
#[test]
fn missions_locales_et_financements_du_diaporama() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    let ml = |periode: &str, ind: &str, mes: &str| -> (String, String) {
        let l = lignes
            .iter()
            .find(|l| {
                l["periode"] == periode
                    && l["niveau"] == "departement"
                    && l["indicateur"] == ind
                    && l["mesure"] == mes
            })
            .unwrap_or_else(|| panic!("{periode} {ind} {mes} absent"));
        (l["valeur"].clone(), l["statut"].clone())
    };
    let nombre = |c: (String, String)| -> f64 {
        assert_eq!(c.1, "");
        c.0.parse().unwrap()
    };
    assert_eq!(
        nombre(ml("2020", "jeunes_accompagnes", "effectif")),
        15_139.0
    );
    assert_eq!(
        arrondi_1(nombre(ml("2020", "jeunes_accompagnes_qpv", "part"))),
        18.0
    );
    assert_eq!(nombre(ml("2020", "entrees_gj", "effectif")), 833.0);
    assert_eq!(
        arrondi_1(nombre(ml("2020", "entrees_gj_qpv", "part"))).round(),
        21.0
    );
    assert_eq!(nombre(ml("2020", "entrees_pacea", "effectif")), 4_996.0);
    // PACEA in QPV: not available, never 0 nor a share.
    assert_eq!(
        ml("2020", "entrees_pacea_qpv", "effectif"),
        (String::new(), "nd".to_string())
    );
    assert_eq!(
        ml("2020", "entrees_pacea_qpv", "part"),
        (String::new(), "nd".to_string())
    );
    assert_eq!(nombre(ml("2021", "entrees_gj", "objectif")), 2_026.0);
    assert_eq!(nombre(ml("2021", "entrees_pacea", "objectif")), 5_733.0);

    // Funding, département level: DSIL relance wave 1, 2,8 M€ for 4
    // dossiers, of which 2,2 M€ for 2 in QPV, as published: the totals
    // over every dossier status (and every localisation), one row each.
    let par_statut = |disp: &str, vague: &str, loc: Option<&str>, st: &str, mes: &str| -> f64 {
        let totaux: Vec<f64> = lignes
            .iter()
            .filter(|l| {
                l["niveau"] == "departement"
                    && l["indicateur"] == "financements"
                    && l["dispositif"] == disp
                    && l["vague"] == vague
                    && l["localisation"] == loc.unwrap_or("")
                    && l["statut_dossier"] == st
                    && l["mesure"] == mes
            })
            .map(|l| l["valeur"].parse::<f64>().unwrap())
            .collect();
        assert_eq!(totaux.len(), 1, "{disp} {vague} {loc:?} {st} {mes}");
        totaux[0]
    };
    let financement = |disp: &str, vague: &str, loc: Option<&str>, mes: &str| {
        par_statut(disp, vague, loc, "", mes)
    };
    // Every margin: all localisations by status, granted apart from the
    // dossiers still under examination.
    assert_eq!(
        par_statut("DSIL relance", "1", None, "retenu", "montant_eur"),
        2_800_000.0
    );
    assert_eq!(
        par_statut("DSIL relance", "1", None, "retenu", "nb_dossiers"),
        4.0
    );
    assert_eq!(
        par_statut("DSIL relance", "2", None, "en_instruction", "montant_eur"),
        2_600_000.0
    );
    assert_eq!(
        par_statut(
            "DSIL relance",
            "2",
            None,
            "arbitrage_en_cours",
            "montant_eur"
        ),
        500_000.0
    );
    assert_eq!(
        financement("DSIL relance", "1", None, "montant_eur"),
        2_800_000.0
    );
    assert_eq!(financement("DSIL relance", "1", None, "nb_dossiers"), 4.0);
    assert_eq!(
        financement("DSIL relance", "1", Some("qpv"), "montant_eur"),
        2_200_000.0
    );
    assert_eq!(
        financement("DSIL relance", "1", Some("qpv"), "nb_dossiers"),
        2.0
    );
    assert_eq!(
        financement("DSIL relance", "2", None, "montant_eur"),
        3_100_000.0
    );
    assert_eq!(
        financement("DSIL rénovation thermique", "", None, "montant_eur"),
        7_500_000.0
    );
    assert_eq!(
        financement(
            "DSID rénovation thermique",
            "",
            Some("proximite_qpv"),
            "montant_eur"
        ),
        1_200_000.0
    );
    assert_eq!(
        financement("Fonds friches", "", Some("qpv"), "montant_eur"),
        500_000.0
    );
    assert_eq!(
        financement("Fonds friches", "", Some("proximite_qpv"), "montant_eur"),
        95_000.0
    );
    assert_eq!(
        financement("Plan de soutien aux associations", "1", None, "nb_dossiers"),
        3.0
    );
    assert_eq!(
        financement("Soutien à l'industrie", "", None, "montant_eur"),
        26_500_000.0
    );
    // The industry call: 53 projects filed, 16 retained; 10 in a commune
    // that has a QPV (7 of them close to one).
    assert_eq!(
        financement("Soutien à l'industrie", "", None, "nb_dossiers"),
        53.0
    );
    assert_eq!(
        par_statut("Soutien à l'industrie", "", None, "retenu", "nb_dossiers"),
        16.0
    );
    assert_eq!(
        par_statut("Soutien à l'industrie", "", None, "retenu", "montant_eur"),
        26_500_000.0
    );
    // The friches envelope, from enveloppes_plan_relance.csv.
    assert!(lignes.iter().any(|l| l["indicateur"] == "enveloppe"
        && l["dispositif"] == "Fonds friches"
        && l["mesure"] == "montant_eur"
        && l["valeur"] == "600000"));
    let en_commune_qpv: Vec<&Ligne> = lignes
        .iter()
        .filter(|l| {
            l["indicateur"] == "financements_commune_qpv"
                && l["dispositif"] == "Soutien à l'industrie"
                && l["localisation"].is_empty()
                && l["statut_dossier"] == "retenu"
                && l["mesure"] == "nb_dossiers"
        })
        .collect();
    assert_eq!(en_commune_qpv.len(), 1);
    assert_eq!(en_commune_qpv[0]["valeur"], "10");
    assert_eq!(
        financement(
            "Soutien à l'industrie",
            "",
            Some("proximite_qpv"),
            "nb_dossiers"
        ),
        7.0
    );
    // A commune holds its own dossiers: Nanterre's centre de santé.
    assert!(lignes.iter().any(|l| l["niveau"] == "commune"
        && l["code"] == "92050"
        && l["dispositif"] == "DSIL relance"
        && l["localisation"] == "qpv"
        && l["mesure"] == "montant_eur"
        && l["valeur"] == "1400000"));

    // The workbook: exact amounts as numbers with a € format, "non disponible".
    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2020T4.xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Missions locales").unwrap();
    let ligne = |libelle: &str| {
        feuille
            .rows()
            .find(|r| r.first() == Some(&Data::String(libelle.into())))
            .unwrap()
            .to_vec()
    };
    assert_eq!(ligne("Jeunes accompagnés")[1], Data::Float(15_139.0));
    assert_eq!(
        ligne("Entrées en PACEA")[3],
        Data::String("non disponible".into())
    );
    assert_eq!(
        ligne("Entrées en PACEA")[4],
        Data::String("non disponible".into())
    );
    assert_eq!(ligne("Entrées en Garantie jeunes")[7], Data::Float(2_026.0));
    let feuille = classeur.worksheet_range("Financements").unwrap();
    let centre = feuille
        .rows()
        .find(|r| r.get(3) == Some(&Data::String("Centre de santé".into())))
        .unwrap();
    // Its status beside it; the registers give natures: a dossier without
    // one has its amount in « Montant », none in « Subvention » or « Prêt ».
    assert_eq!(centre[7], Data::String("retenu".into()));
    assert_eq!(centre[10], Data::Float(1_400_000.0));
    assert_eq!(centre[8], Data::String("–".into()));
    // A project with a grant and a loan is one row, with both.
    let parc_sud: Vec<_> = feuille
        .rows()
        .filter(|r| r.get(3) == Some(&Data::String("Renouvellement urbain du Parc Sud".into())))
        .collect();
    assert_eq!(parc_sud.len(), 1);
    assert_eq!(parc_sud[0][8], Data::Float(50_000_000.0));
    assert_eq!(parc_sud[0][9], Data::Float(30_000_000.0));

    // The PDF, as read.
    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    for attendu in [
        "15 139 jeunes accompagnés par les missions locales en 2020, dont 18,0 % résidant en QPV.",
        "Entrées en Garantie jeunes : 833 en 2020, dont 21,1 % résidant en QPV.",
        "Entrées en PACEA : 4 996 en 2020 (données QPV non disponibles).",
        "Objectifs 2021 : Garantie jeunes, 2 026 entrées ; PACEA, 5 733 entrées.",
        // What was granted first, then what is under instruction.
        "DSIL relance, 1re vague : 2,8 M€ pour 4 dossiers retenus dans le département, dont 2,2 M€ pour 2 en QPV.",
        "DSIL relance, 2e vague : aucun dossier retenu dans le département ; 2,6 M€ en instruction (2 dossiers) ; 500 k€ en arbitrage (1 dossier).",
        "Soutien à l'industrie : 53 dossiers déposés dans le département, 16 retenus pour 26,5 M€ ; 10 dans une commune ayant un QPV, dont 7 à proximité d'un QPV.",
        "Projets retenus en QPV ou à proximité",
        "Fonds friches : 595 k€ pour 3 dossiers retenus dans le département (enveloppe de 600 k€), dont 500 k€ pour 1 en QPV",
        "En QPV : 2,2 M€ pour 2 dossiers retenus — Centre de santé à Nanterre ; Voie douce à Bagneux",
        // A project not retained says so in the list of a dispositif's QPV.
        "Maison de quartier à Gennevilliers (en arbitrage)",
        "Mersen France Gennevilliers SAS Gennevilliers À proximité du QPV « Les Agnettes »",
        "Rénovation du collège Anne Frank à Antony",
    ] {
        assert!(texte.contains(attendu), "« {attendu} » absent du PDF :\n{texte}");
    }
}

/// `--periode` on `run`, `validate` and `send` overrides the quarter of
/// `conseil.toml`: the report of 2020T3 from the same exports, checked,
/// then its messages listed.
#[test]
fn periode_choisit_le_trimestre_de_chaque_commande() {
    let dossier = copie_des_entrees();
    let config = dossier.path().join("conseil.toml");
    let valide = qpv_annexe(&[
        "validate",
        "--periode",
        "2020T3",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert!(valide.status.success(), "{}", stderr(&valide));
    let produit = commande(dossier.path(), "run", &["--periode", "2020T3"]);
    assert!(produit.status.success(), "{}", stderr(&produit));
    let rapport = dossier.path().join("reports/2020T3");
    assert!(rapport.join("annexe-92-2020T3.pdf").is_file());
    assert!(!dossier.path().join("reports/2020T4").exists());
    // No job-seeker figure of 2020T4; the scheme counts are the latest
    // known at the council's date (docs/formats.md), whatever the quarter.
    let fichier =
        std::fs::read_to_string(dossier.path().join("dispositifs_2020-2021.csv")).unwrap();
    let dispositifs: Vec<&str> = fichier
        .lines()
        .skip(1)
        .filter_map(|l| l.split(';').next())
        .collect();
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    assert!(lignes
        .iter()
        .filter(|l| !dispositifs.contains(&l["dispositif"].as_str()))
        .all(|l| l["periode"] != "2020T4"));
    assert!(lignes.iter().any(|l| l["periode"] == "2020T3"));
    let envoi = commande(
        dossier.path(),
        "send",
        &["--periode", "2020T3", "--dry-run"],
    );
    assert!(envoi.status.success(), "{}", stderr(&envoi));
    assert!(
        stderr(&envoi).contains("92007-bagneux.eml"),
        "{}",
        stderr(&envoi)
    );
    let faux = commande(dossier.path(), "run", &["--periode", "2020-4"]);
    assert_eq!(faux.status.code(), Some(2));
    assert!(
        stderr(&faux).contains("--periode « 2020-4 » : attendu un trimestre, par exemple 2020T4")
    );
}

/// The deck's QPV table: "21 quartiers accueillant 103 000 habitants",
/// EPT › commune › quartier, in the three documents and each commune's.
#[test]
fn le_tableau_des_qpv_du_diaporama() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    let chiffre = |niveau: &str, code: &str, mesure: &str| -> (String, String) {
        let l = lignes
            .iter()
            .find(|l| {
                l["niveau"] == niveau
                    && l["code"] == code
                    && l["indicateur"] == "quartiers"
                    && l["mesure"] == mesure
            })
            .unwrap_or_else(|| panic!("{niveau} {code} {mesure} absent"));
        (l["valeur"].clone(), l["statut"].clone())
    };
    let valeur = |v: &str| (v.to_string(), String::new());
    assert_eq!(chiffre("departement", "92", "nb_qpv"), valeur("21"));
    assert_eq!(chiffre("departement", "92", "population"), valeur("103000"));
    assert_eq!(chiffre("ept", "T5", "nb_qpv"), valeur("11"));
    assert_eq!(chiffre("commune", "92050", "population"), valeur("25300"));
    assert_eq!(chiffre("qpv", "QP092016", "population"), valeur("9800"));
    // Asnières shares Les Agnettes and Les Courtilles: its inhabitants in
    // them are not known, never the whole QPV counted in each commune.
    assert_eq!(chiffre("commune", "92004", "nb_qpv"), valeur("3"));
    assert_eq!(
        chiffre("commune", "92004", "population"),
        (String::new(), "nd".to_string())
    );

    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2020T4.xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Quartiers prioritaires").unwrap();
    let ligne = |colonne: usize, texte: &str| {
        feuille
            .rows()
            .find(|r| r.get(colonne) == Some(&Data::String(texte.into())))
            .unwrap_or_else(|| panic!("« {texte} » absent"))
            .to_vec()
    };
    let phrase = espaces_simples(&feuille.get((1, 0)).unwrap().to_string());
    assert_eq!(phrase, "21 quartiers accueillant 103 000 habitants");
    let departement = ligne(0, "Hauts-de-Seine");
    assert_eq!(
        departement[2..4],
        [Data::Float(21.0), Data::Float(103_000.0)]
    );
    assert_eq!(
        ligne(0, "Boucle Nord de Seine")[2..4],
        [Data::Float(11.0), Data::Float(59_700.0)]
    );
    let parc = ligne(2, "Le Parc");
    assert_eq!(parc[0], Data::String("Paris Ouest La Défense".into()));
    assert_eq!(parc[1], Data::String("Nanterre".into()));
    assert_eq!(parc[4], Data::Float(9_800.0));
    // An intercommunal QPV once, with its communes.
    let courtilles: Vec<_> = feuille
        .rows()
        .filter(|r| r.get(2) == Some(&Data::String("Les Courtilles".into())))
        .collect();
    assert_eq!(courtilles.len(), 1);
    assert_eq!(
        courtilles[0][1],
        Data::String("Asnières-sur-Seine, Gennevilliers, Villeneuve-la-Garenne".into())
    );

    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        texte.contains(
            "Les QPV du département : Hauts-de-Seine 21 quartiers accueillant 103 000 habitants"
        ),
        "{texte}"
    );
    // The opening page, before the job seekers: EPT › commune › quartier.
    let (qpv, emploi) = (
        texte.find("Noyer Doré").unwrap(),
        texte.find("Emploi et insertion professionnelle").unwrap(),
    );
    assert!(texte.find("Vallée Sud - Grand Paris").unwrap() < qpv && qpv < emploi);
    assert!(texte.contains("Le Parc QP092016 9 800"), "{texte}");

    let nanterre = rapport.join("communes/92050-nanterre");
    let texte =
        espaces_simples(&pdf_extract::extract_text(nanterre.with_extension("pdf")).unwrap());
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        texte.contains(
            "Quartiers prioritaires de la commune : 5 quartiers accueillant 25 300 habitants"
        ),
        "{texte}"
    );
    let mut classeur: Xlsx<_> = open_workbook(nanterre.with_extension("xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Commune").unwrap();
    let parc = feuille
        .rows()
        .find(|r| r.first() == Some(&Data::String("Le Parc (QP092016)".into())))
        .unwrap();
    assert_eq!(parc.last(), Some(&Data::Float(9_800.0)));
}

/// Without populations in the referential, the QPV are counted and no
/// inhabitants are shown, rather than "nd" everywhere.
#[test]
fn un_referentiel_sans_population_donne_les_qpv_sans_habitants() {
    let dossier = copie_des_entrees();
    let chemin = dossier.path().join("referentiel_qpv_2015.csv");
    let sans: String = std::fs::read_to_string(&chemin)
        .unwrap()
        .lines()
        .map(|l| format!("{}\n", l.rsplit_once(';').unwrap().0))
        .collect();
    std::fs::write(&chemin, sans).unwrap();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    let quartiers: Vec<_> = lignes
        .iter()
        .filter(|l| l["indicateur"] == "quartiers")
        .collect();
    assert!(quartiers.iter().all(|l| l["mesure"] == "nb_qpv"));
    assert!(quartiers
        .iter()
        .any(|l| l["niveau"] == "departement" && l["valeur"] == "21"));
    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    assert!(texte.contains("21 quartiers"));
    assert!(!texte.contains("habitants"), "{texte}");
    assert!(!texte.contains("Habitants"), "{texte}");
}

/// The deck's scheme figures, from `dispositifs_2020-2021.csv`: in
/// `indicateurs.csv`, as numbers in the workbook, in the PDF's text, and a
/// commune's own in its documents.
#[test]
fn les_chiffres_des_dispositifs_du_diaporama() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    let chiffre = |disp: &str, ind: &str, cat: &str, mes: &str| -> String {
        let trouves: Vec<_> = lignes
            .iter()
            .filter(|l| {
                l["niveau"] == "departement"
                    && l["dispositif"] == disp
                    && l["indicateur"] == ind
                    && l["categorie"] == cat
                    && l["mesure"] == mes
                    && l["statut"] != "nd"
            })
            .collect();
        assert_eq!(trouves.len(), 1, "{disp} {ind} {cat} {mes}");
        assert_eq!(trouves[0]["statut"], "", "{disp} {ind} {cat} {mes}");
        trouves[0]["valeur"].clone()
    };
    let siae = "Insertion par l'activité économique";
    assert_eq!(chiffre(siae, "structures_siae", "", "nombre"), "61");
    assert_eq!(chiffre(siae, "structures_siae_qpv", "", "nombre"), "26");
    for (cat, n) in [("EI", "14"), ("ETTI", "2"), ("ACI", "6"), ("AI", "4")] {
        assert_eq!(chiffre(siae, "structures_siae_qpv", cat, "nombre"), n);
    }
    let ef = "Emplois francs";
    assert_eq!(
        chiffre(ef, "demandes_d_employeurs_validees", "", "nombre"),
        "1486"
    );
    assert_eq!(
        chiffre(ef, "demandeurs_d_emploi_beneficiaires", "", "effectif"),
        "754"
    );
    let depuis = lignes
        .iter()
        .find(|l| l["indicateur"] == "demandes_d_employeurs_validees")
        .unwrap();
    assert_eq!(
        (depuis["depuis"].as_str(), depuis["au"].as_str()),
        ("2019-03-01", "2020-12-31")
    );
    assert_eq!(
        chiffre(
            "Primes à l'embauche d'apprentis",
            "primes_attribuees",
            "",
            "effectif"
        ),
        "15232"
    );
    let ca = "Contrats aidés jeunes";
    assert_eq!(chiffre(ca, "contrats_signes", "CIE jeunes", "nombre"), "32");
    assert_eq!(chiffre(ca, "contrats_signes", "PEC jeunes", "nombre"), "68");
    assert_eq!(
        chiffre(ca, "contrats_signes", "Emplois francs+", "nombre"),
        "18"
    );
    assert_eq!(
        chiffre(ca, "contrats_signes", "CIE jeunes", "objectif"),
        "633"
    );
    assert_eq!(
        chiffre(ca, "contrats_signes", "PEC jeunes", "objectif"),
        "868"
    );
    let ar = "Adultes-relais";
    assert_eq!(chiffre(ar, "conventions_signees", "", "nombre"), "75");
    assert_eq!(chiffre(ar, "adultes_relais_employes", "", "effectif"), "67");
    assert_eq!(chiffre(ar, "structures_employeuses", "", "nombre"), "47");
    assert_eq!(
        chiffre(ar, "conventions_en_cours_de_finalisation", "", "nombre"),
        "8"
    );
    assert_eq!(chiffre(ar, "conventions_a_attribuer", "", "nombre"), "20");
    assert_eq!(chiffre("SESAME", "jeunes_entres", "", "effectif"), "70");
    assert_eq!(chiffre("SESAME", "jeunes_entres_qpv", "", "effectif"), "44");
    let cr = "Cordées de la réussite";
    assert_eq!(chiffre(cr, "eleves_encordes", "", "effectif"), "1032");
    assert_eq!(chiffre(cr, "lycees", "", "nombre"), "18");
    assert_eq!(chiffre(cr, "colleges", "", "nombre"), "22");
    assert_eq!(
        chiffre(
            "Valeurs de la République et laïcité",
            "personnes_formees",
            "",
            "effectif"
        ),
        "78"
    );
    assert_eq!(chiffre("DILCRAH", "actions_financees", "", "nombre"), "8");
    assert_eq!(
        chiffre("DILCRAH", "montant_accorde", "", "montant_eur"),
        "25500"
    );

    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2020T4.xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Dispositifs").unwrap();
    let ligne = |chiffre: &str, cat: &str| -> Vec<Data> {
        feuille
            .rows()
            .find(|r| {
                r.get(1) == Some(&Data::String(chiffre.into()))
                    && r.get(2).map(|c| c.to_string()).as_deref() == Some(cat)
                    && r.get(3) == Some(&Data::String("Hauts-de-Seine".into()))
            })
            .unwrap_or_else(|| panic!("{chiffre} {cat} absent"))
            .to_vec()
    };
    let siae = ligne("structures (SIAE)", "");
    assert_eq!(siae[7..9], [Data::Float(61.0), Data::Float(26.0)]);
    assert_eq!(ligne("structures (SIAE)", "ETTI")[8], Data::Float(2.0));
    assert_eq!(
        espaces_simples(&ligne("demandes d'employeurs validées", "")[5].to_string()),
        "1er mars 2019"
    );
    let cible = feuille
        .rows()
        .find(|r| {
            r.get(2) == Some(&Data::String("CIE jeunes".into()))
                && r.get(4) == Some(&Data::String("2021".into()))
        })
        .unwrap();
    assert_eq!(cible[10], Data::Float(633.0));
    assert_eq!(ligne("montant accordé", "")[7], Data::Float(25_500.0));

    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    for attendu in [
        "61 structures (SIAE), dont 26 en QPV (42,6 %) au 31 décembre 2020",
        "EI : 30 structures (SIAE), dont 14 en QPV",
        "ETTI : 8 structures (SIAE), dont 2 en QPV",
        "ACI : 15 structures (SIAE), dont 6 en QPV",
        "AI : 8 structures (SIAE), dont 4 en QPV",
        "1 486 demandes d'employeurs validées depuis le 1er mars 2019, au 31 décembre 2020",
        "754 demandeurs d'emploi bénéficiaires",
        "15 232 primes attribuées depuis le 1er septembre 2020, au 31 mars 2021",
        "CIE jeunes : 32 contrats signés",
        "contrats signés (CIE jeunes) : objectif 633 en 2021",
        "contrats signés (PEC jeunes) : objectif 868 en 2021",
        "75 conventions signées",
        "67 adultes-relais employés",
        "47 structures employeuses",
        "8 conventions en cours de finalisation",
        "20 conventions à attribuer",
        "70 jeunes entrés, dont 44 en QPV (62,9 %) depuis le 1er janvier 2015",
        "1 032 élèves encordés",
        "18 lycées",
        "22 collèges",
        "78 personnes formées depuis le 1er janvier 2020",
        "8 actions financées en 2021",
        "montant accordé : 25 500 € en 2021",
    ] {
        assert!(
            texte.contains(attendu),
            "« {attendu} » absent du PDF :\n{texte}"
        );
    }

    // Nanterre's own count, in its documents only.
    let nanterre = rapport.join("communes/92050-nanterre");
    let texte =
        espaces_simples(&pdf_extract::extract_text(nanterre.with_extension("pdf")).unwrap());
    assert!(
        texte.contains("Dispositifs dans la commune et ses QPV"),
        "{texte}"
    );
    let mut classeur: Xlsx<_> = open_workbook(nanterre.with_extension("xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Commune").unwrap();
    let ef = feuille
        .rows()
        .find(|r| r.get(1) == Some(&Data::String("demandeurs d'emploi bénéficiaires".into())))
        .unwrap();
    assert_eq!(ef[5], Data::Float(160.0));
    assert!(!feuille.rows().any(|r| r.contains(&Data::Float(118.0))));
}

/// The deck's "Quartiers culturels créatifs" calendar, from
/// `calendrier_appels_a_projets.csv`: the steps from the council's date (27
/// April 2021) on, by date, in the workbook and the PDF; a step before it is
/// left out.
#[test]
fn le_calendrier_des_appels_a_projets_part_du_conseil() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2020T4.xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Calendrier").unwrap();
    let qcc: Vec<(String, String)> = feuille
        .rows()
        .filter(|r| r.first() == Some(&Data::String("Quartiers culturels créatifs".into())))
        .map(|r| (r[1].to_string(), r[2].to_string()))
        .collect();
    let attendu: Vec<(String, String)> = [
        ("date limite de dépôt", "11 juin 2021"),
        ("session d'attribution", "9 juillet 2021"),
        ("date limite de dépôt", "octobre 2021"),
        ("session d'attribution", "novembre 2021"),
        ("date limite de dépôt", "avril 2022"),
        ("session d'attribution", "mai 2022"),
        ("date limite de dépôt", "octobre 2022"),
        ("session d'attribution", "novembre 2022"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .to_vec();
    // Dates keep their no-break spaces (a date never breaks).
    let qcc: Vec<(String, String)> = qcc
        .into_iter()
        .map(|(a, b)| (a, espaces_simples(&b)))
        .collect();
    assert_eq!(qcc, attendu);
    assert!(!feuille
        .rows()
        .any(|r| r.first() == Some(&Data::String("Colos apprenantes".into()))));
    let texte = pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap();
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(texte.contains("Calendrier des appels à projets"), "{texte}");
    assert!(
        texte.contains("Quartiers culturels créatifs date limite de dépôt 11 juin 2021"),
        "{texte}"
    );
    assert!(!texte.contains("Colos apprenantes"), "{texte}");
}

/// The deck's structures and labels, from `structures_2020-2021.csv`:
/// counts by type × status, "in a commune with a QPV" from the
/// referential, by year; in `indicateurs.csv`, the workbook and the PDF;
/// a commune's own in its documents.
#[test]
fn les_structures_et_labels_du_diaporama() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    let nombre = |type_: &str, ind: &str, loc: &str, periode: &str| -> String {
        let l: Vec<_> = lignes
            .iter()
            .filter(|l| {
                l["niveau"] == "departement"
                    && l["dispositif"] == type_
                    && l["indicateur"] == ind
                    && l["localisation"] == loc
                    && l["periode"] == periode
                    && l["mesure"] == "nombre"
            })
            .collect();
        assert_eq!(l.len(), 1, "{type_} {ind} {loc} {periode}");
        l[0]["valeur"].clone()
    };
    let msp = "Maisons de santé pluriprofessionnelles";
    assert_eq!(nombre(msp, "structures_ouvert", "", "2020T4"), "11");
    assert_eq!(
        nombre(msp, "structures_ouvert_commune_qpv", "", "2020T4"),
        "5"
    );
    assert_eq!(nombre(msp, "structures_en_projet", "", "2020T4"), "4");
    assert_eq!(
        nombre(msp, "structures_en_projet_commune_qpv", "", "2020T4"),
        "2"
    );
    let fs = "France services";
    assert_eq!(nombre(fs, "structures_labellise", "", "2020"), "3");
    assert_eq!(nombre(fs, "structures_labellise", "", "2021"), "3");
    assert_eq!(nombre(fs, "structures_en_projet", "", "2020T4"), "3");
    assert_eq!(nombre("PRIJ", "structures_labellise", "", "2020"), "3");
    assert_eq!(nombre("PRIJ", "structures_labellise", "", "2021"), "4");
    assert_eq!(
        nombre("Maisons sport-santé", "structures_labellise", "", "2020"),
        "2"
    );
    assert_eq!(
        nombre("Maisons sport-santé", "structures_labellise", "", "2021"),
        "3"
    );
    assert_eq!(
        nombre("Micro-folies", "structures_ouvert", "", "2020T4"),
        "1"
    );
    let tl = "Tiers-lieux Fabrique des territoires";
    assert_eq!(nombre(tl, "structures_labellise", "", "2020T4"), "3");
    assert_eq!(
        nombre(tl, "structures_labellise", "proximite_qpv", "2020T4"),
        "1"
    );
    assert_eq!(
        nombre(
            "SIAE nouvellement agréées en QPV",
            "structures_ouvert",
            "qpv",
            "2020T4"
        ),
        "3"
    );

    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2020T4.xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Structures et labels").unwrap();
    let ligne = feuille
        .rows()
        .find(|r| {
            r.first() == Some(&Data::String(msp.into()))
                && r.get(1) == Some(&Data::String("ouvert".into()))
        })
        .unwrap();
    assert_eq!(ligne[2], Data::Float(11.0));
    assert_eq!(ligne[5], Data::Float(5.0));
    assert!(feuille.rows().any(|r| r.get(1)
        == Some(&Data::String("Le Plus petit cirque du monde".into()))
        && r.get(3) == Some(&Data::String("Tertres - Cuverons (QP092019)".into()))
        && r.get(4) == Some(&Data::String("À proximité d'un QPV".into()))));

    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    for attendu in [
        "Maisons de santé pluriprofessionnelles — ouvert : 11, dont 5 dans une commune ayant un QPV",
        "en projet : 4, dont 2 dans une commune ayant un QPV",
        "France services — labellisé : 6, dont 4 dans une commune ayant un QPV, 2 en QPV (3 en 2020, 3 en 2021)",
        "PRIJ — labellisé : 7, dont 7 dans une commune ayant un QPV (3 en 2020, 4 en 2021)",
        "Maisons sport-santé — labellisé : 5, dont 3 dans une commune ayant un QPV (2 en 2020, 3 en 2021)",
        "Micro-folies — ouvert : 1",
        "Tiers-lieux Fabrique des territoires — labellisé : 3",
        "SIAE nouvellement agréées en QPV — ouvert : 3",
        "MSP Les Agnettes",
    ] {
        assert!(texte.contains(attendu), "« {attendu} » absent du PDF :\n{texte}");
    }

    // Gennevilliers lists its own, not Nanterre's.
    let gennevilliers = rapport.join("communes/92036-gennevilliers");
    let texte = pdf_extract::extract_text(gennevilliers.with_extension("pdf")).unwrap();
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        texte.contains("Structures et labels de la commune"),
        "{texte}"
    );
    assert!(
        texte.contains("MSP Patrick Nochy") && !texte.contains("Electrolab"),
        "{texte}"
    );
}

/// A dossier decided after the quarter's end is left out of it, and the
/// documents say how many.
#[test]
fn un_dossier_decide_apres_le_trimestre_n_est_pas_compte() {
    let dossier = copie_des_entrees();
    let chemin = dossier.path().join("financements_plan_relance.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap().replace(
        "DSIL relance;1;Ville de Bagneux;Voie douce;92007;QP092019;;800 000,00;Retenu;2020-09-15;",
        "DSIL relance;1;Ville de Bagneux;Voie douce;92007;QP092019;;800 000,00;Retenu;2021-03-03;",
    );
    std::fs::write(&chemin, texte).unwrap();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    let total = lignes
        .iter()
        .find(|l| {
            l["niveau"] == "departement"
                && l["indicateur"] == "financements"
                && l["dispositif"] == "DSIL relance"
                && l["vague"] == "1"
                && l["localisation"].is_empty()
                && l["statut_dossier"].is_empty()
                && l["mesure"] == "montant_eur"
        })
        .unwrap();
    assert_eq!(total["valeur"], "2000000");
    assert!(!lignes.iter().any(|l| l["libelle"].contains("Voie douce")));
    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        texte.contains("1 dossier décidé après le 31 décembre 2020 n'est pas compté"),
        "{texte}"
    );
    assert!(
        texte.contains("DSIL relance, 1re vague : 2,0 M€ pour 3 dossiers retenus"),
        "{texte}"
    );
    // Bagneux's page says it too, rather than leaving the project out in
    // silence.
    let page = espaces_simples(
        &pdf_extract::extract_text(rapport.join("communes/92007-bagneux.pdf")).unwrap(),
    );
    let page = page.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        page.contains("1 dossier de la commune décidé après le 31 décembre 2020 n'est pas compté"),
        "{page}"
    );
}

/// The registers' optional columns: the NPNRU's grants and loans and its
/// total cost, the social homes rehabilitated, in `indicateurs.csv` and the
/// PDF; the workbook lists the dossiers with their amounts.
#[test]
fn natures_quantites_et_couts_des_registres() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    let chiffre = |ind: &str, disp: &str, vague: &str, cat: &str| -> String {
        let l: Vec<_> = lignes
            .iter()
            .filter(|l| {
                l["indicateur"] == ind
                    && l["dispositif"] == disp
                    && l["vague"] == vague
                    && l["categorie"] == cat
                    && l["statut_dossier"].is_empty()
            })
            .collect();
        assert_eq!(l.len(), 1, "{ind} {disp} {vague} {cat}");
        l[0]["valeur"].clone()
    };
    let npnru = "NPNRU (concours de l'ANRU)";
    assert_eq!(
        chiffre("financements_par_nature", npnru, "", "subvention"),
        "142300000"
    );
    assert_eq!(
        chiffre("financements_par_nature", npnru, "", "pret"),
        "78000000"
    );
    assert_eq!(
        chiffre("financements_cout_total", npnru, "", ""),
        "840000000"
    );
    let logements = "Réhabilitation des logements sociaux";
    assert_eq!(
        chiffre("financements_quantite", logements, "1", "logements"),
        "355"
    );
    assert_eq!(
        chiffre("financements_quantite", logements, "2", "logements"),
        "1683"
    );
    // Status by status too: the 1 683 homes are under instruction.
    assert!(lignes
        .iter()
        .any(|l| l["indicateur"] == "financements_quantite"
            && l["vague"] == "2"
            && l["statut_dossier"] == "en_instruction"
            && l["valeur"] == "1683"));
    let texte =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-92-2020T4.pdf")).unwrap());
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    for attendu in [
        "NPNRU (concours de l'ANRU) : 220,3 M€ pour 8 dossiers retenus dans le département, dont 142,3 M€ de subventions et 78,0 M€ de prêts, pour un coût total de 840,0 M€",
        "Réhabilitation des logements sociaux, 1re vague : montant non disponible pour 1 dossier retenu dans le département, 355 logements",
        // The quantities of a status are said with it.
        "aucun dossier retenu dans le département ; montant non disponible en instruction (1 dossier, 1 683 logements)",
        // A project with a grant and a loan: once, with both natures.
        "Renouvellement urbain du Parc Sud à Nanterre (subvention et prêt)",
    ] {
        assert!(texte.contains(attendu), "« {attendu} » absent du PDF :\n{texte}");
    }
}

/// The workbook as data: every funding figure of `indicateurs.csv` at the
/// département's level (each dispositif × vague × localisation × status,
/// and the margins) is a number in a cell of the « Financements » sheet,
/// equal to the published one; the deck's funding figures are numbers
/// there too, not words in a sentence.
#[test]
fn les_financements_du_classeur_sont_des_nombres() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2020T4.xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Financements").unwrap();
    let rangees: Vec<Vec<Data>> = feuille.rows().map(|r| r.to_vec()).collect();
    let entete = rangees
        .iter()
        .position(|r| r.first() == Some(&Data::String("Dispositif".into())))
        .unwrap();
    let texte = |c: &Data| match c {
        Data::Empty => String::new(),
        c => c.to_string(),
    };
    let localisation = |l: &str| match l {
        "Toutes localisations" => "",
        "En QPV" => "qpv",
        "À proximité d'un QPV" => "proximite_qpv",
        _ => "hors_qpv",
    };
    let statut = |s: &str| match s {
        "Tous statuts" => "",
        "retenu" => "retenu",
        "en instruction" => "en_instruction",
        "en arbitrage" => "arbitrage_en_cours",
        _ => "refuse",
    };
    // (dispositif, vague, localisation, statut) → (dossiers, montant).
    let mut cellules = std::collections::HashMap::new();
    for r in rangees[entete + 1..]
        .iter()
        .take_while(|r| !r.iter().all(|c| *c == Data::Empty))
    {
        let cle = (
            texte(&r[0]),
            texte(&r[1]),
            localisation(&texte(&r[2])).to_string(),
            statut(&texte(&r[3])).to_string(),
        );
        cellules.insert(cle, (r[4].clone(), r[5].clone()));
    }
    let publiees: Vec<&Ligne> = lignes
        .iter()
        .filter(|l| l["niveau"] == "departement" && l["indicateur"] == "financements")
        .collect();
    assert!(publiees.len() > 40);
    for l in &publiees {
        let cle = (
            l["dispositif"].clone(),
            l["vague"].clone(),
            l["localisation"].clone(),
            l["statut_dossier"].clone(),
        );
        let (dossiers, montant) = cellules
            .get(&cle)
            .unwrap_or_else(|| panic!("{cle:?} absent du classeur"));
        let cellule = if l["mesure"] == "nb_dossiers" {
            dossiers
        } else {
            montant
        };
        match l["statut"].as_str() {
            "" => assert_eq!(
                *cellule,
                Data::Float(l["valeur"].parse().unwrap()),
                "{cle:?} {}",
                l["mesure"]
            ),
            s => assert_eq!(
                *cellule,
                Data::String(Statut::depuis_code_csv(Some(s)).signe().into())
            ),
        }
    }
    let nombre = |d: &str, v: &str, l: &str, s: &str| {
        cellules[&(d.into(), v.into(), l.into(), s.into())].clone()
    };
    // The deck's figures: DSIL's first wave, the industry projects filed
    // and retained, the friches fund, the NPNRU.
    assert_eq!(
        nombre("DSIL relance", "1", "", "retenu").1,
        Data::Float(2_800_000.0)
    );
    assert_eq!(
        nombre("Soutien à l'industrie", "", "", "").0,
        Data::Float(53.0)
    );
    assert_eq!(
        nombre("Soutien à l'industrie", "", "", "retenu"),
        (Data::Float(16.0), Data::Float(26_500_000.0))
    );
    assert_eq!(
        nombre("Fonds friches", "", "", "").1,
        Data::Float(595_000.0)
    );
    assert_eq!(
        nombre("NPNRU (concours de l'ANRU)", "", "", "").1,
        Data::Float(220_300_000.0)
    );
    let tout: Vec<String> = rangees.iter().flatten().map(texte).collect();
    assert!(tout.iter().any(|c| c == "Subventions"));
    assert!(rangees
        .iter()
        .any(|r| r.contains(&Data::String("Subventions".into()))
            && r.contains(&Data::Float(142_300_000.0))));
    assert!(rangees.iter().any(
        |r| r.contains(&Data::String("Prêts".into())) && r.contains(&Data::Float(78_000_000.0))
    ));
    // The 10 retained industry projects in towns with a QPV.
    let industrie = rangees
        .iter()
        .find(|r| {
            texte(&r[0]) == "Soutien à l'industrie"
                && texte(&r[2]) == "Toutes localisations"
                && texte(&r[3]) == "retenu"
        })
        .unwrap();
    assert_eq!(industrie[6], Data::Float(10.0));
    // No sentence of amounts in the data sheet.
    assert!(
        !tout.iter().any(|c| c.contains(" pour ") && c.contains("€")),
        "{tout:?}"
    );
}
