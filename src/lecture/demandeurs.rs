//! France Travail job-seeker exports, aggregated: one row per territory and
//! quarter, one column per public, turned into the long table of
//! [`DemandeursEmploi`].

use std::path::PathBuf;

use polars::prelude::*;

use super::entetes::Colonne;
use super::valeurs::{parmi, periode_index, statut, texte, valeur, verifier_nombres};
use super::{lire_tables, signaler, TableBrute};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::*;
use crate::modele::{niveaux, DemandeursEmploi, DE_ABC, PUBLICS_DE};

pub const COLONNES: [Colonne; 13] = [
    Colonne::obligatoire("periode", &["trimestre", "date"]),
    Colonne::obligatoire("niveau", &["type_territoire"]),
    Colonne::obligatoire("code", &["code_territoire"]),
    Colonne::facultative("libelle", &["libelle_territoire"]),
    Colonne::facultative(
        "code_commune",
        &["insee_com", "codgeo", "code_insee", "depcom"],
    ),
    Colonne::obligatoire("de_abc", &[]),
    Colonne::facultative("de_abc_moins_26", &[]),
    Colonne::facultative("de_abc_50_plus", &[]),
    Colonne::facultative("de_abc_longue_duree", &[]),
    Colonne::facultative("de_abc_infra_bac", &[]),
    Colonne::facultative("de_abc_sans_diplome", &[]),
    // Written by the history (`rapport::historique`): where each row came
    // from. Read, not used.
    Colonne::facultative("fichier_source", &[]),
    Colonne::facultative("sha256_source", &[]),
];

/// The job-seeker files of a run, by form.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// Aggregated exports (`demandeurs_emploi*`).
    pub agreges: &'a [PathBuf],
    /// One row per job seeker (`demandeurs_emploi_detail*`).
    pub details: &'a [PathBuf],
    /// DARES communal open data (`dares_defm_communales*`).
    pub dares: &'a [PathBuf],
    /// The history of the quarters read before (`rapport::historique`),
    /// read like an aggregated export when it exists; every export wins
    /// over it.
    pub historique: Option<&'a std::path::Path>,
}

/// A source read into the long table, with the publics it gives.
type Lue = (DataFrame, Vec<TableBrute>, &'static [&'static str]);

/// Reads every form of job-seeker file (see [`super::detail`] and
/// [`super::dares`]); each territory and quarter must come once.
pub fn lire(sources: Sources) -> Resultat<(DemandeursEmploi, Vec<TableBrute>)> {
    let Sources {
        agreges,
        details,
        dares,
        historique,
    } = sources;
    if agreges.is_empty() && details.is_empty() && dares.is_empty() {
        return Err(Erreur::Donnees(vec![Probleme::new(
            std::path::Path::new("demandeurs_emploi*.csv"),
            "aucun export des demandeurs d'emploi trouvé à côté de conseil.toml",
        )
        .attendu("un fichier demandeurs_emploi*.csv, demandeurs_emploi_detail*.csv ou dares_defm_communales*.csv, ou [entrees] demandeurs_emploi = [\"…\"] dans conseil.toml")]));
    }
    let historique = historique.filter(|h| h.is_file());
    let fichiers: Vec<PathBuf> = agreges
        .iter()
        .cloned()
        .chain(historique.map(std::path::Path::to_path_buf))
        .collect();
    let (tables, mut problemes) = lire_tables(&fichiers, &COLONNES)?;
    type Lecteur = fn(&[PathBuf], u32) -> Resultat<(DataFrame, Vec<TableBrute>)>;
    let lecteurs: [(&[PathBuf], Lecteur, &'static [&'static str]); 2] = [
        (details, super::detail::lire, &PUBLICS_DE),
        (dares, super::dares::lire, &super::dares::PUBLICS),
    ];
    let mut autres: Vec<Lue> = Vec::new();
    for (f, lire, publics) in lecteurs {
        if f.is_empty() {
            continue;
        }
        // Index of the source's first file among all, for messages.
        let premier = tables.len() + autres.iter().map(|a| a.1.len()).sum::<usize>();
        match lire(f, premier as u32) {
            Ok((mesures, t)) => autres.push((mesures, t, publics)),
            Err(Erreur::Donnees(p)) => problemes.extend(p),
            Err(e) => return Err(e),
        }
    }
    assembler_avec(tables, problemes, autres, historique)
}

