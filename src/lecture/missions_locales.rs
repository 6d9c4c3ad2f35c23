//! Missions locales exports (one row per structure and year) and the
//! yearly targets, in long form.

use std::path::PathBuf;

use polars::prelude::*;

use super::entetes::{normaliser, Colonne};
use super::valeurs::{statut, texte, valeur, verifier_nombres};
use super::{lire_tables, signaler, TableBrute};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::*;
use crate::modele::{MissionsLocales, INDICATEURS_ML, SUFFIXE_QPV};

pub const COLONNES: [Colonne; 12] = [
    Colonne::obligatoire("annee", &["exercice"]),
    Colonne::facultative("departement", &["code_departement", "dep"]),
    Colonne::facultative("code_structure", &["code_ml"]),
    Colonne::facultative("nom_structure", &["structure", "mission_locale"]),
    Colonne::obligatoire("jeunes_accompagnes", &[]),
    Colonne::facultative("jeunes_accompagnes_qpv", &[]),
    Colonne::facultative("entrees_gj", &[]),
    Colonne::facultative("entrees_gj_qpv", &[]),
    Colonne::facultative("entrees_pacea", &[]),
    Colonne::facultative("entrees_pacea_qpv", &[]),
    Colonne::facultative("entrees_cej", &[]),
    Colonne::facultative("entrees_cej_qpv", &[]),
];

pub const COLONNES_OBJECTIFS: [Colonne; 4] = [
    Colonne::obligatoire("annee", &["exercice"]),
    Colonne::facultative("departement", &["code_departement", "dep"]),
    Colonne::obligatoire("dispositif", &[]),
    Colonne::obligatoire("objectif", &["objectif_entrees", "cible"]),
];

/// A year, `2020`: null when the cell is not one.
fn annee() -> Expr {
    let t = texte("annee");
    when(t.clone().str().contains(lit(r"^\d{4}$"), true))
        .then(t.cast(DataType::Int32))
        .otherwise(lit(NULL).cast(DataType::Int32))
}

/// The indicator a target is about, from the way producers name the
/// programmes ("Garantie jeunes", "GJ", "PACEA", "CEJ"…).
fn indicateur_objectif(dispositif: &str) -> Option<&'static str> {
    match normaliser(dispositif).as_str() {
        "gj" | "garantie_jeunes" | "garantie_jeune" | "entrees_gj" => Some("entrees_gj"),
        "pacea" | "entrees_pacea" => Some("entrees_pacea"),
        "cej" | "contrat_d_engagement_jeune" | "contrat_engagement_jeune" | "entrees_cej" => {
            Some("entrees_cej")
        }
        "jeunes_accompagnes" | "accompagnement" => Some("jeunes_accompagnes"),
        _ => None,
    }
}

/// The `departement` column as text, null when the file has none (the rows
/// are then the configured département's).
fn departement(t: &TableBrute) -> Expr {
    if t.a("departement") {
        texte("departement")
    } else {
        lit(NULL).cast(DataType::String)
    }
    .alias("departement")
}

/// Reads the missions locales exports and the targets. Both are optional:
/// `None` when there is no missions locales export.
pub fn lire(
    fichiers: &[PathBuf],
    objectifs: &[PathBuf],
) -> Resultat<Option<(MissionsLocales, Vec<TableBrute>)>> {
    if fichiers.is_empty() {
        return Ok(None);
    }
    let (mut tables, mut problemes) = lire_tables(fichiers, &COLONNES)?;
    let (tables_obj, problemes_obj) = lire_tables(objectifs, &COLONNES_OBJECTIFS)?;
    problemes.extend(problemes_obj);
    let colonnes = colonnes_presentes(&tables);
    let indicateurs: Vec<&'static str> = INDICATEURS_ML
        .iter()
        .copied()
        .filter(|i| colonnes.contains(i))
        .collect();
    let mut longues = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        longues.extend(mesures_longues(t, i, &colonnes, &mut problemes)?);
    }
    let mut objectifs_long = Vec::new();
    for (i, t) in tables_obj.iter().enumerate() {
        objectifs_long.push(objectifs_longs(t, i, &mut problemes)?);
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    let mesures = concat(longues, UnionArgs::default())?.collect()?;
    let objectifs = if objectifs_long.is_empty() {
        sans_objectifs()
    } else {
        concat(objectifs_long, UnionArgs::default())?.collect()?
    };
    let fichiers = tables.iter().map(|t| t.fichier.clone()).collect();
    tables.extend(tables_obj);
    Ok(Some((
        MissionsLocales {
            mesures,
            objectifs,
            indicateurs,
            fichiers,
        },
        tables,
    )))
}

