//! Exports that overlap: each quarter's rolling file repeats the earlier
//! quarters. For the same period, level and code in two files, the file
//! whose latest period is the most recent wins (ties: the file name's
//! order); a different value in the other file is a producer revision,
//! reported. Within one file a territory given twice stays an error.

use std::path::Path;

use polars::prelude::*;

use super::TableBrute;
use crate::erreur::Probleme;
use crate::modele::colonnes::*;
use crate::modele::{Periode, Revision};

/// The key of one figure.
const CLES: [&str; 5] = [PERIODE, NIVEAU, CODE, CODE_COMMUNE, INDICATEUR];

/// Each file's rank: 0 for the file with the most recent latest period.
const RANG: &str = "_rang_du_fichier";

/// `mesures` with, for each figure, the row of the winning file only; and
/// the figures the losing files gave another value (revisions). The
/// history (`historique`, when read) loses to every export.
pub fn resoudre(
    mesures: DataFrame,
    tables: &[TableBrute],
    historique: Option<&Path>,
) -> PolarsResult<(DataFrame, Vec<Revision>)> {
    let rangs = rangs(&mesures, tables, historique)?;
    let classees = mesures
        .lazy()
        .join(
            rangs.lazy(),
            [col("fichier")],
            [col("fichier")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col(RANG).min().over(CLES.map(col))?.alias("_rang_retenu"));
    let revisions = revisions(classees.clone(), tables, historique)?;
    let retenues = classees
        .filter(col(RANG).eq(col("_rang_retenu")))
        .drop(by_name([RANG, "_rang_retenu"], true, false))
        .collect()?;
    Ok((retenues, revisions))
}

/// `fichier`, [`RANG`]: the exports ordered by their latest period, most
/// recent first, then by name; the history last.
fn rangs(
    mesures: &DataFrame,
    tables: &[TableBrute],
    historique: Option<&Path>,
) -> PolarsResult<DataFrame> {
    let dernieres = mesures
        .clone()
        .lazy()
        .group_by([col("fichier")])
        .agg([col(PERIODE).max().alias("derniere")])
        .collect()?;
    let fichiers = dernieres.column("fichier")?.u32()?;
    let periodes = dernieres.column("derniere")?.i32()?;
    let mut ordre: Vec<(bool, i32, String, u32)> = (0..dernieres.height())
        .filter_map(|i| {
            let f = fichiers.get(i)?;
            let chemin = tables.get(f as usize).map(|t| t.fichier.as_path());
            let nom = chemin
                .map(|c| c.to_string_lossy().into_owned())
                .unwrap_or_default();
            let est_historique = historique.is_some() && chemin == historique;
            Some((
                est_historique,
                -periodes.get(i).unwrap_or(i32::MIN + 1),
                nom,
                f,
            ))
        })
        .collect();
    ordre.sort();
    let rangs: Vec<u32> = (0..ordre.len() as u32).collect();
    df!(
        "fichier" => ordre.iter().map(|o| o.3).collect::<Vec<_>>(),
        RANG => rangs,
    )
}

/// The figures a losing file gives with another value or status than the
/// winning one, each said at its line.
fn revisions(
    classees: LazyFrame,
    tables: &[TableBrute],
    historique: Option<&Path>,
) -> PolarsResult<Vec<Revision>> {
    let retenues = classees
        .clone()
        .filter(col(RANG).eq(col("_rang_retenu")))
        .select([
            col(PERIODE),
            col(NIVEAU),
            col(CODE),
            col(CODE_COMMUNE),
            col(INDICATEUR),
            col(VALEUR).alias("_valeur_retenue"),
            col(STATUT).alias("_statut_retenu"),
            col("fichier").alias("_fichier_retenu"),
        ]);
    let differe = |a: &str, b: &str| col(a).eq_missing(col(b)).not();
    let t = classees
        .filter(col(RANG).neq(col("_rang_retenu")))
        .join(
            retenues,
            CLES.map(col),
            CLES.map(col),
            JoinArgs {
                nulls_equal: true,
                ..JoinArgs::new(JoinType::Inner)
            },
        )
        .filter(differe(VALEUR, "_valeur_retenue").or(differe(STATUT, "_statut_retenu")))
        .sort(
            ["fichier", LIGNE, INDICATEUR],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let texte = |c: &str| t.column(c).and_then(|s| s.str().cloned());
    let entier = |c: &str| t.column(c).and_then(|s| s.u32().cloned());
    let (niveaux, codes, indicateurs) = (texte(NIVEAU)?, texte(CODE)?, texte(INDICATEUR)?);
    let (fichiers, retenus, lignes) = (
        entier("fichier")?,
        entier("_fichier_retenu")?,
        entier(LIGNE)?,
    );
    let periodes = t.column(PERIODE)?.i32()?;
    let (avant, apres) = (
        t.column(VALEUR)?.f64()?,
        t.column("_valeur_retenue")?.f64()?,
    );
    let nom = |f: Option<u32>| {
        tables
            .get(f.unwrap_or(0) as usize)
            .map(|t| t.fichier.clone())
            .unwrap_or_default()
    };
    let chiffre = |v: Option<f64>| v.map_or("non diffusé".to_string(), |v| format!("{v}"));
    Ok((0..t.height())
        .map(|i| {
            let code = codes.get(i).unwrap_or("").to_string();
            let periode = Periode::depuis_index(periodes.get(i).unwrap_or(0));
            let (retenu, perdant) = (nom(retenus.get(i)), nom(fichiers.get(i)));
            let probleme = Probleme::new(
                &perdant,
                format!(
                    "révision du producteur : {code} ({}) pour {periode}, {} dans ce fichier, {} dans {} (retenu, sa dernière période est la plus récente)",
                    indicateurs.get(i).unwrap_or(""),
                    chiffre(avant.get(i)),
                    chiffre(apres.get(i)),
                    retenu.file_name().unwrap_or_default().to_string_lossy(),
                ),
            )
            .ligne(lignes.get(i).unwrap_or(0) as usize);
            Revision {
                niveau: niveaux.get(i).unwrap_or("").to_string(),
                code,
                contre_l_historique: historique == Some(perdant.as_path()),
                probleme,
            }
        })
        .collect())
}