/// Checks raw job-seeker tables (with the problems already found in other
/// files) and turns them into one long table.
pub fn assembler(
    tables: Vec<TableBrute>,
    problemes: Vec<Probleme>,
) -> Resultat<(DemandeursEmploi, Vec<TableBrute>)> {
    assembler_avec(tables, problemes, Vec::new(), None)
}

/// [`assembler`], with the long tables read from the other forms of file
/// (detail, DARES).
fn assembler_avec(
    mut tables: Vec<TableBrute>,
    mut problemes: Vec<Probleme>,
    autres: Vec<Lue>,
    historique: Option<&std::path::Path>,
) -> Resultat<(DemandeursEmploi, Vec<TableBrute>)> {
    // A public is there when every file has its column: a public missing
    // from one quarter's file would otherwise read as a fall to nothing.
    // Detail files give them all, the DARES file two.
    let publics: Vec<&'static str> = PUBLICS_DE
        .iter()
        .copied()
        .filter(|p| tables.iter().all(|t| t.a(p)))
        .filter(|p| autres.iter().all(|(_, _, publics)| publics.contains(p)))
        .collect();
    let mut longues = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        problemes.extend(verifier(table, &publics)?);
        longues.push(en_long(table, i as u32, &publics)?);
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    for (mesures, tables_autres, _) in autres {
        longues.push(mesures.lazy().filter(parmi(col(INDICATEUR), &publics)));
        tables.extend(tables_autres);
    }
    let mesures = concat(longues, UnionArgs::default())?.collect()?;
    let doublons = doublons(&mesures, &tables)?;
    if !doublons.is_empty() {
        return Err(Erreur::Donnees(doublons));
    }
    let (mesures, revisions) = super::chevauchements::resoudre(mesures, &tables, historique)?;
    let fichiers = tables.iter().map(|t| t.fichier.clone()).collect();
    Ok((
        DemandeursEmploi {
            mesures,
            publics,
            fichiers,
            revisions,
        },
        tables,
    ))
}

/// `niveau` as written, trimmed and lower-cased.
fn niveau() -> Expr {
    texte(NIVEAU).str().to_lowercase()
}

