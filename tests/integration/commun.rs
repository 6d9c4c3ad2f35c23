//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn racine() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn qpv_annexe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qpv-annexe"))
        .args(args)
        .output()
        .expect("lancement de qpv-annexe")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A folder holding a copy of the sample inputs, to be altered by a test.
pub fn copie_des_entrees() -> tempfile::TempDir {
    let dossier = tempfile::tempdir().unwrap();
    for entree in std::fs::read_dir(racine().join("inputs")).unwrap() {
        let chemin = entree.unwrap().path();
        if chemin.is_file() {
            std::fs::copy(&chemin, dossier.path().join(chemin.file_name().unwrap())).unwrap();
        }
    }
    dossier
}

/// Runs the job on the inputs of `dossier`, reports into `dossier/reports`.
pub fn run(dossier: &Path) -> Output {
    commande(dossier, "run", &[])
}

/// `qpv-annexe <commande>` (run, audit…) with the settings of `dossier`
/// and its reports folder `dossier/reports`, and `options`.
pub fn commande(dossier: &Path, commande: &str, options: &[&str]) -> Output {
    let config = dossier.join("conseil.toml");
    let rapports = dossier.join("reports");
    let mut args = vec![
        commande,
        "--config",
        config.to_str().unwrap(),
        "--reports",
        rapports.to_str().unwrap(),
    ];
    args.extend(options);
    qpv_annexe(&args)
}

/// Text with every kind of space made plain.
pub fn espaces_simples(t: &str) -> String {
    t.replace(['\u{202f}', '\u{a0}'], " ")
}

/// The sample's job-seeker export of `dossier` rewritten field by field by
/// `modifier` (each row's text and fields), the producer's QPV total left
/// out so that the département's figure is the sum of its QPV.
pub fn sans_ensemble_qpv(dossier: &Path, modifier: impl Fn(&str, &mut Vec<&str>)) {
    let chemin = dossier.join("demandeurs_emploi_2019T4-2020T4.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let lignes: Vec<String> = texte
        .lines()
        .filter(|l| !l.contains(";ensemble_qpv;"))
        .map(|l| {
            let mut c: Vec<&str> = l.split(';').collect();
            modifier(l, &mut c);
            c.join(";")
        })
        .collect();
    std::fs::write(&chemin, lignes.join("\n") + "\n").unwrap();
}

/// The staging folder of the run writing into `rapports`, once its report
/// is staged (its manifest written): waited for, at most a minute.
pub fn chantier_pret(rapports: &Path) -> PathBuf {
    let debut = std::time::Instant::now();
    loop {
        let pret = std::fs::read_dir(rapports)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.join("manifest.json").exists());
        if let Some(p) = pret {
            return p;
        }
        assert!(
            debut.elapsed().as_secs() < 60,
            "le rapport n'a jamais été préparé"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Each file under `dossier` (recursively) with its bytes and
/// modification time, sorted: equal before and after a run when it
/// rewrote nothing (the lock of the reports folder, which every run
/// takes and stamps, aside).
pub fn etat_des_fichiers(dossier: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut v = Vec::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(d) = a_voir.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                a_voir.push(p);
            } else if p.file_name().is_some_and(|n| n == ".verrou") {
                continue;
            } else {
                let m = e.metadata().unwrap().modified().unwrap();
                v.push((p.clone(), std::fs::read(&p).unwrap(), m));
            }
        }
    }
    v.sort();
    v
}

/// A row of `indicateurs.csv`, by column name.
pub type Ligne = std::collections::HashMap<String, String>;

/// The rows of any CSV the program writes, by column name.
pub fn lire_lignes(chemin: &std::path::Path) -> Vec<Ligne> {
    let mut lecteur = csv::Reader::from_path(chemin).unwrap();
    let entetes = lecteur.headers().unwrap().clone();
    lecteur
        .records()
        .map(|r| {
            let r = r.unwrap();
            entetes
                .iter()
                .zip(r.iter())
                .map(|(c, v)| (c.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The rows of `indicateurs.csv`, its columns checked.
pub fn lire_csv(chemin: &std::path::Path) -> Vec<Ligne> {
    let entetes = csv::Reader::from_path(chemin)
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    assert_eq!(
        entetes.iter().collect::<Vec<_>>(),
        [
            "periode",
            "niveau",
            "code",
            "libelle",
            "indicateur",
            "mesure",
            "valeur",
            "statut",
            "dispositif",
            "vague",
            "localisation",
            "statut_dossier",
            "categorie",
            "depuis",
            "au",
            "code_commune",
            "departement"
        ]
    );
    lire_lignes(chemin)
}
