//! `indicateurs.csv`: every computed figure in long form, for machines:
//! comma-separated UTF-8, decimal point, unrounded values, an empty
//! `valeur` with a `statut` where there is no figure.

use std::path::Path;

use polars::prelude::*;

use crate::erreur::{Erreur, Resultat};
use crate::modele::colonnes::*;
use crate::modele::{mesures, Statut};

/// The columns whose text comes from the inputs (names, codes, schemes).
const TEXTES_LIBRES: [&str; 5] = [CODE, LIBELLE, DISPOSITIF, VAGUE, CATEGORIE];

/// A text a spreadsheet would run as a formula (beginning with `=`, `+`,
/// `-` or `@`) gets a leading `'`, which makes it text again (OWASP, CSV
/// injection). Numbers are not texts here: a negative evolution stays a
/// number.
pub(crate) fn neutraliser(c: Expr) -> Expr {
    when(
        c.clone()
            .str()
            .contains(lit(r"^[=+\-@]"), false)
            .fill_null(lit(false)),
    )
    .then(lit("'") + c.clone())
    .otherwise(c)
}

/// [`neutraliser`] of one text, for the CSV written row by row
/// (`subventions`).
pub(crate) fn neutraliser_texte(texte: &str) -> String {
    if texte.starts_with(['=', '+', '-', '@']) {
        format!("'{texte}")
    } else {
        texte.to_string()
    }
}

pub fn ecrire(table: &DataFrame, chemin: &Path) -> Resultat<()> {
    let v = col(VALEUR);
    // Counts and amounts are written as integers when they are whole;
    // shares and evolutions in full.
    let denombrement = [
        mesures::EFFECTIF,
        mesures::OBJECTIF,
        mesures::NB_DOSSIERS,
        mesures::MONTANT_EUR,
        mesures::NB_QPV,
        mesures::POPULATION,
        mesures::NOMBRE,
    ]
    .map(|m| col(MESURE).eq(lit(m)))
    .into_iter()
    .reduce(|a, b| a.or(b))
    .unwrap_or(lit(false));
    let entier = denombrement.and(
        v.clone()
            .cast(DataType::Int64)
            .cast(DataType::Float64)
            .eq(v.clone()),
    );
    let valeur = when(entier)
        .then(v.clone().cast(DataType::Int64).cast(DataType::String))
        .otherwise(v.cast(DataType::String));
    let statut = [Statut::NonApplicable, Statut::NonDisponible, Statut::Secret]
        .into_iter()
        .fold(lit(NULL).cast(DataType::String), |acc, s| {
            when(col(STATUT).eq(lit(s.code())))
                .then(lit(s.code_csv()))
                .otherwise(acc)
        });
    let mut table = table
        .clone()
        .lazy()
        .with_columns([valeur.alias(VALEUR), statut.alias(STATUT)])
        .with_columns(TEXTES_LIBRES.map(|c| neutraliser(col(c)).alias(c)))
        .collect()?;
    let mut fichier = std::fs::File::create(chemin).map_err(Erreur::acces(chemin, "écriture"))?;
    CsvWriter::new(&mut fichier)
        .include_header(true)
        .with_separator(b',')
        .with_line_terminator("\n".into())
        .with_null_value("".into())
        .finish(&mut table)
        .map_err(|source| Erreur::Ecriture {
            fichier: chemin.to_path_buf(),
            source,
        })?;
    Ok(())
}
