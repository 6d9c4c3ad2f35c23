//! Quarter after quarter without touching `conseil.toml`: the period found
//! in the exports (run, validate) or among the published reports (audit,
//! send), the council date from `[calendrier]`, or none.

use crate::commun::{commande, copie_des_entrees, espaces_simples, qpv_annexe, stderr};
use std::path::Path;

/// `conseil.toml` of `dossier` with `periode`, `date` and the calendar
/// taken out and `ajout` appended.
fn sans_periode_ni_date(dossier: &Path, ajout: &str) {
    let chemin = dossier.join("conseil.toml");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let mut lignes: Vec<&str> = texte
        .lines()
        .filter(|l| {
            !["periode =", "date =", "[calendrier]", "conseils ="]
                .iter()
                .any(|cle| l.starts_with(cle))
        })
        .collect();
    lignes.push(ajout);
    std::fs::write(&chemin, lignes.join("\n")).unwrap();
}

fn texte_pdf(chemin: &Path) -> String {
    let texte = espaces_simples(&pdf_extract::extract_text(chemin).unwrap());
    texte.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// No period, no date: the latest quarter of the exports, said; documents
/// headed with the quarter alone; then audit and send find that report.
#[test]
fn sans_periode_le_dernier_trimestre_des_exports() {
    let dossier = copie_des_entrees();
    sans_periode_ni_date(dossier.path(), "");
    let produit = commande(dossier.path(), "run", &[]);
    assert!(produit.status.success(), "{}", stderr(&produit));
    assert!(
        stderr(&produit).contains(
            "Trimestre traité : 4e trimestre 2020 (2020T4), le dernier des exports des demandeurs d'emploi."
        ),
        "{}",
        stderr(&produit)
    );
    let rapport = dossier.path().join("reports/2020T4");
    let texte = texte_pdf(&rapport.join("annexe-92-2020T4.pdf"));
    assert!(
        texte.contains("Annexe statistique — 4e trimestre 2020"),
        "{texte}"
    );
    assert!(!texte.contains("Conseil territorial de la politique de la Ville du"));
    let manifeste = std::fs::read_to_string(rapport.join("manifest.json")).unwrap();
    assert!(
        !manifeste.contains("\"date\": \"2021-04-27\""),
        "{manifeste}"
    );

    let audit = commande(dossier.path(), "audit", &[]);
    assert!(audit.status.success(), "{}", stderr(&audit));
    assert!(
        stderr(&audit)
            .contains("Trimestre : 4e trimestre 2020 (2020T4), le dernier rapport publié."),
        "{}",
        stderr(&audit)
    );
    let envoi = commande(dossier.path(), "send", &[]);
    assert!(envoi.status.success(), "{}", stderr(&envoi));
    let boite = dossier.path().join("reports/2020T4/outbox");
    let message = std::fs::read_dir(&boite)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|m| m.contains("Bagneux"))
        .unwrap();
    assert!(message.contains("Date: Thu, 31 Dec 2020"), "{message}");
    assert!(!message.contains("préparée pour"), "{message}");
}

/// The council date: the first of `[calendrier] conseils` after the
/// quarter's end (not the one before it).
#[test]
fn la_date_du_prochain_conseil_du_calendrier() {
    let dossier = copie_des_entrees();
    sans_periode_ni_date(
        dossier.path(),
        "\n[calendrier]\nconseils = [\"2020-11-17\", \"2021-06-29\", \"2021-02-09\"]\n",
    );
    let produit = commande(dossier.path(), "run", &[]);
    assert!(produit.status.success(), "{}", stderr(&produit));
    let texte = texte_pdf(&dossier.path().join("reports/2020T4/annexe-92-2020T4.pdf"));
    assert!(
        texte.contains("Conseil territorial de la politique de la Ville du 9 février 2021"),
        "{texte}"
    );
    let faux = dossier.path().join("conseil.toml");
    let t = std::fs::read_to_string(&faux).unwrap();
    std::fs::write(&faux, t.replace("\"2021-02-09\"", "\"9 février\"")).unwrap();
    let refuse = qpv_annexe(&["validate", "--config", faux.to_str().unwrap()]);
    assert_eq!(refuse.status.code(), Some(2), "{}", stderr(&refuse));
    assert!(
        stderr(&refuse).contains("attendu une date AAAA-MM-JJ"),
        "{}",
        stderr(&refuse)
    );
}