/// The indicator columns (the whole and the QPV part): an indicator is
/// there when every file has its column.
fn colonnes_presentes(tables: &[TableBrute]) -> Vec<&'static str> {
    INDICATEURS_ML
        .iter()
        .flat_map(|i| {
            COLONNES
                .iter()
                .map(|c| c.nom)
                .filter(move |c| c.strip_suffix(SUFFIXE_QPV).unwrap_or(c) == *i)
        })
        .filter(|c| tables.iter().all(|t| t.a(c)))
        .collect()
}

/// One file's figures in long form, one frame per indicator column, once
/// its cells are checked (problems added to `problemes`).
fn mesures_longues(
    t: &TableBrute,
    i: usize,
    colonnes: &[&'static str],
    problemes: &mut Vec<Probleme>,
) -> Resultat<Vec<LazyFrame>> {
    problemes.extend(verifier_nombres(t, colonnes)?);
    problemes.extend(signaler(
        t,
        annee().is_null(),
        "annee",
        "année illisible",
        "une année, par exemple 2020",
    )?);
    for c in colonnes.iter().filter(|c| c.ends_with(SUFFIXE_QPV)) {
        let tout = c.strip_suffix(SUFFIXE_QPV).unwrap_or(c);
        problemes.extend(signaler(
            t,
            valeur(c).gt(valeur(tout)),
            c,
            &format!("{c} supérieur à {tout} sur la même ligne"),
            &format!("une partie de {tout}, au plus égale à lui"),
        )?);
    }
    let lf = t.frame.clone().lazy();
    let texte_ou_vide = |c: &str| {
        if t.a(c) {
            texte(c)
        } else {
            lit(NULL).cast(DataType::String)
        }
    };
    Ok(colonnes
        .iter()
        .map(|c| {
            lf.clone().select([
                annee().alias("annee"),
                departement(t),
                texte_ou_vide("code_structure").alias("code_structure"),
                texte_ou_vide("nom_structure").alias("nom_structure"),
                lit(*c).alias(INDICATEUR),
                valeur(c).alias(VALEUR),
                statut(c).alias(STATUT),
                col(LIGNE),
                lit(i as u32).cast(DataType::UInt32).alias(FICHIER),
            ])
        })
        .collect())
}

/// One targets file in long form, once checked.
fn objectifs_longs(t: &TableBrute, i: usize, problemes: &mut Vec<Probleme>) -> Resultat<LazyFrame> {
    problemes.extend(verifier_nombres(t, &["objectif"])?);
    problemes.extend(signaler(
        t,
        annee().is_null(),
        "annee",
        "année illisible",
        "une année, par exemple 2021",
    )?);
    // Programme names are few: mapped here, then joined.
    let dispositifs = t.frame.column("dispositif")?.str()?;
    let mut noms = Vec::new();
    let mut cibles = Vec::new();
    for d in dispositifs.iter().flatten() {
        if !noms.iter().any(|n: &String| n == d) {
            noms.push(d.to_string());
            cibles.push(indicateur_objectif(d));
        }
    }
    let correspondance = df!["dispositif" => &noms, INDICATEUR => &cibles]?.lazy();
    let frame = t
        .frame
        .clone()
        .lazy()
        .join(
            correspondance,
            [col("dispositif")],
            [col("dispositif")],
            JoinArgs::new(JoinType::Left),
        )
        .collect()?;
    let joint = TableBrute { frame, ..t.clone() };
    problemes.extend(signaler(
        &joint,
        col(INDICATEUR).is_null(),
        "dispositif",
        "dispositif inconnu",
        "Garantie jeunes (GJ), PACEA, CEJ ou jeunes accompagnés",
    )?);
    let lf = joint.frame.clone().lazy();
    Ok(lf.select([
        annee().alias("annee"),
        departement(&joint),
        col(INDICATEUR),
        valeur("objectif").alias(VALEUR),
        statut("objectif").alias(STATUT),
        col(LIGNE),
        lit(i as u32).cast(DataType::UInt32).alias(FICHIER),
    ]))
}

/// The targets table when no targets file was given.
fn sans_objectifs() -> DataFrame {
    DataFrame::empty_with_schema(&Schema::from_iter([
        Field::new("annee".into(), DataType::Int32),
        Field::new("departement".into(), DataType::String),
        Field::new(INDICATEUR.into(), DataType::String),
        Field::new(VALEUR.into(), DataType::Float64),
        Field::new(STATUT.into(), DataType::UInt32),
        Field::new(LIGNE.into(), DataType::UInt32),
        Field::new(FICHIER.into(), DataType::UInt32),
    ]))
}