fn verifier(table: &TableBrute, publics: &[&'static str]) -> PolarsResult<Vec<Probleme>> {
    let mut problemes = verifier_nombres(table, publics)?;
    problemes.extend(verifier_publics(table, publics)?);
    problemes.extend(signaler(
        table,
        periode_index(PERIODE).is_null(),
        PERIODE,
        "période illisible",
        "un trimestre (2020T4, 2020-T4, T4 2020, 2020Q4, 4e trimestre 2020)",
    )?);
    problemes.extend(signaler(
        table,
        parmi(niveau(), &niveaux::ENTREE)
            .not()
            .or(niveau().is_null()),
        NIVEAU,
        "niveau de territoire inconnu",
        &niveaux::ENTREE.join(", "),
    )?);
    problemes.extend(signaler(
        table,
        texte(CODE).is_null(),
        CODE,
        "code de territoire vide",
        "un code (92, 92004, QP092012…)",
    )?);
    Ok(problemes)
}

/// A public is a part of `de_abc`: above it on the same row (beyond the
/// producers' rounding, see `indicateurs::coherence::tolerance`) is an error.
fn verifier_publics(table: &TableBrute, publics: &[&'static str]) -> PolarsResult<Vec<Probleme>> {
    let tout = valeur(DE_ABC);
    let marge = tout.clone() * lit(0.005);
    let tolerance = when(marge.clone().gt(lit(5.0)))
        .then(marge)
        .otherwise(lit(5.0));
    let mut problemes = Vec::new();
    for &p in publics.iter().filter(|p| **p != DE_ABC) {
        let fautifs = table
            .frame
            .clone()
            .lazy()
            .filter(valeur(p).gt(tout.clone() + tolerance.clone()))
            .select([
                col(LIGNE),
                col(p).alias("partie"),
                col(DE_ABC).alias("tout"),
            ])
            .collect()?;
        let lignes = fautifs.column(LIGNE)?.u32()?;
        let parties = fautifs.column("partie")?.str()?;
        let touts = fautifs.column("tout")?.str()?;
        for i in 0..fautifs.height() {
            problemes.push(
                Probleme::new(
                    &table.fichier,
                    format!(
                        "{p} supérieur à de_abc sur la même ligne ({})",
                        touts.get(i).unwrap_or("")
                    ),
                )
                .ligne(lignes.get(i).unwrap_or(0) as usize)
                .colonne(table.position(p))
                .attendu("une partie des demandeurs d'emploi ABC, au plus égale à de_abc")
                .trouve(parties.get(i).unwrap_or("")),
            );
        }
    }
    Ok(problemes)
}

/// One row per territory × quarter × public. The cells are parsed once
/// for the table (one wide frame), then each public takes its columns.
fn en_long(table: &TableBrute, fichier: u32, publics: &[&'static str]) -> PolarsResult<LazyFrame> {
    let ou_rien = |c: &str| {
        if table.a(c) {
            texte(c)
        } else {
            lit(NULL).cast(DataType::String)
        }
    };
    let communs = [PERIODE, NIVEAU, CODE, CODE_COMMUNE, LIBELLE];
    let mut colonnes = vec![
        periode_index(PERIODE).alias(PERIODE),
        niveau().alias(NIVEAU),
        texte(CODE).alias(CODE),
        ou_rien(CODE_COMMUNE).alias(CODE_COMMUNE),
        ou_rien(LIBELLE).alias(LIBELLE),
        col(LIGNE),
    ];
    let (valeur_de, statut_de) = (
        |p: &str| format!("_valeur_{p}"),
        |p: &str| format!("_statut_{p}"),
    );
    for p in publics {
        colonnes.push(valeur(p).alias(valeur_de(p)));
        colonnes.push(statut(p).alias(statut_de(p)));
    }
    let large = table.frame.clone().lazy().select(colonnes).collect()?;
    let parties: Vec<LazyFrame> = publics
        .iter()
        .map(|p| {
            let mut selection: Vec<Expr> = communs.iter().map(|c| col(*c)).collect();
            selection.extend([
                lit(*p).alias(INDICATEUR),
                col(valeur_de(p)).alias(VALEUR),
                col(statut_de(p)).alias(STATUT),
                col(LIGNE),
                lit(fichier).cast(DataType::UInt32).alias("fichier"),
            ]);
            large.clone().lazy().select(selection)
        })
        .collect();
    concat(parties, UnionArgs::default())
}

/// The same territory and quarter given twice in one file (across files,
/// [`super::chevauchements`] decides).
fn doublons(mesures: &DataFrame, tables: &[TableBrute]) -> PolarsResult<Vec<Probleme>> {
    let cles = [PERIODE, NIVEAU, CODE, CODE_COMMUNE, INDICATEUR, "fichier"];
    let doubles = mesures
        .clone()
        .lazy()
        .filter(col(INDICATEUR).eq(lit(PUBLICS_DE[0])))
        .with_column(len().over(cles.map(col))?.alias("n"))
        .filter(col("n").gt(lit(1)))
        .sort(
            [PERIODE, NIVEAU, CODE, "fichier", LIGNE],
            SortMultipleOptions::default(),
        )
        .select([
            col("fichier"),
            col(LIGNE),
            col(PERIODE),
            col(NIVEAU),
            col(CODE),
        ])
        .collect()?;
    let fichiers = doubles.column("fichier")?.u32()?;
    let lignes = doubles.column(LIGNE)?.u32()?;
    let codes = doubles.column(CODE)?.str()?;
    let periodes = doubles.column(PERIODE)?.i32()?;
    let mut problemes = Vec::new();
    for i in 0..doubles.height() {
        let table = &tables[fichiers.get(i).unwrap_or(0) as usize];
        let periode = crate::modele::Periode::depuis_index(periodes.get(i).unwrap_or(0));
        problemes.push(
            Probleme::new(
                &table.fichier,
                format!(
                    "territoire {} donné plusieurs fois pour {periode}",
                    codes.get(i).unwrap_or("")
                ),
            )
            .ligne(lignes.get(i).unwrap_or(0) as usize)
            .attendu("une seule ligne par période, niveau et code"),
        );
    }
    Ok(problemes)
}
