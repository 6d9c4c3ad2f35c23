//! The history of the job-seeker figures, `reports/historique/demandeurs.csv`:
//! every quarter a published run has read, in the aggregated export's own
//! format (`docs/formats.md`), each row with the file and the SHA-256 it
//! came from. The next runs read it as the oldest of the exports (any
//! export wins over it, `lecture::chevauchements`), so the evolutions and
//! series need only the new quarter's export. Raw counts, before secrecy:
//! an internal file, never sent nor published.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::manifeste::{self, Empreintes};
use crate::erreur::{Erreur, Resultat};
use crate::lecture::TableBrute;
use crate::modele::colonnes::*;
use crate::modele::{DemandeursEmploi, Periode, Statut, PUBLICS_DE};

/// The columns the history adds to the export's: where each row came from.
pub const FICHIER_SOURCE: &str = "fichier_source";
pub const SHA256_SOURCE: &str = "sha256_source";

/// Writes the history of `demandeurs` (every quarter read, the sources
/// resolved; `tables`, the run's inputs, hold the previous history;
/// `empreintes`, their hashes) to
/// `chemin`, through a temporary file renamed over it: never
/// half written.
pub fn ecrire(
    demandeurs: &DemandeursEmploi,
    tables: &[TableBrute],
    empreintes: &Empreintes,
    chemin: &Path,
) -> Resultat<()> {
    let mut table = large(
        demandeurs,
        &sources(&demandeurs.fichiers, empreintes, chemin)?,
    )?;
    if let Some(ancienne) = tables.iter().find(|t| t.fichier == chemin) {
        table = avec_provenance(table, &ancienne.frame)?;
    }
    let dossier = chemin.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dossier).map_err(Erreur::acces(dossier, "création"))?;
    let provisoire = chemin.with_extension("csv.partiel");
    let mut fichier =
        std::fs::File::create(&provisoire).map_err(Erreur::acces(&provisoire, "écriture"))?;
    CsvWriter::new(&mut fichier)
        .include_header(true)
        .with_separator(b';')
        .with_line_terminator("\n".into())
        .with_null_value("".into())
        .finish(&mut table)
        .map_err(|source| Erreur::Ecriture {
            fichier: provisoire.clone(),
            source,
        })?;
    std::fs::rename(&provisoire, chemin).map_err(Erreur::acces(chemin, "écriture"))?;
    Ok(())
}

/// `fichier` (index), the file's name and SHA-256; none for the history
/// itself, read as an input: its rows keep the sources they name
/// ([`avec_provenance`]).
fn sources(
    fichiers: &[PathBuf],
    empreintes: &Empreintes,
    historique: &Path,
) -> Resultat<DataFrame> {
    let mut index = Vec::new();
    let mut noms = Vec::new();
    let mut sha256 = Vec::new();
    for (i, f) in fichiers
        .iter()
        .enumerate()
        .filter(|(_, f)| *f != historique)
    {
        index.push(i as u32);
        noms.push(manifeste::nom(f));
        sha256.push(manifeste::empreinte_de(empreintes, f)?.0);
    }
    Ok(df!(
        "fichier" => index,
        "_nom_source" => noms,
        "_sha256_source" => sha256,
    )?)
}

