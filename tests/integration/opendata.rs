//! Official open-data files read as published (fixtures in
//! `tests/fixtures/opendata/`, in the producers' exact layout): the ANCT QPV
//! list, INSEE's EPT composition, the DARES communal job-seeker file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use qpv_annexe::lecture;

use crate::commun::{copie_des_entrees, racine, run, stderr};

fn fixture(nom: &str) -> PathBuf {
    racine().join("tests/fixtures/opendata").join(nom)
}

fn indicateurs(dossier: &Path) -> Vec<String> {
    std::fs::read_to_string(dossier.join("reports/2020T4/indicateurs.csv"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn liste_anct_et_composition_insee_telles_que_publiees() {
    let echantillon = copie_des_entrees();
    assert!(run(echantillon.path()).status.success());
    let reference = indicateurs(echantillon.path());

    let dossier = copie_des_entrees();
    std::fs::remove_file(dossier.path().join("referentiel_qpv_2015.csv")).unwrap();
    for nom in ["listeqp2015-cog2020.csv", "ept_au_01-01-2020.csv"] {
        std::fs::copy(fixture(nom), dossier.path().join(nom)).unwrap();
    }
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let lues = indicateurs(dossier.path());

    // The job-seeker figures and the numbers of QPV are the sample's: QPV,
    // communes and EPT come from the ANCT list and INSEE's composition
    // instead of the referential. The ANCT list gives no population.
    let hors_financements = |l: &Vec<String>| -> Vec<String> {
        l.iter()
            .filter(|l| !l.contains(",financements,") && !l.contains(",quartiers,population,"))
            .cloned()
            .collect()
    };
    assert_eq!(hors_financements(&lues), hors_financements(&reference));
    assert!(lues
        .iter()
        .any(|l| l.contains(",ept,T5,") && l.contains(",quartiers,nb_qpv,11,")));
    assert!(!lues.iter().any(|l| l.contains(",quartiers,population,")));
    // Funding: an EPT's total now counts its communes without QPV
    // (Châtillon, Clamart and Sceaux in Vallée Sud - Grand Paris; Grand Paris
    // Seine Ouest appears).
    let montant = |l: &[String], code: &str| -> f64 {
        l.iter()
            .filter(|l| {
                l.starts_with(&format!("2020T4,ept,{code},"))
                    && l.contains(",financements,montant_eur,")
            })
            .map(|l| l.split(',').nth(6).unwrap().parse::<f64>().unwrap_or(0.0))
            .sum()
    };
    assert!(montant(&lues, "T2") > montant(&reference, "T2"));
    assert_eq!(montant(&reference, "T3"), 0.0);
    assert!(montant(&lues, "T3") > 0.0);
    assert!(
        lues.iter()
            .any(|l| l.starts_with("2020T4,ept,T3,Grand Paris Seine Ouest,")),
        "libellé de l'EPT T3 absent"
    );
}

/// `(niveau, code, indicateur)` → `(valeur, statut)` for a quarter.
fn chiffres(mesures: &DataFrame, periode: i32) -> BTreeMap<(String, String, String), (f64, u32)> {
    let m = mesures
        .clone()
        .lazy()
        .filter(col("periode").eq(lit(periode)))
        .collect()
        .unwrap();
    let texte = |c: &str| -> Vec<String> {
        m.column(c)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect()
    };
    let (niveaux, codes, indicateurs) = (texte("niveau"), texte("code"), texte("indicateur"));
    let valeurs: Vec<f64> = m
        .column("valeur")
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect();
    let statuts: Vec<u32> = m
        .column("statut")
        .unwrap()
        .u32()
        .unwrap()
        .iter()
        .map(|v| v.unwrap())
        .collect();
    (0..m.height())
        .map(|i| {
            (
                (niveaux[i].clone(), codes[i].clone(), indicateurs[i].clone()),
                (valeurs[i], statuts[i]),
            )
        })
        .collect()
}

#[test]
fn fichier_dares_tel_que_publie() {
    let (mesures, tables) =
        lecture::dares::lire(&[fixture("dares_defm_communales-brutes.csv")], 0).unwrap();
    assert_eq!(tables.len(), 1);
    let t4 = chiffres(&mesures, 2024 * 4 + 3);
    let cle = |n: &str, c: &str, i: &str| (n.to_string(), c.to_string(), i.to_string());
    // Total rows of the commune, categories ABC, both sexes.
    assert_eq!(t4[&cle("commune", "92050", "de_abc")], (8955.0, 0));
    assert_eq!(t4[&cle("commune", "92050", "de_abc_50_plus")], (2420.0, 0));
    // "Moins de 25 ans" is not the annex's "moins de 26 ans".
    assert!(!t4.keys().any(|(_, _, i)| i == "de_abc_moins_26"));
    // The national cumulative row is no commune.
    assert!(!t4.keys().any(|(_, c, _)| c == "Total"));
    // Arrondissements are territories of their own, not added to Paris.
    assert_eq!(t4[&cle("commune", "75118", "de_abc")], (18345.0, 0));
    assert_eq!(t4[&cle("departement", "75", "de_abc")], (151215.0, 0));
    assert_eq!(
        t4[&cle("departement", "92", "de_abc")],
        (8955.0 + 3210.0, 0)
    );
    // Fourth quarters only.
    let periodes = mesures.column("periode").unwrap().i32().unwrap();
    assert!(periodes.iter().flatten().all(|p| p % 4 == 3));
    assert_eq!(chiffres(&mesures, 2023 * 4 + 3).len(), t4.len());
}

#[test]
fn fichier_dares_illisible_localise() {
    let dossier = tempfile::tempdir().unwrap();
    let chemin = dossier.path().join("dares_defm_communales-brutes.csv");
    let texte = std::fs::read_to_string(fixture("dares_defm_communales-brutes.csv")).unwrap();
    let mut lignes: Vec<String> = texte.lines().map(String::from).collect();
    lignes[2] = lignes[2].replacen("2023-T4", "2023-T9", 1);
    lignes[3] = lignes[3].replacen(";92050;", ";9205O;", 1);
    std::fs::write(&chemin, lignes.join("\n")).unwrap();
    let erreur = match lecture::dares::lire(&[chemin], 0) {
        Err(qpv_annexe::erreur::Erreur::Donnees(p)) => p
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        autre => panic!("{:?}", autre.map(|_| ())),
    };
    assert!(
        erreur.contains("dares_defm_communales-brutes.csv:3:1: période illisible"),
        "{erreur}"
    );
    assert!(
        erreur.contains("dares_defm_communales-brutes.csv:4:6: code commune illisible"),
        "{erreur}"
    );
}
