//! Indicators, one file per family of sources. Each family turns typed
//! input tables into rows of the long indicator table written as
//! `indicateurs.csv` and drawn by the renderers.

pub mod coherence;
pub mod demandeurs;
mod expressions;
pub mod financements;
pub mod missions_locales;
pub mod secret;

use polars::prelude::*;

use crate::error::Probleme;
use crate::model::colonnes::*;

// Every query of this module runs with common-subexpression elimination
// off: polars 0.55 breaks a union whose inputs repeat a literal
// subexpression (`plus_grave(st, lit(nd))`): the cached literal keeps a
// height of 1 ("height of column '__POLARS_CSER_…' (1) does not match").

/// The indicators of one département for one reference period, in the long
/// form of `indicateurs.csv`: `periode` (text), `niveau`, `code`,
/// `libelle`, `indicateur`, `mesure`, `valeur` (f64, unrounded, null unless
/// `statut` is 0), `statut` (u32, see `model::Statut`), sorted.
#[derive(Debug, Clone)]
pub struct Indicateurs {
    pub table: DataFrame,
    /// Codes of the three QPV holding the most job seekers, largest first.
    pub top3_qpv: Vec<String>,
    /// Reported, the run goes on.
    pub avertissements: Vec<Probleme>,
    /// What each QPV puts in each of its communes, for the reference
    /// quarter (`periode`, `code_qpv`, `code_commune`, `indicateur`,
    /// `valeur`, `statut`), secrecy applied: the commune documents show it.
    pub parts_communales: DataFrame,
    /// The département's `de_abc` and `de_abc_qpv` for every quarter up to
    /// the reference one (`periode` as index, `indicateur`, `valeur`,
    /// `statut`), secrecy applied.
    pub serie_departement: DataFrame,
    /// Missions locales structure by structure (`annee`, `code_structure`,
    /// `nom_structure`, `indicateur`, `valeur`, `statut`), secrecy applied.
    pub ml_structures: Option<DataFrame>,
}

/// Column order of the long table: the figure, then, on funding rows, what
/// it is about (dispositif, wave, localisation, dossier status).
pub fn colonnes_sortie() -> [Expr; 12] {
    [
        col(PERIODE),
        col(NIVEAU),
        col(CODE),
        col(LIBELLE),
        col(INDICATEUR),
        col(MESURE),
        col(VALEUR),
        col(STATUT).cast(DataType::UInt32),
        col(DISPOSITIF),
        col(VAGUE),
        col(LOCALISATION),
        col(STATUT_DOSSIER),
    ]
}

/// The funding detail columns, empty, for the other families.
pub fn sans_details() -> [Expr; 4] {
    [DISPOSITIF, VAGUE, LOCALISATION, STATUT_DOSSIER]
        .map(|c| lit(NULL).cast(DataType::String).alias(c))
}
