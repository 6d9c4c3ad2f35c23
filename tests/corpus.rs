//! The corpus of `tests/corpus/` (made by `tools/generer_corpus.py`): each
//! case replaces one sample input by a variant, and is a test of its own
//! (`cargo test --test corpus cas_utf8_bom`). An accepted variant must give
//! exactly the clean sample's `indicateurs.csv`; a refused one must fail
//! with its expected message, exit code, and no report.

#[allow(dead_code)]
#[path = "integration/commun.rs"]
mod commun;

use std::sync::{Arc, OnceLock};

use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;

use commun::*;

#[derive(Deserialize)]
struct Corpus {
    cas: Vec<Cas>,
}

#[derive(Deserialize)]
struct Cas {
    nom: String,
    fichiers: Vec<String>,
    remplace: String,
    attendu: String,
    code: Option<i32>,
    message: Option<String>,
}

/// The clean sample's `indicateurs.csv`, computed once for every accepted
/// case.
fn reference(memoire: &OnceLock<Vec<u8>>) -> &[u8] {
    memoire.get_or_init(|| {
        let reference = copie_des_entrees();
        let sortie = run(reference.path());
        assert!(sortie.status.success(), "{}", stderr(&sortie));
        std::fs::read(reference.path().join("reports/2020T4/indicateurs.csv")).unwrap()
    })
}

fn jouer(cas: &Cas, memoire: &OnceLock<Vec<u8>>) -> Result<(), Failed> {
    let dossier_corpus = racine().join("tests/corpus");
    let dossier = copie_des_entrees();
    std::fs::remove_file(dossier.path().join(&cas.remplace)).unwrap();
    for f in &cas.fichiers {
        // A settings variant takes the settings file's name.
        let cible = if cas.remplace == "conseil.toml" {
            "conseil.toml"
        } else {
            f.as_str()
        };
        std::fs::copy(dossier_corpus.join(f), dossier.path().join(cible)).unwrap();
    }
    let sortie = run(dossier.path());
    let message = espaces_simples(&stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    if cas.attendu == "accepte" {
        if !sortie.status.success() {
            return Err(format!("refusé à tort :\n{message}").into());
        }
        if std::fs::read(rapport.join("indicateurs.csv")).unwrap() != reference(memoire) {
            return Err("indicateurs.csv diffère de celui de l'exemple".into());
        }
        return Ok(());
    }
    let voulu = cas.message.as_deref().unwrap_or_default();
    if sortie.status.code() != cas.code {
        return Err(format!(
            "code {:?} au lieu de {:?} :\n{message}",
            sortie.status.code(),
            cas.code
        )
        .into());
    }
    if !message.contains(voulu) {
        return Err(format!("message attendu « {voulu} », obtenu :\n{message}").into());
    }
    // Nothing but the lock of the reports folder (`.verrou`, which is no
    // report).
    let rapports_ecrits = std::fs::read_dir(dossier.path().join("reports"))
        .is_ok_and(|d| d.flatten().any(|e| e.file_name() != ".verrou"));
    if rapport.exists() || rapports_ecrits {
        return Err("un rapport a été écrit malgré l'erreur".into());
    }
    Ok(())
}

fn main() {
    let arguments = Arguments::from_args();
    let texte = std::fs::read_to_string(racine().join("tests/corpus/cas.toml")).unwrap();
    let corpus: Corpus = toml::from_str(&texte).unwrap();
    assert!(
        corpus.cas.len() >= 30,
        "corpus trop petit : {}",
        corpus.cas.len()
    );
    let memoire = Arc::new(OnceLock::new());
    let mut noms = std::collections::HashSet::new();
    let essais = corpus
        .cas
        .into_iter()
        .map(|cas| {
            let nom = format!("cas_{}", cas.nom.replace('-', "_"));
            assert!(noms.insert(nom.clone()), "cas en double : {nom}");
            let memoire = Arc::clone(&memoire);
            Trial::test(nom, move || jouer(&cas, &memoire))
        })
        .collect();
    libtest_mimic::run(&arguments, essais).exit();
}