/// `audit` or `send` with no period and nothing published: refused, saying
/// what to do.
#[test]
fn rien_de_publie_rien_a_envoyer() {
    let dossier = copie_des_entrees();
    sans_periode_ni_date(dossier.path(), "");
    for c in ["audit", "send"] {
        let sortie = commande(dossier.path(), c, &[]);
        assert_eq!(sortie.status.code(), Some(2), "{}", stderr(&sortie));
        assert!(
            stderr(&sortie).contains("aucun rapport publié dans")
                && stderr(&sortie).contains("lancez d'abord « qpv-annexe run »"),
            "{}",
            stderr(&sortie)
        );
    }
}

/// A quarter of 2021 while the missions locales' export stops at 2020:
/// 2020's figures, named as such, not "non disponible" for 2021.
#[test]
fn les_series_annuelles_prennent_leur_derniere_annee() {
    let dossier = copie_des_entrees();
    let export = dossier.path().join("demandeurs_emploi_2019T4-2020T4.csv");
    let texte = std::fs::read_to_string(&export).unwrap();
    let suivant: String = texte
        .lines()
        .filter_map(|l| l.strip_prefix("2020T4;"))
        .map(|reste| format!("2021T1;{reste}\n"))
        .collect();
    std::fs::write(&export, format!("{texte}{suivant}")).unwrap();
    let produit = commande(dossier.path(), "run", &[]);
    assert!(produit.status.success(), "{}", stderr(&produit));
    let rapport = dossier.path().join("reports/2021T1");
    let csv = std::fs::read_to_string(rapport.join("indicateurs.csv")).unwrap();
    assert!(
        csv.contains("\n2020,departement,92,Hauts-de-Seine,jeunes_accompagnes,effectif,15139,"),
        "{csv}"
    );
    assert!(!csv.contains("\n2021,departement,92,Hauts-de-Seine,jeunes_accompagnes,effectif,"));
    let texte = texte_pdf(&rapport.join("annexe-92-2021T1.pdf"));
    assert!(
        texte.contains("15 139 jeunes accompagnés par les missions locales en 2020"),
        "{texte}"
    );
    assert!(texte.contains("Conseil territorial de la politique de la Ville du 27 avril 2021"));
}