/// The rows the previous history gave: the file and SHA-256 it named
/// (`ancienne`, the history as read).
fn avec_provenance(table: DataFrame, ancienne: &DataFrame) -> Resultat<DataFrame> {
    let cles = ["periode", NIVEAU, CODE, CODE_COMMUNE];
    let normaliser = |lf: LazyFrame| {
        lf.with_columns(cles.map(|c| {
            col(c)
                .cast(DataType::String)
                .fill_null(lit(""))
                .alias(format!("_cle_{c}"))
        }))
    };
    let cles_jointure: Vec<Expr> = cles.iter().map(|c| col(format!("_cle_{c}"))).collect();
    let provenance = normaliser(ancienne.clone().lazy()).select(
        cles_jointure
            .iter()
            .cloned()
            .chain([
                col(FICHIER_SOURCE).alias("_fichier_ancien"),
                col(SHA256_SOURCE).alias("_sha256_ancien"),
            ])
            .collect::<Vec<_>>(),
    );
    let colonnes: Vec<Expr> = table
        .get_column_names()
        .iter()
        .map(|c| col(c.as_str()))
        .collect();
    Ok(normaliser(table.lazy())
        .join(
            provenance,
            cles_jointure.clone(),
            cles_jointure,
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            col(FICHIER_SOURCE).fill_null(col("_fichier_ancien")),
            col(SHA256_SOURCE).fill_null(col("_sha256_ancien")),
        ])
        .select(colonnes)
        .collect()?)
}

/// A cell as the exports write it: the count, or its sign (`s`, `nd`,
/// `///`).
fn cellule(public: &str) -> Expr {
    let de_ce_public = |e: Expr| e.filter(col(INDICATEUR).eq(lit(public))).first();
    let v = de_ce_public(col(VALEUR));
    let s = de_ce_public(col(STATUT));
    when(s.clone().eq(lit(Statut::Valeur.code())))
        // Job-seeker counts are whole numbers.
        .then(v.cast(DataType::Int64).cast(DataType::String))
        .when(s.clone().eq(lit(Statut::Secret.code())))
        .then(lit("s"))
        .when(s.eq(lit(Statut::NonApplicable.code())))
        .then(lit("///"))
        .otherwise(lit("nd"))
        .alias(public)
}

/// One row per quarter and territory, one column per public, sorted.
fn large(demandeurs: &DemandeursEmploi, sources: &DataFrame) -> Resultat<DataFrame> {
    let cles = [PERIODE, NIVEAU, CODE, CODE_COMMUNE];
    let mut agregats = vec![
        col(LIBELLE).first().alias(LIBELLE),
        col("_nom_source").first().alias(FICHIER_SOURCE),
        col("_sha256_source").first().alias(SHA256_SOURCE),
    ];
    agregats.extend(PUBLICS_DE.iter().map(|p| cellule(p)));
    let table = demandeurs
        .mesures
        .clone()
        .lazy()
        .join(
            sources.clone().lazy(),
            [col("fichier")],
            [col("fichier")],
            JoinArgs::new(JoinType::Left),
        )
        .sort([INDICATEUR], SortMultipleOptions::default())
        .group_by(cles.map(col))
        .agg(agregats)
        .sort(cles, SortMultipleOptions::default().with_nulls_last(false))
        .collect()?;
    let mut colonnes = vec![
        col(PERIODE).alias("periode"),
        col(NIVEAU),
        col(CODE),
        col(LIBELLE),
        col(CODE_COMMUNE),
    ];
    colonnes.extend(PUBLICS_DE.iter().map(|p| col(*p)));
    colonnes.extend([col(FICHIER_SOURCE), col(SHA256_SOURCE)]);
    let libelles = libelles_des_periodes(&table)?;
    Ok(table
        .lazy()
        .join(
            libelles.lazy(),
            [col(PERIODE)],
            [col("_index")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col("_libelle_periode").alias(PERIODE))
        .select(colonnes)
        .collect()?)
}

/// `_index`, `_libelle_periode`: `2020T4` for each quarter's index.
fn libelles_des_periodes(table: &DataFrame) -> Resultat<DataFrame> {
    let periodes: BTreeMap<i32, String> = table
        .column(PERIODE)?
        .i32()?
        .iter()
        .flatten()
        .map(|i| (i, Periode::depuis_index(i).to_string()))
        .collect();
    Ok(df!(
        "_index" => periodes.keys().copied().collect::<Vec<_>>(),
        "_libelle_periode" => periodes.values().cloned().collect::<Vec<_>>(),
    )?)
}
