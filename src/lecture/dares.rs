//! The DARES open-data file "demandeurs d'emploi inscrits à France Travail
//! par commune" (`dares_defm_communales-brutes*.csv`), read as published:
//! labelled CSV export, one row per quarter × commune × category × sex × age
//! band, fourth quarters only (each value the mean of the October–December
//! month ends), counts rounded to a multiple of 5.
//!
//! Kept: raw data (`Brutes`), category `ABC`, both sexes (`Total`); the
//! `Total` age band gives `de_abc`, `50 ans et plus` gives `de_abc_50_plus`.
//! The file's `Moins de 25 ans` is not the annex's "moins de 26 ans" and is
//! left out. Rows whose `Code commune` is `Total` are national cumulative
//! rows, not communes. Paris, Lyon and Marseille come whole and by
//! arrondissement: both are kept as territories, and the département's
//! total (the sum of its communes: the file has no département row) counts
//! the whole commune only. Rounding makes sums approximate: the consistency
//! checks' tolerance (`indicateurs::coherence`) absorbs it.

use std::path::PathBuf;

use polars::prelude::*;

use super::entetes::Colonne;
use super::valeurs::{
    est_code_commune, periode_index, statut, texte, valeur, valeur_normalisee, verifier_nombres,
};
use super::{lire_tables, signaler, TableBrute};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::*;
use crate::modele::{departements, niveaux, Statut};

pub const COLONNES: [Colonne; 12] = [
    // Labels of the published file, known so that they are not reported
    // as ignored; not read.
    Colonne::facultative("code_region", &[]),
    Colonne::facultative("region", &[]),
    Colonne::facultative("code_departement", &[]),
    Colonne::facultative("departement", &[]),
    Colonne::obligatoire("periode", &["date", "trimestre"]),
    Colonne::obligatoire("code_commune", &["codgeo", "code_insee", "depcom"]),
    Colonne::facultative("libelle", &["commune", "libelle_commune", "nom_commune"]),
    Colonne::obligatoire("type_de_donnees", &["type_donnees"]),
    Colonne::obligatoire("categorie", &["categorie_de_demandeurs"]),
    Colonne::obligatoire("sexe", &[]),
    Colonne::obligatoire("tranche_d_age", &["tranche_age", "age"]),
    Colonne::obligatoire("nombre_de_demandeurs_d_emploi", &["nombre", "valeur"]),
];

const NOMBRE: &str = "nombre_de_demandeurs_d_emploi";

/// The publics the file gives.
pub const PUBLICS: [&str; 2] = ["de_abc", "de_abc_50_plus"];

/// A commune that is also given by arrondissement, or an arrondissement.
fn arrondissement(code: Expr) -> Expr {
    let n = code.clone().cast(DataType::Int32);
    n.clone()
        .gt_eq(lit(75101))
        .and(n.clone().lt_eq(lit(75120)))
        .or(n.clone().gt_eq(lit(69381)).and(n.clone().lt_eq(lit(69389))))
        .or(n.clone().gt_eq(lit(13201)).and(n.lt_eq(lit(13216))))
        .fill_null(lit(false))
}

/// Reads the DARES files into the long table of the aggregated export
/// (`premier`: the index of the first file among the job-seeker files).
pub fn lire(fichiers: &[PathBuf], premier: u32) -> Resultat<(DataFrame, Vec<TableBrute>)> {
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES)?;
    let mut longues = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        longues.push(communes_d_un_fichier(
            t,
            premier + i as u32,
            &mut problemes,
        )?);
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    if longues.is_empty() {
        return Err(Erreur::Donnees(vec![Probleme::new(
            std::path::Path::new("dares_defm_communales*.csv"),
            "aucun fichier DARES lu",
        )]));
    }
    let communes = concat(longues, UnionArgs::default())?.collect()?.lazy();
    Ok((avec_departements(communes)?, tables))
}

/// A national cumulative row (`Code commune` = `Total`), not a commune.
fn ligne_nationale() -> Expr {
    texte(CODE_COMMUNE).str().to_lowercase().eq(lit("total"))
}

