//! The calendar of calls for projects (`calendrier*.csv`): one row per
//! scheme and step (a deadline for applications, a selection session),
//! dated to the day or to the month ("octobre 2021"), as the deck's
//! "Quartiers culturels créatifs" table.

use std::path::PathBuf;

use polars::prelude::*;

use super::entetes::Colonne;
use super::valeurs::texte;
use super::{lire_tables, signaler, TableBrute};
use crate::erreur::{Erreur, Resultat};
use crate::modele::colonnes::*;
use crate::modele::Echeances;

pub const COLONNES: [Colonne; 3] = [
    Colonne::obligatoire("dispositif", &["appel_a_projets", "aap"]),
    Colonne::obligatoire("etape", &["jalon"]),
    Colonne::obligatoire("date", &["echeance"]),
];

/// Month names as written in French, for "octobre 2021".
const MOIS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// Reads the calendars; `None` when there is none.
pub fn lire(fichiers: &[PathBuf]) -> Resultat<Option<(Echeances, Vec<TableBrute>)>> {
    if fichiers.is_empty() {
        return Ok(None);
    }
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES)?;
    let mut lignes = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let lf = t.frame.clone().lazy().select([
            texte("dispositif").alias(DISPOSITIF),
            texte("etape").alias("etape"),
            jour_ou_mois(false).alias("debut"),
            jour_ou_mois(true).alias("fin"),
            col("date")
                .str()
                .contains(
                    lit(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*$|^\s*\d{4}-\d{2}-\d{2}\s*$"),
                    false,
                )
                .alias("au_jour"),
            col(LIGNE),
            lit(i as u32).alias(FICHIER),
        ]);
        for (c, quoi) in [
            ("dispositif", "le nom de l'appel à projets"),
            (
                "etape",
                "l'étape (date limite de dépôt, session d'attribution…)",
            ),
        ] {
            problemes.extend(signaler(t, texte(c).is_null(), c, "cellule vide", quoi)?);
        }
        problemes.extend(signaler(
            t,
            jour_ou_mois(false).is_null(),
            "date",
            "date illisible",
            "une date AAAA-MM-JJ ou JJ/MM/AAAA, ou un mois AAAA-MM ou « octobre 2021 »",
        )?);
        lignes.push(lf);
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    let lignes = concat(lignes, UnionArgs::default())?.collect()?;
    let fichiers = tables.iter().map(|t| t.fichier.clone()).collect();
    Ok(Some((Echeances { lignes, fichiers }, tables)))
}

/// The date of the `date` cell as AAAAMMJJ: the day given, else the
/// month's first day (`fin` false) or last (`fin` true); null when it is
/// neither.
fn jour_ou_mois(fin: bool) -> Expr {
    let c = || {
        col("date")
            .str()
            .strip_chars(lit(NULL))
            .str()
            .to_lowercase()
    };
    let entier = |motif: &str, groupe: usize| {
        c().str()
            .extract(lit(format!("^{motif}$")), groupe)
            .cast(DataType::Int32)
    };
    // Month names without accents, so that "février" and "fevrier" match.
    let sans_accents = c()
        .str()
        .replace_all(lit("[éè]"), lit("e"), false)
        .str()
        .replace_all(lit("û"), lit("u"), false);
    let mois_en_lettres =
        MOIS.iter()
            .enumerate()
            .fold(lit(NULL).cast(DataType::Int32), |acc, (i, m)| {
                when(
                    sans_accents
                        .clone()
                        .str()
                        .contains(lit(format!(r"^{m}\s+\d{{4}}$")), false),
                )
                .then(lit(i as i32 + 1))
                .otherwise(acc)
            });
    let an = coalesce(&[
        entier(r"(\d{4})-(\d{2})-(\d{2})", 1),
        entier(r"(\d{1,2})/(\d{1,2})/(\d{4})", 3),
        entier(r"(\d{4})-(\d{2})", 1),
        entier(r"(\d{1,2})/(\d{4})", 2),
        sans_accents
            .clone()
            .str()
            .extract(lit(r"^[a-z]+\s+(\d{4})$"), 1)
            .cast(DataType::Int32),
    ]);
    let mois = coalesce(&[
        entier(r"(\d{4})-(\d{2})-(\d{2})", 2),
        entier(r"(\d{1,2})/(\d{1,2})/(\d{4})", 2),
        entier(r"(\d{4})-(\d{2})", 2),
        entier(r"(\d{1,2})/(\d{4})", 1),
        mois_en_lettres,
    ]);
    let jour = coalesce(&[
        entier(r"(\d{4})-(\d{2})-(\d{2})", 3),
        entier(r"(\d{1,2})/(\d{1,2})/(\d{4})", 1),
        lit(if fin { 31 } else { 1 }),
    ]);
    let valide = mois
        .clone()
        .gt_eq(lit(1))
        .and(mois.clone().lt_eq(lit(12)))
        .and(jour.clone().gt_eq(lit(1)))
        .and(jour.clone().lt_eq(lit(31)));
    when(valide)
        .then(an * lit(10_000) + mois * lit(100) + jour)
        .otherwise(lit(NULL).cast(DataType::Int32))
}