/// The next quarter's rolling export repeats 2020T4 with one figure
/// revised: no "given twice" error, the newer file's value kept, the
/// revision said on the terminal and in "Notes et sources".
#[test]
fn les_exports_qui_se_recouvrent_retiennent_le_plus_recent() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dossier = copie_des_entrees();
    let ancien =
        std::fs::read_to_string(dossier.path().join("demandeurs_emploi_2019T4-2020T4.csv"))
            .unwrap();
    let mut nouveau = format!("{}\n", ancien.lines().next().unwrap());
    for l in ancien.lines().filter(|l| l.starts_with("2020T4;")) {
        let mut champs: Vec<String> = l.split(';').map(String::from).collect();
        if champs[2] == "QP092016" {
            assert_eq!(champs[6], "226");
            champs[6] = "229".into();
        }
        nouveau.push_str(&format!("{}\n", champs.join(";")));
    }
    for l in ancien.lines().filter_map(|l| l.strip_prefix("2020T4;")) {
        nouveau.push_str(&format!("2021T1;{l}\n"));
    }
    std::fs::write(
        dossier.path().join("demandeurs_emploi_2020T4-2021T1.csv"),
        nouveau,
    )
    .unwrap();
    let produit = commande(dossier.path(), "run", &[]);
    assert!(produit.status.success(), "{}", stderr(&produit));
    let revision = "demandeurs_emploi_2019T4-2020T4.csv:191: révision du producteur : QP092016 (de_abc_moins_26) pour 2020T4, 226 dans ce fichier, 229 dans demandeurs_emploi_2020T4-2021T1.csv (retenu";
    assert!(stderr(&produit).contains(revision), "{}", stderr(&produit));
    let rapport = dossier.path().join("reports/2021T1");
    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2021T1.xlsx")).unwrap();
    let notes = classeur.worksheet_range("Notes et sources").unwrap();
    let textes: Vec<String> = notes
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(
        textes
            .iter()
            .any(|t| t.starts_with("Révisions du producteur")),
        "{textes:?}"
    );
    assert!(
        textes
            .iter()
            .any(|t| t.contains("révision du producteur : QP092016")),
        "{textes:?}"
    );
    // The quarterly evolution of 2021T1 starts from the revised 229.
    let csv = std::fs::read_to_string(rapport.join("indicateurs.csv")).unwrap();
    assert!(
        csv.contains(
            "\n2021T1,qpv,QP092016,Le Parc,de_abc_moins_26,evolution_trimestrielle,-0.01310"
        ),
        "{}",
        csv.lines()
            .filter(|l| l.contains("QP092016,Le Parc,de_abc_moins_26,evolution"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The history: each published run keeps the quarters it read under
/// `reports/historique/`, with each row's file and SHA-256; once the old
/// export is moved away, the next quarter's evolution over a year still
/// comes from it.
#[test]
fn l_historique_remplace_les_exports_retires() {
    use sha2::Digest;
    let dossier = copie_des_entrees();
    let nom_ancien = "demandeurs_emploi_2019T4-2020T4.csv";
    let ancien = std::fs::read_to_string(dossier.path().join(nom_ancien)).unwrap();
    let premier = commande(dossier.path(), "run", &[]);
    assert!(premier.status.success(), "{}", stderr(&premier));
    let historique = dossier.path().join("reports/historique/demandeurs.csv");
    let texte = std::fs::read_to_string(&historique).unwrap();
    let empreinte = format!("{:x}", sha2::Sha256::digest(ancien.as_bytes()));
    assert!(
        texte.starts_with("periode;niveau;code;libelle;code_commune;de_abc;"),
        "{texte}"
    );
    assert!(
        texte.contains(&format!(
            "\n2020T1;departement;92;Hauts-de-Seine;;115900;13200;31300;53400;34300;14100;{nom_ancien};{empreinte}\n"
        )),
        "{texte}"
    );
    // Up to date: the history is not rewritten either.
    let avant = std::fs::metadata(&historique).unwrap().modified().unwrap();
    assert!(commande(dossier.path(), "run", &[]).status.success());
    assert_eq!(
        std::fs::metadata(&historique).unwrap().modified().unwrap(),
        avant
    );

    // The next quarter's rolling export, from 2020T2: 2020T1 is gone.
    std::fs::remove_file(dossier.path().join(nom_ancien)).unwrap();
    let mut nouveau = format!("{}\n", ancien.lines().next().unwrap());
    for l in ancien.lines().skip(1) {
        if !l.starts_with("2019T4;") && !l.starts_with("2020T1;") {
            nouveau.push_str(&format!("{l}\n"));
        }
    }
    for l in ancien.lines().filter_map(|l| l.strip_prefix("2020T4;")) {
        nouveau.push_str(&format!("2021T1;{l}\n"));
    }
    std::fs::write(
        dossier.path().join("demandeurs_emploi_2020T2-2021T1.csv"),
        nouveau,
    )
    .unwrap();
    let suivant = commande(dossier.path(), "run", &[]);
    assert!(suivant.status.success(), "{}", stderr(&suivant));
    let csv =
        std::fs::read_to_string(dossier.path().join("reports/2021T1/indicateurs.csv")).unwrap();
    let ligne = csv
        .lines()
        .find(|l| l.starts_with("2021T1,departement,92,Hauts-de-Seine,de_abc,evolution_annuelle,"))
        .unwrap();
    let attendu = (127_479.0 - 115_900.0) / 115_900.0;
    let valeur: f64 = ligne.split(',').nth(6).unwrap().parse().unwrap();
    assert!((valeur - attendu).abs() < 1e-12, "{ligne}");
    // The history keeps 2020T1 with the file it came from.
    let texte = std::fs::read_to_string(&historique).unwrap();
    assert!(texte.contains(&format!("\n2020T1;departement;92;Hauts-de-Seine;;115900;13200;31300;53400;34300;14100;{nom_ancien};{empreinte}\n")), "{texte}");
    assert!(
        texte.contains("\n2021T1;departement;92;Hauts-de-Seine;;127479;"),
        "{texte}"
    );
}

/// Exports (or the history) reaching back more than three years: the
/// series shows the quarter and the twelve before it, no more.
#[test]
fn la_serie_montre_treize_trimestres() {
    let dossier = copie_des_entrees();
    let export = dossier.path().join("demandeurs_emploi_2019T4-2020T4.csv");
    let texte = std::fs::read_to_string(&export).unwrap();
    let mut anciens = String::new();
    for (annee, trimestre) in (2016..=2019).flat_map(|a| (1..=4).map(move |t| (a, t))) {
        if (annee, trimestre) >= (2019, 4) {
            break;
        }
        for l in texte.lines().filter_map(|l| l.strip_prefix("2019T4;")) {
            anciens.push_str(&format!("{annee}T{trimestre};{l}\n"));
        }
    }
    let (entete, reste) = texte.split_once('\n').unwrap();
    std::fs::write(&export, format!("{entete}\n{anciens}{reste}")).unwrap();
    let produit = commande(dossier.path(), "run", &[]);
    assert!(produit.status.success(), "{}", stderr(&produit));
    let csv =
        std::fs::read_to_string(dossier.path().join("reports/2020T4/indicateurs.csv")).unwrap();
    let serie: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains(",departement,92,Hauts-de-Seine,de_abc,effectif,"))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(serie.len(), 13, "{serie:?}");
    assert!(
        serie.contains(&"2017T4") && !serie.contains(&"2017T3"),
        "{serie:?}"
    );
}

/// "Évolutions depuis le trimestre précédent": with 2020T3 published, the
/// 2020T4 annex sets its key figures against it and lists the 2020T3
/// figure the producer revised since, in the workbook (numbers) and the PDF.
#[test]
fn les_evolutions_depuis_l_annexe_precedente() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dossier = copie_des_entrees();
    let t3 = commande(dossier.path(), "run", &["--periode", "2020T3"]);
    assert!(t3.status.success(), "{}", stderr(&t3));
    let sans = std::fs::read_dir(dossier.path().join("reports/2020T3"))
        .unwrap()
        .count();
    assert!(sans > 0);
    let premier: Xlsx<_> =
        open_workbook(dossier.path().join("reports/2020T3/annexe-92-2020T3.xlsx")).unwrap();
    assert!(!premier.sheet_names().contains(&"Évolutions".to_string()));
    let export = dossier.path().join("demandeurs_emploi_2019T4-2020T4.csv");
    let texte = std::fs::read_to_string(&export).unwrap();
    let texte = texte.replace(
        "2020T3;departement;92;Hauts-de-Seine;;128300;",
        "2020T3;departement;92;Hauts-de-Seine;;125000;",
    );
    std::fs::write(&export, texte).unwrap();
    let t4 = commande(dossier.path(), "run", &[]);
    assert!(t4.status.success(), "{}", stderr(&t4));
    let rapport = dossier.path().join("reports/2020T4");
    let mut classeur: Xlsx<_> = open_workbook(rapport.join("annexe-92-2020T4.xlsx")).unwrap();
    let feuille = classeur.worksheet_range("Évolutions").unwrap();
    let ligne = |debut: &str, apres: usize| {
        feuille
            .rows()
            .skip(apres)
            .find(|r| r.first() == Some(&Data::String(debut.into())))
            .unwrap()
            .to_vec()
    };
    let cle = ligne("Demandeurs d'emploi du département", 0);
    assert_eq!(cle[1], Data::Float(128_300.0), "{cle:?}");
    assert_eq!(cle[2], Data::Float(127_479.0), "{cle:?}");
    let titres: Vec<usize> = feuille
        .rows()
        .enumerate()
        .filter(|(_, r)| {
            r.first().is_some_and(|c| {
                c.to_string()
                    .starts_with("Chiffres du 3e trimestre 2020 révisés")
            })
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(titres.len(), 1);
    let revise = ligne("Demandeurs d'emploi du département", titres[0]);
    assert_eq!(revise[1], Data::Float(128_300.0), "{revise:?}");
    assert_eq!(revise[2], Data::Float(125_000.0), "{revise:?}");
    let pdf = texte_pdf(&rapport.join("annexe-92-2020T4.pdf"));
    assert!(
        pdf.contains("Évolutions depuis le trimestre précédent"),
        "{pdf}"
    );
    assert!(
        pdf.contains("Demandeurs d'emploi du département 128 300 125 000"),
        "{pdf}"
    );
}
