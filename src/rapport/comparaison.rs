//! A report staged against the one published for the same quarter: the
//! files whose bytes differ, and the figures of `indicateurs.csv` that
//! changed, for the operator (`run` on a quarter already published).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::erreur::{Erreur, Resultat};

/// Figures listed at most; the rest counted.
const CHIFFRES_LISTES: usize = 20;

/// The files of `dossier` and below, relative to it, sorted.
fn fichiers(dossier: &Path) -> Resultat<Vec<PathBuf>> {
    let mut tous = Vec::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(d) = a_voir.pop() {
        for e in std::fs::read_dir(&d)
            .map_err(Erreur::acces(&d, "lecture du dossier"))?
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                a_voir.push(p);
            } else if let Ok(relatif) = p.strip_prefix(dossier) {
                tous.push(relatif.to_path_buf());
            }
        }
    }
    tous.sort();
    Ok(tous)
}

/// The files that differ between the two reports (present in one only, or
/// with other bytes), but `manifeste`, which names the inputs and differs
/// as soon as a file is renamed.
pub fn fichiers_differents(
    publie: &Path,
    prepare: &Path,
    manifeste: &Path,
) -> Resultat<Vec<PathBuf>> {
    let (a, b) = (fichiers(publie)?, fichiers(prepare)?);
    let mut noms: Vec<&PathBuf> = a.iter().chain(&b).collect();
    noms.sort();
    noms.dedup();
    let mut differents = Vec::new();
    for n in noms.into_iter().filter(|n| n.as_path() != manifeste) {
        let lire = |d: &Path| std::fs::read(d.join(n)).ok();
        if lire(publie) != lire(prepare) {
            differents.push(n.clone());
        }
    }
    Ok(differents)
}

/// The rows of an `indicateurs.csv`: key (every column but `valeur` and
/// `statut`) → (valeur, statut).
fn lignes(chemin: &Path) -> Resultat<BTreeMap<String, (String, String)>> {
    let illisible = |e: csv::Error| Erreur::Interne {
        contexte: "relecture de indicateurs.csv",
        message: format!("{} : {e}", chemin.display()),
    };
    let mut lecteur = csv::Reader::from_path(chemin).map_err(illisible)?;
    let entete = lecteur.headers().map_err(illisible)?.clone();
    let position = |nom: &str| entete.iter().position(|c| c == nom);
    let (Some(v), Some(s)) = (position("valeur"), position("statut")) else {
        return Ok(BTreeMap::new());
    };
    let mut lignes = BTreeMap::new();
    for r in lecteur.records() {
        let r = r.map_err(illisible)?;
        let cle: Vec<&str> = (0..r.len())
            .filter(|&i| i != v && i != s)
            .filter_map(|i| r.get(i))
            .filter(|x| !x.is_empty())
            .collect();
        let champ = |i: usize| r.get(i).unwrap_or("").to_string();
        lignes.insert(cle.join(" "), (champ(v), champ(s)));
    }
    Ok(lignes)
}

/// The figures of `indicateurs.csv` that differ, in French: "2020T4
/// commune 92007 Bagneux de_abc effectif : 3300 → 3310".
pub fn chiffres_differents(publie: &Path, prepare: &Path) -> Resultat<Vec<String>> {
    let (a, b) = (lignes(publie)?, lignes(prepare)?);
    let texte = |x: Option<&(String, String)>| match x {
        None => "absent".to_string(),
        Some((v, s)) if v.is_empty() => s.clone(),
        Some((v, _)) => v.clone(),
    };
    let mut cles: Vec<&String> = a.keys().chain(b.keys()).collect();
    cles.sort();
    cles.dedup();
    let changes: Vec<String> = cles
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| format!("{k} : {} → {}", texte(a.get(k)), texte(b.get(k))))
        .collect();
    let n = changes.len();
    let mut liste: Vec<String> = changes.into_iter().take(CHIFFRES_LISTES).collect();
    if n > CHIFFRES_LISTES {
        liste.push(format!("… et {} autre(s)", n - CHIFFRES_LISTES));
    }
    Ok(liste)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A changed value, a row gone and a quoted name with a comma: each
    /// said once, in key order.
    #[test]
    fn les_chiffres_qui_changent_sont_nommes() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a.csv"), d.path().join("b.csv"));
        let entete = "periode,niveau,code,libelle,indicateur,mesure,valeur,statut\n";
        std::fs::write(
            &a,
            format!("{entete}2020T4,qpv,Q1,\"Parc, Nord\",de_abc,effectif,12,\n2020T4,qpv,Q2,Sud,de_abc,effectif,,secret\n"),
        )
        .unwrap();
        std::fs::write(
            &b,
            format!("{entete}2020T4,qpv,Q1,\"Parc, Nord\",de_abc,effectif,13,\n"),
        )
        .unwrap();
        assert_eq!(
            chiffres_differents(&a, &b).unwrap(),
            [
                "2020T4 qpv Q1 Parc, Nord de_abc effectif : 12 → 13",
                "2020T4 qpv Q2 Sud de_abc effectif : secret → absent"
            ]
        );
        assert!(chiffres_differents(&a, &a).unwrap().is_empty());
    }
}
