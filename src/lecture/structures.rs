//! Structures and labels (`structures*.csv`): one row per structure or
//! label (France services, maisons de santé, Cités de l'emploi, PRIJ,
//! tiers-lieux…), with its commune, where it stands against the QPV, its
//! status and its year.

use std::path::PathBuf;

use polars::prelude::*;

use super::dispositifs::date;
use super::entetes::Colonne;
use super::valeurs::{est_code_commune, ou_vide, texte, valeur_normalisee};
use super::{
    avec_qpv_connu, lire_tables, qpv_connus, signaler, signaler_hors_liste, signaler_localisations,
    signaler_qpv_inconnus, TableBrute,
};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::*;
use crate::modele::{Referentiel, Structures, STATUTS_STRUCTURE};

pub const COLONNES: [Colonne; 10] = [
    Colonne::obligatoire("type", &["label", "type_de_structure"]),
    Colonne::obligatoire("nom", &["nom_structure", "structure"]),
    Colonne::obligatoire(
        "code_commune",
        &["insee_com", "codgeo", "code_insee", "depcom"],
    ),
    Colonne::facultative("nom_commune", &["commune", "lib_com"]),
    Colonne::facultative("code_qpv", &["code_qp", "code_quartier"]),
    Colonne::facultative("localisation", &[]),
    Colonne::facultative("statut", &["etat"]),
    Colonne::facultative("annee", &["annee_de_labellisation", "annee_d_ouverture"]),
    Colonne::facultative("date", &["date_de_labellisation", "date_d_ouverture"]),
    Colonne::facultative("categorie", &["type_de_siae"]),
];

/// Reads the structure files; `None` when there is none. A QPV must be in
/// the referential.
pub fn lire(
    fichiers: &[PathBuf],
    referentiel: &Referentiel,
) -> Resultat<Option<(Structures, Vec<TableBrute>)>> {
    if fichiers.is_empty() {
        return Ok(None);
    }
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES)?;
    let connus = qpv_connus(referentiel);
    let mut lignes = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let lf = avec_qpv_connu(t.frame.clone().lazy(), ou_vide(t, "code_qpv"), &connus);
        let verifiee = TableBrute {
            frame: lf.clone().collect()?,
            ..t.clone()
        };
        problemes.extend(verifier(t, &verifiee)?);
        lignes.push(lignes_d_un_fichier(t, lf, i as u32));
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    let lignes = concat(lignes, UnionArgs::default())?.collect()?;
    let fichiers = tables.iter().map(|t| t.fichier.clone()).collect();
    Ok(Some((Structures { lignes, fichiers }, tables)))
}

/// A file's rows in the typed columns of [`Structures`].
fn lignes_d_un_fichier(t: &TableBrute, lf: LazyFrame, fichier: u32) -> LazyFrame {
    let localisation = if t.a("localisation") {
        when(texte("localisation").is_null())
            .then(lit(NULL).cast(DataType::String))
            .otherwise(valeur_normalisee("localisation"))
    } else {
        lit(NULL).cast(DataType::String)
    };
    // Where it is: as written, else in a QPV when a QPV is named.
    let localisation = when(localisation.clone().is_null())
        .then(
            when(col("_qpv").is_null())
                .then(lit("hors_qpv"))
                .otherwise(lit("qpv")),
        )
        .otherwise(localisation);
    let statut = if t.a("statut") {
        when(texte("statut").is_null())
            .then(lit("ouvert"))
            .otherwise(valeur_normalisee("statut"))
    } else {
        lit("ouvert")
    };
    let annee = if t.a("annee") {
        texte("annee").cast(DataType::Int32)
    } else {
        lit(NULL).cast(DataType::Int32)
    };
    let jour = if t.a("date") {
        date("date")
    } else {
        lit(NULL).cast(DataType::Int32)
    };
    lf.select([
        texte("type").alias("type"),
        texte("nom").alias("nom"),
        texte("code_commune").alias("code_commune"),
        ou_vide(t, "nom_commune").alias("nom_commune"),
        col("_qpv").alias("code_qpv"),
        localisation.alias(LOCALISATION),
        statut.alias("statut_structure"),
        // The year: as given, else the date's.
        annee
            .fill_null((jour.clone().cast(DataType::Float64) / lit(10_000.0)).cast(DataType::Int32))
            .alias("annee"),
        jour.alias("date"),
        ou_vide(t, "categorie").alias(CATEGORIE),
        col(LIGNE),
        lit(fichier).cast(DataType::UInt32).alias(FICHIER),
    ])
}

/// A structure file's cells: names, commune, QPV known to the referential
/// (`verifiee` carries `_qpv` and `_connu`), localisation, status, year,
/// date.
fn verifier(t: &TableBrute, verifiee: &TableBrute) -> Resultat<Vec<Probleme>> {
    let mut p = Vec::new();
    for (c, quoi) in [
        (
            "type",
            "le type de structure ou de label (France services…)",
        ),
        ("nom", "le nom de la structure"),
    ] {
        p.extend(signaler(t, texte(c).is_null(), c, "cellule vide", quoi)?);
    }
    p.extend(signaler(
        t,
        est_code_commune(texte("code_commune"))
            .not()
            .fill_null(lit(true)),
        "code_commune",
        "code commune illisible",
        "le code INSEE de la commune, 5 caractères (92050)",
    )?);
    p.extend(signaler_qpv_inconnus(verifiee, "code_qpv", lit(true))?);
    p.extend(signaler_localisations(t)?);
    p.extend(signaler_hors_liste(
        t,
        "statut",
        &STATUTS_STRUCTURE,
        (
            "statut inconnu",
            "ouvert, labellisé, en projet ou fermé (vide : ouvert)",
        ),
    )?);
    if t.a("annee") {
        p.extend(signaler(
            t,
            texte("annee")
                .is_not_null()
                .and(texte("annee").str().contains(lit(r"^\d{4}$"), false).not()),
            "annee",
            "année illisible",
            "une année sur 4 chiffres (2021)",
        )?);
    }
    if t.a("date") {
        p.extend(signaler(
            t,
            texte("date").is_not_null().and(date("date").is_null()),
            "date",
            "date illisible",
            "une date AAAA-MM-JJ (2021-01-15) ou JJ/MM/AAAA",
        )?);
    }
    Ok(p)
}
