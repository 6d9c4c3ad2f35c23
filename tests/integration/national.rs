//! Multi-département runs (`--departements`) on synthetic national inputs
//! written by the benchmark's generator (`examples/national`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

#[path = "../../examples/national/generateur.rs"]
#[allow(dead_code)]
mod generateur;

use crate::commun::stderr;

/// Three départements (Ain, Aisne, Allier), 30 QPV.
fn entrees(dossier: &Path) {
    let taille = generateur::Taille {
        departements: 3,
        qpv: 30,
        ..Default::default()
    };
    generateur::generer(dossier, &taille).unwrap();
}

fn lancer(entrees: &Path, rapports: &Path, departements: &str, fils: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qpv-annexe"))
        .args(["run", "-q", "--departements", departements, "--config"])
        .arg(entrees.join("conseil.toml"))
        .arg("--reports")
        .arg(rapports)
        .env("RAYON_NUM_THREADS", fils)
        .output()
        .unwrap()
}

/// Every file under `dossier`, by relative path, with its bytes.
fn contenu(dossier: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut fichiers = BTreeMap::new();
    let mut pile = vec![dossier.to_path_buf()];
    while let Some(d) = pile.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pile.push(p);
            } else {
                let nom = p.strip_prefix(dossier).unwrap().display().to_string();
                fichiers.insert(nom, std::fs::read(&p).unwrap());
            }
        }
    }
    fichiers
}

