//! `indicateurs.csv` read back, by column name: what a published report
//! says, for the messages to the communes and for the audit.

use std::path::Path;

use serde::Deserialize;

use crate::erreur::{Erreur, Probleme, Resultat};

/// One row of `indicateurs.csv`. A text that began with a formula
/// character was written with a leading `'`: `code` is read back without
/// it.
#[derive(Debug, Clone, Deserialize)]
pub struct LignePubliee {
    pub periode: String,
    pub niveau: String,
    pub code: String,
    /// For the part of an intercommunal QPV in one of its communes: the
    /// commune (as in the job-seeker export).
    #[serde(default)]
    pub code_commune: Option<String>,
    pub indicateur: String,
    pub mesure: String,
    pub valeur: Option<f64>,
    /// Empty for a value; `secret`, `nd`, `na` otherwise.
    pub statut: Option<String>,
    /// The département of the row (reports from 2 December 2026 on).
    #[serde(default)]
    pub departement: Option<String>,
    /// Funding rows: what the figure is about.
    pub dispositif: Option<String>,
    /// Schemes' rows: the category of the count (`EI`…), empty for all.
    #[serde(default)]
    pub categorie: Option<String>,
}

/// Every row of the `indicateurs.csv` at `chemin`.
pub fn lire(chemin: &Path) -> Resultat<Vec<LignePubliee>> {
    let illisible = |e: csv::Error| {
        Erreur::Donnees(vec![
            Probleme::new(chemin, "indicateurs illisibles").trouve(e.to_string())
        ])
    };
    let mut lecteur = csv::Reader::from_path(chemin).map_err(illisible)?;
    lecteur
        .deserialize::<LignePubliee>()
        .map(|l| {
            let mut l = l.map_err(illisible)?;
            if let Some(code) = l.code.strip_prefix('\'') {
                l.code = code.to_string();
            }
            Ok(l)
        })
        .collect()
}

/// The counts of quarter `periode` that a report's rows `lignes` masked,
/// as `niveau|code|indicateur` (the parts of intercommunal QPV have no
/// evolution: left out).
pub fn masquees(lignes: &[LignePubliee], periode: &str) -> Vec<String> {
    lignes
        .iter()
        .filter(|l| {
            l.periode == periode
                && l.mesure == crate::modele::mesures::EFFECTIF
                && l.statut.as_deref() == Some("secret")
                && l.code_commune.is_none()
        })
        .map(|l| format!("{}|{}|{}", l.niveau, l.code, l.indicateur))
        .collect()
}
