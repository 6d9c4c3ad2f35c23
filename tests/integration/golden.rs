//! The golden scenario: the sample inputs reproduce the seed deck's figures
//! (DOMAIN.md, "Reference figures") in all three documents.

use std::collections::HashMap;

use calamine::{open_workbook, Data, Reader, Xlsx};
use sha2::Digest;

use crate::commun::*;

/// `indicateurs.csv` by (niveau, code, indicateur, mesure) → (valeur, statut).
fn lire_indicateurs(
    chemin: &std::path::Path,
) -> HashMap<(String, String, String, String), (String, String)> {
    let texte = std::fs::read_to_string(chemin).unwrap();
    let mut lignes = texte.lines();
    assert_eq!(
        lignes.next().unwrap(),
        "periode,niveau,code,libelle,indicateur,mesure,valeur,statut"
    );
    lignes
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            assert_eq!(c.len(), 8, "{l}");
            assert_eq!(c[0], "2020T4");
            (
                (c[1].into(), c[2].into(), c[4].into(), c[5].into()),
                (c[6].into(), c[7].into()),
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
    qpv_annexe::render::format::arrondir(x * 100.0, 1)
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
    for f in [
        "indicateurs.csv",
        "annexe-92-2020T4.xlsx",
        "annexe-92-2020T4.pdf",
    ] {
        let a = std::fs::read(premier.join(f)).unwrap();
        let b = std::fs::read(dossier.path().join("reports/2020T4").join(f)).unwrap();
        assert!(a == b, "{f} diffère d'une exécution à l'autre");
    }
}

#[test]
fn un_rapport_existant_n_est_remplace_qu_avec_force() {
    let dossier = copie_des_entrees();
    assert!(run(dossier.path()).status.success());
    let second = run(dossier.path());
    assert_eq!(second.status.code(), Some(2));
    assert!(
        stderr(&second).contains("existe déjà ; relancez avec --force"),
        "{}",
        stderr(&second)
    );
    let config = dossier.path().join("conseil.toml");
    let rapports = dossier.path().join("reports");
    let force = qpv_annexe(&[
        "run",
        "-q",
        "--force",
        "--config",
        config.to_str().unwrap(),
        "--reports",
        rapports.to_str().unwrap(),
    ]);
    assert!(force.status.success(), "{}", stderr(&force));
    // Nothing but the report is left in the reports folder.
    let restes: Vec<_> = std::fs::read_dir(&rapports)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(restes, vec![std::ffi::OsString::from("2020T4")]);
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
            "demandeurs_emploi_2019T4-2020T4.csv"
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
    assert_eq!(m["sorties"].as_array().unwrap().len(), 3);
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
    let debut = std::time::Instant::now();
    let chantier_pret = || {
        std::fs::read_dir(&rapports)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| e.path().join("manifest.json").exists())
    };
    while !chantier_pret() {
        assert!(
            debut.elapsed().as_secs() < 60,
            "le rapport n'a jamais été préparé"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
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
    assert_eq!(restes, vec![std::ffi::OsString::from("2020T4")]);
}