/// `niveau;code` → `de_abc` of the 2020T4 rows of the generated export.
fn de_abc_en_entree(entrees: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(entrees.join("demandeurs_emploi_national.csv"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("2020T4;"))
        .map(|l| {
            let c: Vec<&str> = l.split(';').collect();
            (format!("{};{}", c[1], c[2]), c[5].to_string())
        })
        .collect()
}

#[test]
fn tous_les_departements_en_une_execution() {
    let dossier = tempfile::tempdir().unwrap();
    let (e, r) = (
        dossier.path().join("entrees"),
        dossier.path().join("reports"),
    );
    entrees(&e);
    let sortie = lancer(&e, &r, "all", "2");
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = r.join("2020T4");
    let fichiers = contenu(&rapport);
    for dep in ["01", "02", "03"] {
        for ext in ["xlsx", "pdf"] {
            let nom = format!("annexe-{dep}-2020T4.{ext}");
            assert!(
                fichiers.contains_key(&nom),
                "{nom} absent : {:?}",
                fichiers.keys()
            );
        }
    }
    assert!(!fichiers.contains_key("annexe-04-2020T4.pdf"));
    // One workbook and one page per commune with a QPV, of every département.
    let communes: Vec<&String> = fichiers
        .keys()
        .filter(|k| k.starts_with("communes/") && k.ends_with(".xlsx"))
        .collect();
    for dep in ["01", "02", "03"] {
        assert!(
            communes
                .iter()
                .any(|c| c.starts_with(&format!("communes/{dep}"))),
            "aucune commune du {dep} : {communes:?}"
        );
    }
    // One indicateurs.csv for all, with every département's own count.
    let attendu = de_abc_en_entree(&e);
    let csv = String::from_utf8(fichiers["indicateurs.csv"].clone()).unwrap();
    for dep in ["01", "02", "03"] {
        let ligne = format!("2020T4,departement,{dep},");
        let trouvee = csv
            .lines()
            .find(|l| l.starts_with(&ligne) && l.contains(",de_abc,effectif,"))
            .unwrap_or_else(|| panic!("{ligne}…de_abc,effectif absent"));
        let valeur = trouvee.split(',').nth(6).unwrap();
        assert_eq!(valeur, attendu[&format!("departement;{dep}")], "{trouvee}");
    }
    // Names and title blocks from the COG, not from conseil.toml (which
    // names the Ain only).
    let texte = pdf_extract::extract_text(rapport.join("annexe-02-2020T4.pdf")).unwrap();
    assert!(texte.contains("PRÉFET DE L'AISNE"), "{texte}");
    // One manifest listing every file.
    let manifeste = String::from_utf8(fichiers["manifest.json"].clone()).unwrap();
    for nom in fichiers.keys().filter(|k| *k != "manifest.json") {
        assert!(
            manifeste.contains(nom.as_str()),
            "{nom} absent du manifeste"
        );
    }
}

#[test]
fn meme_resultat_a_l_octet_quel_que_soit_le_nombre_de_fils() {
    let dossier = tempfile::tempdir().unwrap();
    let e = dossier.path().join("entrees");
    entrees(&e);
    let (un, quatre) = (dossier.path().join("un"), dossier.path().join("quatre"));
    for (r, fils) in [(&un, "1"), (&quatre, "4")] {
        let sortie = lancer(&e, r, "all", fils);
        assert!(sortie.status.success(), "{}", stderr(&sortie));
    }
    let (a, b) = (contenu(&un), contenu(&quatre));
    assert!(a.len() > 20, "{}", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (nom, octets) in &a {
        assert!(octets == &b[nom], "{nom} diffère entre 1 et 4 fils");
    }
}

#[test]
fn une_liste_de_departements() {
    let dossier = tempfile::tempdir().unwrap();
    let (e, r) = (
        dossier.path().join("entrees"),
        dossier.path().join("reports"),
    );
    entrees(&e);
    let sortie = lancer(&e, &r, "3,1", "2");
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let fichiers = contenu(&r.join("2020T4"));
    let annexes: Vec<&String> = fichiers
        .keys()
        .filter(|k| k.starts_with("annexe-") && k.ends_with(".pdf"))
        .collect();
    assert_eq!(annexes, ["annexe-01-2020T4.pdf", "annexe-03-2020T4.pdf"]);
    assert!(!fichiers.keys().any(|k| k.starts_with("communes/02")));

    let inconnu = lancer(&e, &r, "01,99", "2");
    assert_eq!(inconnu.status.code(), Some(2));
    assert!(
        stderr(&inconnu).contains("département inconnu « 99 » dans --departements"),
        "{}",
        stderr(&inconnu)
    );
}

#[test]
fn un_departement_en_erreur_fait_echouer_toute_l_execution() {
    let dossier = tempfile::tempdir().unwrap();
    let (e, r) = (
        dossier.path().join("entrees"),
        dossier.path().join("reports"),
    );
    entrees(&e);
    // A QPV of the Aisne that the referential does not know, and an Allier
    // with no département row for the period.
    let chemin = e.join("demandeurs_emploi_national.csv");
    let export = std::fs::read_to_string(&chemin).unwrap();
    let mut export: String = export
        .lines()
        .filter(|l| !l.starts_with("2020T4;departement;03;"))
        .map(|l| format!("{l}\n"))
        .collect();
    export.push_str("2020T4;qpv;QP002999;Quartier inconnu;;40;4;9;20;20;8\n");
    std::fs::write(&chemin, export).unwrap();
    let sortie = lancer(&e, &r, "all", "2");
    assert_eq!(sortie.status.code(), Some(1), "{}", stderr(&sortie));
    let message = stderr(&sortie);
    assert!(message.contains("QP002999"), "{message}");
    assert_eq!(
        message.matches("QP002999").count(),
        1,
        "problème répété : {message}"
    );
    assert!(!r.join("2020T4").exists(), "rapport publié malgré l'erreur");

    // Every problem is listed: the unknown QPV and the missing Allier.
    let sortie = lancer(&e, &r, "01,03", "2");
    assert_eq!(sortie.status.code(), Some(1));
    let message = stderr(&sortie);
    assert!(
        message.contains("aucune ligne « departement » 03"),
        "{message}"
    );
    assert!(message.contains("QP002999"), "{message}");
    assert!(!r.join("2020T4").exists());
}