/// One file's communal figures kept (raw data, ABC, both sexes; all ages
/// and 50 and over), once its cells are checked (problems added to
/// `problemes`); `fichier`, the file's index.
fn communes_d_un_fichier(
    t: &TableBrute,
    fichier: u32,
    problemes: &mut Vec<Probleme>,
) -> Resultat<LazyFrame> {
    problemes.extend(verifier_nombres(t, &[NOMBRE])?);
    let commune = texte(CODE_COMMUNE);
    problemes.extend(signaler(
        t,
        periode_index(PERIODE).is_null(),
        PERIODE,
        "période illisible",
        "un trimestre, par exemple 2024-T4",
    )?);
    problemes.extend(signaler(
        t,
        ligne_nationale()
            .not()
            .and(est_code_commune(commune.clone()).not())
            .fill_null(lit(true)),
        CODE_COMMUNE,
        "code commune illisible",
        "un code INSEE de commune (92004) ou « Total »",
    )?);
    // Which figure a row gives, if any.
    let tranche = valeur_normalisee("tranche_d_age");
    let indicateur = when(tranche.clone().eq(lit("total")))
        .then(lit("de_abc"))
        .when(tranche.eq(lit("50_ans_et_plus")))
        .then(lit("de_abc_50_plus"))
        .otherwise(lit(NULL).cast(DataType::String));
    Ok(t.frame
        .clone()
        .lazy()
        .filter(
            valeur_normalisee("type_de_donnees")
                .eq(lit("brutes"))
                .and(valeur_normalisee("categorie").eq(lit("abc")))
                .and(valeur_normalisee("sexe").eq(lit("total")))
                .and(ligne_nationale().not()),
        )
        .select([
            periode_index(PERIODE).alias(PERIODE),
            commune.alias(CODE),
            if t.a(LIBELLE) {
                texte(LIBELLE)
            } else {
                lit(NULL).cast(DataType::String)
            }
            .alias(LIBELLE),
            indicateur.alias(INDICATEUR),
            valeur(NOMBRE).alias(VALEUR),
            statut(NOMBRE).alias(STATUT),
            col(LIGNE),
            lit(fichier).alias(FICHIER),
        ])
        .filter(col(INDICATEUR).is_not_null()))
}

/// The communes' rows and each département's: the sum of its communes
/// (arrondissements left out); not available when one of them is not a
/// value.
fn avec_departements(communes: LazyFrame) -> PolarsResult<DataFrame> {
    let dep = departements::expr_departement(col(CODE));
    let departements = communes
        .clone()
        .filter(arrondissement(col(CODE)).not())
        .group_by([col(PERIODE), dep.alias(CODE), col(INDICATEUR)])
        .agg([
            col(VALEUR).sum(),
            col(STATUT).max(),
            col(LIGNE).min(),
            col(FICHIER).min(),
        ])
        .with_columns([
            when(col(STATUT).eq(lit(Statut::Valeur.code())))
                .then(col(STATUT))
                .otherwise(lit(Statut::NonDisponible.code()))
                .cast(DataType::UInt32)
                .alias(STATUT),
            lit(NULL).cast(DataType::String).alias(LIBELLE),
            lit(niveaux::DEPARTEMENT).alias(NIVEAU),
        ]);
    let colonnes = [
        col(PERIODE),
        col(NIVEAU),
        col(CODE),
        lit(NULL).cast(DataType::String).alias(CODE_COMMUNE),
        col(LIBELLE),
        col(INDICATEUR),
        col(VALEUR),
        col(STATUT),
        col(LIGNE),
        col(FICHIER).cast(DataType::UInt32).alias(FICHIER),
    ];
    concat(
        [
            communes
                .with_column(lit(niveaux::COMMUNE).alias(NIVEAU))
                .select(colonnes.clone()),
            departements.select(colonnes),
        ],
        UnionArgs::default(),
    )?
    .sort(
        [PERIODE, NIVEAU, CODE, INDICATEUR],
        SortMultipleOptions::default(),
    )
    .collect()
}
