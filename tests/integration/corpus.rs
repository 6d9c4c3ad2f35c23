//! The corpus of `tests/corpus/` (made by `tools/generer_corpus.py`): each
//! case replaces one sample input by a variant. An accepted variant must give
//! exactly the clean sample's `indicateurs.csv`; a refused one must fail
//! with its expected message, exit code, and no report.

use serde::Deserialize;

use crate::commun::*;

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

#[test]
fn chaque_cas_du_corpus_a_l_issue_attendue() {
    let dossier_corpus = racine().join("tests/corpus");
    let corpus: Corpus =
        toml::from_str(&std::fs::read_to_string(dossier_corpus.join("cas.toml")).unwrap()).unwrap();
    assert!(
        corpus.cas.len() >= 30,
        "corpus trop petit : {}",
        corpus.cas.len()
    );

    let reference = copie_des_entrees();
    let sortie = run(reference.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let attendu = std::fs::read(reference.path().join("reports/2020T4/indicateurs.csv")).unwrap();

    let mut echecs = Vec::new();
    for cas in &corpus.cas {
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
        match cas.attendu.as_str() {
            "accepte" => {
                if !sortie.status.success() {
                    echecs.push(format!("{} : refusé à tort :\n{message}", cas.nom));
                } else if std::fs::read(rapport.join("indicateurs.csv")).unwrap() != attendu {
                    echecs.push(format!(
                        "{} : indicateurs.csv diffère de celui de l'exemple",
                        cas.nom
                    ));
                }
            }
            _ => {
                let voulu = cas.message.as_deref().unwrap_or_default();
                if sortie.status.code() != cas.code {
                    echecs.push(format!(
                        "{} : code {:?} au lieu de {:?} :\n{message}",
                        cas.nom,
                        sortie.status.code(),
                        cas.code
                    ));
                } else if !message.contains(voulu) {
                    echecs.push(format!(
                        "{} : message attendu « {voulu} », obtenu :\n{message}",
                        cas.nom
                    ));
                } else if rapport.exists()
                    || std::fs::read_dir(dossier.path().join("reports"))
                        .is_ok_and(|mut d| d.next().is_some())
                {
                    echecs.push(format!(
                        "{} : un rapport a été écrit malgré l'erreur",
                        cas.nom
                    ));
                }
            }
        }
    }
    assert!(
        echecs.is_empty(),
        "{} cas en échec :\n{}",
        echecs.len(),
        echecs.join("\n\n")
    );
}
