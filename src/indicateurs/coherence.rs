//! Consistency of the inputs with themselves: a part never above its whole,
//! a producer's total equal to the sum of its parts. Producers round their
//! counts (to 5, sometimes to 100), so small gaps are warnings and only gaps
//! beyond the rounding tolerance are errors.

use std::path::Path;

use polars::prelude::*;

use super::expressions::SansCse;
use crate::erreur::Probleme;
use crate::format;
use crate::modele::colonnes::*;
use crate::modele::{DemandeursEmploi, Periode, Statut};

/// Gap allowed by the producers' rounding between a figure and the one it
/// is checked against: 5, or 0,5 % of the reference when larger.
pub fn tolerance(reference: f64) -> f64 {
    (reference.abs() * 0.005).max(5.0)
}

/// What is compared: a computed or given figure and its reference.
pub enum Controle {
    /// The figure must equal the reference (a sum of parts and its total).
    Egal,
    /// The figure must not exceed the reference (a part and its whole).
    AuPlus,
}

/// A gap found, in the département whose annex it concerns.
pub struct Ecart {
    pub departement: String,
    pub probleme: Probleme,
    /// Beyond the producers' rounding: the annex cannot be written.
    pub erreur: bool,
}

/// Gaps between `figures` and `references` (both long frames with the
/// département of the row, `periode`, `niveau`, `code`, `indicateur`,
/// `valeur`, `statut`, joined on those keys), as warnings within the
/// tolerance and errors beyond it, by département, then period and
/// territory. `decrire` says the gap in French from (territory, figure,
/// reference).
pub fn ecarts(
    figures: LazyFrame,
    references: LazyFrame,
    controle: Controle,
    de: &DemandeursEmploi,
    decrire: impl Fn(&str, &str, &str) -> String,
) -> PolarsResult<Vec<Ecart>> {
    let trouves = differences(figures, references, controle, de)?;
    let departements = trouves.column(DEPARTEMENT_LIGNE)?.str()?;
    let periodes = trouves.column(PERIODE)?.i32()?;
    let niveaux = trouves.column(NIVEAU)?.str()?;
    let codes = trouves.column(CODE)?.str()?;
    let indicateurs = trouves.column(INDICATEUR)?.str()?;
    let valeurs = trouves.column(VALEUR)?.f64()?;
    let references = trouves.column("reference")?.f64()?;
    let fichiers = trouves.column("fichier")?.u32()?;
    let numeros = trouves.column(LIGNE)?.u32()?;
    let mut ecarts = Vec::with_capacity(trouves.height());
    for i in 0..trouves.height() {
        let (v, r) = (
            valeurs.get(i).unwrap_or(0.0),
            references.get(i).unwrap_or(0.0),
        );
        let fichier = fichiers
            .get(i)
            .and_then(|f| de.fichiers.get(f as usize))
            .or(de.fichiers.first())
            .map(|p| p.as_path())
            .unwrap_or(Path::new("demandeurs_emploi*.csv"));
        let territoire = format!(
            "{} {} {} ({})",
            Periode::depuis_index(periodes.get(i).unwrap_or(0)),
            niveaux.get(i).unwrap_or(""),
            codes.get(i).unwrap_or(""),
            indicateurs.get(i).unwrap_or("")
        );
        let mut p = Probleme::new(
            fichier,
            decrire(&territoire, &format::effectif(v), &format::effectif(r)),
        );
        if let Some(l) = numeros.get(i) {
            p = p.ligne(l as usize);
        }
        let erreur = (v - r).abs() > tolerance(r);
        if erreur {
            p = p.attendu(format!(
                "un écart d'au plus {} (arrondis du producteur)",
                format::effectif(tolerance(r))
            ));
        }
        ecarts.push(Ecart {
            departement: departements.get(i).unwrap_or("").to_string(),
            probleme: p,
            erreur,
        });
    }
    Ok(ecarts)
}

/// The figures that break `controle` against their reference (a value on
/// both sides), each with the file and line of its reference when it
/// comes from an input, in key order.
fn differences(
    figures: LazyFrame,
    references: LazyFrame,
    controle: Controle,
    de: &DemandeursEmploi,
) -> PolarsResult<DataFrame> {
    let cles = [DEPARTEMENT_LIGNE, PERIODE, NIVEAU, CODE, INDICATEUR].map(col);
    let valeur = |s| {
        col(STATUT)
            .eq(lit(Statut::Valeur.code()))
            .and(col(s).eq(lit(Statut::Valeur.code())))
    };
    let difference = match controle {
        Controle::Egal => col(VALEUR).neq(col("reference")),
        Controle::AuPlus => col(VALEUR).gt(col("reference")),
    };
    // Where the reference comes from a line of an input, point at it.
    let lignes = de.mesures.clone().lazy().select([
        col(DEPARTEMENT_LIGNE),
        col(PERIODE),
        col(NIVEAU),
        col(CODE),
        col(INDICATEUR),
        col("fichier"),
        col(LIGNE),
    ]);
    figures
        .select([
            col(DEPARTEMENT_LIGNE),
            col(PERIODE),
            col(NIVEAU),
            col(CODE),
            col(INDICATEUR),
            col(VALEUR),
            col(STATUT),
        ])
        .join(
            references.select([
                col(DEPARTEMENT_LIGNE),
                col(PERIODE),
                col(NIVEAU),
                col(CODE),
                col(INDICATEUR),
                col(VALEUR).alias("reference"),
                col(STATUT).alias("s_ref"),
            ]),
            cles.clone(),
            cles.clone(),
            JoinArgs::new(JoinType::Inner),
        )
        .filter(valeur("s_ref").and(difference))
        .join(lignes, cles.clone(), cles, JoinArgs::new(JoinType::Left))
        .unique_stable(
            Some(by_name(
                [DEPARTEMENT_LIGNE, PERIODE, NIVEAU, CODE, INDICATEUR],
                true,
                false,
            )),
            UniqueKeepStrategy::First,
        )
        .sort(
            [DEPARTEMENT_LIGNE, PERIODE, NIVEAU, CODE, INDICATEUR],
            SortMultipleOptions::default(),
        )
        .sans_cse()
        .collect()
}
